import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { LINE_GIFT_MODULE } from "../../../modules/line-gift"
import type LineGiftModuleService from "../../../modules/line-gift/service"
import { asExportRows, type LineGiftExportRow } from "../types"
import {
  previousRowValues,
  toExportRowWrite,
  type ExportRowValues,
  type ExportRowWrite,
} from "./export-row-write"

/** Input: the LINE Gift order whose shipment an event changed, and why it is marked now. */
export type MarkExportDueInput = {
  shop_id: string
  line_gift_order_id: string
  order_id: string
  /** The fulfilment the event named. */
  fulfillment_id: string | null
  /** Why the export did not run at once (null: marked before it runs). */
  reason: string | null
}

/**
 * The values that mark an existing row due for the export sweep at `now`, its state and what
 * LINE Gift has left as they are: `next_attempt_at` = now (on a `sent` or `failed` row, where
 * it is otherwise null, it means "an event changed the shipment since: plan it again"); the
 * event's fulfilment becomes the row's, and the row's number and carrier, which belonged to the
 * previous fulfilment, are cleared (a `failed` row keeps them: the same values stay refused);
 * a `pending` row's `last_error` says why it waits.
 */
export function dueMarkValues(
  row: Pick<LineGiftExportRow, "state" | "fulfillment_id">,
  fulfillmentId: string | null,
  reason: string | null,
  now: Date
): ExportRowValues {
  const values: ExportRowValues = { next_attempt_at: now }
  if (fulfillmentId && fulfillmentId !== row.fulfillment_id) {
    values.fulfillment_id = fulfillmentId
    if (row.state !== "failed") {
      values.tracking_number = null
      values.carrier = null
    }
  }
  if (reason && row.state === "pending") values.last_error = reason
  return values
}

/** What the compensation undoes: a created row, or the previous values of an updated one. */
type MarkUndo = {
  created?: string
  previous?: ExportRowWrite & { id: string }
}

/** The outbox row of one LINE Gift order, or undefined. */
async function findRow(
  service: LineGiftModuleService,
  input: MarkExportDueInput
): Promise<LineGiftExportRow | undefined> {
  const rows = await service.listLineGiftExports({
    shop_id: input.shop_id,
    line_gift_order_id: input.line_gift_order_id,
  })
  return asExportRows(rows)[0]
}

/**
 * Marks the shipment export of one LINE Gift order due for the export sweep, WITHOUT the shop's
 * export lock (so that a fulfilment event is never lost: the lock may stay busy, the export may
 * fail or the process may stop): creates a `pending` row due now when the order has none (keyed
 * like every row, shop + LINE Gift order; a row created meanwhile is updated instead), else
 * sets dueMarkValues. The export workflow, run under the lock, re-plans the row from the
 * fulfilments and clears the mark. Compensation: deletes a created row or restores the values.
 */
export const markLineGiftExportDueStep = createStep(
  "mark-line-gift-export-due",
  async (input: MarkExportDueInput, { container }) => {
    const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
    const now = new Date()
    let row = await findRow(service, input)
    if (!row) {
      try {
        const [created] = asExportRows([
          await service.createLineGiftExports({
            shop_id: input.shop_id,
            line_gift_order_id: input.line_gift_order_id,
            order_id: input.order_id,
            fulfillment_id: input.fulfillment_id,
            state: "pending",
            attempts: 0,
            next_attempt_at: now,
            last_error: input.reason,
          }),
        ])
        return new StepResponse<LineGiftExportRow, MarkUndo>(created, {
          created: created.id,
        })
      } catch (e) {
        // Created meanwhile (an export under the lock, another event): mark that one.
        row = await findRow(service, input)
        if (!row) throw e
      }
    }
    const previous = previousRowValues(row)
    const values = dueMarkValues(row, input.fulfillment_id, input.reason, now)
    const [updated] = asExportRows([
      await service.updateLineGiftExports({
        id: row.id,
        ...toExportRowWrite(values),
      }),
    ])
    return new StepResponse<LineGiftExportRow, MarkUndo>(updated, { previous })
  },
  async (undo, { container }) => {
    if (!undo) return
    const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
    if (undo.created) await service.deleteLineGiftExports(undo.created)
    else if (undo.previous) await service.updateLineGiftExports(undo.previous)
  }
)
