/**
 * What a LINE Gift answer or transport failure means: lossless JSON parsing of bodies,
 * body-level error codes, classification of axios failures into `LineGiftErrorKind`s, and
 * the secret-free `LineGiftApiError` messages built from them. Pure functions (no HTTP).
 */
import axios, { AxiosError, AxiosRequestConfig } from "axios"
import { retryAfter } from "axios-retry"
import { isSafeNumber, parse as losslessParse } from "lossless-json"
import {
  isLineGiftApiError,
  LineGiftApiError,
  LineGiftErrorKind,
} from "./errors"
import type { LineGiftEndpointName } from "./client-types"

/** Marker for a body that is not valid JSON (the text itself is dropped: it may hold personal data). */
export const UNPARSEABLE = Object.freeze({
  lineGiftUnparseableBody: true as const,
})

/**
 * Number parser of the lossless JSON parse: numbers a float64 holds exactly stay numbers;
 * any other (an id such as 12345678901234567890, an amount beyond 2^53, 1e400) stays its
 * exact text, digit for digit. Ids are text downstream anyway; amounts given as such text
 * are refused by the schemas with the value in the reason.
 */
function losslessNumber(text: string): number | string {
  return isSafeNumber(text) ? Number(text) : text
}

/**
 * Parses JSON bodies ourselves (a) losslessly — LINE Gift sends ids as bare JSON numbers,
 * and JSON.parse would round those beyond 2^53 (…890 and …891 both become …000) — with the
 * maintained `lossless-json` parser, and (b) so that malformed JSON is recognisable (axios
 * would return the text).
 * @returns the parsed value; `undefined` for an empty body; `UNPARSEABLE` for malformed JSON;
 *   a non-string input as is.
 */
export function parseLineGiftJson(data: unknown): unknown {
  if (typeof data !== "string") return data
  if (data.trim() === "") return undefined
  try {
    return losslessParse(data, null, losslessNumber)
  } catch {
    return UNPARSEABLE
  }
}

/** `{code, reason}` of a body-level error, or null (no code, or code 200; observed: `code` ≠ 200 is an error). */
export function bodyErrorOf(
  data: unknown
): { code: number; reason?: string } | null {
  if (!data || typeof data !== "object" || Array.isArray(data)) return null
  const raw = (data as Record<string, unknown>).code
  let code: number | undefined
  if (typeof raw === "number" && Number.isFinite(raw)) code = raw
  else if (typeof raw === "string" && /^\s*\d+\s*$/.test(raw))
    code = Number(raw.trim())
  if (code === undefined || code === 200) return null
  return { code, reason: reasonOf(data) }
}

/** A human reason from an error body: `reason`, else OAuth `error` (+ `error_description`). */
function reasonOf(data: unknown): string | undefined {
  if (!data || typeof data !== "object" || Array.isArray(data)) return undefined
  const d = data as Record<string, unknown>
  if (typeof d.reason === "string" && d.reason.trim()) return d.reason.trim()
  if (typeof d.error === "string" && d.error.trim()) {
    return typeof d.error_description === "string" && d.error_description.trim()
      ? `${d.error.trim()}: ${d.error_description.trim()}`
      : d.error.trim()
  }
  if (typeof d.message === "string" && d.message.trim()) return d.message.trim()
  return undefined
}

/** Kind for an HTTP status or a body-level code (same mapping, observed codes 401/404/429/5xx). */
function kindForStatus(status: number): LineGiftErrorKind {
  if (status === 401 || status === 403) return "auth"
  if (status === 404) return "not_found"
  if (status === 408) return "timeout"
  if (status === 409) return "conflict"
  if (status === 429) return "rate_limited"
  if (status >= 500) return "server"
  if (status >= 400) return "bad_request"
  return "bad_response"
}

const KIND_LABEL: Record<LineGiftErrorKind, string> = {
  auth: "unauthorised",
  invalid_grant: "invalid grant",
  rate_limited: "rate limited",
  server: "server error",
  timeout: "timeout",
  network: "network error",
  not_found: "not found",
  conflict: "conflict",
  bad_request: "bad request",
  bad_response: "unexpected answer",
}

