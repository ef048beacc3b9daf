import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { nextExportAttemptAt } from "../../../lib/backoff"
import { heldRecheckAt } from "./upsert-export-row"
import { LINE_GIFT_MODULE } from "../../../modules/line-gift"
import type LineGiftModuleService from "../../../modules/line-gift/service"
import type { LineGiftOrderRecord } from "../../../modules/line-gift/types"
import {
  asExportRows,
  type LineGiftExportRow,
  type PushOutcome,
} from "../types"
import {
  previousRowValues,
  toExportRowWrite,
  type ExportRowValues,
  type ExportRowWrite,
} from "./export-row-write"

/** Input: the recorded row, its LINE Gift order record, and what the push did. */
export type RecordOutcomeInput = {
  row: LineGiftExportRow | null
  record_id: string
  outcome: PushOutcome
}

/** The row values after a push with this outcome (not `skipped`); `attempts` counts pushes. */
export function outcomeValues(
  row: LineGiftExportRow,
  outcome: PushOutcome,
  now: Date
): ExportRowValues {
  const attempts = (row.attempts ?? 0) + 1
  if (outcome.status === "sent") {
    return {
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
  }
  if (outcome.status === "retry") {
    return {
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
  }
  if (outcome.status === "held") {
    // LINE Gift cannot take it yet (no address): re-checked by the sweep, sent by itself.
    const reasons = outcome.reason ? [outcome.reason] : []
    return {
      state: "held",
      attempts,
      next_attempt_at: heldRecheckAt(reasons, now),
      last_error: outcome.message,
      reasons,
    }
  }
  return {
    state: "failed",
    attempts,
    next_attempt_at: null,
    last_error: outcome.message,
    reasons: outcome.reason ? [outcome.reason] : null,
  }
}

/** A LINE Gift order record's attention note, as it was before the step wrote one. */
type AttentionNote = Pick<LineGiftOrderRecord, "id" | "attention_reason">

/**
 * A refusal because of LINE Gift's order state (409) puts a note on the LINE Gift order record
 * for a person to look at. @returns the note it replaced, or null when none was written
 */
async function noteRefusal(
  service: LineGiftModuleService,
  recordId: string,
  outcome: PushOutcome
): Promise<AttentionNote | null> {
  if (outcome.status !== "failed" || outcome.kind !== "conflict" || !recordId) {
    return null
  }
  const [record] = await service.listLineGiftOrders(
    { id: recordId },
    { select: ["id", "attention_reason"] }
  )
  if (!record) return null
  await service.updateLineGiftOrders({
    id: record.id,
    attention_reason: outcome.message,
  })
  return { id: record.id, attention_reason: record.attention_reason ?? null }
}

/** What the compensation restores. */
type RecordOutcomeUndo = {
  previous: ExportRowWrite & { id: string }
  attention: AttentionNote | null
} | null

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
      return new StepResponse<LineGiftExportRow | null, RecordOutcomeUndo>(
        row,
        null
      )
    }
    const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
    const previous = previousRowValues(row)
    const values = toExportRowWrite(outcomeValues(row, outcome, new Date()))
    const [updated] = asExportRows([
      await service.updateLineGiftExports({ id: row.id, ...values }),
    ])
    const attention = await noteRefusal(service, input.record_id, outcome)
    return new StepResponse<LineGiftExportRow | null, RecordOutcomeUndo>(
      updated,
      { previous, attention }
    )
  },
  async (undo, { container }) => {
    if (!undo) return
    const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
    await service.updateLineGiftExports(undo.previous)
    if (undo.attention) {
      await service.updateLineGiftOrders(undo.attention)
    }
  }
)
