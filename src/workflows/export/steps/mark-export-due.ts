import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { LINE_GIFT_MODULE } from "../../../modules/line-gift"
import type LineGiftModuleService from "../../../modules/line-gift/service"
import type { ExportDueMark } from "../../../modules/line-gift/services/export-marks"
import type { LineGiftExportRow } from "../types"

/** Input: the LINE Gift order whose shipment an event changed, and why it is marked now. */
export type MarkExportDueInput = {
  shop_id: string
  line_gift_order_id: string
  order_id: string
  /** The fulfilment the event named (the mark's `due_fulfillment_id`; a created row's fulfilment). */
  fulfillment_id: string | null
  /** Why the export did not run at once (null: marked before it runs; recorded only on a row the mark creates). */
  reason: string | null
}

/**
 * What a mark changes on an existing row: only the mark — `due_at` = now, `mark_seq` + 1, and
 * the event's fulfilment as `due_fulfillment_id` (the one the sweep's export prefers, as the
 * event's own export would). What the row records for its own fulfilment (`fulfillment_id`,
 * number, carrier, state, retry delay, `last_error`) stays as it is: the export plans from the
 * order's fulfilments as they are when it runs (chooseFulfillment), so the mark only has to say
 * "due". (markExportDueSql writes these values in one statement.)
 */
export function dueMarkValues(
  row: Pick<LineGiftExportRow, "mark_seq" | "due_fulfillment_id">,
  fulfillmentId: string | null,
  now: Date
): Pick<LineGiftExportRow, "due_at" | "mark_seq" | "due_fulfillment_id"> {
  return {
    due_at: now,
    mark_seq: (row.mark_seq ?? 0) + 1,
    due_fulfillment_id: fulfillmentId ?? row.due_fulfillment_id ?? null,
  }
}

/**
 * The fulfilment an export of a row prefers when the sweep runs it: the one the latest
 * marking event named while the mark is outstanding (as that event's own export would),
 * else the row's own.
 */
export function sweepFulfillmentId(
  row: Pick<
    LineGiftExportRow,
    "fulfillment_id" | "due_at" | "due_fulfillment_id"
  >
): string | null {
  return (row.due_at && row.due_fulfillment_id) || row.fulfillment_id
}

/**
 * Marks the shipment export of one LINE Gift order due for the export sweep, WITHOUT the shop's
 * export lock (so that a fulfilment event is never lost: the lock may stay busy, the export may
 * fail or the process may stop), in one statement (service.markExportDue): a bare `pending` row
 * due now when the order has none, else dueMarkValues. The export workflow, run under the lock,
 * clears the mark only if it read it (clearLineGiftExportDueStep: compare-and-set on
 * `mark_seq`), so an export that was already running when the mark landed leaves it for the
 * sweep.
 * No compensation: this is its workflow's only step (nothing after it can fail), and a due
 * mark is never taken back — at worst the sweep plans again an export that needed nothing.
 */
export const markLineGiftExportDueStep = createStep(
  "mark-line-gift-export-due",
  async (input: MarkExportDueInput, { container }) => {
    const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
    const mark = await service.markExportDue(
      {
        shop_id: input.shop_id,
        line_gift_order_id: input.line_gift_order_id,
        order_id: input.order_id,
        fulfillment_id: input.fulfillment_id,
        last_error: input.reason,
      },
      new Date()
    )
    return new StepResponse<ExportDueMark>(mark)
  }
)
