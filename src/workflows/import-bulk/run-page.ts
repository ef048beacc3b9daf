/**
 * One page of a LINE Gift import through the bulk path, with the per-order path as the
 * fallback: the entry point an import run calls for each page of new orders.
 */
import type { MedusaContainer } from "@medusajs/framework/types"
import { ALREADY_CLAIMED } from "../import/steps/claim-line-gift-order"
import { importLineGiftOrderWorkflow } from "../import/workflows/import-line-gift-order"
import {
  importLineGiftOrdersBulkWorkflow,
  type BulkImportOrderResult,
  type ImportLineGiftOrdersBulkInput,
  type ImportLineGiftOrdersBulkOutput,
} from "./workflows/import-line-gift-orders-bulk"

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
    const fallback = message(e)
    const results: ImportLineGiftOrdersBulkOutput = {}
    for (const { order, raw } of input.orders) {
      results[order.id] = await importOne(container, input, order, raw)
    }
    return { results, fallback }
  }
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
    const reason = message(e)
    if (reason.includes(ALREADY_CLAIMED)) {
      return { status: "already_imported" }
    }
    return { status: "failed", reason }
  }
}

/** The message of a thrown value (an Error's, else its string form). */
function message(e: unknown): string {
  return e && typeof e === "object" && "message" in e
    ? String((e as { message: unknown }).message)
    : String(e)
}
