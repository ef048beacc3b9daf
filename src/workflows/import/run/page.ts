/**
 * One page of an import run, stage by stage: read page → classify each order and act on it
 * (update known, fail, import alone) → import new (bulk) → record progress.
 */
import {
  newPageWork,
  type ImportRun,
  type OrderRecord,
  type PageOrder,
  type PageWork,
} from "./context"
import { classifyOrder, type OrderDecision } from "./classify"
import { importNewOrders, importProvisionalOrder } from "./import-new"
import { loadRecords, readPage, recordFailure } from "./read-page"
import { recordProgress } from "./record-progress"
import { updateKnownOrder } from "./update-known"

/**
 * Imports one page of LINE Gift orders (raw, as the order search returned them). Orders are
 * handled in page order; the page's new orders are imported together after the others, then
 * its progress is saved. Only this page's orders and records are held.
 */
export async function importPage(
  run: ImportRun,
  rawOrders: unknown[]
): Promise<void> {
  run.summary.counts.pages++
  const page = newPageWork()
  const orders = await readPage(run, rawOrders)
  const records = await loadRecords(
    run,
    orders.map((p) => p.order.id)
  )
  for (const { order, raw } of orders) {
    const record = records.get(order.id)
    const decision = classifyOrder(run.filter, order, record)
    await actOn(run, page, { order, raw, record }, decision)
  }
  await importNewOrders(run, page)
  await recordProgress(run, page)
}

/** LINE Gift statuses whose arrival updateKnownOrder acts on (cancellation, shipment check). */
const STATUSES_ACTED_ON: ReadonlySet<string> = new Set(["cancel", "received"])

/** Carries out the decision of classifyOrder for one order (counts it, and acts). */
async function actOn(
  run: ImportRun,
  page: PageWork,
  item: PageOrder & { record?: OrderRecord },
  decision: OrderDecision
): Promise<void> {
  const { order, raw } = item
  switch (decision.kind) {
    case "known":
      if (decision.skip) run.summary.skip(decision.skip)
      else run.summary.counts.already++
      if (decision.follow) {
        const handled = await updateKnownOrder(run, item, decision.record)
        // A cancellation or a shipment check not yet done keeps the old status, so the next
        // run retries it (a status already stored is never acted on again).
        if (handled || !STATUSES_ACTED_ON.has(order.status)) {
          page.statusRead.push({
            id: decision.record.id,
            line_gift_status: order.status,
            stored: decision.record.line_gift_status ?? null,
          })
        }
      }
      return
    case "skip":
      run.summary.skip(decision.cause)
      if (decision.track) page.toTrack.push(item)
      return
    case "fail":
      await recordFailure(run, order.id, decision.reason, raw, order.status)
      return
    case "import":
      page.toImport.push({ order, raw })
      return
    case "import_provisional":
      await importProvisionalOrder(run, page, { order, raw }, decision.flag)
      return
  }
}
