import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { LINE_GIFT_MODULE } from "../../../modules/line-gift"
import type LineGiftModuleService from "../../../modules/line-gift/service"

/** Input: the LINE Gift order to claim for this import. */
export type ClaimLineGiftOrderInput = {
  shop_id: string
  line_gift_order_id: string
  line_gift_status: string
  raw: unknown
  run_id: string | null
  /** When the gift was bought (bought_on). */
  bought_at?: Date | null
}

/** Marker in the error message when another importer has the order (not a failure). */
export const ALREADY_CLAIMED = "LINE_GIFT_ALREADY_IMPORTED"

/**
 * Claims the order record (state `importing`) so no other import creates it too.
 * @returns the record id.
 * @throws MedusaError DUPLICATE_ERROR (message starts with ALREADY_CLAIMED) when the order is
 *   imported already or being imported by another run.
 * Compensation: the record goes to `failed` ("rolled back"); the caller then records the
 * real reason. It is not deleted, so the order is retried by the next run.
 */
export const claimLineGiftOrderStep = createStep(
  "claim-line-gift-order",
  async (input: ClaimLineGiftOrderInput, { container }) => {
    const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
    const recordId = await service.claimOrder(input)
    if (!recordId) {
      throw new MedusaError(
        MedusaError.Types.DUPLICATE_ERROR,
        `${ALREADY_CLAIMED}: LINE Gift order ${input.line_gift_order_id} is already imported or being imported`
      )
    }
    return new StepResponse(recordId, recordId)
  },
  async (recordId, { container }) => {
    if (!recordId) {
      return
    }
    const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
    await service.updateLineGiftOrders({
      id: recordId,
      state: "failed",
      failure_reason: "import rolled back",
    })
  }
)
