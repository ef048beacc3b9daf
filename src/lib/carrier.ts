/**
 * Pure shipment logic for pushing shipments back to LINE Gift: which carrier (配送業者) and
 * tracking number (伝票番号) a Medusa fulfilment stands for, the Japan-time ship date, and
 * whether an export is ready to send. No database, no HTTP: unit tests call it directly.
 *
 * LINE Gift facts used (shared/line-gift-api.md, "Shipment update (assumed)"): one shipment per
 * LINE Gift order (a tracking number and a carrier name); the carrier value's format is not
 * public, hence a per-shop map with the common Japanese carriers ready to pick; LINE Gift
 * records the day of the push (Japan time) as the ship date.
 *
 * Medusa facts (2.21): tracking numbers live in `fulfillment.labels[].tracking_number`; a
 * fulfilment has no carrier field, only `provider_id` (e.g. "manual_manual") and
 * `shipping_option_id`.
 */

/** The common Japanese carriers, as merchants pick them (LINE Gift carrier names). */
export const LINE_GIFT_CARRIERS = [
  "ヤマト運輸",
  "佐川急便",
  "日本郵便",
  "西濃運輸",
  "福山通運",
] as const

/** Fulfilment metadata key that overrides the carrier of one fulfilment. */
export const CARRIER_METADATA_KEY = "line_gift_carrier"

/** Where a resolved carrier came from (shown to the merchant with held exports). */
export type CarrierSource =
  "metadata" | "shipping_option" | "provider" | "default"

/** The carrier settings of a shop (`carrier_map` keys: shipping option id or provider id). */
export type CarrierSettings = {
  carrier_map?: Record<string, string> | null
  default_carrier?: string | null
}

/** The fulfilment fields carrier resolution and the export decision look at. */
export type FulfillmentFacts = {
  id: string
  shipping_option_id?: string | null
  provider_id?: string | null
  metadata?: Record<string, unknown> | null
  labels?: Array<{ tracking_number?: string | null } | null> | null
  /** Set when the fulfilment was marked shipped. */
  shipped_at?: Date | string | null
  /** Set when the fulfilment was cancelled. */
  canceled_at?: Date | string | null
}

import {
  checkTrackingNumber,
  type TrackingNumberCheck,
} from "./tracking-number"

const clean = (v: unknown): string | null =>
  typeof v === "string" && v.trim() ? v.trim() : null

/**
 * The LINE Gift carrier name of a fulfilment, first match wins:
 * 1. the fulfilment's metadata `line_gift_carrier` (a per-shipment override);
 * 2. `carrier_map[shipping_option_id]`;
 * 3. `carrier_map[provider_id]`;
 * 4. `default_carrier`.
 * Blank values are ignored. @returns `{ carrier: null, source: null }` when nothing names one.
 */
export function resolveCarrier(
  fulfillment: Pick<
    FulfillmentFacts,
    "shipping_option_id" | "provider_id" | "metadata"
  >,
  settings: CarrierSettings
): { carrier: string | null; source: CarrierSource | null } {
  const fromMetadata = clean(fulfillment.metadata?.[CARRIER_METADATA_KEY])
  if (fromMetadata) return { carrier: fromMetadata, source: "metadata" }
  const map = settings.carrier_map ?? {}
  const byOption = fulfillment.shipping_option_id
    ? clean(map[fulfillment.shipping_option_id])
    : null
  if (byOption) return { carrier: byOption, source: "shipping_option" }
  const byProvider = fulfillment.provider_id
    ? clean(map[fulfillment.provider_id])
    : null
  if (byProvider) return { carrier: byProvider, source: "provider" }
  const fallback = clean(settings.default_carrier)
  if (fallback) return { carrier: fallback, source: "default" }
  return { carrier: null, source: null }
}

/**
 * The tracking number (伝票番号) of a fulfilment: the first non-blank
 * `labels[].tracking_number`, trimmed (LINE Gift keeps one per order), or null.
 */
