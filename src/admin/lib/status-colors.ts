/**
 * One colour language for the plugin's status badges (the `color` of @medusajs/ui's
 * StatusBadge and Badge), by what the merchant has to do — not by the state's word. Every
 * badge of a run, an export, an order record or a connection takes its colour from here.
 *
 * | tone       | colour | meaning                                                              |
 * | ---------- | ------ | -------------------------------------------------------------------- |
 * | `done`     | green  | finished; nothing to do                                              |
 * | `underway` | blue   | running, or waiting for something that comes by itself (the next     |
 * |            |        | send, the recipient's address on LINE Gift); nothing to do           |
 * | `action`   | orange | the merchant must look or act (an attention note, a shipment held     |
 * |            |        | for a missing tracking number, a token to renew soon)                |
 * | `failed`   | red    | something failed — some orders or all; retry or fix                  |
 * | `idle`     | grey   | nothing happening, not applicable                                    |
 *
 * Pure (no React): the unit specs read the mapping as it is.
 */
import type { ExportReason, ExportState, RunOutcome } from "./types"

/** What a status asks of the merchant (see the table above). */
export type StatusTone = "done" | "underway" | "action" | "failed" | "idle"

/** The badge colours the tones use (a subset of StatusBadge's and Badge's `color`). */
export type BadgeColor = "green" | "blue" | "orange" | "red" | "grey"

/** The colour of each tone: the one mapping of the plugin's badges. */
export const TONE_COLORS: Readonly<Record<StatusTone, BadgeColor>> = {
  done: "green",
  underway: "blue",
  action: "orange",
  failed: "red",
  idle: "grey",
}

/**
 * A run as the merchant reads it (shownRunState): `needs_attention` — nothing failed, some
 * orders or held shipments to look at — is an action; `partial` has failed orders (or stopped reading), like
 * `failed`.
 */
export const RUN_TONES: Readonly<Record<RunOutcome, StatusTone>> = {
  running: "underway",
  succeeded: "done",
  needs_attention: "action",
  partial: "failed",
  failed: "failed",
}

/** An order record of the import: `seen` is a tracked order that is not imported (yet). */
export const RECORD_TONES: Readonly<Record<string, StatusTone>> = {
  seen: "idle",
  importing: "underway",
  imported: "done",
  failed: "failed",
}

/**
 * Hold reasons that end by themselves: the shipment is sent once LINE Gift has the
 * recipient's address (the sweep re-reads the status). Every other hold needs the merchant
 * (fulfil, mark shipped, add or correct a tracking number, map a carrier).
 */
export const WAITING_HOLD_REASONS: ReadonlySet<string> = new Set([
  "awaiting_address",
])

/**
 * A shipment export: `pending` waits for the next send; `held` is an action unless every
 * reason ends by itself (WAITING_HOLD_REASONS); a sent shipment whose fulfilment was cancelled
 * since (LINE Gift still shows it) is an action too.
 * @param ex the export's state, its hold reasons and the flag, as the API returns them
 */
export function exportTone(ex: {
  state: ExportState
  reasons?: Pick<ExportReason, "code">[] | null
  sent_fulfillment_cancelled?: boolean
}): StatusTone {
  if (ex.sent_fulfillment_cancelled) return "action"
  switch (ex.state) {
    case "sent":
      return "done"
    case "pending":
      return "underway"
    case "failed":
      return "failed"
    case "held": {
      const reasons = ex.reasons ?? []
      return reasons.length > 0 &&
        reasons.every((r) => WAITING_HOLD_REASONS.has(r.code))
        ? "underway"
        : "action"
    }
    default:
      return "idle"
  }
}

/**
 * LINE Gift's own status of an order (the order widget's header): shipped (`received`) is
 * done, `cancel` ended it without a shipment, any other is on its way through LINE Gift.
 */
export function lineGiftStatusTone(
  status: string | null | undefined
): StatusTone {
  if (status === "received") return "done"
  if (status === "cancel") return "failed"
  return "underway"
}

/** The badge colour of a tone (unknown → grey). */
export function toneColor(tone: StatusTone | undefined): BadgeColor {
  return (tone && TONE_COLORS[tone]) ?? TONE_COLORS.idle
}
