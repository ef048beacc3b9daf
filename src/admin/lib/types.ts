/**
 * Shapes of the /admin/line-gift/* API as the admin sees them (JSON: dates are ISO strings).
 * Kept apart from the server code on purpose: admin code is bundled for the browser and must
 * not import server modules (a pure module without imports, like src/lib/failure-reasons.ts,
 * is the exception: see lib/reasons.ts).
 */

/** LINE Gift order status codes, in the order LINE Gift's flow goes. */
export const LINE_GIFT_STATUSES = [
  "cvs",
  "gift_message_wait",
  "gift_message_send",
  "payment",
  "received",
  "cancel",
] as const
export type LineGiftStatus = (typeof LINE_GIFT_STATUSES)[number]

/**
 * The statuses a shop may fetch (the server's IMPORTABLE_LINE_GIFT_STATUSES): paid gifts not
 * yet shipped. `cvs` (not paid), `received` (already shipped) and `cancel` are never imported.
 */
export const IMPORTABLE_LINE_GIFT_STATUSES = [
  "gift_message_wait",
  "gift_message_send",
  "payment",
] as const
export type ImportableLineGiftStatus =
  (typeof IMPORTABLE_LINE_GIFT_STATUSES)[number]

/** Whether a status code may be fetched (IMPORTABLE_LINE_GIFT_STATUSES). */
export function isImportableStatus(
  status: string
): status is ImportableLineGiftStatus {
  return (IMPORTABLE_LINE_GIFT_STATUSES as readonly string[]).includes(status)
}

/** Interval choices of automatic fetch, minutes. */
export const FETCH_INTERVAL_CHOICES = [
  5, 10, 15, 20, 30, 60, 120, 180, 360, 720, 1440,
] as const
/** At most this many weekday schedules per shop. */
export const MAX_FETCH_SCHEDULES = 10

export type AutoFetchMode = "off" | "interval" | "schedule"
export type ExportScope = "fulfilled" | "shipped"

/** One weekday schedule: weekdays 0=Sunday … 6=Saturday, time "HH:MM" (Japan time). */
export type FetchSchedule = { weekdays: number[]; time: string }

/** A shop as the API returns it: secrets only as `*_set` booleans. */
export type LineGiftShop = {
  id: string
  name: string
  api_enabled: boolean
  client_id: string | null
  client_secret_set: boolean
  access_token_set: boolean
  access_token_expires_at: string | null
  refresh_token_set: boolean
  refresh_token_expires_at: string | null
  fetch_statuses: LineGiftStatus[]
  fetch_days: number
  region_id: string | null
  sales_channel_id: string | null
  shipping_option_id: string | null
  last_fetched_at: string | null
  auto_fetch_mode: AutoFetchMode
  fetch_interval_minutes: number
  fetch_window_start_hour: number | null
  fetch_window_end_hour: number | null
  fetch_schedules: FetchSchedule[] | null
  next_fetch_at: string | null
  provisional_import: boolean
  export_scope: ExportScope
  auto_export: boolean
  carrier_map: Record<string, string> | null
  default_carrier: string | null
  /** Honest connection state (server-computed; "needs_reauthorization" after invalid_grant). */
  connection_state?:
    "not_connected" | "connected" | "needs_reauthorization" | "expired"
  /** LINE Gift's reason when it rejected the refresh token. */
  connection_problem?: string | null
  tokens_refreshed_at?: string | null
  settings?: Record<string, unknown> | null
  /** The latest run of each kind (GET /admin/line-gift/shops only). */
  last_runs?: { import: LastRunSummary | null; export: LastRunSummary | null }
}

/** The latest run of a shop, as the shop list carries it. */
export type LastRunSummary = {
  id: string
  kind: "import" | "export"
  trigger: "manual" | "automatic"
  state: RunState
  started_at: string
  finished_at: string | null
  created_count: number
  failed_count: number
  skipped_count: number
  error: string | null
  error_code: string | null
  /** How the run ended for the merchant (older servers: absent, read `state`). */
  outcome?: RunOutcome
  /** Recorded errors that are attention notes, not failures. */
  attention_count?: number
}

/** Body of POST /admin/line-gift/shops(/:id); `client_secret` is write-only. */
export type LineGiftShopInput = Partial<
  Omit<
    LineGiftShop,
    | "id"
    | "client_secret_set"
    | "access_token_set"
    | "access_token_expires_at"
    | "refresh_token_set"
    | "refresh_token_expires_at"
    | "last_fetched_at"
    | "next_fetch_at"
  >