export function trackingNumberFromLabels(
  labels: FulfillmentFacts["labels"]
): string | null {
  for (const label of labels ?? []) {
    const n = clean(label?.tracking_number)
    if (n) return n
  }
  return null
}

const JAPAN_DATE = new Intl.DateTimeFormat("en-US", {
  timeZone: "Asia/Tokyo",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
})

/**
 * The calendar day of `at` in Japan (Asia/Tokyo), "YYYY-MM-DD" — e.g. 2026-11-29T15:00:00Z is
 * "2026-11-30". @throws RangeError for an invalid date.
 */
export function japanDate(at: Date = new Date()): string {
  const parts = JAPAN_DATE.formatToParts(at)
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? ""
  return `${get("year")}-${get("month")}-${get("day")}`
}

/** When a shop pushes: once a fulfilment carries a tracking number, or only once shipped. */
export type ExportScope = "fulfilled" | "shipped"

/**
 * LINE Gift statuses of a gift that cannot be shipped YET: paid or unpaid, the recipient has
 * not entered the address (shared/line-gift-api.md, "Statuses"). LINE Gift takes a shipment
 * only from `payment` (発送待ち).
 */
export const AWAITING_ADDRESS_STATUSES: ReadonlySet<string> = new Set([
  "cvs",
  "gift_message_wait",
  "gift_message_send",
])

/**
 * Why an export is held or flagged, as a machine code (the admin translates it) with the
 * English `message` the API and logs carry. `params` fill the translated text.
 */
export type ExportReasonCode =
  | "no_fulfillment"
  | "fulfillment_cancelled"
  | "not_shipped"
  | "no_tracking_number"
  | "no_carrier"
  | "invalid_tracking_number"
  | "awaiting_address"
  | "sent_fulfillment_cancelled"
  | "line_gift_cancelled"
  | "line_gift_refused"
  | "shop_deleted"

/**
 * Every ExportReasonCode (the admin has a ja and an en text for each, `shipments.reasons.*`).
 * Checked complete by the compiler: a code missing here is a type error.
 */
export const EXPORT_REASON_CODES: readonly ExportReasonCode[] = Object.keys({
  no_fulfillment: true,
  fulfillment_cancelled: true,
  not_shipped: true,
  no_tracking_number: true,
  no_carrier: true,
  invalid_tracking_number: true,
  awaiting_address: true,
  sent_fulfillment_cancelled: true,
  line_gift_cancelled: true,
  line_gift_refused: true,
  shop_deleted: true,
} satisfies Record<ExportReasonCode, true>) as ExportReasonCode[]

/** One reason (see ExportReasonCode). */
export type ExportReason = {
  code: ExportReasonCode
  message: string
  params?: Record<string, string>
}

/** The reason a shipment waits for the recipient's address (LINE Gift status `status`). */
export function awaitingAddressReason(status: string): ExportReason {
  return {
    code: "awaiting_address",
    message: `waiting for the recipient's address (LINE Gift status ${status}); sent by itself once the order is 発送待ち (payment)`,
    params: { status },
  }
}

/** Input of `planShipmentExport`. */
export type ExportPlanInput = {
  scope: ExportScope
  settings: CarrierSettings
  /** The fulfilment to report, or null when the order has none. */
  fulfillment: FulfillmentFacts | null
  /**
   * What LINE Gift last accepted for this order, if anything; `fulfillment_cancelled`: the
   * fulfilment those values came from was cancelled in Medusa since.
   */
  sent?: {
    tracking_number: string | null
    carrier: string | null
    fulfillment_cancelled?: boolean
  } | null
  /**
   * The carrier already recorded for this fulfilment (issue 16.1: a shipment's carrier is
   * fixed when recorded; a later carrier-mapping change applies to new shipments only). Used
   * when `fulfillment_id` is the planned fulfilment's and the carrier is set; a per-fulfilment
   * metadata override still wins. Callers give only a carrier resolved for that very
   * fulfilment (recordedCarrierFor, src/workflows/export/steps/prepare-export.ts), never one
   * carried over from another.
   */
  recorded?: { fulfillment_id: string | null; carrier: string | null } | null
  /** LINE Gift's current status of the order when known (e.g. `gift_message_send`). */
  line_gift_status?: string | null
  /** true: send even when LINE Gift already has these values (a harmless no-op there). */
  force?: boolean
}

