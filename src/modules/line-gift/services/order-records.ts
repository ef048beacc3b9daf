/**
 * Atomic writes and reads on LINE Gift order records (`line_gift_order`): the claim that
 * makes imports duplicate-free (`INSERT … ON CONFLICT` on the unique (shop, order) index),
 * unimportable orders, the unknown-SKU summary, the take-over of an interrupted claim.
 */
import { newEntityId } from "../../../lib/entity-id"
import { sqlRows, type SqlRunner } from "./sql"

/** A LINE Gift order to claim for import. `raw`: the order as LINE Gift sent it (stored as JSON). */
export type ClaimOrderInput = {
  shop_id: string
  line_gift_order_id: string
  line_gift_status: string | null
  raw: unknown
  run_id: string | null
  bought_at?: Date | null
}

/** A LINE Gift order that cannot be imported, and why (names the field; no personal data). */
export type UnimportableOrderInput = {
  shop_id: string
  line_gift_order_id: string
  line_gift_status: string | null
  raw: unknown
  reason: string
  run_id: string | null
}

/** One unknown LINE Gift code with the names LINE Gift shows and how many orders carry it. */
export type UnknownSku = {
  code: string
  item_name: string | null
  variation_name: string | null
  orders_count: number
}

/**
 * SQL condition, true when the LINE Gift order `v.line_gift_order_id` is `importing` or
 * `imported` under ANOTHER shop connected to the same LINE Gift app (same `client_id`) —
 * soft-deleted shops included. One app is one LINE Gift shop (the merchant registers it in
 * that shop's admin, docs/line-gift-api.md), so such an order is that LINE Gift shop's order
 * already in Medusa: imported by an earlier connection of it (deleted, then created again) or
 * by a second connection made by mistake. Shops of different apps never block each other (an
 * order id may repeat across LINE Gift shops, see http/two-shops.spec). Reads the siblings
 * through the unique (shop_id, line_gift_order_id) index. Takes one parameter: the claiming
 * shop's id; the query must name its row `v` with `line_gift_order_id`.
 */
const HELD_BY_SAME_APP = `EXISTS (
         SELECT 1 FROM line_gift_shop me
           JOIN line_gift_shop s ON s.client_id = me.client_id AND s.id <> me.id
           JOIN line_gift_order o ON o.shop_id = s.id AND o.line_gift_order_id = v.line_gift_order_id
          WHERE me.id = ? AND o.state IN ('importing', 'imported'))`

/**
 * Claims a LINE Gift order (creates the record in `importing`, or takes over a `failed` or
 * `seen` one) — unless another shop of the same LINE Gift app holds it (HELD_BY_SAME_APP).
 * @returns the record id when this caller won, else null.
 */
export async function claimOrderSql(
  manager: SqlRunner,
  data: ClaimOrderInput
): Promise<string | null> {
  const rows = await sqlRows<{ id: string }>(
    manager,
    `INSERT INTO line_gift_order
         (id, shop_id, line_gift_order_id, line_gift_status, raw, state, last_run_id, bought_at, created_at, updated_at)
       SELECT v.* FROM (VALUES (?, ?, ?, ?, ?::jsonb, 'importing', ?, ?::timestamptz, now(), now()))
         AS v(id, shop_id, line_gift_order_id, line_gift_status, raw, state, last_run_id, bought_at, created_at, updated_at)
        WHERE NOT ${HELD_BY_SAME_APP}
       ON CONFLICT (shop_id, line_gift_order_id) DO UPDATE SET
         state = 'importing', failure_reason = NULL, deleted_at = NULL,
         bought_at = COALESCE(EXCLUDED.bought_at, line_gift_order.bought_at),
         line_gift_status = EXCLUDED.line_gift_status, raw = EXCLUDED.raw,
         last_run_id = EXCLUDED.last_run_id, updated_at = now()
       WHERE line_gift_order.state IN ('failed', 'seen')
       RETURNING id`,
    [
      newEntityId("lgord"),
      data.shop_id,
      data.line_gift_order_id,
      data.line_gift_status,
      JSON.stringify(data.raw ?? null),
      data.run_id,
      data.bought_at ?? null,
      data.shop_id,
    ]
  )
  return rows[0]?.id ?? null
}

