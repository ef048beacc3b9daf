import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { LINE_GIFT_MODULE } from "../../../modules/line-gift"
import type LineGiftModuleService from "../../../modules/line-gift/service"
import { jsonColumn } from "../../../modules/line-gift/json-column"

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
    const before: Record<string, unknown> = await service.retrieveLineGiftOrder(
      input.id
    )
    const previous: UpdateLineGiftOrderRecordInput = { id: input.id }
    for (const key of Object.keys(input)) {
      ;(previous as Record<string, unknown>)[key] = before[key]
    }
    await service.updateLineGiftOrders(moduleUpdate(input))
    return new StepResponse(input.id, previous)
  },
  async (previous, { container }) => {
    if (previous) {
      await (
        container.resolve(LINE_GIFT_MODULE) as LineGiftModuleService
      ).updateLineGiftOrders(moduleUpdate(previous))
    }
  }
)

/** The same fields as the module's update takes them (json columns through jsonColumn). */
function moduleUpdate(input: UpdateLineGiftOrderRecordInput) {
  const { raw, flags, ...rest } = input
  return {
    ...rest,
    ...("raw" in input ? { raw: jsonColumn(raw) } : {}),
    ...("flags" in input ? { flags: jsonColumn(flags) } : {}),
  }
}