> & { client_secret?: string | null }

export type RunState = "running" | "succeeded" | "partial" | "failed"

/**
 * How a run ended for the merchant (the API's `outcome`, server: runOutcome in
 * src/lib/failure-reasons.ts): the stored state, or `needs_attention` for a run stored
 * `partial` in which nothing failed (an import whose only recorded errors are attention notes;
 * an export that only held shipments or left them to retry).
 */
export type RunOutcome = RunState | "needs_attention"

/** One import or export run (sync history). */
export type LineGiftRun = {
  id: string
  shop_id: string
  kind: "import" | "export"
  trigger: "manual" | "automatic"
  state: RunState
  window_from: string | null
  window_to: string | null
  started_at: string
  finished_at: string | null
  pages_read: number | null
  seen_count: number | null
  created_count: number | null
  already_imported_count: number | null
  skipped_count: number | null
  failed_count: number | null
  errors:
    | { line_gift_order_id: string | null; reason: string; code?: string }[]
    | null
  error: string | null
  /** Code of `error` (see lib/reasons). */
  error_code?: string | null
  /** How the run ended for the merchant (older servers: absent, read `state`). */
  outcome?: RunOutcome
  /** Recorded errors that are attention notes (e.g. shipped outside Medusa), not failures. */
  attention_count?: number
  /** Import: skipped orders per reason (`before_window`, `after_window`, `already_imported`, `status:<code>`). */
  skip_reasons?: Record<string, number> | null
  /** Counts of an export run (null for imports and for export runs recorded before them). */
  export_counts?: ExportRunCounts | null
}

/** What an export run did (`line_gift_sync_run.export_counts`). */
export type ExportRunCounts = {
  sent: number
  unchanged: number
  held: number
  failed: number
  pending: number
  source: "manual" | "sweep" | "event" | "push_again"
}

/** Why an export is held or flagged (the server's ExportReason; translated by `code`). */
export type ExportReason = {
  code: string
  message: string
  params?: Record<string, string>
}

/** A LINE Gift order record (no personal data). */
export type LineGiftOrderRecord = {
  id: string
  shop_id: string
  line_gift_order_id: string
  line_gift_status: string | null
  /** When `line_gift_status` was last read from LINE Gift (ISO). */
  status_read_at?: string | null
  state: "seen" | "importing" | "imported" | "failed"
  failure_reason: string | null
  /** Stable code of `failure_reason` (see lib/reasons). */
  failure_code?: string | null
  flags: string[] | null
  provisional?: boolean
  attention_reason?: string | null
  imported_at: string | null
  updated_at?: string
}

export type ExportState = "pending" | "sent" | "held" | "failed"

/** The shipment outbox row of one LINE Gift order. */
export type LineGiftExport = {
  id: string
  shop_id: string
  line_gift_order_id: string
  order_id: string
  state: ExportState
  tracking_number: string | null
  carrier: string | null
  last_error: string | null
  /** Stable code of `last_error` (see lib/reasons). */
  last_error_code?: string | null
  attempts: number
  sent_at: string | null
  ship_date: string | null
  next_attempt_at?: string | null
  sent_tracking_number?: string | null
  sent_carrier?: string | null
  reasons?: ExportReason[] | null
  /** LINE Gift shows a shipment whose fulfilment was cancelled since. */
  sent_fulfillment_cancelled?: boolean
  updated_at?: string
}

export type UnmatchedSku = {
  code: string
  item_name: string | null
  variation_name: string | null
  orders_count: number
  /** Set when a mapping exists for the code already. */
  mapping_id?: string | null
}

export type SkuMapping = { id: string; code: string; variant_id: string }

/** `metadata.line_gift` of a Medusa order made from a LINE Gift order. */
export type LineGiftOrderMetadata = {
  shop_id?: string
  order_id?: string
  status?: string
  buyer_name?: string | null
  sender_name?: string | null
  selling_price?: number | null
  fee?: number | null
  flags?: string[]
  /** ISO instants of LINE Gift's bought_on / payed_on. */
  bought_at?: string | null
  paid_at?: string | null
  payment_deadline?: string | null
  delivery_deadline?: string | null
  receive_deadline?: string | null
  deadlines?: Record<string, string | null>
}
