/**
 * What an import run tells the merchant about every LINE Gift order that did not become a new
 * Medusa order (or became one with a flag): stored on the run as `skipped_reasons`, next to
 * `errors` (failed orders with their reasons). Bounded whatever LINE Gift sends: at most
 * MAX_STATUS_CODES distinct codes, MAX_FLAGGED_IDS ids per flag, MAX_STORED_ERRORS errors.
 */

/** Most errors stored on one run; further ones are only counted (`errors_omitted`). */
export const MAX_STORED_ERRORS = 200
/** Most distinct status codes counted by name; more fall under "(other)". */
export const MAX_STATUS_CODES = 20
/** Most LINE Gift order ids listed per flag (the count stays exact). */
export const MAX_FLAGGED_IDS = 50

/** One order imported with a flag: its LINE Gift id and, for `out_of_stock`, the SKU. */
export type FlaggedOrder = { line_gift_order_id: string; sku?: string | null }

/** The `skipped_reasons` column of an import run. Counts are orders. */
export type SkippedReasons = {
  /** Known status codes not in the run's filter: code → count. */
  status: Record<string, number>
  /** Status codes LINE Gift added later (not in any filter): code → count. */
  unknown_status: Record<string, number>
  /** Bought outside the run's window. */
  window: number
  /** Imported by an earlier run (status now outside the filter or window). */
  imported_earlier: number
  /** Sent again on a later page of the same run (counted once in `seen`). */
  repeated: number
  /** Imported with a flag: flag → count and the first ids (out_of_stock with the SKU). */
  flagged: Record<string, { count: number; orders: FlaggedOrder[] }>
  /** Why reading stopped before LINE Gift's last page, or null. */
  read_stopped: string | null
  /** Errors beyond MAX_STORED_ERRORS (counted in failed_count, not stored). */
  errors_omitted: number
}

/** An empty breakdown. */
export function emptySkippedReasons(): SkippedReasons {
  return {
    status: {},
    unknown_status: {},
    window: 0,
    imported_earlier: 0,
    repeated: 0,
    flagged: {},
    read_stopped: null,
    errors_omitted: 0,
  }
}

/** Adds one to `code` in a bounded per-code count (codes cut to 40 characters). */
export function countCode(map: Record<string, number>, code: string): void {
  let key = code.slice(0, 40)
  if (!(key in map) && Object.keys(map).length >= MAX_STATUS_CODES)
    key = "(other)"
  map[key] = (map[key] ?? 0) + 1
}

/** Records one order imported with `flag`. */
export function countFlag(
  reasons: SkippedReasons,
  flag: string,
  order: FlaggedOrder
): void {
  const entry = (reasons.flagged[flag] ??= { count: 0, orders: [] })
  entry.count++
  if (entry.orders.length < MAX_FLAGGED_IDS) entry.orders.push(order)
}

/** Flags worth a line in the run summary (the others — price_split, provisional — are routine). */
export const SUMMARY_FLAGS: ReadonlySet<string> = new Set([
  "out_of_stock",
  "no_address",
  "sku_loose_match",
  "unknown_sku",
])
