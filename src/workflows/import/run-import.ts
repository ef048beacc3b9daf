/**
 * One import run for one shop: read every LINE Gift order page, filter by status and purchase
 * window, and run importLineGiftOrderWorkflow for each new order; record the run and every
 * failure with its reason. The run goes on past bad orders.
 *
 * This is the orchestration that routes and jobs call. It holds the shop's import lock, talks
 * to LINE Gift through the client, writes only module records (runs, failed records) itself,
 * and leaves every Medusa write to the workflow.
 */
import type { MedusaContainer } from "@medusajs/framework/types"
import {
  ContainerRegistrationKeys,
  MedusaError,
  Modules,
} from "@medusajs/framework/utils"
import { isLineGiftApiError, parseLineGiftOrder } from "../../lib/line-gift"
import {
  isKnownLineGiftStatus,
  type LineGiftOrder,
} from "../../lib/line-gift/schemas"
import { LINE_GIFT_MODULE } from "../../modules/line-gift"
import type LineGiftModuleService from "../../modules/line-gift/service"
import { getLineGiftClient } from "../helpers/line-gift-client"
import { ALREADY_CLAIMED } from "./steps/claim-line-gift-order"
import { importLineGiftOrderWorkflow } from "./workflows/import-line-gift-order"
import { importLineGiftOrdersPage } from "../import-bulk/run-page"
import { recoverInterruptedLineGiftImports } from "../recovery/recover-interrupted-imports"
import type { BulkImportOrderResult } from "../import-bulk/workflows/import-line-gift-orders-bulk"
import {
  cancelLineGiftOrderWorkflow,
  completeProvisionalLineGiftOrderWorkflow,
} from "./workflows/line-gift-order-changes"
import {
  hasShippableAddress,
  lineGiftSku,
  mapLineGiftOrder,
} from "../../lib/mapping"
import {
  countCode,
  countFlag,
  emptySkippedReasons,
  MAX_STORED_ERRORS,
  SUMMARY_FLAGS,
  type SkippedReasons,
} from "./run-summary"
import { fetchSettingsOf, nextFetchAt } from "../../lib/schedule"
import { ensureLineGiftShopCustomer } from "../customers/line-gift-shop-customer"
import { reportUnknownLineGiftStatuses } from "../notifications/alerts"

/** Input of an import run. Times are absolute instants (the admin enters Asia/Tokyo times). */
export type RunImportInput = {
  shop_id: string
  /** Orders bought at or after this instant. */
  from: Date
  /** Orders bought at or before this instant. */
  to: Date
  /** LINE Gift status codes to import; default: the shop's fetch_statuses. */
  statuses?: string[]
  trigger?: "manual" | "automatic"
  /**
   * Called once with the run record (state `running`) as soon as it exists, before the first
   * page: lets a route answer at once while the run goes on.
   */
  onRunCreated?: (run: Record<string, any>) => void
}

/** One order created by the run. */
export type ImportedOrderSummary = {
  line_gift_order_id: string
  order_id: string
  flags: string[]
}

/** One order the run could not import (reason names the field; no personal data). */
export type ImportError = { line_gift_order_id: string | null; reason: string }

/** Result of an import run: the run record and the orders it created. */
export type RunImportResult = {
  run: Record<string, any>
  created: ImportedOrderSummary[]
}

/**
 * Why an order was skipped (not imported, not failed), as counted in a run's `skip_reasons`:
 * - `before_window` / `after_window`: in a fetched status but bought before `from` / after `to`;
 * - `status:<code>`: its LINE Gift status is not among the fetched ones (e.g. `status:received`);
 * - `already_imported`: imported earlier, outside this run's statuses or window.
 */
export type SkipReason =
  "before_window" | "after_window" | "already_imported" | `status:${string}`

/** Lock key of a shop's import. */
export const importLockKey = (shopId: string) => `line-gift:import:${shopId}`

// The shop's customer (named after the shop, see line-gift-shop-customer.ts).
export { lineGiftCustomerEmail } from "../customers/line-gift-shop-customer"

