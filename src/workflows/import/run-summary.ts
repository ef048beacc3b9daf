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
  /**
   * Statuses among the run's (a shop's stored fetch_statuses) that are never imported —
   * `cvs`, `received`, `cancel` (IMPORTABLE_LINE_GIFT_STATUSES): code → count.
   */
  not_importable: Record<string, number>
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
    not_importable: {},
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
  "partial_address",
  "sku_loose_match",
  "unknown_sku",
  "text_repaired",
])

/** One order created by the run. */
export type ImportedOrderSummary = {
  line_gift_order_id: string
  order_id: string
  flags: string[]
}

/** One order the run could not import (reason names the field; no personal data). */
export type ImportError = { line_gift_order_id: string | null; reason: string }

/**
 * Why an order was skipped (not imported, not failed), as counted in a run's `skip_reasons`:
 * - `before_window` / `after_window`: in a fetched status but bought before `from` / after `to`;
 * - `status:<code>`: its LINE Gift status is not among the fetched ones (e.g. `status:received`);
 * - `already_imported`: imported earlier, outside this run's statuses or window;
 * - `not_importable:<code>`: its status is among the run's but is never imported (`cvs`,
 *   `received`, `cancel`; a shop's settings saved before they were refused).
 */
export type SkipReason =
  | "before_window"
  | "after_window"
  | "already_imported"
  | `status:${string}`
  | `not_importable:${string}`

/**
 * Why the classification skipped an order, with what the breakdowns need: counted once in
 * `skipped_count`, in `skipped_reasons` (SkippedReasons) and in `skip_reasons` (SkipReason).
 */
export type SkipCause =
  /** Imported by an earlier run; its status or purchase date is now outside this run's filter. */
  | { reason: "imported_earlier" }
  /** A known status code the run does not fetch. */
  | { reason: "status"; code: string }
  /** A status among the run's that is never imported (`cvs`, `received`, `cancel`). */
  | { reason: "not_importable"; code: string }
  /** A status code LINE Gift added later (in no filter). */
  | { reason: "unknown_status"; code: string }
  /** In a fetched status, bought outside the window (`after`: after `to`, else before `from`). */
  | { reason: "window"; after: boolean }

/** The run's counts, stored on the sync run record (pages_read, seen_count, …) and logged. */
export type RunCounts = {
  pages: number
  seen: number
  created: number
  already: number
  skipped: number
  failed: number
  /** Imported orders cancelled because LINE Gift cancelled them. */
  cancelled: number
  /** Provisional orders whose address arrived and was filled in. */
  completed: number
}

/** The progress columns of a sync run record, as RunSummary.progress() gives them. */
export type RunProgress = {
  pages_read: number
  seen_count: number
  created_count: number
  already_imported_count: number
  skipped_count: number
  failed_count: number
  errors: ImportError[]
  skipped_reasons: SkippedReasons
  skip_reasons: Record<string, number>
}

/**
 * What one import run counted and recorded so far, across its pages: counts, stored errors
 * (bounded by MAX_STORED_ERRORS), the `skipped_reasons` and `skip_reasons` breakdowns and the
 * orders it created. In memory only: the run record gets it through progress().
 */
export class RunSummary {
  /** Counts of orders (pages: pages read). */
  readonly counts: RunCounts = {
    pages: 0,
    seen: 0,
    created: 0,
    already: 0,
    skipped: 0,
    failed: 0,
    cancelled: 0,
    completed: 0,
  }
  /** Stored errors, at most MAX_STORED_ERRORS (further ones: `reasons.errors_omitted`). */
  readonly errors: ImportError[] = []
  /** The `skipped_reasons` column. */
  readonly reasons: SkippedReasons = emptySkippedReasons()
  /** The `skip_reasons` column: SkipReason → count; sums to counts.skipped. */
  readonly skipReasons: Record<string, number> = {}
  /** The orders created, in the order they were created. */
  readonly created: ImportedOrderSummary[] = []

