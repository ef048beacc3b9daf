/**
 * The LINE Gift HTTP client: the only code that knows the LINE Gift protocol (with
 * schemas.ts for shapes and endpoints.ts for hosts/paths).
 *
 * Facts used here come from shared/line-gift-api.md (mirrored in the project's docs), tagged
 * "observed" (seen in production integrations / vendor help pages) or "assumed" (not public).
 *
 * Transport rules:
 * - one axios instance per client (never the global one); retries by axios-retry only;
 *   the single hand-written retry is "401 → refresh through the token store → retry once";
 * - access token as `access_token=` query parameter on the orders host (observed), as
 *   `Authorization: Bearer` on the shop-admin host (observed: it accepts both);
 * - a JSON body whose `code` is not 200 is an error whatever the HTTP status (observed);
 * - raw axios errors never escape (their `config` holds the URL with the token and the
 *   form body with the client secret): everything becomes a `LineGiftApiError`;
 * - nothing secret or personal is logged: only endpoint name, HTTP status/code, attempt.
 */
import axios, { AxiosError, AxiosInstance, AxiosRequestConfig } from "axios"
import axiosRetry, {
  exponentialDelay,
  isNetworkError,
  retryAfter,
} from "axios-retry"
import { z } from "@medusajs/framework/zod"
import { isSafeNumber, parse as losslessParse } from "lossless-json"
import {
  describeZodError,
  itemListResponseSchema,
  LineGiftItem,
  lineGiftItemSchema,
  orderSearchResponseSchema,
  tokenResponseSchema,
} from "./schemas"
import {
  isLineGiftApiError,
  LineGiftApiError,
  LineGiftErrorKind,
  RETRYABLE_LINE_GIFT_ERROR_KINDS,
} from "./errors"
import {
  DEFAULT_SHIPMENT_CALL,
  fillLineGiftPath,
  LineGiftEndpoints,
  lineGiftUrl,
} from "./endpoints"

/**
 * Access-token lifetime in seconds when the token answer has no `expires_in`:
 * 60 days (observed: vendor help page).
 */
export const DEFAULT_ACCESS_TOKEN_TTL_SEC = 60 * 24 * 3600
/**
 * Refresh-token lifetime in seconds when the token answer has no
 * `refresh_token_expires_in`: 90 days (observed: vendor help page).
 */
export const DEFAULT_REFRESH_TOKEN_TTL_SEC = 90 * 24 * 3600

/** Largest `per_page` the order search and item list accept (observed: "at most 100"). */
export const LINE_GIFT_MAX_PER_PAGE = 100

/** Pages read beyond `total_entries` ÷ page size (orders added while reading shift pages). */
export const ORDER_PAGE_MARGIN = 2

/**
 * Most order pages one run reads: 1,000 pages (100,000 orders; LINE Gift serves about three
 * months, and a large shop sees a few thousand orders in that time).
 */
export const ORDER_PAGE_HARD_CAP = 1000

/** An order's id as text for the repeated-page check (whatever its shape). */
function orderIdText(order: unknown): string {
  const id =
    order && typeof order === "object"
      ? (order as Record<string, unknown>).id
      : undefined
  return typeof id === "string" || typeof id === "number" ? String(id) : ""
}

/**
 * A token pair from the token endpoint (code exchange or refresh; same answer, observed for
 * refresh, assumed for the exchange).
 * - `accessTokenExpiresAt`: now + `expires_in` seconds, else + 60 days;
 * - `refreshToken`: null when the answer had none — keep the old one (observed rule);
 * - `refreshTokenExpiresAt`: now + `refresh_token_expires_in`, else + 90 days; null when
 *   `refreshToken` is null (the old expiry still applies).
 */
export type TokenSet = {
  accessToken: string
  accessTokenExpiresAt: Date
  refreshToken: string | null
  refreshTokenExpiresAt: Date | null
}

/**
 * Persistence + mutual exclusion for one shop's tokens; implemented by the Medusa side.
 *
 * LINE Gift refresh tokens rotate and are single-use (observed): two workers refreshing at
 * once, or a crash between the answer and the save, lock the shop out until a person
 * re-authorises. Hence the lock + re-read contract below.
 */