/**
 * Runs one import (see file comment).
 * @returns the finished run (state `succeeded`, `partial` when some orders failed, `failed`
 *   when LINE Gift could not be read; `error` says why) and the created orders.
 * @throws MedusaError NOT_FOUND (unknown shop), NOT_ALLOWED (API off, no region, no
 *   credentials), NOT_ALLOWED when an import of this shop is already running.
 */
export async function runLineGiftImport(
  container: MedusaContainer,
  input: RunImportInput
): Promise<RunImportResult> {
  const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
  const shop = await retrieveImportableShop(service, input.shop_id)
  if (
    !(input.from instanceof Date) ||
    !(input.to instanceof Date) ||
    input.from > input.to
  ) {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      "The import window must have from ≤ to."
    )
  }
  return await withShopImportLock(container, shop, () =>
    importUnderLock(container, service, shop, input)
  )
}

/**
 * The shop, when an import of it can run.
 * @throws MedusaError NOT_FOUND (unknown shop), NOT_ALLOWED (API off, no region, no credentials)
 */
export async function retrieveImportableShop(
  service: LineGiftModuleService,
  shopId: string
): Promise<any> {
  const shop = (await service.retrieveLineGiftShop(shopId)) as any
  if (!shop.api_enabled) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `LINE Gift shop "${shop.name}": API usage is off. Turn it on in Settings → LINE Gift.`
    )
  }
  if (!shop.region_id) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `LINE Gift shop "${shop.name}": choose the Medusa region (Japan, JPY) its orders go to.`
    )
  }
  // Fails early, before the lock, when credentials are missing.
  await service.getShopCredentials(shop.id)
  return shop
}

/**
 * Runs `job` holding the shop's import lock (locking module, key importLockKey; in-memory in
 * one process, Redis across processes when the store configures the Redis provider). Waits at
 * most one second for it.
 * @throws MedusaError NOT_ALLOWED "already running" when another import of the shop holds it;
 *   whatever `job` throws.
 */
export async function withShopImportLock<T>(
  container: MedusaContainer,
  shop: { id: string; name: string },
  job: () => Promise<T>
): Promise<T> {
  const locking = container.resolve(Modules.LOCKING)
  let started = false
  try {
    return await locking.execute(
      importLockKey(shop.id),
      async () => {
        started = true
        return await job()
      },
      { timeout: 1 }
    )
  } catch (e) {
    if (!started) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `An import of LINE Gift shop "${shop.name}" is already running; try again when it has finished.`
      )
    }
    throw e
  }
}

/** Statuses of gifts still waiting for the recipient (address unknown): provisional import. */
export const PROVISIONAL_STATUSES: ReadonlySet<string> = new Set([
  "gift_message_wait",
  "gift_message_send",
])
/** Statuses after which a gift never becomes importable: not tracked as `seen`. */
const FINAL_STATUSES: ReadonlySet<string> = new Set(["cancel", "received"])

/** A record of a LINE Gift order, as the run needs it. */
type OrderRecord = {
  id: string
  line_gift_order_id: string
  state: string
  line_gift_status: string | null
  provisional: boolean
  flags: string[] | null
  attention_reason: string | null
}

/**
 * The import itself (the caller holds the shop's lock). Per page:
 * 1. parse; malformed orders → `failed` records;
 * 2. an order already imported: a LINE Gift cancellation cancels its Medusa order (or flags it
 *    for a person when something was fulfilled); a provisional order whose address arrived
 *    gets it (handleImportedOrder);
 * 3. an order in the fetched statuses, bought inside the window — or outside it but tracked as
 *    `seen` by an earlier run (a gift accepted days after purchase) — is imported
 *    (importNewOrders, the one place that creates Medusa orders, in bulk); with the shop's
 *    `provisional_import`, so is a gift still waiting for its address;
 *    — a fetched-status order without an address is imported flagged `no_address` (completed
 *    like a provisional order when the address arrives);
 * 4. any other order inside the window that may still become importable → `seen` record;
 *    a status code LINE Gift added later is skipped (never failed) and named per code;
 * 5. the status LINE Gift reported is stored on known records with the time it was read;
 * then the run record gets the page's counts and `skipped_reasons` (run-summary.ts: skipped
 * by status, unknown status, window, imported earlier, repeated across pages; flagged orders;
 * why reading stopped early) — progress for GET /admin/line-gift/runs/:id. An order repeated
 * on a later page counts once.
 */
