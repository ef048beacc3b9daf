/**
 * Shapes shared by the shipment-export steps, workflow and orchestration (run-export.ts).
 */
import type {
  ExportPlan,
  ExportReason,
  FulfillmentFacts,
} from "../../lib/carrier"

/** One row of the shipment outbox (`line_gift_export`), as the module returns it. */
export type LineGiftExportRow = {
  id: string
  shop_id: string
  line_gift_order_id: string
  order_id: string
  fulfillment_id: string | null
  tracking_number: string | null
  carrier: string | null
  state: "pending" | "sent" | "held" | "failed"
  attempts: number
  next_attempt_at: Date | null
  last_error: string | null
  sent_tracking_number: string | null
  sent_carrier: string | null
  sent_at: Date | null
  ship_date: string | null
  reasons: ExportReason[] | null
  sent_fulfillment_id: string | null
  sent_fulfillment_cancelled: boolean
  /** A fulfilment event's due mark: when the sweep plans the row again (null: none). */
  due_at?: Date | null
  /** Marks so far; an export clears the mark only if this is still what it read. */
  mark_seq?: number
  /** The fulfilment the latest marking event named (the sweep's export prefers it). */
  due_fulfillment_id?: string | null
  created_at?: Date
  updated_at?: Date
}

/** The LINE Gift order a Medusa order came from (found through the module link). */
export type ExportTarget = {
  shop_id: string
  /** LINE Gift's order id. */
  line_gift_order_id: string
  /** The `line_gift_order` record id (for attention notes). */
  record_id: string
  order_id: string
}

/** Columns of a row that the steps write (and restore on compensation). */
export const EXPORT_ROW_COLUMNS = [
  "order_id",
  "fulfillment_id",
  "tracking_number",
  "carrier",
  "state",
  "attempts",
  "next_attempt_at",
  "last_error",
  "sent_tracking_number",
  "sent_carrier",
  "sent_at",
  "ship_date",
  "reasons",
  "sent_fulfillment_id",
  "sent_fulfillment_cancelled",
] as const

/** Shop settings the export reads. */
export type ExportShopSettings = {
  id: string
  name: string
  api_enabled: boolean
  auto_export: boolean
  export_scope: "fulfilled" | "shipped"
  carrier_map: Record<string, string>
  default_carrier: string | null
}

/** What the prepare step found and decided (read-only). */
export type PreparedExport = ExportTarget & {
  row: LineGiftExportRow | null
  shop: ExportShopSettings
  fulfillment: FulfillmentFacts | null
  plan: ExportPlan
  /** true: nothing to record (the order has no fulfilment and no export row yet). */
  skip: boolean
  force: boolean
  /** LINE Gift's status of the order as known when planning (live or from the record). */
  line_gift_status: string | null
}

/**
 * Result of one push attempt:
 * - `sent`: LINE Gift accepted (or already had) the values;
 * - `retry`: a transient or shop-level problem (LINE Gift unreachable, 429/5xx, token to
 *   re-authorise, API off): try again later with backoff;
 * - `held`: LINE Gift cannot take it YET (the recipient has not entered the address): `reason`
 *   says so; the sweep re-checks LINE Gift's status and sends it once the order is 発送待ち;
 * - `failed`: LINE Gift refused this order's shipment for good (cancelled, 404, 400);
 * - `skipped`: nothing was sent (not due, held, unchanged, or sending not asked for).
 * `message` is merchant-readable and free of secrets.
 */
export type PushOutcome = {
  status: "sent" | "retry" | "held" | "failed" | "skipped"
  message: string | null
  /** Why it was held or failed, with a code (see ExportReason). */
  reason: ExportReason | null
  /** LineGiftApiError kind when the push failed. */
  kind: string | null
  retry_after_ms: number | null
  /** ISO instant and Japan-time day of a successful push. */
  sent_at: string | null
  ship_date: string | null
}

/**
 * The module's export records, in the outbox row shape: the same rows, with `reasons` (a JSON
 * column, `Record<string, unknown>` to the module) read as the ExportReason[] the steps store.
 */
export function asExportRows(rows: unknown[]): LineGiftExportRow[] {
  return rows as LineGiftExportRow[]
}
