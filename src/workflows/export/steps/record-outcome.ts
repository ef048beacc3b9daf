import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { nextExportAttemptAt } from "../../../lib/backoff"
import { heldRecheckAt } from "./upsert-export-row"
import { LINE_GIFT_MODULE } from "../../../modules/line-gift"
import type LineGiftModuleService from "../../../modules/line-gift/service"
import {
  EXPORT_ROW_COLUMNS,
  type LineGiftExportRow,
  type PushOutcome,
} from "../types"

/** Input: the recorded row, its LINE Gift order record, and what the push did. */
export type RecordOutcomeInput = {
  row: LineGiftExportRow | null
  record_id: string
  outcome: PushOutcome
}

/**
 * Writes a push outcome on the export row (`attempts` + 1: it counts pushes): `sent` (with
 * what LINE Gift now has, from which fulfilment, and the Japan-time ship date), `pending` with
 * the next attempt by exponential backoff with jitter (at least LINE Gift's Retry-After),
 * `held` (LINE Gift waits for the recipient's address; re-checked later), or `failed` (and a note on the LINE Gift order record
 * for a person to look at). A skipped push changes nothing.
 * Compensation: restores the previous row values and attention note.
 */
export const recordLineGiftExportOutcomeStep = createStep(
  "record-line-gift-export-outcome",
  async (input: RecordOutcomeInput, { container }) => {
    const { row, outcome } = input
    if (!row || outcome.status === "skipped") {
      return new StepResponse(row, null as any)
    }
    const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
    const previous: Record<string, unknown> = { id: row.id }
    for (const c of EXPORT_ROW_COLUMNS) previous[c] = (row as any)[c]
    const attempts = (row.attempts ?? 0) + 1
    const now = new Date()
    let values: Record<string, unknown>
    if (outcome.status === "sent") {
      values = {
        state: "sent",
        attempts,
        next_attempt_at: null,
        last_error: null,
        reasons: null,
        sent_fulfillment_id: row.fulfillment_id,
        sent_fulfillment_cancelled: false,
        sent_tracking_number: row.tracking_number,
        sent_carrier: row.carrier,
        sent_at: new Date(outcome.sent_at!),
        ship_date: outcome.ship_date,
      }
    } else if (outcome.status === "retry") {
      values = {
        state: "pending",
        attempts,
        next_attempt_at: nextExportAttemptAt(
          now,
          attempts,
          outcome.retry_after_ms
        ),
        last_error: outcome.message,
        reasons: null,
      }
    } else if (outcome.status === "held") {
      // LINE Gift cannot take it yet (no address): re-checked by the sweep, sent by itself.
      const reasons = outcome.reason ? [outcome.reason] : []
      values = {
        state: "held",
        attempts,
        next_attempt_at: heldRecheckAt(reasons, now),
        last_error: outcome.message,
        reasons,
      }
    } else {
      values = {
        state: "failed",
        attempts,
        next_attempt_at: null,
        last_error: outcome.message,
        reasons: outcome.reason ? [outcome.reason] : null,
      }
    }
    const updated = (await service.updateLineGiftExports({
      id: row.id,
      ...values,
    } as any)) as unknown as LineGiftExportRow

    let attention: { id: string; attention_reason: string | null } | null = null
    if (
      outcome.status === "failed" &&
      outcome.kind === "conflict" &&
      input.record_id
    ) {
      const [record] = (await service.listLineGiftOrders(
        { id: input.record_id },
        { select: ["id", "attention_reason"] }
      )) as any[]
      if (record) {
        attention = {
          id: record.id,
          attention_reason: record.attention_reason ?? null,
        }
        await service.updateLineGiftOrders({
          id: record.id,
          attention_reason: outcome.message,
        } as any)
      }
    }
    return new StepResponse(updated, { previous, attention })
  },
  async (undo, { container }) => {
    if (!undo) return
    const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
    await service.updateLineGiftExports(undo.previous as any)
    if (undo.attention) {
      await service.updateLineGiftOrders(undo.attention as any)
    }
  }
)
