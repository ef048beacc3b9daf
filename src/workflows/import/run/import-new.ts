/**
 * Stage "import new" of an import run: THE place where a run creates Medusa orders — a page's
 * new orders in bulk, and orders without an address one at a time (provisional).
 */
import { lineGiftSku, type ProvisionalFlag } from "../../../lib/mapping"
import { importLineGiftOrdersPage } from "../../import-bulk/run-page"
import type { BulkImportOrderResult } from "../../import-bulk/workflows/import-line-gift-orders-bulk"
import { ALREADY_CLAIMED } from "../steps/claim-line-gift-order"
import { importLineGiftOrderWorkflow } from "../workflows/import-line-gift-order"
import {
  errorMessage,
  type ImportRun,
  type PageOrder,
  type PageWork,
} from "./context"
import { recordFailure } from "./read-page"

/**
 * The page's new orders (page.toImport): one Medusa order per LINE Gift order, in bulk
 * (importLineGiftOrdersPage; it falls back to one workflow per order when a bulk write
 * fails, and the run's log says so). Each result is counted in page order.
 */
export async function importNewOrders(
  run: ImportRun,
  page: PageWork
): Promise<void> {
  const batch = page.toImport
  if (!batch.length) return
  const { results, fallback } = await importLineGiftOrdersPage(run.container, {
    ...run.target,
    orders: batch,
  })
  if (fallback) {
    run.logger?.warn(
      `LINE Gift import run ${run.record.id}: bulk write failed, page imported order by order (${fallback})`
    )
  }
  for (const item of batch) {
    await countResult(
      run,
      page,
      item,
      results[item.order.id] ?? {
        status: "failed",
        reason: "no result from the import",
      }
    )
  }
}

/**
 * An order without its whole address, imported alone (importLineGiftOrderWorkflow) with the
 * flag `provisional` (a gift waiting for its recipient), `no_address` (a ready-to-ship order
 * sent without an address) or `partial_address` (one whose address lacks a part); the record
 * is marked provisional, so the address is filled in when LINE Gift sends it. Another run
 * holding it counts as already imported; any other error fails the order.
 */
export async function importProvisionalOrder(
  run: ImportRun,
  page: PageWork,
  item: PageOrder,
  flag: ProvisionalFlag
): Promise<void> {
  try {
    const { result } = await importLineGiftOrderWorkflow(run.container).run({
      input: {
        ...run.target,
        order: item.order,
        raw: item.raw,
        provisional: true,
        provisional_flag: flag,
      },
    })
    await countResult(run, page, item, { status: "created", ...result })
  } catch (e) {
    const message = errorMessage(e)
    await countResult(
      run,
      page,
      item,
      message.includes(ALREADY_CLAIMED)
        ? { status: "already_imported" }
        : { status: "failed", reason: message }
    )
  }
}

/**
 * Counts one import result: created (its record's status is refreshed with the page), already
 * imported by someone else, or failed (recorded with its reason).
 */
async function countResult(
  run: ImportRun,
  page: PageWork,
  { order, raw }: PageOrder,
  result: BulkImportOrderResult
): Promise<void> {
  if (result.status === "created") {
    run.summary.addCreated(order.id, lineGiftSku(order), result)
    // The claim stored this status with the record: only its read time is new.
    page.statusRead.push({
      id: result.record_id,
      line_gift_status: order.status,
      stored: order.status,
    })
  } else if (result.status === "already_imported") {
    run.summary.counts.already++
  } else {
    await recordFailure(run, order.id, result.reason, raw, order.status)
  }
}
