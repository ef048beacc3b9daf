import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { LINE_GIFT_MODULE } from "../../../modules/line-gift"
import type LineGiftModuleService from "../../../modules/line-gift/service"
import type { ExportReason } from "../../../lib/carrier"
import {
  asExportRows,
  type LineGiftExportRow,
  type PreparedExport,
} from "../types"
import {
  previousRowValues,
  toExportRowWrite,
  type ExportRowValues,
  type ExportRowWrite,
} from "./export-row-write"

/** A held export is looked at again after this long (ms), besides after a shop settings change. */
export const HELD_RECHECK_MS = 30 * 60_000
/** A shipment waiting for the recipient's address: LINE Gift's status is re-read this often (ms). */
export const AWAITING_ADDRESS_RECHECK_MS = 10 * 60_000

/** When a row held for `reasons` is looked at again. */
export function heldRecheckAt(reasons: ExportReason[], now: Date): Date {
  const awaiting = reasons.some((r) => r.code === "awaiting_address")
  return new Date(
    now.getTime() + (awaiting ? AWAITING_ADDRESS_RECHECK_MS : HELD_RECHECK_MS)
  )
}

/** Output: the row as recorded, and whether it is to be pushed now. */
export type UpsertExportRowOutput = {
  row: LineGiftExportRow
  due: boolean
} | null

/**
 * The row values for a prepared export (see the step's docstring). `last_error` and `reasons`
 * always say the current truth; `attempts` is never reset (it counts pushes). `fulfillment_id`,
 * `tracking_number` and `carrier` always belong together: the planned fulfilment's values
 * (`sent_*` say what LINE Gift has).
 */
export function rowValuesFor(p: PreparedExport, now: Date): ExportRowValues {
  const { plan, row } = p
  const values: ExportRowValues = {
    order_id: p.order_id,
    fulfillment_id: p.fulfillment?.id ?? row?.fulfillment_id ?? null,
  }
  if (plan.action === "hold") {
    return {
      ...values,
      state: "held",
      tracking_number: plan.tracking_number,
      carrier: plan.carrier,
      last_error: `Held: ${plan.reasons.join("; ")}`,
      reasons: plan.details,
      // A held correction: LINE Gift may still show a cancelled fulfilment's shipment.
      sent_fulfillment_cancelled: plan.stale,
      next_attempt_at: heldRecheckAt(plan.details, now),
    }
  }
  if (plan.action === "unchanged") {
    // LINE Gift already has what it should have (or nothing sendable replaced it). The row's
    // working values are the planned fulfilment's own (what LINE Gift has is in `sent_*`):
    // never another fulfilment's number or carrier under this fulfilment's id.
    const same = !plan.details.length
    return {
      ...values,
      state: "sent",
      tracking_number: plan.tracking_number,
      carrier: plan.carrier,
      last_error: plan.stale ? plan.reasons.join("; ") : null,
      reasons: plan.details.length ? plan.details : null,
      sent_fulfillment_cancelled: plan.stale,
      // The same values from another (live) fulfilment: that one is what LINE Gift shows now.
      ...(same && p.fulfillment && row?.sent_at
        ? { sent_fulfillment_id: p.fulfillment.id }
        : {}),
      next_attempt_at: null,
    }
  }
  const changed =
    !row ||
    row.tracking_number !== plan.tracking_number ||
    row.carrier !== plan.carrier
  if (
    row &&
    !changed &&
    !p.force &&
    (row.state === "failed" || row.state === "pending")
  ) {
    // Same values: a permanent refusal stays refused (never retried by itself), a backoff
    // stays as scheduled.
    return row.state === "failed"
      ? { ...values, next_attempt_at: null }
      : values
  }
  const fresh = changed || row?.state === "held" || row?.state === "sent"
  return {
    ...values,
    state: "pending",
    tracking_number: plan.tracking_number,
    carrier: plan.carrier,
    last_error: fresh ? null : (row?.last_error ?? null),
    reasons: fresh ? null : (row?.reasons ?? null),
    next_attempt_at: now,
  }
}

/** What the compensation undoes: a created row, or an update (the previous values). */
type UpsertUndo = {
  created?: string
  previous?: ExportRowWrite & { id: string }
} | null

/** The row of a prepared export that had none when it was read, if one was created since. */
async function createdMeanwhile(
  service: LineGiftModuleService,
  prepared: PreparedExport
): Promise<LineGiftExportRow | null> {
  const rows = await service.listLineGiftExports({
    shop_id: prepared.shop_id,
    line_gift_order_id: prepared.line_gift_order_id,
  })
  return asExportRows(rows)[0] ?? null
}

/**
 * Records the export in the outbox (one row per LINE Gift order): creates it, or updates it
 * with what the fulfilment says now — `held` with the reason when something is missing,
 * `pending` (due now) when new values are complete, `sent` kept when LINE Gift already has
 * them. A permanently `failed` row stays failed for the same values unless forced.
 * Nothing is recorded for an order without fulfilment and without a row. A fulfilment event's
 * due mark (`due_at`, `mark_seq`) is not among the values written: only the mark sets it and
 * only clearLineGiftExportDueStep clears it.
 * Compensation: deletes a created row unless an event marked it since (then it stays, due for
 * the sweep), or restores the previous values (the mark untouched).
 */
export const upsertLineGiftExportRowStep = createStep(
  "upsert-line-gift-export-row",
  async (prepared: PreparedExport, { container }) => {
    if (prepared.skip) {
      return new StepResponse<UpsertExportRowOutput, UpsertUndo>(null, null)
    }
    const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
    const values = toExportRowWrite(rowValuesFor(prepared, new Date()))
    let row: LineGiftExportRow
    let existing = prepared.row
    if (!existing) {
      try {
        ;[row] = asExportRows([
          await service.createLineGiftExports({
            shop_id: prepared.shop_id,
            line_gift_order_id: prepared.line_gift_order_id,
            attempts: 0,
            ...values,
          }),
        ])
        const due = row.state === "pending" && prepared.plan.action === "send"
        return new StepResponse<UpsertExportRowOutput, UpsertUndo>(
          { row, due },
          { created: row.id }
        )
      } catch (e) {
        // Created since it was read: only a fulfilment event's mark does that without the
        // lock (markLineGiftExportDueStep: a bare pending row, nothing sent), so these values
        // apply to it as they are.
        existing = await createdMeanwhile(service, prepared)
        if (!existing) throw e
      }
    }
    const previous = previousRowValues(existing)
    ;[row] = asExportRows([
      await service.updateLineGiftExports({ id: existing.id, ...values }),
    ])
    const undo: UpsertUndo = { previous }
    const due = row.state === "pending" && prepared.plan.action === "send"
    return new StepResponse<UpsertExportRowOutput, UpsertUndo>(
      { row, due },
      undo
    )
  },
  async (undo, { container }) => {
    if (!undo) return
    const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
    if (undo.created) {
      await service.deleteUnmarkedExport(undo.created)
    } else if (undo.previous) {
      await service.updateLineGiftExports(undo.previous)
    }
  }
)
