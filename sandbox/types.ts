/**
 * The sandbox's public surface: its options, the `Sandbox` object, the fault switches, the
 * call log entries and the default test app. Implemented by ./server (`createSandbox`).
 */
import type { SandboxOrder } from "./seed"
import type { SandboxShapes } from "./shapes"

/**
 * Which API calls a fault hits (default "all"): "orders" = order search, "token" = code
 * exchange and refresh, "delivery" = shipment updates, "items" = item list and item.
 * Faults never hit the `/__sandbox` control endpoints nor the HTML authorize page.
 */
export type FaultTarget = "all" | "orders" | "token" | "delivery" | "items"

/**
 * Fault switches. Counted faults (`count`) hit the next `count` matching calls, then disarm
 * themselves. When several are armed, a call takes the first that matches in this order:
 * outage, (delay, then) rateLimit, httpError, bodyError, truncatedJson.
 */
export type SandboxFaults = {
  /** Next `count` matching calls answer HTTP 200 `{"code": code, "reason": reason}` (not processed). */
  bodyError?: { count: number; code: number; reason?: string; on?: FaultTarget }
  /** Next `count` matching calls answer HTTP `status` with `{"code": status, "reason": "..."}` (not processed). */
  httpError?: { count: number; status: number; on?: FaultTarget }
  /** Next `count` matching calls answer HTTP 429 with `Retry-After: retryAfterSec` (seconds; not processed). */
  rateLimit?: { count: number; retryAfterSec: number; on?: FaultTarget }
  /**
   * Next `count` matching calls answer with their normal status but the JSON body cut in half.
   * The call IS processed (a truncated delivery answer still ships the order), like a real
   * connection that breaks after the server did the work.
   */
  truncatedJson?: { count: number; on?: FaultTarget }
  /** Every matching call is answered after `delayMs` milliseconds. */
  delayMs?: number
  /** Which calls `delayMs` hits (default "all"). */
  delayOn?: FaultTarget
  /** Order search also returns three odd orders on page 1: no id and price "abc" (malformed), and a status code LINE Gift might add later. */
  malformedOrders?: boolean
  /** Order search paging numbers are sent as strings ("3"). */
  stringPaging?: boolean
  /** Every API call: the socket is destroyed without an answer (the client sees a network error). */
  outage?: boolean
  /** An expired/invalid access token is answered HTTP 200 `{"code":401,...}` instead of HTTP 401. */
  expiredAsBodyError?: boolean
  /** Order search sends digit-only ids (order, item, variation) as bare JSON numbers, digit for digit (see ./real-data). */
  bareNumberIds?: boolean
  /** Order search ignores `page`: every page is page 1 again, with `total_pages` 1,000,000 (see ./real-data). */
  repeatingPage?: boolean
}

/**
 * One request the sandbox received (including rejected ones), in arrival order.
 * `path` has no query string; `query` holds its parameters (last value wins); `body` is the
 * parsed form or JSON body (null when empty or unparseable); `status` is the HTTP status
 * answered (0 while pending, or when the socket was destroyed by an outage); `at` is the
 * sandbox clock in milliseconds when the request arrived.
 */
export type SandboxCall = {
  method: string
  path: string
  query: Record<string, string>
  body: Record<string, unknown> | null
  status: number
  kind:
    | "authorize"
    | "token"
    | "refresh"
    | "order_search"
    | "delivery"
    | "items"
    | "item"
    | "control"
    | "unknown"
  at: number
}

/** Options of `createSandbox`. Durations are seconds unless named `…Ms`. */
export type SandboxOptions = {
  /** PRNG seed of the seeded orders and stock; default 20261129. */
  seed?: number
  /** Number of seeded orders; default 300. */
  orderCount?: number
  /** Clock in milliseconds; default Date.now. Orders are seeded relative to it; token expiry follows it. */
  now?: () => number
  /** Registered apps; default `[{ clientId: "sandbox-client-id", clientSecret: "sandbox-client-secret" }]`. */
  clients?: Array<{ clientId: string; clientSecret: string }>
  /** Access token lifetime in seconds; default 60 days. */
  accessTokenTtlSec?: number
  /** Refresh token lifetime in seconds; default 90 days. */
  refreshTokenTtlSec?: number
  /** Default true: token answers include `expires_in` and `refresh_token_expires_in` (seconds). */
  includeExpiresIn?: boolean
  /** Default false. true: `GET /oauth2/authorize` redirects at once with a code (no page). */
  autoApprove?: boolean
  /**
   * A JSON file that keeps the sandbox's state (orders, tokens) across restarts, so that the
   * demo and `npm run dev` see the same "LINE Gift". Loaded at creation when it exists and was
   * written with the same seed; written after every request. Default: none (in memory only).
   */
  stateFile?: string
}

/** A running (or ready-to-run) sandbox. See the module docstring for the HTTP surface. */
export interface Sandbox {
  /** Starts listening (default port 0 = ephemeral, host 127.0.0.1; loopback hosts only); resolves the base URL "http://127.0.0.1:PORT". */
  listen(port?: number, host?: string): Promise<string>
  /** Stops listening and destroys open sockets (so jest does not hang). Safe to call twice. */
  close(): Promise<void>
  /** Base URL once listening ("" before). */
  readonly url: string
  /** Live orders (the served state; delivery calls and updateOrder mutate these objects). */
  readonly orders: SandboxOrder[]
  /** Every request received, in arrival order (including rejected ones). */
  readonly calls: SandboxCall[]
  /** Empties the call log. */
  clearCalls(): void
  /** Merges fault switches into the current ones (`undefined`/`null` or count 0 removes one). @throws on an invalid value. */
  setFaults(faults: Partial<SandboxFaults>): void
  /** Removes every fault switch. */
  clearFaults(): void
  /** Answers in "other shapes" (moved paths, JSON-only shipment call, …; see ./shapes). Replaces the current shapes; `{}` restores the documented ones. @throws on an invalid value. */
  setShapes(shapes: SandboxShapes): void
  /** Reseeds the orders (relative to now()), clears faults, calls, authorization codes and tokens. */
  reset(): void
  /** Removes every order, keeping tokens, faults and calls; later orders get new, higher ids (the bench's rounds). */
  clearOrders(): void
  /** Adds an order: realistic defaults (new id, bought_on = now, status "payment", address, item…), then `partial` on top. @throws on a duplicate id. */
  addOrder(partial: Partial<SandboxOrder>): SandboxOrder
  /** Applies `patch` to the live order (an `undefined` value deletes that field). @throws if the id is unknown. */
  updateOrder(id: string, patch: Partial<SandboxOrder>): SandboxOrder
  /** The live order with that id, if any. */
  getOrder(id: string): SandboxOrder | undefined
  /** Mints a valid token pair for `clientId` (default: the first client) without OAuth. @throws on an unknown client. */
  issueTokens(clientId?: string): {
    access_token: string
    refresh_token: string
  }
  /** Every access token issued so far is now expired (→ 401, or body 401 with expiredAsBodyError). */
  expireAccessTokens(): void
}

/** The sandbox's default test app (printed by the CLI; never a real credential). */
export const SANDBOX_DEFAULT_CLIENT = Object.freeze({
  clientId: "sandbox-client-id",
  clientSecret: "sandbox-client-secret",
})

/** What kind of call a request is (the `kind` of a `SandboxCall`). */
export type Kind = SandboxCall["kind"]