export async function importUnderLock(
  container: MedusaContainer,
  service: LineGiftModuleService,
  shop: any,
  input: RunImportInput
): Promise<RunImportResult> {
  // Orders an earlier, interrupted run left half-imported (process killed) are finished or
  // released first, so this run neither misses nor duplicates them.
  await recoverInterruptedLineGiftImports(container, shop.id)

  const statuses = new Set(
    input.statuses?.length
      ? input.statuses
      : Array.isArray(shop.fetch_statuses) && shop.fetch_statuses.length
        ? shop.fetch_statuses
        : ["payment"]
  )
  const provisionalImport = !!shop.provisional_import
  const fromSec = Math.floor(input.from.getTime() / 1000)
  const toSec = Math.floor(input.to.getTime() / 1000)

  const run = (await service.createLineGiftSyncRuns({
    shop_id: shop.id,
    kind: "import",
    trigger: input.trigger ?? "manual",
    state: "running",
    window_from: input.from,
    window_to: input.to,
    statuses: [...statuses],
    started_at: new Date(),
  } as any)) as any
  input.onRunCreated?.(run)

  const counts = {
    pages: 0,
    seen: 0,
    created: 0,
    already: 0,
    skipped: 0,
    failed: 0,
    cancelled: 0,
    completed: 0,
  }
  const errors: ImportError[] = []
  const reasons: SkippedReasons = emptySkippedReasons()
  /** Stores an error (at most MAX_STORED_ERRORS per run; further ones are only counted). */
  const pushError = (error: ImportError) => {
    if (errors.length < MAX_STORED_ERRORS) errors.push(error)
    else reasons.errors_omitted++
  }
  /** LINE Gift order ids read by this run: an order repeated on a later page counts once. */
  const readIds = new Set<string>()
  /** Records whose LINE Gift status was read on the current page: refreshed after it. */
  let statusRead: Array<{ id: string; line_gift_status: string }> = []
  /** Why orders were skipped, counted per reason (see SkipReason); sums to counts.skipped. */
  const skipReasons: Record<string, number> = {}
  /** Counts a skip under its merchant-facing reason (the caller counts `counts.skipped`). */
  const countSkip = (reason: SkipReason) => {
    skipReasons[reason] = (skipReasons[reason] ?? 0) + 1
  }
  const created: ImportedOrderSummary[] = []
  let runError: string | null = null
  const logger = safeLogger(container)

  const fail = async (
    id: string | null,
    reason: string,
    raw: unknown,
    status: string | null
  ) => {
    counts.failed++
    pushError({ line_gift_order_id: id, reason })
    if (id) {
      await service.recordUnimportable({
        shop_id: shop.id,
        line_gift_order_id: id,
        line_gift_status: status,
        raw,
        reason,
        run_id: run.id,
      })
    }
  }

  // The merchant's SKU mappings, read once per run and used by both import paths.
  const skuOverrides: Record<string, string> = Object.fromEntries(
    (
      (await service.listLineGiftSkuMappings({ shop_id: shop.id })) as any[]
    ).map((m) => [m.code as string, m.variant_id as string])
  )
  const target = {
    shop_id: shop.id,
    run_id: run.id,
    region_id: shop.region_id,
    sales_channel_id: shop.sales_channel_id ?? null,
    shipping_option_id: shop.shipping_option_id ?? null,
    email: await ensureLineGiftShopCustomer(container, shop),
    sku_overrides: skuOverrides,
  }

  const countResult = async (
    order: LineGiftOrder,
    raw: unknown,
    result: BulkImportOrderResult
  ) => {
    if (result.status === "created") {
      counts.created++
      created.push({
        line_gift_order_id: order.id,
        order_id: result.order_id,
        flags: result.flags,
      })
      statusRead.push({ id: result.record_id, line_gift_status: order.status })
      for (const flag of result.flags) {
        if (!SUMMARY_FLAGS.has(flag)) continue
        countFlag(reasons, flag, {
          line_gift_order_id: order.id,
          ...(flag === "out_of_stock" || flag === "sku_loose_match"
            ? { sku: lineGiftSku(order) }
            : {}),
        })
      }
    } else if (result.status === "already_imported") {
      counts.already++
    } else {
      await fail(order.id, result.reason, raw, order.status)
    }
  }

  /**
   * THE import of a page's new orders: one Medusa order per LINE Gift order, in bulk
   * (importLineGiftOrdersPage; it falls back to one workflow per order when a bulk write fails).
   */
  const importNewOrders = async (
    batch: Array<{ order: LineGiftOrder; raw: unknown }>
  ) => {
    if (!batch.length) return
    const { results, fallback } = await importLineGiftOrdersPage(container, {
      ...target,
      orders: batch,
    })
    if (fallback) {
      logger?.warn(
        `LINE Gift import run ${run.id}: bulk write failed, page imported order by order (${fallback})`
      )
    }
    for (const { order, raw } of batch) {
      await countResult(
        order,
        raw,
        results[order.id] ?? {
          status: "failed",
          reason: "no result from the import",
        }
      )
    }
  }

  /**
   * A provisional order (no address yet): one workflow, with the flag `provisional` (a gift
   * waiting for its recipient) or `no_address` (a ready-to-ship order sent without an address).
   */
  const importProvisionalOrder = async (
    order: LineGiftOrder,
    raw: unknown,
    flag: "provisional" | "no_address" = "provisional"
  ) => {
    try {
      const { result } = await importLineGiftOrderWorkflow(container).run({
        input: {
          ...target,
          order,
          raw,
          provisional: true,
          provisional_flag: flag,
        },
      })
      await countResult(order, raw, { status: "created", ...result })
    } catch (e) {
      const message = errorMessage(e)
      await countResult(
        order,
        raw,
        message.includes(ALREADY_CLAIMED)
          ? { status: "already_imported" }
          : { status: "failed", reason: message }
      )
    }
  }

  const saveProgress = async (state?: string) =>
    (await service.updateLineGiftSyncRuns({
      id: run.id,
      ...(state ? { state } : {}),
      pages_read: counts.pages,
      seen_count: counts.seen,
      created_count: counts.created,
      already_imported_count: counts.already,
      skipped_count: counts.skipped,
      failed_count: counts.failed,
      errors,
      skipped_reasons: reasons,
      skip_reasons: skipReasons,
    } as any)) as any

  try {
    const client = await getLineGiftClient(container, shop.id)
    const pages = client.iterateOrderPages({
      onStop: (reason) => {
        reasons.read_stopped = reason
        pushError({ line_gift_order_id: null, reason })
      },
    })
    for await (const page of pages) {
      counts.pages++
      statusRead = []
      const parsedOrders: Array<{ order: LineGiftOrder; raw: unknown }> = []
      for (const raw of page.orders) {
        const rawId = (raw as any)?.id
        const idKey =
          typeof rawId === "string" || typeof rawId === "number"
            ? String(rawId)
            : null
        if (idKey !== null && readIds.has(idKey)) {
          // The same order again on a later page (orders shift while pages are read).
          reasons.repeated++
          continue
        }
        if (idKey !== null) readIds.add(idKey)
        counts.seen++
        const parsed = parseLineGiftOrder(raw)
        if (!parsed.ok) {
          const status =
            typeof (raw as any)?.status === "string"
              ? (raw as any).status
              : null
          await fail(
            parsed.id ?? null,
            `malformed order: ${parsed.reason}`,
            raw,
            status
          )
          continue
        }
        parsedOrders.push({ order: parsed.order, raw })
      }

      const records = await loadRecords(
        service,
        shop.id,
        parsedOrders.map((p) => p.order.id)
      )
      const toTrack: Array<{
        order: LineGiftOrder
        raw: unknown
        record?: OrderRecord
      }> = []
      const toImport: Array<{ order: LineGiftOrder; raw: unknown }> = []
      for (const { order, raw } of parsedOrders) {
        const record = records.get(order.id)
        const boughtOn = order.bought_on ?? order.payed_on
        const inWindow =
          boughtOn !== undefined && boughtOn >= fromSec && boughtOn <= toSec
        const tracked = record?.state === "seen"
        const known = isKnownLineGiftStatus(order.status)
        const wanted = known && statuses.has(order.status)

        if (
          record &&
          (record.state === "imported" || record.state === "importing")
        ) {
          if (wanted && inWindow) {
            counts.already++
          } else {
            counts.skipped++
            if (known) reasons.imported_earlier++
            else countCode(reasons.unknown_status, order.status)
            countSkip(known ? "already_imported" : `status:${order.status}`)
          }
          if (record.state === "imported") {
            const handled = await handleImportedOrder(container, service, {
              order,
              raw,
              record,
              runId: run.id,
              errors: { push: pushError },
              counts,
            })
            // A cancellation not yet acted on keeps the old status, so the next run retries it.
            if (handled || order.status !== "cancel") {
              statusRead.push({ id: record.id, line_gift_status: order.status })
            }
          }
          continue
        }
        if (!known) {
          // A code LINE Gift added later: in no filter the merchant chose. Skipped, named.
          counts.skipped++
          countCode(reasons.unknown_status, order.status)
          countSkip(`status:${order.status}`)
          if ((inWindow || tracked) && record?.state !== "failed")
            toTrack.push({ order, raw, record })
          continue
        }
        if (wanted) {
          if (boughtOn === undefined && !tracked) {
            await fail(
              order.id,
              "bought_on: is required to apply the date window",
              raw,
              order.status
            )
          } else if (inWindow || tracked) {
            if (
              hasShippableAddress(order) ||
              PROVISIONAL_STATUSES.has(order.status)
            ) {
              toImport.push({ order, raw })
            } else {
              // Ready to ship but no address: imported, flagged, completed when it arrives.
              await importProvisionalOrder(order, raw, "no_address")
            }
          } else {
            counts.skipped++
            reasons.window++
            countSkip(boughtOn! > toSec ? "after_window" : "before_window")
          }
          continue
        }
        if (
          provisionalImport &&
          PROVISIONAL_STATUSES.has(order.status) &&
          (inWindow || tracked)
        ) {
          await importProvisionalOrder(order, raw)
          continue
        }
        counts.skipped++
        countCode(reasons.status, order.status)
        countSkip(`status:${order.status}`)
        if (
          (inWindow || tracked) &&
          !FINAL_STATUSES.has(order.status) &&
          record?.state !== "failed"
        ) {
          toTrack.push({ order, raw, record })
        }
      }
      await importNewOrders(toImport)
      await trackSeen(service, shop.id, run.id, toTrack)
      await refreshStatuses(service, statusRead)
      await saveProgress()
    }
  } catch (e) {
    runError =
      isLineGiftApiError(e) || e instanceof MedusaError
        ? errorMessage(e)
        : `unexpected error: ${errorMessage(e)}`
    logger?.warn(
      `LINE Gift import run ${run.id} of shop ${shop.id} stopped: ${runError}`
    )
  }

  const finishedAt = new Date()
  const state = runError
    ? "failed"
    : errors.length || reasons.errors_omitted
      ? "partial"
      : "succeeded"
  await saveProgress()
  const finished = await service.updateLineGiftSyncRuns({
    id: run.id,
    state,
    finished_at: finishedAt,
    error: runError,
  } as any)
  if (!runError) {
    // Never earlier than what is stored: an automatic run claimed its successor slot already.
    const fresh = (await service.retrieveLineGiftShop(shop.id)) as any
    const computed = nextFetchAt(fetchSettingsOf(fresh), finishedAt, finishedAt)
    const stored = fresh.next_fetch_at ? new Date(fresh.next_fetch_at) : null
    await service.updateLineGiftShops({
      id: shop.id,
      last_fetched_at: finishedAt,
      next_fetch_at:
        computed && stored && stored > computed ? stored : computed,
    } as any)
  }
  if (!runError && !reasons.read_stopped) {
    // Unknown status codes (issue 9.2 / 11.5): one admin notification per shop while they keep
    // arriving, cleared by a complete read that sees none. Never fails the import.
    await reportUnknownLineGiftStatuses(
      container,
      shop,
      reasons.unknown_status
    ).catch((e) =>
      logger?.warn(
        `LINE Gift import run ${run.id}: unknown-status notification not sent: ${errorMessage(e)}`
      )
    )
  }
  logger?.info(
    `LINE Gift import run ${run.id}: ${state}; seen ${counts.seen}, created ${counts.created}, ` +
      `already imported ${counts.already}, skipped ${counts.skipped}, failed ${counts.failed}, ` +
      `cancelled ${counts.cancelled}, addresses completed ${counts.completed}, repeated ${reasons.repeated}` +
      (reasons.read_stopped ? `; ${reasons.read_stopped}` : "")
  )
  return { run: finished, created }
}

