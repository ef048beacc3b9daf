import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { LINE_GIFT_MODULE } from "../../../modules/line-gift"
import type LineGiftModuleService from "../../../modules/line-gift/service"
import type { FinishRecordsInput } from "../../../modules/line-gift/services/order-records"

/** Input: the records to mark imported (with flags) and the ones that failed (with why). */
export type FinishRecordsBulkInput = FinishRecordsInput

/**
 * Marks the page's records in one statement (service.finishRecords): `imported` (flags,
 * imported_at) for the orders made, `failed` with the reason for the orders that could not be
 * (so the next run retries them and the admin shows why). The last step: nothing after it can
 * fail, and the claim step's compensation covers the records, so no compensation here.
 * @returns the number of records written
 */
export const finishLineGiftRecordsBulkStep = createStep(
  "finish-line-gift-records-bulk",
  async (input: FinishRecordsBulkInput, { container }) => {
    const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
    const written = await service.finishRecords(input, new Date())
    return new StepResponse(written)
  }
)
