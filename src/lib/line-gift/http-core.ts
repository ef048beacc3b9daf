/**
 * The HTTP core of the LINE Gift client: one axios instance per client (never the global
 * one) with axios-retry's retries (429, 5xx, timeouts, network errors; exponential backoff,
 * `Retry-After` honoured up to a bound), one `send` per logical call that never lets an axios
 * error escape (their `config` holds URLs with tokens and bodies with the client secret),
 * the `onCall` observer, and envelope validation. Knows nothing of particular endpoints.
 *
 * Logs only endpoint name, HTTP status/code and attempt: never secrets nor order data.
 */
import axios, { AxiosError, AxiosInstance, AxiosRequestConfig } from "axios"
import axiosRetry, { exponentialDelay, isNetworkError } from "axios-retry"
import { z } from "@medusajs/framework/zod"
import { describeZodError } from "./schemas"
import { LineGiftApiError, RETRYABLE_LINE_GIFT_ERROR_KINDS } from "./errors"
import type {
  LineGiftCallInfo,
  LineGiftEndpointName,
  LineGiftHttpOptions,
  LineGiftLogger,
} from "./client-types"
import {
  attemptsOf,
  badResponseError,
  bodyErrorOf,
  classifyAxiosError,
  parseLineGiftJson,
  redactSecrets,
  shortFailure,
  toLineGiftApiError,
  UNPARSEABLE,
} from "./failures"

/** Defaults of `LineGiftHttpOptions` (milliseconds; see that type). */
export const DEFAULT_HTTP: Required<LineGiftHttpOptions> = {
  timeoutMs: 15_000,
  maxRetries: 3,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 60_000,
  pageDelayMs: 600,
}

/** A logger that writes nothing (the client's default). */
export const NOOP_LOGGER: LineGiftLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
}

/** Waits `ms` milliseconds (resolves at once for 0 or less). */
export const sleep = (ms: number): Promise<void> =>
  ms > 0
    ? new Promise<void>((resolve) => setTimeout(resolve, ms))
    : Promise.resolve()

/** One HTTP call as the client describes it (secrets listed for redaction). */
export type RequestSpec = {
  endpoint: LineGiftEndpointName
  method: "GET" | "POST"
  url: string
  params?: Record<string, string | number>
  form?: Record<string, string>
  /** JSON body (sent as application/json). */
  json?: Record<string, unknown>
  headers?: Record<string, string>
  /** Values that must never appear in a message (tokens, codes). */
  secrets: string[]
}

/** A successful answer: HTTP status, parsed body (or `UNPARSEABLE`/undefined), attempts made. */
export type Answer = { status: number; data: unknown; attempts: number }

/**
 * The HTTP options with defaults filled in.
 * @throws Error when an option is not a non-negative finite number.
 */
export function resolveHttpOptions(
  options: LineGiftHttpOptions | undefined
): Required<LineGiftHttpOptions> {
  const http: Required<LineGiftHttpOptions> = { ...DEFAULT_HTTP }
  for (const [key, value] of Object.entries(options ?? {})) {
    if (value === undefined) continue
    if (!(key in DEFAULT_HTTP)) continue
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      throw new Error(
        `LineGiftClient: http.${key} must be a non-negative number`
      )
    }
    http[key as keyof LineGiftHttpOptions] = value
  }
  http.maxRetries = Math.floor(http.maxRetries)
  return http
}

/** The axios config of one request spec (query, headers, form or JSON body). */
function requestConfig(
  spec: RequestSpec,
  onRetry: (retryCount: number, err: AxiosError) => void
): AxiosRequestConfig {
  const config: AxiosRequestConfig = {
    method: spec.method,
    url: spec.url,
    params: spec.params,
    headers: { ...(spec.headers ?? {}) },
    "axios-retry": { onRetry },
  }
  if (spec.form) {
    config.data = new URLSearchParams(spec.form).toString()
    config.headers = {
      ...config.headers,
      "Content-Type": "application/x-www-form-urlencoded",
    }
  } else if (spec.json) {
    config.data = JSON.stringify(spec.json)
    config.headers = { ...config.headers, "Content-Type": "application/json" }
  }
  return config
}

/** What `LineGiftHttp` is built from. */
export type LineGiftHttpInit = {
  http: Required<LineGiftHttpOptions>
  log: LineGiftLogger
  /** Never appears in a message or log (redacted from server text too). */
  clientSecret: string
  onCall?: (call: LineGiftCallInfo) => void
}

/** Sends LINE Gift requests with retries; every failure becomes a `LineGiftApiError`. */
export class LineGiftHttp {
  /** The resolved HTTP options (milliseconds). */
  readonly options: Required<LineGiftHttpOptions>
  private readonly log: LineGiftLogger
  private readonly clientSecret: string
  private readonly onCall?: (call: LineGiftCallInfo) => void
  private readonly axios: AxiosInstance
  /** Delay chosen for a retry, keyed by the failed attempt's error (for the retry log line). */
  private readonly retryDelays = new WeakMap<object, number>()

  constructor(init: LineGiftHttpInit) {
    this.options = init.http
    this.log = init.log
    this.clientSecret = init.clientSecret
    this.onCall = init.onCall
    this.axios = axios.create({
      timeout: init.http.timeoutMs,
      // The access token travels in the query string on the orders host: never follow a
      // redirect that would carry it elsewhere. A 3xx becomes `bad_response`.
      maxRedirects: 0,
      responseType: "text",
      transformResponse: [parseLineGiftJson],
      maxContentLength: 50 * 1024 * 1024,
      headers: {
        Accept: "application/json",
        "User-Agent": "medusa-line-gift",
      },
    })
    axiosRetry(this.axios, {
      retries: init.http.maxRetries,
      // Each attempt gets the full timeout.
      shouldResetTimeout: true,
      // Body-level errors in an HTTP 200 go through the retry logic like HTTP ones.
      validateResponse: (res) =>
        res.status >= 200 && res.status < 300 && bodyErrorOf(res.data) === null,
      retryCondition: (err) => this.shouldRetry(err),
      retryDelay: (retryCount, err) => {
        const delay = this.retryDelay(retryCount, err)
        this.retryDelays.set(err, delay)
        return delay
      },
    })
  }