/** Creates or updates a `failed` record; never touches imported or importing ones. */
export async function recordUnimportableSql(
  manager: SqlRunner,
  data: UnimportableOrderInput
): Promise<void> {
  await manager.execute(
    `INSERT INTO line_gift_order
         (id, shop_id, line_gift_order_id, line_gift_status, raw, state, failure_reason, last_run_id, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?::jsonb, 'failed', ?, ?, now(), now())
       ON CONFLICT (shop_id, line_gift_order_id) DO UPDATE SET
         failure_reason = EXCLUDED.failure_reason, raw = EXCLUDED.raw,
         line_gift_status = EXCLUDED.line_gift_status, last_run_id = EXCLUDED.last_run_id,
         updated_at = now()
       WHERE line_gift_order.state = 'failed'`,
    [
      newEntityId("lgord"),
      data.shop_id,
      data.line_gift_order_id,
      data.line_gift_status,
      JSON.stringify(data.raw ?? null),
      data.reason,
      data.run_id,
    ]
  )
}

/** Unknown LINE Gift codes of a shop's imported orders flagged `unknown_sku`, most frequent first. */
export async function listUnknownSkusSql(
  manager: SqlRunner,
  shopId: string
): Promise<UnknownSku[]> {
  const rows = await sqlRows<{
    code: string
    item_name: string | null
    variation_name: string | null
    orders_count: number | string
  }>(
    manager,
    `SELECT COALESCE(raw->'variation'->>'code', raw->'item'->>'code') AS code,
              max(raw->'item'->>'name') AS item_name,
              max(raw->'variation'->>'name') AS variation_name,
              count(*)::int AS orders_count
         FROM line_gift_order
        WHERE shop_id = ? AND deleted_at IS NULL AND flags @> '["unknown_sku"]'::jsonb
        GROUP BY 1
        HAVING COALESCE(max(raw->'variation'->>'code'), max(raw->'item'->>'code')) IS NOT NULL
        ORDER BY orders_count DESC, code ASC`,
    [shopId]
  )
  return rows.map((r) => ({
    code: r.code,
    item_name: r.item_name ?? null,
    variation_name: r.variation_name ?? null,
    orders_count: Number(r.orders_count),
  }))
}

/**
 * `failure_reason` of a record kept `importing` by the rollback of its import because
 * something of it was left in place (an order, a payment collection, a link): the import is
 * over, crash recovery may take it over at once (no lease to wait for). Written only by that
 * rollback; a claim clears it (a claim of an `importing` record never succeeds).
 */
export const KEPT_IMPORTING_REASON =
  "import rolled back incompletely: its order or payment was left in place; crash recovery finishes the import on it or releases it"

/**
 * Renews the lease of a record still `importing` whose claim is older than `leaseMs`, or that
 * its rollback kept (KEPT_IMPORTING_REASON, cleared here: one taker wins).
 * @returns the interrupted claim's time when this caller won, else null.
 */
export async function takeOverInterruptedImportSql(
  manager: SqlRunner,
  recordId: string,
  leaseMs: number
): Promise<Date | null> {
  const rows = await sqlRows<{ claimed_at: Date | string | null }>(
    manager,
    `UPDATE line_gift_order AS r SET updated_at = now(), failure_reason = NULL
         FROM (SELECT id, updated_at FROM line_gift_order WHERE id = ? FOR UPDATE) AS old
        WHERE r.id = old.id AND r.state = 'importing'
          AND (r.updated_at < now() - (? * interval '1 millisecond') OR r.failure_reason = ?)
        RETURNING old.updated_at AS claimed_at`,
    [recordId, leaseMs, KEPT_IMPORTING_REASON]
  )
  return rows[0]?.claimed_at ? new Date(rows[0].claimed_at) : null
}

/** One order of a page to claim with claimOrdersSql. `raw`: the order as LINE Gift sent it. */
export type ClaimOrdersItem = {
  line_gift_order_id: string
  line_gift_status: string | null
  raw: unknown
  bought_at?: Date | null
}

/**
 * claimOrderSql for a whole page of one shop in ONE statement: the same rule per row (new,
 * `failed` or `seen` → ours; `importing`/`imported`, or held by another shop of the same
 * LINE Gift app (HELD_BY_SAME_APP) → not). Rows are written in
 * line_gift_order_id order, so two runs claiming overlapping pages wait for each other instead
 * of deadlocking; an id given twice is claimed once.
 * @returns LINE Gift order id → record id, for the orders this caller won.
 */
