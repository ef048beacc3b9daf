import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { LINE_GIFT_MODULE } from "../../../modules/line-gift"
import type LineGiftModuleService from "../../../modules/line-gift/service"

/** Input: the record and the fields to set (status seen, provisional, attention…). */
export type UpdateLineGiftOrderRecordInput = {
  id: string
  line_gift_status?: string | null
  raw?: unknown
  provisional?: boolean
  flags?: string[] | null
  attention_reason?: string | null
  last_run_id?: string | null
}

/**
 * Updates one LINE Gift order record (e.g. after its Medusa order was cancelled or completed).
 * Compensation: restores the fields it changed.
 */
export const updateLineGiftOrderRecordStep = createStep(
  "update-line-gift-order-record",
  async (input: UpdateLineGiftOrderRecordInput, { container }) => {
    const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
    const before = (await service.retrieveLineGiftOrder(input.id)) as any
    const previous: Record<string, unknown> = { id: input.id }
    for (const key of Object.keys(input)) {
      previous[key] = before[key]
    }
    await service.updateLineGiftOrders(input as any)
    return new StepResponse(input.id, previous)
  },
  async (previous, { container }) => {
    if (previous) {
      await (
        container.resolve(LINE_GIFT_MODULE) as LineGiftModuleService
      ).updateLineGiftOrders(previous as any)
    }
  }
)
