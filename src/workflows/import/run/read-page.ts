/**
 * Stage "read page" of an import run: the page's orders, each once per run, validated; and the
 * records the plugin already holds for them.
 */
import { parseLineGiftOrder } from "../../../lib/line-gift/schemas"
import { safeErrorMessage } from "../../../lib/safe-error"
import type { ImportRun, OrderRecord, PageOrder } from "./context"

/**
 * Validates the page's raw orders (parseLineGiftOrder). An order already read on an earlier
 * page is left out (counted as `repeated`: orders shift while pages are read); a malformed one
 * is recorded `failed` with the offending field (recordFailure).
 * @returns the valid orders, in page order, each with its raw payload as parseLineGiftOrder
 *   hands it over (text PostgreSQL cannot store replaced by U+FFFD): what the records keep.
 */
export async function readPage(
  run: ImportRun,
  rawOrders: unknown[]
): Promise<PageOrder[]> {
  const parsedOrders: PageOrder[] = []
  for (const raw of rawOrders) {
    const idKey = rawField(raw, "id")
    const id =
      typeof idKey === "string" || typeof idKey === "number"
        ? String(idKey)
        : null
    if (id !== null && run.readIds.has(id)) {
      run.summary.reasons.repeated++
      continue
    }
    if (id !== null) run.readIds.add(id)
    run.summary.counts.seen++
    const parsed = parseLineGiftOrder(raw)
    if (!parsed.ok) {
      const status = rawField(parsed.raw, "status")
      await recordFailure(
        run,
        parsed.id ?? null,
        `malformed order: ${parsed.reason}`,
        parsed.raw,
        typeof status === "string" ? status : null
      )
      continue
    }
    parsedOrders.push({ order: parsed.order, raw: parsed.raw })
  }
  return parsedOrders
}

/** Records of these LINE Gift order ids of the run's shop, by LINE Gift order id. */
export async function loadRecords(
  run: ImportRun,
  ids: string[]
): Promise<Map<string, OrderRecord>> {
  const map = new Map<string, OrderRecord>()
  if (!ids.length) {
    return map
  }
  const rows = await run.service.listPageRecords(run.shop.id, ids)
  for (const r of rows) {
    map.set(r.line_gift_order_id, r)
  }
  return map
}

/**
 * Counts a failed order, stores its error on the run and, when it has an id, records it
 * `failed` (service.recordUnimportable: never touches an imported or importing record).
 * Never throws: when the record cannot be written (the database refuses it or is gone), the
 * order is still counted failed, its run error saying so with the database's message without
 * values (safeErrorMessage), and the run goes on; the next run reads the order again.
 */
export async function recordFailure(
  run: ImportRun,
  id: string | null,
  reason: string,
  raw: unknown,
  status: string | null
): Promise<void> {
  if (!id) {
    run.summary.fail(id, reason)
    return
  }
  try {
    await run.service.recordUnimportable({
      shop_id: run.shop.id,
      line_gift_order_id: id,
      line_gift_status: status,
      raw,
      reason,
      run_id: run.record.id,
    })
  } catch (e) {
    run.summary.fail(
      id,
      `${reason}; its failed record could not be saved: ${safeErrorMessage(e)}`
    )
    return
  }
  run.summary.fail(id, reason)
}

/** A field of a raw order that may be anything (it is not validated yet). */
function rawField(raw: unknown, field: string): unknown {
  return raw && typeof raw === "object"
    ? (raw as Record<string, unknown>)[field]
    : undefined
}
