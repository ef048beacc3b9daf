import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { LINE_GIFT_MODULE } from "../../../modules/line-gift"
import type LineGiftModuleService from "../../../modules/line-gift/service"
import type { ReadDueMark } from "../../../modules/line-gift/services/export-marks"
import type { LineGiftExportRow } from "../types"

/** Input: the row as the export read it before planning (null: it had none). */
export type ClearExportDueInput = {
  row: Pick<
    LineGiftExportRow,
    "id" | "due_at" | "mark_seq" | "due_fulfillment_id"
  > | null
}

/**
 * The export has planned (and pushed) the row: clears a fulfilment event's due mark, but only
 * the mark the export read before planning — compare-and-set on `mark_seq`
 * (service.clearExportDue). A mark that landed after that read (an event whose fulfilment the
 * plan may not have seen) stays, and the sweep plans the row again.
 * @returns true when a mark was cleared
 * Compensation: puts the cleared mark back (unless a later mark made the row due again).
 */
export const clearLineGiftExportDueStep = createStep(
  "clear-line-gift-export-due",
  async (input: ClearExportDueInput, { container }) => {
    const row = input.row
    if (!row?.due_at) {
      return new StepResponse<boolean, ReadDueMark | null>(false, null)
    }
    const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
    const mark: ReadDueMark = {
      id: row.id,
      mark_seq: row.mark_seq ?? 0,
      due_at: new Date(row.due_at),
      due_fulfillment_id: row.due_fulfillment_id ?? null,
    }
    const cleared = await service.clearExportDue(mark.id, mark.mark_seq)
    return new StepResponse<boolean, ReadDueMark | null>(
      cleared,
      cleared ? mark : null
    )
  },
  async (mark, { container }) => {
    if (!mark) return
    const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
    await service.restoreExportDue({ ...mark, due_at: new Date(mark.due_at) })
  }
)