/**
 * What to do with one LINE Gift order's shipment:
 * - `send`: the values are complete and new (`correction`: LINE Gift has other values);
 * - `unchanged`: LINE Gift already has exactly these values (or nothing sendable replaced
 *   what was sent: a cancelled fulfilment cannot be taken back on LINE Gift — then
 *   `stale` is true when the sent fulfilment was cancelled);
 * - `hold`: cannot be sent correctly yet; `reasons` say what is missing, merchant-readable,
 *   `details` the same with codes. Also a correction (a live fulfilment whose tracking number
 *   or carrier differs from what LINE Gift has) whose number cannot be its carrier's or that
 *   has no carrier: LINE Gift keeps what it has, the row is held with the reason (`stale` as
 *   for `unchanged`).
 * `tracking_number` is normalised (src/lib/tracking-number.ts); `tracking_number` / `carrier`
 * are null when missing.
 */
export type ExportPlan = {
  action: "send" | "unchanged" | "hold"
  tracking_number: string | null
  carrier: string | null
  carrier_source: CarrierSource | "recorded" | null
  correction: boolean
  reasons: string[]
  details: ExportReason[]
  /** LINE Gift shows a shipment whose fulfilment was cancelled, and nothing corrects it yet. */
  stale: boolean
}

/** The carrier of the planned fulfilment: the recorded one if fixed (see ExportPlanInput). */
function plannedCarrier(
  f: FulfillmentFacts,
  input: ExportPlanInput
): { carrier: string | null; source: ExportPlan["carrier_source"] } {
  const resolved = resolveCarrier(f, input.settings)
  const recorded = input.recorded
  if (
    resolved.source !== "metadata" &&
    recorded?.fulfillment_id === f.id &&
    clean(recorded.carrier)
  ) {
    return { carrier: clean(recorded.carrier), source: "recorded" }
  }
  return resolved
}

/** Stage: what stops the fulfilment `f` from being sent (empty when nothing does). */
function holdReasons(
  f: FulfillmentFacts | null,
  input: ExportPlanInput,
  tracking: string | null,
  carrier: string | null,
  trackingCheck: TrackingNumberCheck | null
): ExportReason[] {
  const reasons: ExportReason[] = []
  if (!f) {
    reasons.push({
      code: "no_fulfillment",
      message: "the order has no fulfilment yet",
    })
    return reasons
  }
  if (f.canceled_at) {
    reasons.push({
      code: "fulfillment_cancelled",
      message: "the fulfilment was cancelled",
    })
    return reasons
  }
  if (input.scope === "shipped" && !f.shipped_at) {
    reasons.push({
      code: "not_shipped",
      message:
        'not shipped yet (export scope "shipped only": mark the fulfilment as shipped)',
    })
  }
  if (!tracking) {
    reasons.push({
      code: "no_tracking_number",
      message:
        "no tracking number: add one to the fulfilment's label (伝票番号)",
    })
  } else if (trackingCheck && !trackingCheck.ok && carrier) {
    reasons.push({
      code: "invalid_tracking_number",
      message: `tracking number "${trackingCheck.value}" cannot be a ${carrier} number (expected ${trackingCheck.expected}): mark the fulfilment shipped again with the right number, or map the shipping option to the right carrier`,
      params: {
        tracking_number: trackingCheck.value,
        carrier,
        expected: trackingCheck.expected,
        format: trackingCheck.format,
      },
    })
  }
  if (!carrier) {
    const keys = [
      f.shipping_option_id ? `shipping option ${f.shipping_option_id}` : null,
      f.provider_id ? `fulfilment provider ${f.provider_id}` : null,
    ].filter(Boolean)
    const what = keys.length ? keys.join(" or ") : "the shipping option"
    reasons.push({
      code: "no_carrier",
      message: `no carrier: map ${what} to a LINE Gift carrier, or set a default carrier, in Settings → LINE Gift`,
      params: { what },
    })
  }
  if (
    input.line_gift_status &&
    AWAITING_ADDRESS_STATUSES.has(input.line_gift_status)
  ) {
    reasons.push(awaitingAddressReason(input.line_gift_status))
  }
  return reasons
}

