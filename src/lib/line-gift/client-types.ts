/**
 * Public types and constants of the LINE Gift client (re-exported by client.ts): token
 * pairs, the token store contract, HTTP options, the call observer's record, order pages.
 */
import type { LineGiftErrorKind } from "./errors"
import type { LineGiftEndpoints } from "./endpoints"

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
