/**
 * Stable codes of the reasons an order could not be imported or a shipment not sent.
 *
 * Reasons are recorded as technical English text (they name the field and value, e.g.
 * "malformed order: stock_count: must be at least 1"); the API adds the code of each reason
 * (`failure_code`, `errors[].code`) so the admin can show a translated, merchant-readable text
 * with the technical detail beside it. Codes never change meaning; new kinds get new codes.
 * `unknown` means "no better code": the admin shows the technical text alone.
 */

/** Every reason code, most specific first in `classifyFailureReason`. */
export const FAILURE_REASON_CODES = [
  "malformed_order",
  "bought_on_missing",
  "out_of_stock",
  "unknown_sku",
  "variant_unavailable",
  "no_region",
  "not_connected",
  "reauthorize",
  "line_gift_unreachable",
  "line_gift_rate_limited",
  "line_gift_error",
  "line_gift_conflict",
  "not_found_on_line_gift",
  "status_not_importable",
  "cancelled_after_fulfilment",
  "shipped_outside_medusa",
  "partial_address_arrived",
  "import_rolled_back",
  "concurrent_run",
  "unknown",
] as const
/** One of FAILURE_REASON_CODES. */
export type FailureReasonCode = (typeof FAILURE_REASON_CODES)[number]

const RULES: Array<[FailureReasonCode, RegExp]> = [
  [
    "status_not_importable",
    /^status_not_importable|is not a known status|status is now/i,
  ],
  ["bought_on_missing", /^bought_on: is required/i],
  [
    "malformed_order",
    /^malformed order:|^order: is not an object|^(item|selling_price|stock_count|variation|address|id|status|bought_on)[\w.]*: /i,
  ],
  [
    "out_of_stock",
    /required inventory|out of stock|insufficient stock|no stock/i,
  ],
  ["unknown_sku", /unknown sku|no variant (with|for) sku|sku .* not found/i],
  [
    "variant_unavailable",
    /not published|unpublished|variant .* (does not exist|not found)/i,
  ],
  ["no_region", /choose the medusa region|no region/i],
  ["reauthorize", /re-?authori[sz]e|invalid_grant|refresh token/i],
  [
    "not_connected",
    /not connected|no access token|credentials|client (id|secret)/i,
  ],
  ["line_gift_rate_limited", /\b429\b|rate.?limit/i],
  [
    "line_gift_unreachable",
    /ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|timed? ?out|timeout|network|socket hang up|could not be reached/i,
  ],
  ["line_gift_conflict", /\b409\b|conflict/i],
  ["not_found_on_line_gift", /\b404\b|not found on line gift/i],
  [
    "line_gift_error",
    /LINE Gift \w+ failed|HTTP 5\d\d|server error|bad response/i,
  ],
  ["cancelled_after_fulfilment", /cancelled on LINE Gift after fulfilment/i],
  [
    "shipped_outside_medusa",
    /shipped on LINE Gift \(received\) while the Medusa order has no fulfilment/i,
  ],
  ["partial_address_arrived", /^part of the recipient's address arrived/i],
  ["import_rolled_back", /import rolled back/i],
  ["concurrent_run", /already running|another (import|export)/i],
]

/**
 * The stable code of a recorded reason text.
 * @param reason the text stored in `failure_reason`, `attention_reason` or a run's `errors`.
 * @returns a FailureReasonCode; `unknown` for null/empty or unrecognised text.
 */
export function classifyFailureReason(
  reason: string | null | undefined
): FailureReasonCode {
  const text = (reason ?? "").trim()
  if (!text) return "unknown"
  for (const [code, pattern] of RULES) {
    if (pattern.test(text)) return code
  }
  return "unknown"
}

/**
 * Codes of the notes a run records about an order it handled without failing it (run-summary
 * `note()`): the order is in Medusa, but the merchant must look at it (ship nothing again,
 * cancel or return by hand, check a part-filled address). Not failures.
 */
export const ATTENTION_REASON_CODES: ReadonlySet<FailureReasonCode> = new Set([
  "cancelled_after_fulfilment",
  "shipped_outside_medusa",
  "partial_address_arrived",
])

/**
 * How a run ended, as the merchant reads it: the stored state, except that a run stored
 * `partial` in which nothing failed is `needs_attention`:
 * - an import whose every recorded error is an attention note (ATTENTION_REASON_CODES) —
 *   nothing failed, nothing left unlisted, reading not stopped;
 * - an export with `failed_count` 0 (stored `partial` because shipments were held or left to
 *   retry, e.g. a gift whose recipient has not entered the address yet: never "failed").
 */
export type RunOutcome =
  "running" | "succeeded" | "needs_attention" | "partial" | "failed"

/** The fields of a run (API record) that runOutcome reads. */
export type RunOutcomeInput = {
  kind?: string | null
  state: string
  failed_count?: number | null
  errors?: unknown
  skipped_reasons?: unknown
}

/**
 * The run's outcome for the merchant and how many of its recorded errors are attention notes.
 * The stored `state` is left as it is (`partial`: alerts, filters and exports read it).
 * @returns `{ outcome, attention_count }`.
 */
export function runOutcome(run: RunOutcomeInput): {
  outcome: RunOutcome
  attention_count: number
} {
  const errors = Array.isArray(run.errors)
    ? (run.errors as Array<{ reason?: string | null } | null>)
    : []
  const attention = errors.filter((e) =>
    ATTENTION_REASON_CODES.has(classifyFailureReason(e?.reason))
  ).length
  const reasons = (run.skipped_reasons ?? {}) as {
    errors_omitted?: number | null
    read_stopped?: string | null
  }
  const attentionOnly =
    run.kind !== "export" &&
    run.state === "partial" &&
    !run.failed_count &&
    attention > 0 &&
    attention === errors.length &&
    !reasons.errors_omitted &&
    !reasons.read_stopped
  const exportNothingFailed =
    run.kind === "export" && run.state === "partial" && !run.failed_count
  const known: readonly string[] = ["running", "succeeded", "partial", "failed"]
  const outcome: RunOutcome =
    attentionOnly || exportNothingFailed
      ? "needs_attention"
      : known.includes(run.state)
        ? (run.state as RunOutcome)
        : "partial"
  return { outcome, attention_count: attention }
}

/** A run's `errors` entries with their codes added (`code`), for API answers. */
export function withReasonCodes<T extends { reason?: string | null }>(
  errors: T[] | null | undefined
): Array<T & { code: FailureReasonCode }> | null {
  if (!Array.isArray(errors)) return null
  return errors.map((e) => ({ ...e, code: classifyFailureReason(e?.reason) }))
}

/**
 * A run as the API answers it: `errors[].code`, `error_code` (code of the run-level `error`,
 * null when none), `outcome` and `attention_count` (runOutcome) added.
 */
export function withRunReasonCodes<
  T extends {
    errors?: unknown
    error?: string | null
    state: string
    kind?: string | null
    failed_count?: number | null
    skipped_reasons?: unknown
  },
>(
  run: T
): T & {
  error_code: FailureReasonCode | null
  outcome: RunOutcome
  attention_count: number
} {
  return {
    ...run,
    ...runOutcome(run),
    errors: withReasonCodes(
      run.errors as Array<{ reason?: string | null }> | null
    ),
    error_code: run.error ? classifyFailureReason(run.error) : null,
  }
}