export async function claimOrdersSql(
  manager: SqlRunner,
  shopId: string,
  runId: string | null,
  orders: ClaimOrdersItem[]
): Promise<Map<string, string>> {
  const won = new Map<string, string>()
  const unique = [
    ...new Map(orders.map((o) => [o.line_gift_order_id, o])).values(),
  ].sort((a, b) => (a.line_gift_order_id < b.line_gift_order_id ? -1 : 1))
  if (!unique.length) return won
  const rows = await sqlRows<{ id: string; line_gift_order_id: string }>(
    manager,
    `INSERT INTO line_gift_order
       (id, shop_id, line_gift_order_id, line_gift_status, raw, state, last_run_id, bought_at, created_at, updated_at)
     SELECT v.* FROM (VALUES ${unique.map(() => "(?, ?, ?, ?, ?::jsonb, 'importing', ?, ?::timestamptz, now(), now())").join(", ")})
       AS v(id, shop_id, line_gift_order_id, line_gift_status, raw, state, last_run_id, bought_at, created_at, updated_at)
      WHERE NOT ${HELD_BY_SAME_APP}
      ORDER BY v.line_gift_order_id
     ON CONFLICT (shop_id, line_gift_order_id) DO UPDATE SET
       state = 'importing', failure_reason = NULL, deleted_at = NULL,
       bought_at = COALESCE(EXCLUDED.bought_at, line_gift_order.bought_at),
       line_gift_status = EXCLUDED.line_gift_status, raw = EXCLUDED.raw,
       last_run_id = EXCLUDED.last_run_id, updated_at = now()
     WHERE line_gift_order.state IN ('failed', 'seen')
     RETURNING id, line_gift_order_id`,
    unique
      .flatMap((o) => [
        newEntityId("lgord"),
        shopId,
        o.line_gift_order_id,
        o.line_gift_status,
        JSON.stringify(o.raw ?? null),
        runId,
        o.bought_at ?? null,
      ])
      .concat([shopId])
  )
  for (const r of rows) won.set(r.line_gift_order_id, r.id)
  return won
}

/** `status_read_at = readAt` for these record ids, one statement (see service.touchStatusRead). */
export async function touchStatusReadSql(
  manager: SqlRunner,
  ids: string[],
  readAt: Date
): Promise<void> {
  if (!ids.length) return
  await manager.execute(
    `UPDATE line_gift_order SET status_read_at = ?, updated_at = now()
     WHERE id IN (${ids.map(() => "?").join(", ")}) AND deleted_at IS NULL`,
    [readAt, ...ids]
  )
}

/** What finishRecordsSql writes: records `imported` (with flags) and records `failed` (with why). */
export type FinishRecordsInput = {
  imported: Array<{ record_id: string; flags: string[] }>
  failed: Array<{ record_id: string; reason: string }>
}

/**
 * The end of a bulk page in ONE statement: `imported` (flags, imported_at = `at`, no failure
 * reason) or `failed` (failure_reason) per record id; updated_at = now(). What
 * `updateLineGiftOrders` would write row by row, without loading the records first.
 * @returns the number of records written
 */
export async function finishRecordsSql(
  manager: SqlRunner,
  input: FinishRecordsInput,
  at: Date
): Promise<number> {
  const rows: unknown[][] = [
    ...input.imported.map((r) => [
      r.record_id,
      "imported",
      null,
      JSON.stringify(r.flags),
      at,
    ]),
    ...input.failed.map((r) => [r.record_id, "failed", r.reason, null, null]),
  ]
  if (!rows.length) return 0
  const written = await sqlRows<{ id: string }>(
    manager,
    `UPDATE line_gift_order AS r SET
       state = v.state,
       failure_reason = v.failure_reason,
       flags = CASE WHEN v.state = 'imported' THEN v.flags ELSE r.flags END,
       imported_at = CASE WHEN v.state = 'imported' THEN v.imported_at ELSE r.imported_at END,
       updated_at = now()
     FROM (VALUES ${rows.map(() => "(?::text, ?::text, ?::text, ?::jsonb, ?::timestamptz)").join(", ")})
       AS v(id, state, failure_reason, flags, imported_at)
     WHERE r.id = v.id
     RETURNING r.id`,
    rows.flat()
  )
  return written.length
}

/** A record as an import run classifies it (see listPageRecordsSql). */
export type PageRecord = {
  id: string
  line_gift_order_id: string
  state: string
  line_gift_status: string | null
  provisional: boolean
  flags: string[] | null
  attention_reason: string | null
}

/**
 * The shop's live records of these LINE Gift order ids, in ONE plain SELECT of the columns an
 * import run classifies by (no `raw` payload, no entity hydration: a re-fetch of a large known
 * backlog reads a page of records per page).
 */
export async function listPageRecordsSql(
  manager: SqlRunner,
  shopId: string,
  lineGiftOrderIds: string[]
): Promise<PageRecord[]> {
  if (!lineGiftOrderIds.length) return []
  return sqlRows<PageRecord>(
    manager,
    `SELECT id, line_gift_order_id, state, line_gift_status, provisional, flags, attention_reason
     FROM line_gift_order
     WHERE shop_id = ? AND deleted_at IS NULL
       AND line_gift_order_id IN (${lineGiftOrderIds.map(() => "?").join(", ")})`,
    [shopId, ...lineGiftOrderIds]
  )
}
