import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { LINE_GIFT_MODULE } from "../../../modules/line-gift"
import type LineGiftModuleService from "../../../modules/line-gift/service"
import { releaseClaimedRecords } from "../../recovery/import-leftovers"

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
 * real reason. It is not deleted, so the order is retried by the next run. When the import
 * left its order behind (a later compensation failed), the record stays `importing` for crash
 * recovery, which finishes the import on that order (releaseClaimedRecords).
 */
export const claimLineGiftOrderStep = createStep(
  "claim-line-gift-order",
  async (input: ClaimLineGiftOrderInput, { container }) => {
    const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
    const claimedAt = Date.now()
    const recordId = await service.claimOrder(input)
    if (!recordId) {
      throw new MedusaError(
        MedusaError.Types.DUPLICATE_ERROR,
        `${ALREADY_CLAIMED}: LINE Gift order ${input.line_gift_order_id} is already imported or being imported`
      )
    }
    return new StepResponse(recordId, {
      shop_id: input.shop_id,
      claimed_at: claimedAt,
      record: { id: recordId, line_gift_order_id: input.line_gift_order_id },
    })
  },
  async (undo, { container }) => {
    if (!undo?.record) {
      return
    }
    await releaseClaimedRecords(
      container,
      undo.shop_id,
      [undo.record],
      undo.claimed_at
    )
  }
)
