import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { LINE_GIFT_MODULE } from "../../../modules/line-gift"
import type LineGiftModuleService from "../../../modules/line-gift/service"

/** Input: the LINE Gift order record and when the push succeeded (ISO instant). */
export type NoteStatusAfterPushInput = {
  record_id: string | null
  sent_at: string | null
}

/**
 * After a successful shipment push, LINE Gift has moved the order to `received` (assumed
 * endpoint behaviour, shared/line-gift-api.md "Shipment update"): the record's
 * `line_gift_status` becomes `received`, `status_read_at` the push time, so the order widget
 * shows it before the next fetch reads it back.
 * Compensation: restores the previous status and read time.
 */
export const noteLineGiftStatusAfterPushStep = createStep(
  "note-line-gift-status-after-push",
  async (input: NoteStatusAfterPushInput, { container }) => {
    if (!input.record_id) return new StepResponse(null, null)
    const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
    const [record] = await service.listLineGiftOrders(
      { id: input.record_id },
      { select: ["id", "line_gift_status", "status_read_at"] }
    )
    if (!record) return new StepResponse(null, null)
    await service.updateLineGiftOrders({
      id: record.id,
      line_gift_status: "received",
      status_read_at: input.sent_at ? new Date(input.sent_at) : new Date(),
    })
    return new StepResponse(record.id, {
      id: record.id,
      line_gift_status: record.line_gift_status ?? null,
      status_read_at: record.status_read_at ?? null,
    })
  },
  async (previous, { container }) => {
    if (!previous) return
    const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
    await service.updateLineGiftOrders(previous)
  }
)