const TIMEOUT_CODES = new Set(["ECONNABORTED", "ETIMEDOUT"])

/** What a failed attempt means, without any secret. */
export type Failure = {
  kind: LineGiftErrorKind
  httpStatus?: number
  code?: number
  reason?: string
  /** Milliseconds the server asked to wait (`Retry-After`). */
  retryAfterMs?: number
  /** Node/axios error code for failures without a response (ECONNREFUSED, …). */
  netCode?: string
}

function retryAfterOf(err: AxiosError): number | undefined {
  const header = err.response?.headers?.["retry-after"]
  if (header === undefined || header === null || header === "") return undefined
  return retryAfter(err)
}

/** Classifies an axios failure (HTTP status, body-level code, or transport error). */
export function classifyAxiosError(err: AxiosError): Failure {
  const res = err.response
  if (res) {
    const body = bodyErrorOf(res.data)
    if (body) {
      return {
        kind: kindForStatus(body.code),
        httpStatus: res.status,
        code: body.code,
        reason: body.reason,
        retryAfterMs: retryAfterOf(err),
      }
    }
    if (res.status >= 200 && res.status < 300) {
      return { kind: "bad_response", httpStatus: res.status }
    }
    return {
      kind: kindForStatus(res.status),
      httpStatus: res.status,
      reason: reasonOf(res.data),
      retryAfterMs: retryAfterOf(err),
    }
  }
  const code = typeof err.code === "string" ? err.code : undefined
  if (code && TIMEOUT_CODES.has(code)) return { kind: "timeout", netCode: code }
  return { kind: "network", netCode: code ?? "unknown" }
}

/** HTTP attempts made for a request (1 + axios-retry's retries). */
export function attemptsOf(config: AxiosRequestConfig | undefined): number {
  return (config?.["axios-retry"]?.retryCount ?? 0) + 1
}

/** A few words for a retry log line (no reason text: it may echo request data). */
export function shortFailure(f: Failure): string {
  if (f.kind === "timeout" && f.httpStatus === undefined) return "timeout"
  if (f.kind === "network") return `network error ${f.netCode ?? "unknown"}`
  if (f.code !== undefined && f.code !== f.httpStatus)
    return `code ${f.code} in HTTP ${f.httpStatus}`
  return `HTTP ${f.httpStatus}`
}

/**
 * Removes secrets and token-looking query parameters from server-provided text; ≤ 200 chars.
 * @param secrets values to cut out (strings shorter than 4 characters are ignored).
 */
