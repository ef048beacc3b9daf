import { jsonColumn } from "../../../modules/line-gift/json-column"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { LINE_GIFT_MODULE } from "../../../modules/line-gift"
import type LineGiftModuleService from "../../../modules/line-gift/service"

/** Input: the records to mark imported (with flags) and the ones that failed (with why). */
export type FinishRecordsBulkInput = {
  imported: Array<{ record_id: string; flags: string[] }>
  failed: Array<{ record_id: string; reason: string }>
}

/**
 * Marks the page's records in one update: `imported` (flags, imported_at) for the orders
 * made, `failed` with the reason for the orders that could not be (so the next run retries
 * them and the admin shows why). The last step: nothing after it can fail, and the claim
 * step's compensation covers the records, so no compensation here.
 */
export const finishLineGiftRecordsBulkStep = createStep(
  "finish-line-gift-records-bulk",
  async (input: FinishRecordsBulkInput, { container }) => {
    const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
    const now = new Date()
    const updates = [
      ...input.imported.map((r) => ({
        id: r.record_id,
        state: "imported" as const,
        failure_reason: null,
        // A json column: the model types it as an object; it holds the flags array.
        flags: jsonColumn(r.flags),
        imported_at: now,
      })),
      ...input.failed.map((r) => ({
        id: r.record_id,
        state: "failed" as const,
        failure_reason: r.reason,
      })),
    ]
    if (updates.length) {
      await service.updateLineGiftOrders(updates)
    }
    return new StepResponse(updates.length)
  }
)
