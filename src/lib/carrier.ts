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
export type CarrierSource = "metadata" | "shipping_option" | "provider" | "default"

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
  fulfillment: Pick<FulfillmentFacts, "shipping_option_id" | "provider_id" | "metadata">,
  settings: CarrierSettings
): { carrier: string | null; source: CarrierSource | null } {
  const fromMetadata = clean(fulfillment.metadata?.[CARRIER_METADATA_KEY])
  if (fromMetadata) return { carrier: fromMetadata, source: "metadata" }
  const map = settings.carrier_map ?? {}
  const byOption = fulfillment.shipping_option_id ? clean(map[fulfillment.shipping_option_id]) : null
  if (byOption) return { carrier: byOption, source: "shipping_option" }
  const byProvider = fulfillment.provider_id ? clean(map[fulfillment.provider_id]) : null
  if (byProvider) return { carrier: byProvider, source: "provider" }
  const fallback = clean(settings.default_carrier)
  if (fallback) return { carrier: fallback, source: "default" }
  return { carrier: null, source: null }
}

/**
 * The tracking number (伝票番号) of a fulfilment: the first non-blank
 * `labels[].tracking_number`, trimmed (LINE Gift keeps one per order), or null.
 */
export function trackingNumberFromLabels(labels: FulfillmentFacts["labels"]): string | null {
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

/** Input of `planShipmentExport`. */
export type ExportPlanInput = {
  scope: ExportScope
  settings: CarrierSettings
  /** The fulfilment to report, or null when the order has none. */
  fulfillment: FulfillmentFacts | null
  /** What LINE Gift last accepted for this order, if anything. */
  sent?: { tracking_number: string | null; carrier: string | null } | null
  /** true: send even when LINE Gift already has these values (a harmless no-op there). */
  force?: boolean
}

/**
 * What to do with one LINE Gift order's shipment:
 * - `send`: the values are complete and new (`correction`: LINE Gift has other values);
 * - `unchanged`: LINE Gift already has exactly these values (or nothing sendable replaced
 *   what was sent: a cancelled fulfilment cannot be taken back on LINE Gift);
 * - `hold`: cannot be sent correctly yet; `reasons` say what is missing, merchant-readable.
 * `tracking_number` / `carrier` are what was found (null when missing).
 */
export type ExportPlan = {
  action: "send" | "unchanged" | "hold"
  tracking_number: string | null
  carrier: string | null
  carrier_source: CarrierSource | null
  correction: boolean
  reasons: string[]
}

/**
 * Decides whether a shipment can be pushed (see ExportPlan). Never proposes sending without
 * both a tracking number and a carrier; with scope `shipped`, never before `shipped_at`.
 */
export function planShipmentExport(input: ExportPlanInput): ExportPlan {
  const f = input.fulfillment
  const sent = input.sent && (input.sent.tracking_number || input.sent.carrier) ? input.sent : null
  const tracking = f ? trackingNumberFromLabels(f.labels) : null
  const { carrier, source } = f ? resolveCarrier(f, input.settings) : { carrier: null, source: null }
  const base = { tracking_number: tracking, carrier, carrier_source: source, correction: false }

  const reasons: string[] = []
  if (!f) {
    reasons.push("the order has no fulfilment yet")
  } else if (f.canceled_at) {
    reasons.push("the fulfilment was cancelled")
  } else {
    if (input.scope === "shipped" && !f.shipped_at) {
      reasons.push('not shipped yet (export scope "shipped only": mark the fulfilment as shipped)')
    }
    if (!tracking) {
      reasons.push("no tracking number: add one to the fulfilment's label (伝票番号)")
    }
    if (!carrier) {
      const keys = [
        f.shipping_option_id ? `shipping option ${f.shipping_option_id}` : null,
        f.provider_id ? `fulfilment provider ${f.provider_id}` : null,
      ].filter(Boolean)
      reasons.push(
        `no carrier: map ${keys.length ? keys.join(" or ") : "the shipping option"} to a LINE Gift carrier, or set a default carrier, in Settings → LINE Gift`
      )
    }
  }
  if (reasons.length) {
    // Nothing sendable replaces what LINE Gift already has: keep it, do not un-send.
    return sent ? { ...base, action: "unchanged", reasons } : { ...base, action: "hold", reasons }
  }
  const same = !!sent && sent.tracking_number === tracking && sent.carrier === carrier
  if (same && !input.force) {
    return { ...base, action: "unchanged", reasons: [] }
  }
  return { ...base, action: "send", correction: !!sent && !same, reasons: [] }
}