export function redactSecrets(text: string, secrets: string[]): string {
  let out = text
  for (const s of secrets) {
    if (s && s.length >= 4) out = out.split(s).join("[redacted]")
  }
  out = out.replace(
    /\b(access_token|refresh_token|client_secret|code)=([^&\s"']+)/gi,
    "$1=[redacted]"
  )
  out = out.replace(/\bBearer\s+[A-Za-z0-9._~+/=-]+/g, "Bearer [redacted]")
  return out.length > 200 ? `${out.slice(0, 197)}...` : out
}

/** What `toLineGiftApiError` needs beside the failure. */
export type ErrorContext = {
  endpoint: LineGiftEndpointName
  /** Every secret of the call (client secret included), for redaction. */
  secrets: string[]
  timeoutMs: number
  maxRetryAfterMs: number
}

/** The "what happened" part of a failure message. */
function describeFailure(f: Failure, timeoutMs: number): string {
  if (f.kind === "timeout" && f.httpStatus === undefined) {
    return `no answer within ${timeoutMs} ms`
  }
  if (f.kind === "network") return `network error (${f.netCode ?? "unknown"})`
  if (f.code !== undefined && f.code !== f.httpStatus) {
    return `code ${f.code} (${KIND_LABEL[f.kind]}) in an HTTP ${f.httpStatus} answer`
  }
  if (f.httpStatus !== undefined && f.httpStatus >= 300 && f.httpStatus < 400) {
    return `HTTP ${f.httpStatus} (unexpected redirect; check the base URL options)`
  }
  if (f.kind === "bad_response")
    return `HTTP ${f.httpStatus} (unexpected answer)`
  return `HTTP ${f.httpStatus} (${KIND_LABEL[f.kind]})`
}

/** The hint appended to a failure message (what the merchant can do), or "". */
function failureHint(
  f: Failure,
  isTokenCall: boolean,
  maxRetryAfterMs: number
): string {
  if (
    f.kind === "rate_limited" &&
    f.retryAfterMs !== undefined &&
    f.retryAfterMs > maxRetryAfterMs
  ) {
    return `; the server asked to wait ${Math.ceil(f.retryAfterMs / 1000)} s, longer than the ${Math.ceil(maxRetryAfterMs / 1000)} s allowed`
  }
  if (isTokenCall && f.kind === "auth") {
    return "; check the client ID and client secret in the LINE Gift settings"
  }
  return ""
}

/** A dead refresh token / authorization code (token endpoints only), else false. */
function isInvalidGrant(
  f: Failure,
  isTokenCall: boolean,
  reason: string | undefined
): boolean {
  return (
    isTokenCall &&
    (f.kind === "bad_request" || f.kind === "auth") &&
    (reason ?? "").toLowerCase().startsWith("invalid_grant")
  )
}

/**
 * Turns anything thrown by axios into a secret-free `LineGiftApiError` (a LineGiftApiError
 * passes through; a non-axios error becomes `network`; `invalid_grant` on the token calls).
 */
export function toLineGiftApiError(
  ctx: ErrorContext,
  err: unknown
): LineGiftApiError {
  if (isLineGiftApiError(err)) return err
  const endpoint = ctx.endpoint
  if (!axios.isAxiosError(err)) {
    const name = err instanceof Error ? err.name : typeof err
    return new LineGiftApiError({
      kind: "network",
      endpoint,
      message: `LINE Gift ${endpoint} failed: unexpected ${name} while calling the API`,
    })
  }
  const f = classifyAxiosError(err)
  const attempts = attemptsOf(err.config)
  const reason =
    f.reason !== undefined ? redactSecrets(f.reason, ctx.secrets) : undefined
  const after = attempts > 1 ? ` after ${attempts} attempts` : ""
  const base = `LINE Gift ${endpoint} failed`
  const init = {
    endpoint,
    httpStatus: f.httpStatus,
    code: f.code,
    reason,
    retryAfterMs: f.retryAfterMs,
    attempts,
  }
  const isTokenCall = endpoint === "refresh" || endpoint === "token"
  if (isInvalidGrant(f, isTokenCall, reason)) {
    return new LineGiftApiError({
      ...init,
      kind: "invalid_grant",
      message:
        endpoint === "refresh"
          ? `${base}: the refresh token was rejected (invalid_grant). LINE Gift refresh tokens are single-use and expire after 90 days; the merchant must re-authorise the app in the Medusa admin (LINE Gift settings)`
          : `${base}: the authorization code was rejected (invalid_grant); codes are single-use and short-lived, start the authorisation again from the Medusa admin (LINE Gift settings)`,
    })
  }
  const what = describeFailure(f, ctx.timeoutMs)
  const extra = failureHint(f, isTokenCall, ctx.maxRetryAfterMs)
  return new LineGiftApiError({
    ...init,
    kind: f.kind,
    message: `${base}: ${what}${after}${reason ? `: ${reason}` : ""}${extra}`,
  })
}

/** `bad_response` for an answer that came but does not say what we need (`what` names it). */
export function badResponseError(
  endpoint: LineGiftEndpointName,
  answer: { status: number; attempts: number },
  what: string
): LineGiftApiError {
  return new LineGiftApiError({
    kind: "bad_response",
    endpoint,
    httpStatus: answer.status,
    attempts: answer.attempts,
    message: `LINE Gift ${endpoint} failed: unexpected answer (HTTP ${answer.status}): ${what}`,
  })
}

/** A 401 (HTTP, or body code 401): the access token was refused. */
export function isUnauthorized(e: unknown): e is LineGiftApiError {
  return (
    isLineGiftApiError(e) &&
    e.kind === "auth" &&
    (e.code === 401 || (e.code === undefined && e.httpStatus === 401))
  )
}