/** Records of these LINE Gift order ids of one shop, by LINE Gift order id. */
async function loadRecords(
  service: LineGiftModuleService,
  shopId: string,
  ids: string[]
): Promise<Map<string, OrderRecord>> {
  const map = new Map<string, OrderRecord>()
  if (!ids.length) {
    return map
  }
  const rows = (await service.listLineGiftOrders(
    { shop_id: shopId, line_gift_order_id: ids },
    {
      select: [
        "id",
        "line_gift_order_id",
        "state",
        "line_gift_status",
        "provisional",
        "flags",
        "attention_reason",
      ],
    }
  )) as unknown as OrderRecord[]
  for (const r of rows) {
    map.set(r.line_gift_order_id, r)
  }
  return map
}

/**
 * Tracks orders that are not importable yet (state `seen`), so that a later run imports them
 * when they reach a fetched status even outside its window. Module records only: no Medusa
 * write, no workflow needed. A record created meanwhile by a racing importer is left alone.
 */
async function trackSeen(
  service: LineGiftModuleService,
  shopId: string,
  runId: string,
  items: Array<{ order: LineGiftOrder; raw: unknown; record?: OrderRecord }>
): Promise<void> {
  const fresh = items.filter((i) => !i.record)
  const changed = items.filter(
    (i) => i.record && i.record.line_gift_status !== i.order.status
  )
  const rows = fresh.map(({ order, raw }) => ({
    shop_id: shopId,
    line_gift_order_id: order.id,
    line_gift_status: order.status,
    raw,
    state: "seen",
    status_read_at: new Date(),
    bought_at:
      order.bought_on !== undefined ? new Date(order.bought_on * 1000) : null,
    last_run_id: runId,
  }))
  if (rows.length) {
    try {
      await service.createLineGiftOrders(rows as any)
    } catch {
      // One of them was created meanwhile (unique per shop + order): go one by one.
      for (const row of rows) {
        await service.createLineGiftOrders(row as any).catch(() => undefined)
      }
    }
  }
  if (changed.length) {
    await service.updateLineGiftOrders(
      changed.map(({ order, raw, record }) => ({
        id: record!.id,
        line_gift_status: order.status,
        status_read_at: new Date(),
        raw,
        last_run_id: runId,
      })) as any
    )
  }
}