  /**
   * One logical call (with axios-retry's retries); never lets an axios error escape.
   * @throws LineGiftApiError (secret-free) for every HTTP, body-level or transport failure.
   */
  async send(spec: RequestSpec): Promise<Answer> {
    const config = requestConfig(spec, (retryCount, err) =>
      this.logRetry(spec.endpoint, retryCount, err)
    )
    const started = Date.now()
    try {
      const res = await this.axios.request(config)
      const attempts = attemptsOf(res.config)
      this.log.debug(
        `LINE Gift ${spec.endpoint}: HTTP ${res.status} (attempt ${attempts})`
      )
      this.report(spec, started, attempts, res.status, res.data, null)
      return { status: res.status, data: res.data, attempts }
    } catch (err) {
      const error = toLineGiftApiError(
        {
          endpoint: spec.endpoint,
          secrets: [this.clientSecret, ...spec.secrets],
          timeoutMs: this.options.timeoutMs,
          maxRetryAfterMs: this.options.maxRetryAfterMs,
        },
        err
      )
      this.log.debug(
        `LINE Gift ${spec.endpoint}: failed with ${error.kind}` +
          (error.httpStatus !== undefined
            ? ` (HTTP ${error.httpStatus})`
            : "") +
          (error.code !== undefined ? ` (code ${error.code})` : "") +
          ` after ${error.attempts ?? 1} attempt(s)`
      )
      const data = axios.isAxiosError(err) ? err.response?.data : undefined
      this.report(
        spec,
        started,
        error.attempts ?? 1,
        error.httpStatus ?? null,
        data,
        error
      )
      throw error
    }
  }

  /**
   * Validates an answer's envelope against `schema`.
   * @throws LineGiftApiError `bad_response` naming the field when it does not match (or the
   *   body is empty or not JSON).
   */
  parse<T>(
    endpoint: LineGiftEndpointName,
    answer: Answer,
    schema: z.ZodType<T>
  ): T {
    if (answer.data === UNPARSEABLE) {
      throw badResponseError(endpoint, answer, "the answer is not valid JSON")
    }
    if (answer.data === undefined) {
      throw badResponseError(endpoint, answer, "the answer is empty")
    }
    const result = schema.safeParse(answer.data)
    if (!result.success) {
      throw badResponseError(endpoint, answer, describeZodError(result.error))
    }
    return result.data
  }

  /** Tells `onCall` about one call (shape only, never content). */
  private report(
    spec: RequestSpec,
    started: number,
    attempts: number,
    httpStatus: number | null,
    data: unknown,
    error: LineGiftApiError | null
  ): void {
    if (!this.onCall) return
    try {
      const url = new URL(spec.url)
      const isObj =
        !!data &&
        typeof data === "object" &&
        !Array.isArray(data) &&
        data !== UNPARSEABLE
      const body = bodyErrorOf(data)
      this.onCall({
        endpoint: spec.endpoint,
        method: spec.method,
        host: url.host,
        path: url.pathname,
        httpStatus,
        durationMs: Date.now() - started,
        attempts,
        parsed: httpStatus !== null && data !== UNPARSEABLE,
        topLevelKeys: isObj ? Object.keys(data as object).slice(0, 30) : [],
        bodyError: body
          ? {
              code: body.code,
              ...(body.reason
                ? {
                    reason: redactSecrets(body.reason, [
                      this.clientSecret,
                      ...spec.secrets,
                    ]),
                  }
                : {}),
            }
          : null,
        errorKind: error ? error.kind : null,
        ...(spec.form
          ? { bodyEncoding: "form" as const }
          : spec.json
            ? { bodyEncoding: "json" as const }
            : {}),
      })
    } catch {
      // The observer never breaks a call.
    }
  }

  private shouldRetry(err: AxiosError): boolean {
    const f = classifyAxiosError(err)
    if (!RETRYABLE_LINE_GIFT_ERROR_KINDS.has(f.kind)) return false
    // DNS "not found", TLS certificate errors, cancellations: not worth retrying now.
    if (f.kind === "network" && !isNetworkError(err)) return false
    if (
      f.retryAfterMs !== undefined &&
      f.retryAfterMs > this.options.maxRetryAfterMs
    ) {
      return false
    }
    return true
  }

  private retryDelay(retryCount: number, err: AxiosError): number {
    const f = classifyAxiosError(err)
    if (f.retryAfterMs !== undefined && f.retryAfterMs > 0) {
      return Math.min(f.retryAfterMs, this.options.maxRetryAfterMs)
    }
    return Math.min(
      this.options.maxDelayMs,
      exponentialDelay(retryCount - 1, undefined, this.options.baseDelayMs)
    )
  }

  private logRetry(
    endpoint: LineGiftEndpointName,
    retryCount: number,
    err: AxiosError
  ): void {
    const f = classifyAxiosError(err)
    const delay = this.retryDelays.get(err)
    this.log.warn(
      `LINE Gift ${endpoint}: attempt ${retryCount} failed (${shortFailure(f)}); ` +
        `retry ${retryCount} of ${this.options.maxRetries}` +
        (delay !== undefined ? ` in ${Math.round(delay)} ms` : "")
    )
  }
}
