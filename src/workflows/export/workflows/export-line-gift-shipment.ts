import {
  createWorkflow,
  transform,
  when,
  WorkflowResponse,
} from "@medusajs/framework/workflows-sdk"
import { prepareLineGiftExportStep } from "../steps/prepare-export"
import { upsertLineGiftExportRowStep } from "../steps/upsert-export-row"
import { sendLineGiftDeliveryStep } from "../steps/send-delivery"
import { recordLineGiftExportOutcomeStep } from "../steps/record-outcome"
import { setOrderLineGiftShipmentStep } from "../steps/set-order-shipment-metadata"
import { noteLineGiftStatusAfterPushStep } from "../steps/note-status-after-push"
import { clearLineGiftExportDueStep } from "../steps/clear-export-due"
import type { ExportTarget, LineGiftExportRow, PushOutcome } from "../types"
import type { ExportPlan } from "../../../lib/carrier"

/** Input of exportLineGiftShipmentWorkflow. */
export type ExportLineGiftShipmentInput = ExportTarget & {
  /** The fulfilment an event named; default: the row's, else the order's best one. */
  fulfillment_id?: string | null
  /** Push when the row is due (else only record it, e.g. auto export off). */
  send: boolean
  /** Push even when LINE Gift already has these values, or after a permanent refusal. */
  force?: boolean
  /** LINE Gift's current status, when the caller just read it live (see prepare step). */
  line_gift_status?: string | null
}

/** Output: the row after the run (null when nothing was recorded), the plan and the push outcome. */
export type ExportLineGiftShipmentOutput = {
  export: LineGiftExportRow | null
  plan: ExportPlan
  outcome: PushOutcome
}

/** Id of exportLineGiftShipmentWorkflow. */
export const exportLineGiftShipmentWorkflowId = "export-line-gift-shipment"

/**
 * One LINE Gift order's shipment → the outbox → LINE Gift:
 * read the fulfilment now (labels may have been replaced at shipment) and plan (carrier
 * resolution, export scope, held reasons) → record the row → push when due and asked to →
 * record the outcome (sent / pending with backoff / failed) → on success, keep what LINE Gift
 * has in the order's `metadata.line_gift.shipment` → clear a fulfilment event's due mark the
 * export read before planning (compare-and-set: a mark that landed since stays).
 * Callers hold the shop's export lock (run-export.ts), so one export is never pushed twice at
 * the same time.
 */
export const exportLineGiftShipmentWorkflow = createWorkflow(
  exportLineGiftShipmentWorkflowId,
  (input: ExportLineGiftShipmentInput) => {
    const prepared = prepareLineGiftExportStep(
      transform({ input }, ({ input }) => ({
        shop_id: input.shop_id,
        line_gift_order_id: input.line_gift_order_id,
        record_id: input.record_id,
        order_id: input.order_id,
        fulfillment_id: input.fulfillment_id ?? null,
        force: !!input.force,
        // undefined: the prepare step reads the status last recorded on the LINE Gift order.
        ...(input.line_gift_status !== undefined
          ? { line_gift_status: input.line_gift_status }
          : {}),
      }))
    )

    const recorded = upsertLineGiftExportRowStep(prepared)

    const outcome = sendLineGiftDeliveryStep(
      transform(
        { input, prepared, recorded },
        ({ input, prepared, recorded }) => ({
          send: !!input.send && !!recorded?.due,
          shop_id: prepared.shop_id,
          shop_name: prepared.shop.name,
          api_enabled: prepared.shop.api_enabled,
          line_gift_order_id: prepared.line_gift_order_id,
          tracking_number: recorded?.row.tracking_number ?? null,
          carrier: recorded?.row.carrier ?? null,
        })
      )
    )

    const row = recordLineGiftExportOutcomeStep(
      transform(
        { prepared, recorded, outcome },
        ({ prepared, recorded, outcome }) => ({
          row: recorded?.row ?? null,
          record_id: prepared.record_id,
          outcome,
        })
      )
    )

    when({ outcome }, ({ outcome }) => outcome.status === "sent").then(() => {
      setOrderLineGiftShipmentStep(
        transform({ prepared, row, outcome }, ({ prepared, row, outcome }) => ({
          order_id: prepared.order_id,
          shipment: {
            tracking_number: row!.sent_tracking_number!,
            carrier: row!.sent_carrier!,
            ship_date: outcome.ship_date!,
            sent_at: outcome.sent_at!,
          },
        }))
      )
    })

    // LINE Gift status on the record after a successful push (issue 16 item 4).
    when(
      "line-gift-status-after-push",
      { outcome },
      ({ outcome }) => outcome.status === "sent"
    ).then(() => {
      noteLineGiftStatusAfterPushStep(
        transform({ prepared, outcome }, ({ prepared, outcome }) => ({
          record_id: prepared.record_id ?? null,
          sent_at: outcome.sent_at,
        }))
      )
    })

    // Last: an event's due mark is cleared only once the export is done, and only the mark
    // this export read before planning (a mark that landed since stays for the sweep).
    clearLineGiftExportDueStep(
      transform({ prepared }, ({ prepared }) => ({ row: prepared.row }))
    )

    return new WorkflowResponse(
      transform({ row, prepared, outcome }, ({ row, prepared, outcome }) => ({
        export: row ?? null,
        plan: prepared.plan,
        outcome,
      }))
    )
  }
)