/**
 * The LINE Gift status just read, with the time it was read (issue 16 item 4: the order widget
 * shows the status LINE Gift last reported). Module records only.
 */
async function refreshStatuses(
  service: LineGiftModuleService,
  rows: Array<{ id: string; line_gift_status: string }>
): Promise<void> {
  if (!rows.length) return
  const now = new Date()
  await service.updateLineGiftOrders(
    rows.map((r) => ({ ...r, status_read_at: now })) as any
  )
}

/** Reason shown to a person when LINE Gift cancelled a gift the shop already fulfilled. */
export const CANCELLED_AFTER_FULFILMENT =
  "cancelled on LINE Gift after fulfilment: the Medusa order was not cancelled; check the shipment and cancel or return it by hand"

/**
 * Follows an imported order's status on LINE Gift:
 * - `cancel`: nothing fulfilled → cancelLineGiftOrderWorkflow (order cancelled, stock
 *   released); otherwise `attention_reason` is set and the run's errors say so;
 * - a provisional order whose recipient entered the address → the address is filled in
 *   (completeProvisionalLineGiftOrderWorkflow).
 * Each change is handled once: the record keeps the last status it acted on.
 */
async function handleImportedOrder(
  container: MedusaContainer,
  service: LineGiftModuleService,
  ctx: {
    order: LineGiftOrder
    raw: unknown
    record: OrderRecord
    runId: string
    errors: { push: (error: ImportError) => void }
    counts: { cancelled: number; completed: number }
  }
): Promise<boolean> {
  const { order, raw, record, runId, errors, counts } = ctx
  const cancelled =
    order.status === "cancel" && record.line_gift_status !== "cancel"
  const addressArrived =
    record.provisional &&
    !PROVISIONAL_STATUSES.has(order.status) &&
    order.status !== "cancel" &&
    hasShippableAddress(order)
  if (!cancelled && !addressArrived) {
    return true
  }
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "line_gift_order",
    fields: [
      "id",
      "order.id",
      "order.status",
      "order.metadata",
      "order.fulfillments.id",
      "order.fulfillments.canceled_at",
    ],
    filters: { id: record.id },
  })
  const linked = (data[0] as any)?.order
  try {
    if (cancelled) {
      const fulfilled = (linked?.fulfillments ?? []).some(
        (f: any) => f && !f.canceled_at
      )
      if (!linked || linked.status === "canceled") {
        await service.updateLineGiftOrders({
          id: record.id,
          line_gift_status: "cancel",
          raw,
          provisional: false,
        } as any)
      } else if (fulfilled) {
        await service.updateLineGiftOrders({
          id: record.id,
          line_gift_status: "cancel",
          raw,
          attention_reason: CANCELLED_AFTER_FULFILMENT,
          last_run_id: runId,
        } as any)
        errors.push({
          line_gift_order_id: order.id,
          reason: CANCELLED_AFTER_FULFILMENT,
        })
      } else {
        await cancelLineGiftOrderWorkflow(container).run({
          input: {
            order_id: linked.id,
            record_id: record.id,
            raw,
            run_id: runId,
          },
        })
        counts.cancelled++
      }
      return true
    }
    if (!linked || linked.status === "canceled") {
      return true
    }
    const mapped = mapLineGiftOrder(order, {
      shopId: "",
      regionId: "",
      salesChannelId: null,
      currencyCode: "jpy",
      email: "",
      variantsBySku: new Map(),
    })
    const metadata = { ...(linked.metadata ?? {}) }
    metadata.line_gift = {
      ...(metadata.line_gift ?? {}),
      status: order.status,
      sender_name:
        order.address?.from_name ??
        (metadata.line_gift as any)?.sender_name ??
        null,
      provisional: false,
      flags: ((metadata.line_gift as any)?.flags ?? []).filter(
        (f: string) => !COMPLETED_FLAGS.has(f)
      ),
    }
    await completeProvisionalLineGiftOrderWorkflow(container).run({
      input: {
        order_id: linked.id,
        record_id: record.id,
        shipping_address: mapped.input.shipping_address!,
        metadata,
        flags: (record.flags ?? []).filter((f) => !COMPLETED_FLAGS.has(f)),
        line_gift_status: order.status,
        raw,
        run_id: runId,
      },
    })
    counts.completed++
    return true
  } catch (e) {
    errors.push({
      line_gift_order_id: order.id,
      reason: `${cancelled ? "cancellation" : "address update"} failed: ${errorMessage(e)}`,
    })
    return false
  }
}

/** Flags that end when the recipient's address arrives. */
const COMPLETED_FLAGS: ReadonlySet<string> = new Set([
  "provisional",
  "no_address",
])

/** A merchant-readable message of any error (LINE Gift errors are already free of secrets). */
function errorMessage(e: unknown): string {
  if (e && typeof e === "object" && "message" in e) {
    return String((e as any).message)
  }
  return String(e)
}

function safeLogger(container: MedusaContainer): any {
  try {
    return container.resolve("logger")
  } catch {
    return null
  }
}