/** Reasons that stop a correction until the merchant fixes the number or the carrier mapping. */
const CORRECTION_BLOCKERS: ReadonlySet<ExportReasonCode> = new Set([
  "invalid_tracking_number",
  "no_carrier",
])

/**
 * Whether fulfilment `f` asks for a correction of what LINE Gift has (`sent`): it is live,
 * carries a tracking number, and its number or carrier differs from the sent ones.
 */
function isCorrection(
  f: FulfillmentFacts | null,
  tracking: string | null,
  carrier: string | null,
  sent: NonNullable<ExportPlanInput["sent"]>
): boolean {
  if (!f || f.canceled_at || !tracking) return false
  return (
    tracking !== sent.tracking_number ||
    (carrier !== null && carrier !== sent.carrier)
  )
}

/**
 * Decides whether a shipment can be pushed (see ExportPlan). Never proposes sending without
 * both a tracking number and a carrier, with a tracking number that cannot be the carrier's
 * (CARRIER_FORMATS), while LINE Gift still waits for the recipient's address, or — with scope
 * `shipped` — before `shipped_at`. The tracking number is normalised for its carrier.
 */
export function planShipmentExport(input: ExportPlanInput): ExportPlan {
  const f = input.fulfillment
  const sent =
    input.sent && (input.sent.tracking_number || input.sent.carrier)
      ? input.sent
      : null
  const raw = f ? trackingNumberFromLabels(f.labels) : null
  const { carrier, source } = f
    ? plannedCarrier(f, input)
    : { carrier: null, source: null }
  const check = raw ? checkTrackingNumber(raw, carrier) : null
  const tracking = check?.value || null
  const base = {
    tracking_number: tracking,
    carrier,
    carrier_source: source,
    correction: false,
    stale: false,
  }

  const details = holdReasons(f, input, tracking, carrier, check)
  if (details.length) {
    if (sent) {
      const stale = !!sent.fulfillment_cancelled
      const flagged: ExportReason[] = stale
        ? [
            {
              code: "sent_fulfillment_cancelled",
              message: `LINE Gift still shows tracking number ${sent.tracking_number ?? "-"} (${sent.carrier ?? "-"}) but that fulfilment was cancelled in Medusa: fulfil the order again with the right tracking number; it is sent as a correction`,
              params: {
                tracking_number: sent.tracking_number ?? "-",
                carrier: sent.carrier ?? "-",
              },
            },
            ...details.filter((d) => d.code !== "fulfillment_cancelled"),
          ]
        : details
      // A correction the merchant asked for (a live fulfilment with other values) that
      // cannot go out as it is: held with the reason, never quietly "unchanged".
      const blocked =
        isCorrection(f, tracking, carrier, sent) &&
        details.some((d) => CORRECTION_BLOCKERS.has(d.code))
      // Else nothing sendable replaces what LINE Gift already has: keep it, do not un-send.
      return {
        ...base,
        action: blocked ? "hold" : "unchanged",
        stale,
        details: flagged,
        reasons: flagged.map((d) => d.message),
      }
    }
    return {
      ...base,
      action: "hold",
      details,
      reasons: details.map((d) => d.message),
    }
  }
  const same =
    !!sent && sent.tracking_number === tracking && sent.carrier === carrier
  if (same && !input.force) {
    // (also after the sent fulfilment was cancelled: a new one with the same values fixes it)
    return { ...base, action: "unchanged", reasons: [], details: [] }
  }
  return {
    ...base,
    action: "send",
    correction: !!sent && !same,
    reasons: [],
    details: [],
  }
}