export interface LineGiftTokenStore {
  /**
   * The stored access token, or null when there is none (or the store knows it expired:
   * the client then refreshes before the call instead of waiting for a 401).
   */
  getAccessToken(): Promise<string | null>
  /** Must serialise per shop: take a lock, re-read; if the stored access token differs from `staleAccessToken` (someone refreshed meanwhile) return it without refreshing; otherwise call doRefresh(storedRefreshToken), PERSIST the new pair before returning, and return the new access token. */
  refreshAccessToken(
    staleAccessToken: string | null,
    doRefresh: (refreshToken: string) => Promise<TokenSet>
  ): Promise<string>
}

/**
 * HTTP behaviour (all durations in milliseconds).
 * - `timeoutMs` (15000): per attempt;
 * - `maxRetries` (3): retries after the first attempt for 429, 5xx, timeouts, network errors;
 * - `baseDelayMs` (500) / `maxDelayMs` (10000): exponential backoff with 0–20 % jitter,
 *   capped at `maxDelayMs`;
 * - `maxRetryAfterMs` (60000): a longer `Retry-After` → give up at once with `rate_limited`;
 * - `pageDelayMs` (600): pause between order pages (merchants' practice, observed).
 */
export type LineGiftHttpOptions = {
  timeoutMs?: number
  maxRetries?: number
  baseDelayMs?: number
  maxDelayMs?: number
  maxRetryAfterMs?: number
  pageDelayMs?: number
}

/** Where the client writes (never secrets nor order data). Medusa's logger fits. */
export type LineGiftLogger = {
  debug(msg: string): void
  info(msg: string): void
  warn(msg: string): void
  error(msg: string): void
}

/**
 * Client options.
 * - `endpoints`: from `resolveLineGiftEndpoints`;
 * - `clientId` / `clientSecret`: the merchant's LINE Gift app credentials (observed);
 * - `tokenStore`: needed for every authenticated call (orders, delivery, items);
 * - `now`: clock in ms since epoch, for token expiry computation (tests).
 */
export type LineGiftClientOptions = {
  endpoints: LineGiftEndpoints
  /**
   * Observer of every logical call (after axios-retry's retries), for the connection check:
   * what was called (host and path, never a query string or a secret), HTTP status, time,
   * whether the body parsed as JSON, its top-level keys, a body-level error. Never throws
   * into the client (errors of the observer are ignored).
   */
  onCall?: (call: LineGiftCallInfo) => void
  clientId: string
  clientSecret: string
  tokenStore?: LineGiftTokenStore
  http?: LineGiftHttpOptions
  logger?: LineGiftLogger
  now?: () => number
}

/**
 * What the client tells `onCall` about one call. No token, secret, query string or body
 * content: only the shape of the answer.
 * - `durationMs`: wall time of the call including retries; `attempts`: HTTP attempts;
 * - `httpStatus`: null when no answer came (network error, timeout);
 * - `parsed`: the body was JSON (or empty); `topLevelKeys`: keys of a JSON object body;
 * - `bodyError`: `{code, reason}` of a body-level error (`code` ≠ 200), reason redacted;
 * - `errorKind`: the LineGiftErrorKind when the call failed.
 */
export type LineGiftCallInfo = {
  endpoint: LineGiftEndpointName
  method: "GET" | "POST"
  host: string
  path: string
  httpStatus: number | null
  durationMs: number
  attempts: number
  parsed: boolean
  topLevelKeys: string[]
  bodyError: { code: number; reason?: string } | null
  errorKind: LineGiftErrorKind | null
  /** Request body encoding, for POST calls with a body. */
  bodyEncoding?: "form" | "json"
}

/** One page of the order search. `orders` stay unvalidated: check each with `parseLineGiftOrder`. */
export type LineGiftOrderPage = {
  orders: unknown[]
  /** The page number requested (1-based). */
  page: number
  /** `paging.total_pages` of this answer (numbers may arrive as strings: normalised). */
  totalPages: number
  /** `paging.total_entries`, or null when absent. */
  totalEntries: number | null
}

/** Endpoint names used in logs and `LineGiftApiError.endpoint`. */
export type LineGiftEndpointName =
  "token" | "refresh" | "order_search" | "delivery" | "items" | "item"

const DEFAULT_HTTP: Required<LineGiftHttpOptions> = {
  timeoutMs: 15_000,
  maxRetries: 3,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 60_000,
  pageDelayMs: 600,
}

const NOOP_LOGGER: LineGiftLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
}

/** Marker for a body that is not valid JSON (the text itself is dropped: it may hold personal data). */
const UNPARSEABLE = Object.freeze({ lineGiftUnparseableBody: true as const })

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