  /** Stores an error without counting a failed order (e.g. a cancellation not acted on). */
  note(lineGiftOrderId: string | null, reason: string): void {
    if (this.errors.length < MAX_STORED_ERRORS) {
      this.errors.push({ line_gift_order_id: lineGiftOrderId, reason })
    } else {
      this.reasons.errors_omitted++
    }
  }

  /** Counts a failed order and stores its error. */
  fail(lineGiftOrderId: string | null, reason: string): void {
    this.counts.failed++
    this.note(lineGiftOrderId, reason)
  }

  /** Reading stopped before LINE Gift's last page (the client says why). */
  stopReading(reason: string): void {
    this.reasons.read_stopped = reason
    this.note(null, reason)
  }

  /** Counts an order skipped for `cause` in `skipped_count` and both breakdowns. */
  skip(cause: SkipCause): void {
    this.counts.skipped++
    switch (cause.reason) {
      case "imported_earlier":
        this.reasons.imported_earlier++
        this.countSkipReason("already_imported")
        break
      case "status":
        countCode(this.reasons.status, cause.code)
        this.countSkipReason(`status:${cause.code}`)
        break
      case "unknown_status":
        countCode(this.reasons.unknown_status, cause.code)
        this.countSkipReason(`status:${cause.code}`)
        break
      case "not_importable":
        countCode(this.reasons.not_importable, cause.code)
        this.countSkipReason(`not_importable:${cause.code}`)
        break
      case "window":
        this.reasons.window++
        this.countSkipReason(cause.after ? "after_window" : "before_window")
        break
    }
  }

  /**
   * Counts an order created by the run, with its flags (the SUMMARY_FLAGS ones listed in
   * `skipped_reasons.flagged`; `out_of_stock` and `sku_loose_match` with the SKU).
   */
  addCreated(
    lineGiftOrderId: string,
    sku: string | null,
    result: { order_id: string; flags: string[] }
  ): void {
    this.counts.created++
    this.created.push({
      line_gift_order_id: lineGiftOrderId,
      order_id: result.order_id,
      flags: result.flags,
    })
    for (const flag of result.flags) {
      if (!SUMMARY_FLAGS.has(flag)) continue
      countFlag(this.reasons, flag, {
        line_gift_order_id: lineGiftOrderId,
        ...(flag === "out_of_stock" || flag === "sku_loose_match"
          ? { sku }
          : {}),
      })
    }
  }

  /** The progress columns of the run record (saved after every page and at the end). */
  progress(): RunProgress {
    const c = this.counts
    return {
      pages_read: c.pages,
      seen_count: c.seen,
      created_count: c.created,
      already_imported_count: c.already,
      skipped_count: c.skipped,
      failed_count: c.failed,
      errors: this.errors,
      skipped_reasons: this.reasons,
      skip_reasons: this.skipReasons,
    }
  }

  /**
   * The run's final state: `failed` when it stopped on `runError`, `partial` when some error
   * was recorded, else `succeeded`.
   */
  finalState(runError: string | null): "failed" | "partial" | "succeeded" {
    if (runError) return "failed"
    return this.errors.length || this.reasons.errors_omitted
      ? "partial"
      : "succeeded"
  }

  /** One log line: the counts (no personal data). */
  describe(): string {
    const c = this.counts
    return (
      `seen ${c.seen}, created ${c.created}, ` +
      `already imported ${c.already}, skipped ${c.skipped}, failed ${c.failed}, ` +
      `cancelled ${c.cancelled}, addresses completed ${c.completed}, repeated ${this.reasons.repeated}` +
      (this.reasons.read_stopped ? `; ${this.reasons.read_stopped}` : "")
    )
  }

  private countSkipReason(reason: SkipReason): void {
    this.skipReasons[reason] = (this.skipReasons[reason] ?? 0) + 1
  }
}
