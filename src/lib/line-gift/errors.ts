/**
 * The one error type the LINE Gift client throws. Raw axios errors never escape the client
 * (their `config` holds the URL with `access_token=` and the form body with secrets): every
 * failure is turned into a `LineGiftApiError` carrying only safe, merchant-readable facts.
 */

/**
 * What went wrong, for callers to decide what to do:
 * - `auth`: access token rejected (HTTP/body 401) and a refresh did not help, no token store,
 *   client credentials rejected, or the shop is not connected;
 * - `invalid_grant`: the refresh token (or authorization code) is dead; LINE Gift refresh
 *   tokens are single-use and live 90 days (observed): a person must re-authorise in the admin;
 * - `rate_limited`: HTTP/body 429 (retries exhausted, or Retry-After longer than allowed);
 * - `server`: HTTP/body 5xx after the retries;
 * - `timeout`: no answer within the timeout after the retries;
 * - `network`: connection refused/reset, DNS failure, … after the retries;
 * - `not_found`: HTTP/body 404 (e.g. unknown order or item);
 * - `conflict`: HTTP/body 409 (e.g. a shipment update for an order not in `payment`);
 * - `bad_request`: other 4xx (400, 403, 422, …);
 * - `bad_response`: the answer is not JSON or does not have the expected shape.
 */
export type LineGiftErrorKind =
  | "auth"
  | "invalid_grant"
  | "rate_limited"
  | "server"
  | "timeout"
  | "network"
  | "not_found"
  | "conflict"
  | "bad_request"
  | "bad_response"

/** Kinds worth retrying later (a scheduled job may try again): the transient ones. */
export const RETRYABLE_LINE_GIFT_ERROR_KINDS: ReadonlySet<LineGiftErrorKind> =
  new Set<LineGiftErrorKind>(["rate_limited", "server", "timeout", "network"])

/** Constructor arguments of `LineGiftApiError`. `message` must already be free of secrets. */
export type LineGiftApiErrorInit = {
  kind: LineGiftErrorKind
  /** Endpoint name, e.g. "order_search", "delivery", "refresh" (never a URL). */
  endpoint: string
  message: string
  httpStatus?: number
  code?: number
  reason?: string
  retryAfterMs?: number
  /** Number of HTTP attempts made (1 = no retry). */
  attempts?: number
}

/**
 * A failed LINE Gift call.
 *
 * `message` is merchant-readable, e.g.
 * `LINE Gift order_search failed: HTTP 503 (server error) after 4 attempts`, and never
 * contains access/refresh tokens, the client secret, authorization codes, request bodies or
 * order data. No `cause` is attached (an axios error would carry the tokenised URL).
 */
export class LineGiftApiError extends Error {
  /** What went wrong; see `LineGiftErrorKind`. */
  readonly kind: LineGiftErrorKind
  /** HTTP status when there was a response (200 for a body-level error in an HTTP 200). */
  readonly httpStatus?: number
  /** Body-level `code` when the answer had one (`{"code": 409, "reason": "…"}`). */
  readonly code?: number
  /** Body-level `reason` (or OAuth `error`) when present; redacted and shortened. */
  readonly reason?: string
  /** true for rate_limited, server, timeout, network: trying again later may succeed. */
  readonly retryable: boolean
  /** Milliseconds the server asked us to wait (from `Retry-After`) when present. */
  readonly retryAfterMs?: number
  /** Endpoint name, e.g. "order_search", "delivery", "refresh" — never a URL with a token. */
  readonly endpoint: string
  /** Number of HTTP attempts made for this call (1 = no retry), when known. */
  readonly attempts?: number

  constructor(init: LineGiftApiErrorInit) {
    super(init.message)
    this.name = "LineGiftApiError"
    this.kind = init.kind
    this.endpoint = init.endpoint
    this.retryable = RETRYABLE_LINE_GIFT_ERROR_KINDS.has(init.kind)
    if (init.httpStatus !== undefined) this.httpStatus = init.httpStatus
    if (init.code !== undefined) this.code = init.code
    if (init.reason !== undefined) this.reason = init.reason
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs
    if (init.attempts !== undefined) this.attempts = init.attempts
    Object.setPrototypeOf(this, new.target.prototype)
  }

  /** Safe, serialisable view (for logs and stored sync errors). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      kind: this.kind,
      endpoint: this.endpoint,
      message: this.message,
      httpStatus: this.httpStatus,
      code: this.code,
      reason: this.reason,
      retryable: this.retryable,
      retryAfterMs: this.retryAfterMs,
      attempts: this.attempts,
    }
  }
}

/**
 * Type guard for `LineGiftApiError`. Also recognises an instance from another copy of this
 * module (e.g. the built plugin and its sources loaded side by side) by its name and kind.
 */
export function isLineGiftApiError(e: unknown): e is LineGiftApiError {
  if (e instanceof LineGiftApiError) return true
  return (
    typeof e === "object" &&
    e !== null &&
    (e as { name?: unknown }).name === "LineGiftApiError" &&
    typeof (e as { kind?: unknown }).kind === "string" &&
    typeof (e as { endpoint?: unknown }).endpoint === "string"
  )
}