/** `{code, reason}` of a body-level error, or null (no code, or code 200). */
function bodyErrorOf(data: unknown): { code: number; reason?: string } | null {
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
type Failure = {
  kind: LineGiftErrorKind
  httpStatus?: number
  code?: number
  reason?: string
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
function classifyAxiosError(err: AxiosError): Failure {
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

function attemptsOf(config: AxiosRequestConfig | undefined): number {
  return (config?.["axios-retry"]?.retryCount ?? 0) + 1
}

const sleep = (ms: number) =>
  ms > 0
    ? new Promise<void>((resolve) => setTimeout(resolve, ms))
    : Promise.resolve()

/** One HTTP call as the client describes it (secrets listed for redaction). */
type RequestSpec = {
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

type Answer = { status: number; data: unknown; attempts: number }

/**
 * Talks to LINE Gift for one merchant app (client_id/client_secret) and, through the token
 * store, one shop's tokens. Every method throws only `LineGiftApiError` for API/transport
 * failures (plus `RangeError` for invalid arguments, and whatever the token store throws).
 */
export class LineGiftClient {
  private readonly endpoints: LineGiftEndpoints
  private readonly clientId: string
  private readonly clientSecret: string
  private readonly tokenStore?: LineGiftTokenStore
  private readonly httpOptions: Required<LineGiftHttpOptions>
  private readonly log: LineGiftLogger
  private readonly now: () => number
  private readonly http: AxiosInstance
  private readonly onCall?: (call: LineGiftCallInfo) => void
  /** Delay chosen for a retry, keyed by the failed attempt's error (for the retry log line). */
  private readonly retryDelays = new WeakMap<object, number>()

  /**
   * @throws Error when clientId/clientSecret are empty or an http option is not a
   *   non-negative number.
   */
  constructor(options: LineGiftClientOptions) {
    if (!options?.endpoints)
      throw new Error("LineGiftClient: endpoints are required")
    if (typeof options.clientId !== "string" || !options.clientId.trim()) {
      throw new Error("LineGiftClient: clientId is required")
    }
    if (typeof options.clientSecret !== "string" || !options.clientSecret) {
      throw new Error("LineGiftClient: clientSecret is required")
    }
    this.endpoints = options.endpoints
    this.clientId = options.clientId.trim()
    this.clientSecret = options.clientSecret
    this.tokenStore = options.tokenStore
    this.log = options.logger ?? NOOP_LOGGER
    this.now = options.now ?? Date.now
    this.onCall = options.onCall
    const http: Required<LineGiftHttpOptions> = { ...DEFAULT_HTTP }
    for (const [key, value] of Object.entries(options.http ?? {})) {
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
    this.httpOptions = http

    this.http = axios.create({
      timeout: http.timeoutMs,
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
    axiosRetry(this.http, {
      retries: http.maxRetries,
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

  // ---------------------------------------------------------------- OAuth

  /**
   * The browser URL where the merchant authorises the app (assumed endpoint):
   * `{shop}/oauth2/authorize?response_type=code&client_id&redirect_uri&state`.
   * LINE Gift then redirects to `redirect_uri?code=…&state=…` (assumed).
   */
  buildAuthorizeUrl(args: { redirectUri: string; state: string }): string {
    const url = new URL(
      lineGiftUrl(this.endpoints.shopBaseUrl, this.endpoints.paths.authorize)
    )
    url.searchParams.set("response_type", "code")
    url.searchParams.set("client_id", this.clientId)
    url.searchParams.set("redirect_uri", args.redirectUri)
    url.searchParams.set("state", args.state)
    return url.toString()
  }

  /**
   * Exchanges an authorization code (assumed endpoint):
   * `POST {shop}/api/v1/oauth2/token` form `grant_type=authorization_code&code&redirect_uri&client_id&client_secret`.
   * @returns the token pair (persist it at once: the code is single-use).
   * @throws LineGiftApiError `invalid_grant` (code dead/used), `auth` (client rejected),
   *   `bad_response`, or a transient kind after the retries.
   */
  async exchangeAuthorizationCode(args: {
    code: string
    redirectUri: string
  }): Promise<TokenSet> {
    if (!args?.code)
      throw new RangeError("exchangeAuthorizationCode: code is required")
    const answer = await this.send({
      endpoint: "token",
      method: "POST",
      url: lineGiftUrl(this.endpoints.shopBaseUrl, this.endpoints.paths.token),
      form: {
        grant_type: "authorization_code",
        code: args.code,
        redirect_uri: args.redirectUri,
        client_id: this.clientId,
        client_secret: this.clientSecret,
      },
      secrets: [args.code],
    })
    return this.toTokenSet(this.parse("token", answer, tokenResponseSchema))
  }

  /**
   * Refresh-token grant (observed): `POST {shop}/api/v1/oauth2/token/refresh`, form
   * `grant_type=refresh_token&client_id&client_secret&refresh_token` →
   * `{"access_token", "refresh_token"}`. Refresh tokens rotate and are single-use (observed):
   * the caller must persist the answer before anything else (see `LineGiftTokenStore`).
   *
   * Retried on 429/5xx/timeouts like every call: if the server rotated but the answer was
   * lost, the retry gets invalid_grant — the same lock-out as not retrying — while a
   * transient failure that rotated nothing is recovered.
   * @throws LineGiftApiError `invalid_grant` (dead refresh token: the merchant must
   *   re-authorise in the admin), `auth` (no refresh token, or client credentials rejected),
   *   `bad_response`, or a transient kind after the retries.
   */
  async refreshTokens(refreshToken: string): Promise<TokenSet> {
    if (typeof refreshToken !== "string" || !refreshToken) {
      throw new LineGiftApiError({
        kind: "auth",
        endpoint: "refresh",
        message:
          "LINE Gift refresh failed: no refresh token is stored; the merchant must authorise the app in the Medusa admin (LINE Gift settings)",
      })
    }
    const answer = await this.send({
      endpoint: "refresh",
      method: "POST",
      url: lineGiftUrl(
        this.endpoints.shopBaseUrl,
        this.endpoints.paths.refresh
      ),
      form: {
        grant_type: "refresh_token",
        client_id: this.clientId,
        client_secret: this.clientSecret,
        refresh_token: refreshToken,
      },
      secrets: [refreshToken],
    })
    return this.toTokenSet(this.parse("refresh", answer, tokenResponseSchema))
  }

  // ---------------------------------------------------------------- orders

  /**
   * One page of orders (observed):
   * `GET {orders}/shop/api/1/order/search?access_token&page&per_page` →
   * `{"orders": [...], "paging": {"total_pages", "total_entries"}}` (roughly the last three
   * months; no filter; order of results not reliable).
   * @param args.page 1-based page number.
   * @param args.perPage 1–100 (default 100; larger values are capped at 100).
   * @throws RangeError for a page below 1; LineGiftApiError (`bad_response` naming the field
   *   when the envelope does not match; `auth`/`invalid_grant` when tokens fail; transient kinds).
   */
  async searchOrders(args: {
    page: number
    perPage?: number
  }): Promise<LineGiftOrderPage> {
    const page = args?.page
    if (typeof page !== "number" || !Number.isInteger(page) || page < 1) {
      throw new RangeError(
        `searchOrders: page must be an integer ≥ 1 (got ${String(page)})`
      )
    }
    const perPage = clampPerPage(args.perPage)
    const answer = await this.authed("order_search", (token) => ({
      endpoint: "order_search",
      method: "GET",
      url: lineGiftUrl(
        this.endpoints.ordersBaseUrl,
        this.endpoints.paths.orderSearch
      ),
      params: { access_token: token, page, per_page: perPage },
      secrets: [token],
    }))
    const parsed = this.parse("order_search", answer, orderSearchResponseSchema)
    return {
      orders: parsed.orders,
      page,
      totalPages: parsed.paging.total_pages,
      totalEntries: parsed.paging.total_entries ?? null,
    }
  }

  /**
   * Reads order pages 1..totalPages, pausing `pageDelayMs` between pages. Every bound comes
   * from our side, never from the remote data alone:
   * - stops after an empty page (yielded) or after `total_pages` (re-read from each answer);
   * - never reads more than `total_entries` ÷ page size (as the first page answered) +
   *   ORDER_PAGE_MARGIN pages, nor more than `maxPages` (default ORDER_PAGE_HARD_CAP);
   * - stops when a page repeats the previous page's order ids (a server or proxy ignoring
   *   `page`).
   * Each early stop is reported once through `onStop` with a reason a merchant can read.
   * @throws as `searchOrders` (pages already yielded stay with the caller).
   */
  async *iterateOrderPages(
    args: {
      perPage?: number
      maxPages?: number
      onStop?: (reason: string) => void
    } = {}
  ): AsyncGenerator<LineGiftOrderPage> {
    const hardCap = Math.max(
      1,
      Math.floor(args.maxPages ?? ORDER_PAGE_HARD_CAP)
    )
    const stop = (reason: string) => {
      this.log.warn(`LINE Gift order_search: ${reason}`)
      args.onStop?.(reason)
    }
    let bound = hardCap
    let previousIds: string | null = null
    let page = 1
    for (;;) {
      const result = await this.searchOrders({ page, perPage: args.perPage })
      const ids = result.orders.map(orderIdText).join("\u0000")
      if (page > 1 && result.orders.length > 0 && ids === previousIds) {
        stop(
          `stopped reading at page ${page}: it repeats page ${page - 1}'s orders (LINE Gift or a proxy ignores the page number); orders after page ${page - 1} were not read`
        )
        return
      }
      previousIds = ids
      yield result
      if (
        page === 1 &&
        result.totalEntries !== null &&
        result.orders.length > 0
      ) {
        const size = Math.min(clampPerPage(args.perPage), result.orders.length)
        bound = Math.min(
          hardCap,
          Math.ceil(result.totalEntries / size) + ORDER_PAGE_MARGIN
        )
      }
      if (result.orders.length === 0 || page >= result.totalPages) return
      if (page >= bound) {
        stop(
          page >= hardCap
            ? `stopped after ${page} pages (the limit of one run) of ${result.totalPages} announced`
            : `stopped after ${page} pages: ${result.totalPages} pages announced for ${result.totalEntries} orders`
        )
        return
      }
      await sleep(this.httpOptions.pageDelayMs)
      page += 1
    }
  }

  /**
   * Pushes a shipment (assumed endpoint): `POST {orders}/shop/api/1/order/{id}/delivery?access_token`
   * form `delivery_code&delivery_agent` → `{"code": 200}`. The order becomes `received`;
   * repeating with the same values is a no-op success (assumed), so retries are safe.
   * @param args.deliveryCode tracking number (伝票番号). @param args.deliveryAgent carrier (配送業者).
   * @throws LineGiftApiError `conflict` (order not in `payment`, body code 409), `not_found`,
   *   `auth`/`invalid_grant`, `bad_response` (answer not JSON), transient kinds.
   */
  async updateDelivery(
    orderId: string,
    args: { deliveryCode: string; deliveryAgent: string }
  ): Promise<void> {
    if (!orderId) throw new RangeError("updateDelivery: orderId is required")
    if (!args?.deliveryCode)
      throw new RangeError("updateDelivery: deliveryCode is required")
    if (!args?.deliveryAgent)
      throw new RangeError("updateDelivery: deliveryAgent is required")
    const url = lineGiftUrl(
      this.endpoints.ordersBaseUrl,
      fillLineGiftPath(this.endpoints.paths.delivery, { id: orderId })
    )
    const answer = await this.authed("delivery", (token): RequestSpec => ({
      endpoint: "delivery",
      method: "POST",
      url,
      params: { access_token: token },
      ...this.deliveryBody(args),
      secrets: [token],
    })).catch((e) => {
      throw this.explainDeliveryRejection(e)
    })
    if (answer.data === UNPARSEABLE) {
      throw this.badResponse("delivery", answer, "the answer is not valid JSON")
    }
    // `{"code": 200}`, an empty body or any JSON without an error code: success.
  }

  /**
   * The shipment call's body as the options say (`shipmentCall`: encoding form|json, field
   * names; defaults form, `delivery_code`, `delivery_agent` — assumed, not public).
   */
  private deliveryBody(args: {
    deliveryCode: string
    deliveryAgent: string
  }): Pick<RequestSpec, "form" | "json"> {
    const call = this.endpoints.shipmentCall ?? DEFAULT_SHIPMENT_CALL
    const body = {
      [call.fields.deliveryCode]: args.deliveryCode,
      [call.fields.deliveryAgent]: args.deliveryAgent,
    }
    return call.encoding === "json" ? { json: body } : { form: body }
  }

  /**
   * A shipment call refused as a bad request (400/415/422) may mean LINE Gift expects another
   * body: the message then names the options to change.
   */
  private explainDeliveryRejection(e: unknown): unknown {
    if (!isLineGiftApiError(e) || e.kind !== "bad_request") return e
    const call = this.endpoints.shipmentCall ?? DEFAULT_SHIPMENT_CALL
    return new LineGiftApiError({
      kind: e.kind,
      endpoint: e.endpoint,
      httpStatus: e.httpStatus,
      code: e.code,
      reason: e.reason,
      attempts: e.attempts,
      message:
        `${e.message}; if LINE Gift expects another body for the shipment call, change the plugin option ` +
        `shipmentCall.encoding (now "${call.encoding}") or shipmentCall.fields (now ${call.fields.deliveryCode}, ${call.fields.deliveryAgent})`,
    })
  }

  // ---------------------------------------------------------------- items

  /**
   * One page of the shop's items (observed):
   * `GET {shop}/api/v1/shops/{shop_id}/items?page&per_page` (Bearer) →
   * `{"items": [{"id", …}], "total_count": N}`. Item ids are normalised to strings.
   * @throws LineGiftApiError as the other authenticated calls.
   */
  async listItems(
    shopId: string,
    args: { page?: number; perPage?: number } = {}
  ): Promise<{
    items: Array<{ id: string } & Record<string, unknown>>
    totalCount: number | null
  }> {
    const page = args.page ?? 1
    if (!Number.isInteger(page) || page < 1) {
      throw new RangeError(
        `listItems: page must be an integer ≥ 1 (got ${String(page)})`
      )
    }
    const url = lineGiftUrl(
      this.endpoints.shopBaseUrl,
      fillLineGiftPath(this.endpoints.paths.items, { shop_id: shopId })
    )
    const answer = await this.authed("items", (token) => ({
      endpoint: "items",
      method: "GET",
      url,
      params: { page, per_page: clampPerPage(args.perPage) },
      headers: { Authorization: `Bearer ${token}` },
      secrets: [token],
    }))
    const parsed = this.parse("items", answer, itemListResponseSchema)
    return {
      items: parsed.items as Array<{ id: string } & Record<string, unknown>>,
      totalCount: parsed.total_count ?? null,
    }
  }

  /**
   * One item (observed): `GET {shop}/api/v1/shops/{shop_id}/items/{item_id}` (Bearer) →
   * `{"code": 200, "item": {"id", "code", "name", "status", "price", "variations": [...]}}`.
   * @throws LineGiftApiError `not_found` for an unknown item, `bad_response` naming the field.
   */
  async getItem(shopId: string, itemId: string): Promise<LineGiftItem> {
    const url = lineGiftUrl(
      this.endpoints.shopBaseUrl,
      fillLineGiftPath(this.endpoints.paths.item, {
        shop_id: shopId,
        item_id: itemId,
      })
    )
    const answer = await this.authed("item", (token) => ({
      endpoint: "item",
      method: "GET",
      url,
      headers: { Authorization: `Bearer ${token}` },
      secrets: [token],
    }))
    return this.parse("item", answer, itemEnvelopeSchema).item
  }

  // ---------------------------------------------------------------- internals

  /**
   * Runs an authenticated call: token from the store (refreshing first when it has none);
   * on 401 (HTTP or body) refreshes once through the store and retries once.
   */
  private async authed(
    endpoint: LineGiftEndpointName,
    make: (token: string) => RequestSpec
  ): Promise<Answer> {
    const store = this.tokenStore
    if (!store) {
      throw new LineGiftApiError({
        kind: "auth",
        endpoint,
        message: `LINE Gift ${endpoint} failed: the shop is not connected (no token store configured)`,
      })
    }
    let token = await store.getAccessToken()
    if (!token) {
      this.log.info(
        `LINE Gift ${endpoint}: no usable access token stored; refreshing`
      )
      token = await this.refreshThroughStore(store, null, endpoint)
    }
    try {
      return await this.send(make(token))
    } catch (e) {
      if (!isUnauthorized(e)) throw e
      this.log.info(
        `LINE Gift ${endpoint}: access token rejected (401); refreshing once`
      )
    }
    const fresh = await this.refreshThroughStore(store, token, endpoint)
    try {
      return await this.send(make(fresh))
    } catch (e) {
      if (!isUnauthorized(e)) throw e
      const first = e as LineGiftApiError
      throw new LineGiftApiError({
        kind: "auth",
        endpoint,
        httpStatus: first.httpStatus,
        code: first.code,
        reason: first.reason,
        attempts: first.attempts,
        message: `LINE Gift ${endpoint} failed: the access token was rejected (401) again right after a token refresh; the merchant must re-authorise the app in the Medusa admin (LINE Gift settings)`,
      })
    }
  }

  private async refreshThroughStore(
    store: LineGiftTokenStore,
    stale: string | null,
    endpoint: LineGiftEndpointName
  ): Promise<string> {
    const token = await store.refreshAccessToken(stale, (rt) =>
      this.refreshTokens(rt)
    )
    if (typeof token !== "string" || !token) {
      throw new LineGiftApiError({
        kind: "auth",
        endpoint,
        message: `LINE Gift ${endpoint} failed: the token store returned no access token after a refresh`,
      })
    }
    return token
  }

  /** One logical call (with axios-retry's retries); never lets an axios error escape. */
  private async send(spec: RequestSpec): Promise<Answer> {
    const config: AxiosRequestConfig = {
      method: spec.method,
      url: spec.url,
      params: spec.params,
      headers: { ...(spec.headers ?? {}) },
      "axios-retry": {
        onRetry: (retryCount, err) =>
          this.logRetry(spec.endpoint, retryCount, err),
      },
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
    const started = Date.now()
    try {
      const res = await this.http.request(config)
      const attempts = attemptsOf(res.config)
      this.log.debug(
        `LINE Gift ${spec.endpoint}: HTTP ${res.status} (attempt ${attempts})`
      )
      this.report(spec, started, attempts, res.status, res.data, null)
      return { status: res.status, data: res.data, attempts }
    } catch (err) {
      const error = this.toApiError(spec, err)
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
                ? { reason: this.redact(body.reason, spec.secrets) }
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
      f.retryAfterMs > this.httpOptions.maxRetryAfterMs
    ) {
      return false
    }
    return true
  }

  private retryDelay(retryCount: number, err: AxiosError): number {
    const f = classifyAxiosError(err)
    if (f.retryAfterMs !== undefined && f.retryAfterMs > 0) {
      return Math.min(f.retryAfterMs, this.httpOptions.maxRetryAfterMs)
    }
    return Math.min(
      this.httpOptions.maxDelayMs,
      exponentialDelay(retryCount - 1, undefined, this.httpOptions.baseDelayMs)
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
        `retry ${retryCount} of ${this.httpOptions.maxRetries}` +
        (delay !== undefined ? ` in ${Math.round(delay)} ms` : "")
    )
  }

  /** Turns anything thrown by axios into a secret-free `LineGiftApiError`. */
  private toApiError(spec: RequestSpec, err: unknown): LineGiftApiError {
    if (isLineGiftApiError(err)) return err
    const endpoint = spec.endpoint
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
      f.reason !== undefined ? this.redact(f.reason, spec.secrets) : undefined
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

    // Dead refresh token / authorization code (token endpoints only).
    const isTokenCall = endpoint === "refresh" || endpoint === "token"
    const grantText = (reason ?? "").toLowerCase()
    if (
      isTokenCall &&
      (f.kind === "bad_request" || f.kind === "auth") &&
      grantText.startsWith("invalid_grant")
    ) {
      return new LineGiftApiError({
        ...init,
        kind: "invalid_grant",
        message:
          endpoint === "refresh"
            ? `${base}: the refresh token was rejected (invalid_grant). LINE Gift refresh tokens are single-use and expire after 90 days; the merchant must re-authorise the app in the Medusa admin (LINE Gift settings)`
            : `${base}: the authorization code was rejected (invalid_grant); codes are single-use and short-lived, start the authorisation again from the Medusa admin (LINE Gift settings)`,
      })
    }

    let what: string
    if (f.kind === "timeout" && f.httpStatus === undefined) {
      what = `no answer within ${this.httpOptions.timeoutMs} ms`
    } else if (f.kind === "network") {
      what = `network error (${f.netCode ?? "unknown"})`
    } else if (f.code !== undefined && f.code !== f.httpStatus) {
      what = `code ${f.code} (${KIND_LABEL[f.kind]}) in an HTTP ${f.httpStatus} answer`
    } else if (
      f.httpStatus !== undefined &&
      f.httpStatus >= 300 &&
      f.httpStatus < 400
    ) {
      what = `HTTP ${f.httpStatus} (unexpected redirect; check the base URL options)`
    } else if (f.kind === "bad_response") {
      what = `HTTP ${f.httpStatus} (unexpected answer)`
    } else {
      what = `HTTP ${f.httpStatus} (${KIND_LABEL[f.kind]})`
    }
    let extra = ""
    if (
      f.kind === "rate_limited" &&
      f.retryAfterMs !== undefined &&
      f.retryAfterMs > this.httpOptions.maxRetryAfterMs
    ) {
      extra = `; the server asked to wait ${Math.ceil(f.retryAfterMs / 1000)} s, longer than the ${Math.ceil(this.httpOptions.maxRetryAfterMs / 1000)} s allowed`
    } else if (isTokenCall && f.kind === "auth") {
      extra =
        "; check the client ID and client secret in the LINE Gift settings"
    }
    return new LineGiftApiError({
      ...init,
      kind: f.kind,
      message: `${base}: ${what}${after}${reason ? `: ${reason}` : ""}${extra}`,
    })
  }

  /** Validates an answer's envelope; `bad_response` naming the field when it does not match. */
  private parse<T>(
    endpoint: LineGiftEndpointName,
    answer: Answer,
    schema: z.ZodType<T>
  ): T {
    if (answer.data === UNPARSEABLE) {
      throw this.badResponse(endpoint, answer, "the answer is not valid JSON")
    }
    if (answer.data === undefined) {
      throw this.badResponse(endpoint, answer, "the answer is empty")
    }
    const result = schema.safeParse(answer.data)
    if (!result.success) {
      throw this.badResponse(endpoint, answer, describeZodError(result.error))
    }
    return result.data
  }

  private badResponse(
    endpoint: LineGiftEndpointName,
    answer: Answer,
    what: string
  ) {
    return new LineGiftApiError({
      kind: "bad_response",
      endpoint,
      httpStatus: answer.status,
      attempts: answer.attempts,
      message: `LINE Gift ${endpoint} failed: unexpected answer (HTTP ${answer.status}): ${what}`,
    })
  }

  private toTokenSet(t: z.infer<typeof tokenResponseSchema>): TokenSet {
    const now = this.now()
    const accessTtl =
      t.expires_in && t.expires_in > 0
        ? t.expires_in
        : DEFAULT_ACCESS_TOKEN_TTL_SEC
    const refreshToken = t.refresh_token ?? null
    const refreshTtl =
      t.refresh_token_expires_in && t.refresh_token_expires_in > 0
        ? t.refresh_token_expires_in
        : DEFAULT_REFRESH_TOKEN_TTL_SEC
    return {
      accessToken: t.access_token,
      accessTokenExpiresAt: new Date(now + accessTtl * 1000),
      refreshToken,
      refreshTokenExpiresAt: refreshToken
        ? new Date(now + refreshTtl * 1000)
        : null,
    }
  }

  /** Removes secrets and token-looking query parameters from server-provided text; ≤ 200 chars. */
  private redact(text: string, secrets: string[]): string {
    let out = text
    for (const s of [this.clientSecret, ...secrets]) {
      if (s && s.length >= 4) out = out.split(s).join("[redacted]")
    }
    out = out.replace(
      /\b(access_token|refresh_token|client_secret|code)=([^&\s"']+)/gi,
      "$1=[redacted]"
    )
    out = out.replace(/\bBearer\s+[A-Za-z0-9._~+/=-]+/g, "Bearer [redacted]")
    return out.length > 200 ? `${out.slice(0, 197)}...` : out
  }
}

/** `{"code": 200, "item": {...}}` (observed). */
const itemEnvelopeSchema = z.object({ item: lineGiftItemSchema }).passthrough()

function clampPerPage(perPage: number | undefined): number {
  if (perPage === undefined || perPage === null || !Number.isFinite(perPage)) {
    return LINE_GIFT_MAX_PER_PAGE
  }
  return Math.min(LINE_GIFT_MAX_PER_PAGE, Math.max(1, Math.floor(perPage)))
}

function isUnauthorized(e: unknown): e is LineGiftApiError {
  return (
    isLineGiftApiError(e) &&
    e.kind === "auth" &&
    (e.code === 401 || (e.code === undefined && e.httpStatus === 401))
  )
}

function shortFailure(f: Failure): string {
  if (f.kind === "timeout" && f.httpStatus === undefined) return "timeout"
  if (f.kind === "network") return `network error ${f.netCode ?? "unknown"}`
  if (f.code !== undefined && f.code !== f.httpStatus)
    return `code ${f.code} in HTTP ${f.httpStatus}`
  return `HTTP ${f.httpStatus}`
}
