/**
 * One page of a LINE Gift import through the bulk path, with the per-order path as the
 * fallback: the entry point an import run calls for each page of new orders.
 */
import type { MedusaContainer } from "@medusajs/framework/types"
import { LINE_GIFT_MODULE } from "../../modules/line-gift"
import type LineGiftModuleService from "../../modules/line-gift/service"
import { KEPT_IMPORTING_REASON } from "../../modules/line-gift/service"
import {
  recoverInterruptedLineGiftImports,
  type RecoveryResult,
} from "../recovery/recover-interrupted-imports"
import { ALREADY_CLAIMED } from "../import/steps/claim-line-gift-order"
import { importLineGiftOrderWorkflow } from "../import/workflows/import-line-gift-order"
import {
  importLineGiftOrdersBulkWorkflow,
  type BulkImportOrderResult,
  type ImportLineGiftOrdersBulkInput,
  type ImportLineGiftOrdersBulkOutput,
} from "./workflows/import-line-gift-orders-bulk"
import { safeErrorMessage } from "../../lib/safe-error"

/** Result of a page: per LINE Gift order id, and whether the page fell back to per order. */
export type ImportPageResult = {
  results: ImportLineGiftOrdersBulkOutput
  /** The bulk write failed (reason) and the page was imported order by order. */
  fallback: string | null
}

/**
 * Imports a page (see importLineGiftOrdersBulkWorkflow). When the bulk workflow throws (a
 * write failed; it has compensated everything it did), the page is imported again order by
 * order with importLineGiftOrderWorkflow, so one bad order only fails itself.
 * Orders another run holds come back as `already_imported`; others that fail carry the
 * reason (no personal data: reasons name fields, not values).
 * @returns per-order results for every order of the input.
 */
export async function importLineGiftOrdersPage(
  container: MedusaContainer,
  input: ImportLineGiftOrdersBulkInput
): Promise<ImportPageResult> {
  if (!input.orders.length) {
    return { results: {}, fallback: null }
  }
  try {
    const { result } = await importLineGiftOrdersBulkWorkflow(container).run({
      input,
    })
    return { results: result, fallback: null }
  } catch (e) {
    const fallback = safeErrorMessage(e)
    // Never throws: when even this cannot read the records (the database gone), the kept
    // ones are refused by the per-order claims below and left to the next recovery.
    const kept = await recoverKeptClaims(container, input).catch(
      () => new Map<string, BulkImportOrderResult>()
    )
    const results: ImportLineGiftOrdersBulkOutput = {}
    for (const { order, raw } of input.orders) {
      results[order.id] =
        kept.get(order.id) ?? (await importOne(container, input, order, raw))
    }
    return { results, fallback }
  }
}

/**
 * After a failed bulk page: the records its rollback kept `importing` because something of
 * their import was left in place (marked KEPT_IMPORTING_REASON, see releaseClaimedRecords) are
 * recovered now instead of by the next run: finished on the order that exists, or released
 * (orphan payments deleted) and then imported order by order like the others. The mark, not
 * the run id, says the import is over: a claim by anyone else (an admin retry) clears it.
 * @returns LINE Gift order id → result, for the kept records not released
 */
async function recoverKeptClaims(
  container: MedusaContainer,
  page: ImportLineGiftOrdersBulkInput
): Promise<Map<string, BulkImportOrderResult>> {
  const out = new Map<string, BulkImportOrderResult>()
  const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
  const kept = await service.listLineGiftOrders(
    {
      shop_id: page.shop_id,
      line_gift_order_id: page.orders.map((o) => o.order.id),
      state: "importing",
      failure_reason: KEPT_IMPORTING_REASON,
    },
    { select: ["id", "line_gift_order_id"] }
  )
  if (!kept.length) return out
  let recovery: RecoveryResult
  try {
    recovery = await recoverInterruptedLineGiftImports(
      container,
      page.shop_id,
      { recordIds: kept.map((r) => r.id) }
    )
  } catch (e) {
    recovery = {
      finished: [],
      released: [],
      errors: kept.map((r) => ({
        line_gift_order_id: r.line_gift_order_id,
        reason: safeErrorMessage(e),
      })),
    }
  }
  const after = new Map(
    (
      await service.listLineGiftOrders(
        { id: kept.map((r) => r.id) },
        { select: ["id", "line_gift_order_id", "flags"] }
      )
    ).map((r) => [r.line_gift_order_id, r])
  )
  for (const f of recovery.finished) {
    const record = after.get(f.line_gift_order_id)
    out.set(f.line_gift_order_id, {
      status: "created",
      order_id: f.order_id,
      record_id: record?.id ?? "",
      flags: Array.isArray(record?.flags) ? (record.flags as string[]) : [],
    })
  }
  const released = new Set(recovery.released)
  for (const r of kept) {
    if (out.has(r.line_gift_order_id) || released.has(r.line_gift_order_id))
      continue
    const error = recovery.errors.find(
      (x) => x.line_gift_order_id === r.line_gift_order_id
    )
    out.set(r.line_gift_order_id, {
      status: "failed",
      reason: KEPT_IMPORTING_REASON + (error ? ` (${error.reason})` : ""),
    })
  }
  return out
}

/** One order through the per-order workflow (the fallback); never throws. */
async function importOne(
  container: MedusaContainer,
  page: ImportLineGiftOrdersBulkInput,
  order: ImportLineGiftOrdersBulkInput["orders"][number]["order"],
  raw: unknown
): Promise<BulkImportOrderResult> {
  try {
    const { result } = await importLineGiftOrderWorkflow(container).run({
      input: {
        shop_id: page.shop_id,
        run_id: page.run_id,
        order,
        raw,
        region_id: page.region_id,
        sales_channel_id: page.sales_channel_id,
        shipping_option_id: page.shipping_option_id,
        email: page.email,
        sku_overrides: page.sku_overrides,
      },
    })
    return {
      status: "created",
      order_id: result.order_id,
      record_id: result.record_id,
      flags: result.flags,
    }
  } catch (e) {
    const reason = safeErrorMessage(e)
    if (reason.includes(ALREADY_CLAIMED)) {
      return { status: "already_imported" }
    }
    return { status: "failed", reason }
  }
}
