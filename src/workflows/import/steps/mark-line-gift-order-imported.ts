import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { LINE_GIFT_MODULE } from "../../../modules/line-gift"
import type LineGiftModuleService from "../../../modules/line-gift/service"
import { jsonColumn } from "../../../modules/line-gift/json-column"

/** Input: the claimed record and what the import found. */
export type MarkImportedInput = {
  record_id: string
  flags: string[]
  provisional?: boolean
}

/**
 * Marks the record `imported` (with its flags). The last step of the import: nothing after it
 * can fail, and the claim step's compensation covers the record, so no compensation here.
 */
export const markLineGiftOrderImportedStep = createStep(
  "mark-line-gift-order-imported",
  async (input: MarkImportedInput, { container }) => {
    const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
    await service.updateLineGiftOrders({
      id: input.record_id,
      state: "imported",
      failure_reason: null,
      flags: jsonColumn(input.flags),
      provisional: !!input.provisional,
      attention_reason: null,
      imported_at: new Date(),
    })
    return new StepResponse(input.record_id)
  }
)
