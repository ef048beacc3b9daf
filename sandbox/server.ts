/**
 * The LINE Gift sandbox: a small local stand-in for LINE Gift's partner API.
 *
 * It serves BOTH LINE Gift hosts (the orders host and the shop-admin/OAuth host) on one
 * loopback port, with exactly the paths of shared/line-gift-api.md:
 *
 * | call | path |
 * | --- | --- |
 * | authorize page (HTML) | `GET/POST /oauth2/authorize` |
 * | code exchange | `POST /api/v1/oauth2/token` |
 * | refresh (rotating, single-use) | `POST /api/v1/oauth2/token/refresh` |
 * | order search | `GET /shop/api/1/order/search?access_token&page&per_page` |
 * | shipment update | `POST /shop/api/1/order/{id}/delivery?access_token` |
 * | item list / item | `GET /api/v1/shops/{shop_id}/items[/{item_id}]` (query token or Bearer) |
 * | control API | `/__sandbox/...` (calls, faults, reset, orders, tokens) |
 *
 * Orders are seeded deterministically (see ./seed). Faults (body-level errors, HTTP errors,
 * 429 with Retry-After, truncated JSON, delays, malformed orders, string paging numbers,
 * outages, expired tokens) are switched on programmatically (`setFaults`) or over HTTP
 * (`POST /__sandbox/faults`). Every request is logged in `calls`.
 *
 * Node's built-in `http` only; listens on loopback only; never prints anything.
 */
import * as fs from "node:fs"
import * as http from "node:http"
import * as nodePath from "node:path"
import type { Socket } from "node:net"
import { randomBytes } from "node:crypto"
import { CATALOGUE } from "./catalogue"
import * as shapeRules from "./shapes"
import type { SandboxShapes } from "./shapes"
import {
  parseJsonLossless,
  repeatingPageAnswer,
  stringifyLossless,
  withBareNumberIds,
} from "./real-data"
import {
  DAY_SEC,
  DEFAULT_ORDER_COUNT,
  DEFAULT_SEED,
  FIRST_ORDER_ID,
  ORDER_WINDOW_SEC,
  SANDBOX_ORDER_STATUSES,
  buildOrder,
  jstDate,
  malformedOrders,
  mulberry32,
  seedItemStock,
  seedOrders,
  type Rng,
  type SandboxOrder,
  type SandboxOrderStatus,
} from "./seed"

export type { SandboxOrder } from "./seed"
export type { SandboxShapes } from "./shapes"

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

/** Authorization codes live 10 minutes (in milliseconds). */
const CODE_TTL_MS = 10 * 60 * 1000
const MAX_BODY_BYTES = 1024 * 1024
const FAULT_TARGETS: readonly FaultTarget[] = [
  "all",
  "orders",
  "token",
  "delivery",
  "items",
]
type Kind = SandboxCall["kind"]
const API_KINDS: ReadonlySet<Kind> = new Set<Kind>([
  "token",
  "refresh",
  "order_search",
  "delivery",
  "items",
  "item",
])
const TARGET_KINDS: Record<FaultTarget, ReadonlySet<Kind>> = {
  all: API_KINDS,
  orders: new Set<Kind>(["order_search"]),
  token: new Set<Kind>(["token", "refresh"]),
  delivery: new Set<Kind>(["delivery"]),
  items: new Set<Kind>(["items", "item"]),
}

type Reply =
  | {
      type: "json"
      status: number
      body: unknown
      headers?: Record<string, string>
    }
  | { type: "html"; status: number; html: string }
  | { type: "redirect"; location: string }

type AccessRecord = { clientId: string; expiresAtMs: number; revoked: boolean }
type RefreshRecord = {
  clientId: string
  expiresAtMs: number
  used: boolean
  accessToken: string
}
type CodeRecord = {
  clientId: string
  redirectUri: string
  expiresAtMs: number
  used: boolean
}

class BadRequest extends Error {}

const json = (
  status: number,
  body: unknown,
  headers?: Record<string, string>
): Reply => ({
  type: "json",
  status,
  body,
  headers,
})

/** A non-empty trimmed string from a body/query value (numbers accepted), else "". */
function text(v: unknown): string {
  if (typeof v === "string") return v.trim()
  if (typeof v === "number" && Number.isFinite(v)) return String(v)
  return ""
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v)
}

function escapeHtml(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;")
}

function isLoopbackHost(host: string): boolean {
  return (
    host === "localhost" ||
    host === "::1" ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
  )
}

/** Parses an optional positive integer query parameter; NaN when present but invalid. */
function positiveInt(v: string | undefined, fallback: number): number {
  if (v === undefined || v === "") return fallback
  if (!/^\d+$/.test(v.trim())) return NaN
  const n = Number(v.trim())
  return n >= 1 ? n : NaN
}

function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url")
}

/**
 * Validates a partial `SandboxFaults` (from code or from `POST /__sandbox/faults`).
 * Returns the keys to set, and the keys to remove (null/undefined values, count 0, delayMs 0, false).
 * @throws BadRequest naming the offending field.
 */
function normalizeFaults(input: unknown): {
  set: SandboxFaults
  remove: Array<keyof SandboxFaults>
} {
  if (!isObject(input)) throw new BadRequest("faults must be a JSON object")
  const set: SandboxFaults = {}
  const remove: Array<keyof SandboxFaults> = []
  const target = (v: unknown, name: string): FaultTarget | undefined => {
    if (v === undefined || v === null) return undefined
    if (typeof v !== "string" || !FAULT_TARGETS.includes(v as FaultTarget)) {
      throw new BadRequest(`${name} must be one of ${FAULT_TARGETS.join(", ")}`)
    }
    return v as FaultTarget
  }
  const nonNegInt = (v: unknown, name: string): number => {
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0) {
      throw new BadRequest(`${name} must be a non-negative integer`)
    }
    return v
  }
  for (const [key, value] of Object.entries(input)) {
    const k = key as keyof SandboxFaults
    if (value === undefined || value === null) {
      if (
        ![
          "bodyError",
          "httpError",
          "rateLimit",
          "truncatedJson",
          "delayMs",
          "delayOn",
          "malformedOrders",
          "stringPaging",
          "outage",
          "expiredAsBodyError",
          "bareNumberIds",
          "repeatingPage",
        ].includes(key)
      ) {
        throw new BadRequest(`unknown fault "${key}"`)
      }
      remove.push(k)
      continue
    }
    switch (key) {
      case "bodyError":
      case "httpError":
      case "rateLimit":
      case "truncatedJson": {
        if (!isObject(value)) throw new BadRequest(`${key} must be an object`)
        const count = nonNegInt(value.count, `${key}.count`)
        if (count === 0) {
          remove.push(k)
          break
        }
        const on = target(value.on, `${key}.on`)
        if (key === "bodyError") {
          const code = value.code
          if (typeof code !== "number" || !Number.isInteger(code)) {
            throw new BadRequest("bodyError.code must be an integer")
          }
          if (value.reason !== undefined && typeof value.reason !== "string") {
            throw new BadRequest("bodyError.reason must be a string")
          }
          set.bodyError = {
            count,
            code,
            reason: value.reason as string | undefined,
            on,
          }
        } else if (key === "httpError") {
          const status = value.status
          if (
            typeof status !== "number" ||
            !Number.isInteger(status) ||
            status < 400 ||
            status > 599
          ) {
            throw new BadRequest(
              "httpError.status must be an HTTP error status (400–599)"
            )
          }
          set.httpError = { count, status, on }
        } else if (key === "rateLimit") {
          set.rateLimit = {
            count,
            retryAfterSec: nonNegInt(
              value.retryAfterSec,
              "rateLimit.retryAfterSec"
            ),
            on,
          }
        } else {
          set.truncatedJson = { count, on }
        }
        break
      }
      case "delayMs": {
        const ms = nonNegInt(value, "delayMs")
        if (ms === 0) remove.push("delayMs")
        else set.delayMs = ms
        break
      }
      case "delayOn":
        set.delayOn = target(value, "delayOn")
        break
      case "malformedOrders":
      case "stringPaging":
      case "outage":
      case "expiredAsBodyError":
      case "bareNumberIds":
      case "repeatingPage":
        if (typeof value !== "boolean")
          throw new BadRequest(`${key} must be true or false`)
        if (value) set[key] = true
        else remove.push(k)
        break
      default:
        throw new BadRequest(`unknown fault "${key}"`)
    }
  }
  return { set, remove }
}

/** Parses a request body: JSON (application/json or anything starting with "{"), else form-urlencoded. */
function parseBody(
  raw: string,
  contentType: string | undefined
): Record<string, unknown> | null {
  if (!raw.trim()) return null
  const type = (contentType ?? "").toLowerCase()
  if (
    type.includes("application/json") ||
    (!type.includes("urlencoded") && raw.trim().startsWith("{"))
  ) {
    const parsed: unknown = parseJsonLossless(raw)
    if (!isObject(parsed))
      throw new BadRequest("the JSON body must be an object")
    return parsed
  }
  return Object.fromEntries(new URLSearchParams(raw))
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on("data", (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        reject(new BadRequest("request body too large"))
        req.destroy()
        return
      }
      chunks.push(chunk)
    })
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
    req.on("error", reject)
  })
}

/** Classifies a request; `params` carries path parameters. */
function classify(
  method: string,
  path: string
): { kind: Kind; params: Record<string, string> } {
  const p = path.length > 1 ? path.replace(/\/+$/, "") : path
  if (p === "/__sandbox" || p.startsWith("/__sandbox/"))
    return { kind: "control", params: {} }
  if (p === "/oauth2/authorize" && (method === "GET" || method === "POST")) {
    return { kind: "authorize", params: {} }
  }
  if (method === "POST" && p === "/api/v1/oauth2/token")
    return { kind: "token", params: {} }
  if (method === "POST" && p === "/api/v1/oauth2/token/refresh")
    return { kind: "refresh", params: {} }
  if (method === "GET" && p === "/shop/api/1/order/search")
    return { kind: "order_search", params: {} }
  let m = /^\/shop\/api\/1\/order\/([^/]+)\/delivery$/.exec(p)
  if (method === "POST" && m)
    return { kind: "delivery", params: { id: safeDecode(m[1]) } }
  m = /^\/api\/v1\/shops\/([^/]+)\/items$/.exec(p)
  if (method === "GET" && m)
    return { kind: "items", params: { shop_id: safeDecode(m[1]) } }
  m = /^\/api\/v1\/shops\/([^/]+)\/items\/([^/]+)$/.exec(p)
  if (method === "GET" && m) {
    return {
      kind: "item",
      params: { shop_id: safeDecode(m[1]), item_id: safeDecode(m[2]) },
    }
  }
  return { kind: "unknown", params: {} }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

/** The HTML page shell (Japanese, with English subtitles). */
function page(title: string, bodyHtml: string): string {
  return `<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: "Hiragino Sans", "Noto Sans JP", system-ui, sans-serif; background: #f5f6f7; color: #1e1e1e; margin: 0; }
  main { max-width: 34rem; margin: 3rem auto; background: #fff; border-radius: 12px; padding: 2rem; box-shadow: 0 1px 4px rgba(0,0,0,.12); }
  h1 { font-size: 1.25rem; margin: 0 0 .25rem; }
  .en { color: #666; font-size: .85rem; margin: 0 0 1rem; }
  .badge { display: inline-block; background: #fff4d6; color: #7a5200; border-radius: 4px; padding: .15rem .5rem; font-size: .8rem; margin-bottom: 1rem; }
  dl { background: #f5f6f7; border-radius: 8px; padding: .75rem 1rem; }
  dt { font-size: .8rem; color: #666; } dd { margin: 0 0 .5rem; word-break: break-all; }
  .buttons { display: flex; gap: .75rem; margin-top: 1.5rem; }
  button { flex: 1; border: 0; border-radius: 8px; padding: .8rem; font-size: 1rem; cursor: pointer; }
  button small { display: block; font-size: .75rem; opacity: .85; }
  #approve { background: #06c755; color: #fff; } #deny { background: #e9ebee; color: #1e1e1e; }
  .note { font-size: .8rem; color: #666; margin-top: 1.5rem; }
  .error { color: #b00020; }
</style>
</head>
<body>
<main>
<span class="badge">ローカル サンドボックス / Local sandbox</span>
${bodyHtml}
<p class="note">これはローカルのサンドボックス (テスト用の模擬サーバー) です。本物のLINEギフトやLINEアカウントには接続していません。<br>
<span class="en">This is a local sandbox (a stand-in server for tests and demos). It is not connected to the real LINE Gift or to any LINE account.</span></p>
</main>
</body>
</html>
`
}

function errorPage(problems: string[]): Reply {
  const items = problems.map((p) => `<li>${escapeHtml(p)}</li>`).join("\n")
  return {
    type: "html",
    status: 400,
    html: page(
      "LINEギフト サンドボックス — リクエストエラー",
      `<h1 class="error">リクエストが正しくありません</h1>
<p class="en">Bad request: this authorization request cannot be processed.</p>
<ul>
${items}
</ul>
<p>連携元のアプリの設定 (client_id と Redirect URI) を確認してください。<br>
<span class="en">Check the connecting app's settings (client_id and redirect URI). Sandbox client: <code>${escapeHtml(SANDBOX_DEFAULT_CLIENT.clientId)}</code>.</span></p>`
    ),
  }
}

/**
 * Creates a sandbox (not listening yet: call `listen`). See `SandboxOptions` for defaults.
 * Orders are seeded from `seed` relative to `now()` at creation (and again on `reset`).
 */
export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const seed = options.seed ?? DEFAULT_SEED
  const orderCount = options.orderCount ?? DEFAULT_ORDER_COUNT
  const now = options.now ?? Date.now
  const clients = (
    options.clients?.length ? options.clients : [SANDBOX_DEFAULT_CLIENT]
  ).map((c) => ({
    clientId: c.clientId,
    clientSecret: c.clientSecret,
  }))
  const accessTtlSec = options.accessTokenTtlSec ?? 60 * DAY_SEC
  const refreshTtlSec = options.refreshTokenTtlSec ?? 90 * DAY_SEC
  const includeExpiresIn = options.includeExpiresIn ?? true
  const autoApprove = options.autoApprove ?? false
  const nowSec = () => Math.floor(now() / 1000)

  let orders: SandboxOrder[] = []
  let calls: SandboxCall[] = []
  let faults: SandboxFaults = {}
  let shapes: SandboxShapes = {}
  let codes = new Map<string, CodeRecord>()
  let accessTokens = new Map<string, AccessRecord>()
  let refreshTokens = new Map<string, RefreshRecord>()
  let addRng: Rng = mulberry32(0)
  const stock = seedItemStock(seed)

  function reseed(): void {
    orders = seedOrders(seed, orderCount, nowSec())
    addRng = mulberry32((seed ^ 0x00add0dd) >>> 0)
  }
  reseed()

  const stateFile = options.stateFile
  function loadState(): void {
    if (!stateFile || !fs.existsSync(stateFile)) return
    try {
      const state = JSON.parse(fs.readFileSync(stateFile, "utf8"))
      if (state.seed !== seed || !Array.isArray(state.orders)) return
      orders = state.orders
      accessTokens = new Map(state.accessTokens ?? [])
      refreshTokens = new Map(state.refreshTokens ?? [])
    } catch {
      // A damaged state file: start from the seed again.
    }
  }
  function saveState(): void {
    if (!stateFile) return
    fs.mkdirSync(nodePath.dirname(stateFile), { recursive: true })
    const tmp = `${stateFile}.tmp`
    fs.writeFileSync(
      tmp,
      JSON.stringify({
        seed,
        orders,
        accessTokens: [...accessTokens.entries()],
        refreshTokens: [...refreshTokens.entries()],
      })
    )
    fs.renameSync(tmp, stateFile)
  }
  loadState()

  let server: http.Server | undefined
  let baseUrl = ""
  const sockets = new Set<Socket>()
  const timers = new Set<NodeJS.Timeout>()

  // ----------------------------------------------------------------------- tokens

  function issuePair(clientId: string): {
    access_token: string
    refresh_token: string
  } {
    const access = randomToken()
    const refresh = randomToken()
    const t = now()
    accessTokens.set(access, {
      clientId,
      expiresAtMs: t + accessTtlSec * 1000,
      revoked: false,
    })
    refreshTokens.set(refresh, {
      clientId,
      expiresAtMs: t + refreshTtlSec * 1000,
      used: false,
      accessToken: access,
    })
    return { access_token: access, refresh_token: refresh }
  }

  function tokenAnswer(pair: {
    access_token: string
    refresh_token: string
  }): Record<string, unknown> {
    return includeExpiresIn
      ? {
          ...pair,
          expires_in: accessTtlSec,
          refresh_token_expires_in: refreshTtlSec,
        }
      : { ...pair }
  }

  function validAccess(token: string | undefined): AccessRecord | undefined {
    if (!token) return undefined
    const rec = accessTokens.get(token)
    if (!rec || rec.revoked || now() >= rec.expiresAtMs) return undefined
    return rec
  }

  function unauthorized(): Reply {
    const body = { code: 401, reason: "invalid access_token" }
    return faults.expiredAsBodyError
      ? json(200, body)
      : json(401, body, { "WWW-Authenticate": 'Bearer error="invalid_token"' })
  }

  function clientError(
    body: Record<string, unknown> | null
  ): Reply | { clientId: string } {
    const id = text(body?.client_id)
    const secret =
      typeof body?.client_secret === "string" ? body.client_secret : ""
    const client = clients.find((c) => c.clientId === id)
    if (!client || client.clientSecret !== secret)
      return json(401, { code: 401, reason: "invalid_client" })
    return { clientId: client.clientId }
  }

  // ----------------------------------------------------------------------- handlers

  function handleAuthorize(
    method: string,
    query: Record<string, string>,
    body: Record<string, unknown> | null
  ): Reply {
    const src: Record<string, unknown> =
      method === "POST" ? { ...query, ...(body ?? {}) } : query
    const clientId = text(src.client_id)
    const redirectUri = text(src.redirect_uri)
    const responseType = text(src.response_type)
    const state = typeof src.state === "string" ? src.state : ""
    const problems: string[] = []
    if (!clientId)
      problems.push("client_id がありません。 / client_id is missing.")
    else if (!clients.some((c) => c.clientId === clientId)) {
      problems.push(
        `client_id「${clientId}」は登録されていません。 / Unknown client_id "${clientId}".`
      )
    }
    let redirect: URL | undefined
    if (!redirectUri)
      problems.push("redirect_uri がありません。 / redirect_uri is missing.")
    else {
      try {
        redirect = new URL(redirectUri)
        if (redirect.protocol !== "http:" && redirect.protocol !== "https:")
          throw new Error("scheme")
      } catch {
        redirect = undefined
        problems.push(
          `redirect_uri が http(s) の URL ではありません。 / redirect_uri is not an http(s) URL: "${redirectUri}".`
        )
      }
    }
    if (responseType !== "code") {
      problems.push(
        `response_type は "code" である必要があります。 / response_type must be "code" (got "${responseType}").`
      )
    }
    if (problems.length || !redirect) return errorPage(problems)

    const decision =
      method === "POST" ? text(src.decision) : autoApprove ? "approve" : ""
    if (decision === "approve") {
      const code = randomToken(24)
      codes.set(code, {
        clientId,
        redirectUri,
        expiresAtMs: now() + CODE_TTL_MS,
        used: false,
      })
      redirect.searchParams.set("code", code)
      if (state) redirect.searchParams.set("state", state)
      return { type: "redirect", location: redirect.toString() }
    }
    if (decision === "deny") {
      redirect.searchParams.set("error", "access_denied")
      if (state) redirect.searchParams.set("state", state)
      return { type: "redirect", location: redirect.toString() }
    }
    if (method === "POST")
      return errorPage([
        `decision は approve か deny です。 / decision must be "approve" or "deny".`,
      ])

    const hidden = (name: string, value: string) =>
      `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`
    return {
      type: "html",
      status: 200,
      html: page(
        "LINEギフト サンドボックス — アプリ連携の承認",
        `<h1>LINEギフト サンドボックス — アプリ連携の承認</h1>
<p class="en">LINE Gift sandbox — Authorize app connection</p>
<p>次のアプリが、あなたのショップの注文情報の取得と発送情報の登録を求めています。<br>
<span class="en">The app below asks to read your shop's orders and to register shipments.</span></p>
<dl>
<dt>アプリ (Client ID)</dt><dd><code id="client-id">${escapeHtml(clientId)}</code></dd>
<dt>連携後の戻り先 (Redirect URI)</dt><dd><code>${escapeHtml(redirectUri)}</code></dd>
</dl>
<form method="post" action="/oauth2/authorize">
${hidden("client_id", clientId)}
${hidden("redirect_uri", redirectUri)}
${hidden("state", state)}
${hidden("response_type", responseType)}
<div class="buttons">
<button type="submit" name="decision" value="approve" id="approve">許可する<small>Approve</small></button>
<button type="submit" name="decision" value="deny" id="deny">拒否する<small>Deny</small></button>
</div>
</form>`
      ),
    }
  }

  function handleToken(body: Record<string, unknown> | null): Reply {
    const client = clientError(body)
    if ("type" in client) return client
    const grant = text(body?.grant_type)
    if (grant !== "authorization_code") {
      return json(400, {
        code: 400,
        reason: `unsupported_grant_type: expected authorization_code, got "${grant}"`,
      })
    }
    const code = text(body?.code)
    if (!code)
      return json(400, {
        code: 400,
        reason: "invalid_request: code is required",
      })
    const rec = codes.get(code)
    if (!rec)
      return json(400, {
        code: 400,
        reason: "invalid_grant: unknown authorization code",
      })
    if (rec.used)
      return json(400, {
        code: 400,
        reason: "invalid_grant: authorization code already used",
      })
    if (now() >= rec.expiresAtMs)
      return json(400, {
        code: 400,
        reason: "invalid_grant: authorization code expired",
      })
    if (rec.clientId !== client.clientId) {
      return json(400, {
        code: 400,
        reason:
          "invalid_grant: authorization code was issued to another client",
      })
    }
    if (text(body?.redirect_uri) !== rec.redirectUri) {
      return json(400, {
        code: 400,
        reason:
          "invalid_grant: redirect_uri does not match the authorization request",
      })
    }
    rec.used = true
    if (shapes.revokeOnReauthorize) {
      for (const r of refreshTokens.values())
        if (r.clientId === client.clientId) r.used = true
      for (const a of accessTokens.values())
        if (a.clientId === client.clientId) a.revoked = true
    }
    return json(200, tokenAnswer(issuePair(client.clientId)))
  }

  function handleRefresh(body: Record<string, unknown> | null): Reply {
    const client = clientError(body)
    if ("type" in client) return client
    const grant = text(body?.grant_type)
    if (grant !== "refresh_token") {
      return json(400, {
        code: 400,
        reason: `unsupported_grant_type: expected refresh_token, got "${grant}"`,
      })
    }
    const token = text(body?.refresh_token)
    if (!token)
      return json(400, {
        code: 400,
        reason: "invalid_request: refresh_token is required",
      })
    const rec = refreshTokens.get(token)
    if (!rec)
      return json(400, {
        code: 400,
        reason: "invalid_grant: unknown refresh_token",
      })
    if (rec.used)
      return json(400, {
        code: 400,
        reason: "invalid_grant: refresh_token already used",
      })
    if (now() >= rec.expiresAtMs)
      return json(400, {
        code: 400,
        reason: "invalid_grant: refresh_token expired",
      })
    if (rec.clientId !== client.clientId) {
      return json(400, {
        code: 400,
        reason: "invalid_grant: refresh_token was issued to another client",
      })
    }
    rec.used = true
    const old = accessTokens.get(rec.accessToken)
    if (old) old.revoked = true
    return json(200, tokenAnswer(issuePair(client.clientId)))
  }

  function handleOrderSearch(query: Record<string, string>): Reply {
    if (!validAccess(query.access_token)) return unauthorized()
    const page = positiveInt(query.page, 1)
    if (Number.isNaN(page))
      return json(400, { code: 400, reason: "page must be a positive integer" })
    const requested = positiveInt(query.per_page, 100)
    if (Number.isNaN(requested))
      return json(400, {
        code: 400,
        reason: "per_page must be a positive integer",
      })
    const perPage = Math.min(100, requested)
    const t = nowSec()
    let list: Array<Record<string, unknown>> = orders.filter(
      (o) =>
        typeof o.bought_on !== "number" || o.bought_on >= t - ORDER_WINDOW_SEC
    )
    if (faults.malformedOrders) list = [...malformedOrders(seed, t), ...list]
    const totalEntries = list.length
    const totalPages = Math.ceil(totalEntries / perPage)
    if (faults.repeatingPage)
      return json(200, repeatingPageAnswer(list, perPage))
    const slice = list.slice((page - 1) * perPage, page * perPage)
    return json(200, {
      orders: faults.bareNumberIds ? slice.map(withBareNumberIds) : slice,
      paging: faults.stringPaging
        ? {
            total_pages: String(totalPages),
            total_entries: String(totalEntries),
          }
        : { total_pages: totalPages, total_entries: totalEntries },
    })
  }

  function handleDelivery(
    query: Record<string, string>,
    id: string,
    body: Record<string, unknown> | null
  ): Reply {
    if (!validAccess(query.access_token)) return unauthorized()
    const code = text(body?.delivery_code)
    const agent = text(body?.delivery_agent)
    if (!code)
      return json(400, { code: 400, reason: "delivery_code is required" })
    if (!agent)
      return json(400, { code: 400, reason: "delivery_agent is required" })
    const order = orders.find((o) => o.id === id)
    if (!order) return json(200, { code: 404, reason: "order not found" })
    if (order.status === "payment") {
      const t = nowSec()
      order.status = "received"
      order.delivery_code = code
      order.delivery_agent = agent
      order.delivered_on = t
      order.shipment_date = jstDate(t)
      return json(200, { code: 200 })
    }
    if (order.status === "received") {
      if (order.delivery_code !== code || order.delivery_agent !== agent) {
        order.delivery_code = code
        order.delivery_agent = agent
      }
      return json(200, { code: 200 })
    }
    return json(200, {
      code: 409,
      reason: `order status is ${order.status}: shipment cannot be registered`,
    })
  }

  function shopToken(
    query: Record<string, string>,
    req: http.IncomingMessage
  ): string | undefined {
    if (query.access_token) return query.access_token
    const auth = req.headers.authorization
    const m =
      typeof auth === "string" ? /^Bearer\s+(\S+)\s*$/i.exec(auth) : null
    return m?.[1]
  }

  function handleItems(
    query: Record<string, string>,
    req: http.IncomingMessage
  ): Reply {
    if (!validAccess(shopToken(query, req))) return unauthorized()
    const page = positiveInt(query.page, 1)
    const requested = positiveInt(query.per_page, 100)
    if (Number.isNaN(page) || Number.isNaN(requested)) {
      return json(400, {
        code: 400,
        reason: "page and per_page must be positive integers",
      })
    }
    const perPage = Math.min(100, requested)
    const items = CATALOGUE.map((i) => ({
      id: i.id,
      code: i.code,
      name: i.name,
      status: i.missing_from_medusa ? "stop" : "sale",
    }))
    return json(200, {
      items: items.slice((page - 1) * perPage, page * perPage),
      total_count: items.length,
    })
  }

  function handleItem(
    query: Record<string, string>,
    req: http.IncomingMessage,
    itemId: string
  ): Reply {
    if (!validAccess(shopToken(query, req))) return unauthorized()
    const item = CATALOGUE.find((i) => i.id === itemId)
    if (!item) return json(200, { code: 404, reason: "item not found" })
    const status = item.missing_from_medusa ? "stop" : "sale"
    return json(200, {
      code: 200,
      item: {
        id: item.id,
        code: item.code,
        name: item.name,
        status,
        price: item.price,
        variations: item.variations.map((v) => ({
          code: v.sku,
          name_main: v.name,
          name_sub: "",
          stock_count: stock[v.sku] ?? 0,
          status,
        })),
      },
    })
  }

  function handleControl(
    method: string,
    path: string,
    body: Record<string, unknown> | null,
    call: SandboxCall
  ): Reply {
    const p = path.length > 1 ? path.replace(/\/+$/, "") : path
    const sub = p.slice("/__sandbox".length)
    const orderMatch = /^\/orders\/([^/]+)$/.exec(sub)
    const ok = { ok: true }
    try {
      if (sub === "/calls" && method === "GET") {
        call.status = 200
        return json(200, calls)
      }
      if (sub === "/calls" && method === "DELETE") {
        sandbox.clearCalls()
        return json(200, ok)
      }
      if (sub === "/faults" && method === "GET") return json(200, faults)
      if (sub === "/faults" && method === "POST") {
        sandbox.setFaults((body ?? {}) as Partial<SandboxFaults>)
        return json(200, faults)
      }
      if (sub === "/shapes" && method === "POST") {
        sandbox.setShapes((body ?? {}) as SandboxShapes)
        return json(200, shapes)
      }
      if (sub === "/faults" && method === "DELETE") {
        sandbox.clearFaults()
        return json(200, faults)
      }
      if (sub === "/reset" && method === "POST") {
        sandbox.reset()
        return json(200, { ok: true, orders: orders.length })
      }
      if (sub === "/orders" && method === "GET") return json(200, orders)
      if (sub === "/orders" && method === "POST") {
        return json(
          200,
          sandbox.addOrder((body ?? {}) as Partial<SandboxOrder>)
        )
      }
      if (orderMatch && method === "GET") {
        const order = sandbox.getOrder(safeDecode(orderMatch[1]))
        return order
          ? json(200, order)
          : json(404, { code: 404, reason: "order not found" })
      }
      if (orderMatch && method === "PATCH") {
        const id = safeDecode(orderMatch[1])
        if (!sandbox.getOrder(id))
          return json(404, { code: 404, reason: "order not found" })
        return json(
          200,
          sandbox.updateOrder(id, (body ?? {}) as Partial<SandboxOrder>)
        )
      }
      if (sub === "/expire-access-tokens" && method === "POST") {
        sandbox.expireAccessTokens()
        return json(200, ok)
      }
      if (sub === "/tokens" && method === "POST") {
        const clientId = text(body?.client_id) || undefined
        return json(200, sandbox.issueTokens(clientId))
      }
    } catch (err) {
      return json(400, {
        code: 400,
        reason: err instanceof Error ? err.message : String(err),
      })
    }
    return json(404, {
      code: 404,
      reason: `unknown sandbox control endpoint: ${method} ${p}`,
    })
  }

  // ----------------------------------------------------------------------- faults

  function hits(on: FaultTarget | undefined, kind: Kind): boolean {
    return TARGET_KINDS[on ?? "all"].has(kind)
  }

  /** Decrements a counted fault; removes it when spent. */
  function consume(
    key: "bodyError" | "httpError" | "rateLimit" | "truncatedJson"
  ): void {
    const f = faults[key]
    if (!f) return
    f.count -= 1
    if (f.count <= 0) delete faults[key]
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer)
        resolve()
      }, ms)
      timers.add(timer)
    })
  }

  // ----------------------------------------------------------------------- dispatch

  function send(
    res: http.ServerResponse,
    call: SandboxCall,
    reply: Reply,
    truncate: boolean
  ): void {
    if (res.destroyed || res.writableEnded) return
    let status: number
    let type: string
    let payload: string
    const headers: Record<string, string> = { "Cache-Control": "no-store" }
    if (reply.type === "redirect") {
      status = 302
      type = "text/html; charset=utf-8"
      headers.Location = reply.location
      payload = `<!doctype html><a href="${escapeHtml(reply.location)}">redirect</a>`
    } else if (reply.type === "html") {
      status = reply.status
      type = "text/html; charset=utf-8"
      payload = reply.html
    } else {
      status = reply.status
      type = "application/json; charset=utf-8"
      Object.assign(headers, reply.headers ?? {})
      payload = stringifyLossless(reply.body)
      if (truncate) payload = payload.slice(0, Math.floor(payload.length / 2))
    }
    call.status = status
    headers["Content-Type"] = type
    headers["Content-Length"] = String(Buffer.byteLength(payload))
    res.writeHead(status, headers)
    res.end(payload)
  }

  async function handle(
    req: http.IncomingMessage,
    res: http.ServerResponse
  ): Promise<void> {
    const method = (req.method ?? "GET").toUpperCase()
    const url = new URL(req.url ?? "/", "http://sandbox.invalid")
    const path = url.pathname
    const query: Record<string, string> = Object.fromEntries(url.searchParams)
    const { kind, params } = classify(
      method,
      shapeRules.routedPath(shapes, path)
    )
    const call: SandboxCall = {
      method,
      path,
      query,
      body: null,
      status: 0,
      kind,
      at: now(),
    }
    calls.push(call)

    let body: Record<string, unknown> | null = null
    try {
      body = parseBody(await readBody(req), req.headers["content-type"])
      call.body = body
    } catch (err) {
      const reason =
        err instanceof BadRequest ? err.message : "invalid request body"
      send(res, call, json(400, { code: 400, reason }), false)
      return
    }

    if (kind === "control") {
      send(res, call, handleControl(method, path, body, call), false)
      saveState()
      return
    }

    let truncate = false
    if (API_KINDS.has(kind)) {
      if (faults.outage) {
        call.status = 0
        req.socket.destroy()
        return
      }
      if (faults.delayMs && hits(faults.delayOn, kind)) {
        await sleep(faults.delayMs)
        if (res.destroyed || req.socket.destroyed || !server) return
      }
      const { rateLimit, httpError, bodyError, truncatedJson } = faults
      if (rateLimit && hits(rateLimit.on, kind)) {
        consume("rateLimit")
        send(
          res,
          call,
          json(
            429,
            { code: 429, reason: "too many requests (sandbox fault)" },
            {
              "Retry-After": String(rateLimit.retryAfterSec),
            }
          ),
          false
        )
        return
      }
      if (httpError && hits(httpError.on, kind)) {
        consume("httpError")
        send(
          res,
          call,
          json(httpError.status, {
            code: httpError.status,
            reason: `sandbox fault: HTTP ${httpError.status}`,
          }),
          false
        )
        return
      }
      if (bodyError && hits(bodyError.on, kind)) {
        consume("bodyError")
        send(
          res,
          call,
          json(200, {
            code: bodyError.code,
            reason: bodyError.reason ?? "sandbox fault",
          }),
          false
        )
        return
      }
      if (truncatedJson && hits(truncatedJson.on, kind)) {
        consume("truncatedJson")
        truncate = true
      }
    }

    let reply: Reply
    switch (kind) {
      case "authorize":
        reply = handleAuthorize(method, query, body)
        break
      case "token":
        reply = handleToken(body)
        break
      case "refresh":
        reply = handleRefresh(body)
        break
      case "order_search":
        reply = handleOrderSearch(query)
        break
      case "delivery": {
        const rejected = shapeRules.deliveryBodyRejection(
          shapes,
          req.headers["content-type"],
          body
        )
        reply = rejected
          ? json(rejected.status, rejected.body)
          : handleDelivery(
              query,
              params.id,
              shapeRules.normalisedDeliveryBody(shapes, body)
            )
        break
      }
      case "items":
        reply = handleItems(query, req)
        break
      case "item":
        reply = handleItem(query, req, params.item_id)
        break
      default:
        reply = json(404, { code: 404, reason: `not found: ${method} ${path}` })
    }
    send(res, call, reply, truncate)
    saveState()
  }

  // ----------------------------------------------------------------------- public object

  const sandbox: Sandbox = {
    listen(port = 0, host = "127.0.0.1"): Promise<string> {
      if (server)
        return Promise.reject(
          new Error("the LINE Gift sandbox is already listening")
        )
      if (!isLoopbackHost(host)) {
        return Promise.reject(
          new Error(
            `the LINE Gift sandbox listens on loopback only, not "${host}"`
          )
        )
      }
      const srv = http.createServer((req, res) => {
        handle(req, res).catch(() => {
          if (!res.headersSent && !res.destroyed) {
            res.writeHead(500, {
              "Content-Type": "application/json; charset=utf-8",
            })
            res.end(
              JSON.stringify({ code: 500, reason: "sandbox internal error" })
            )
          } else {
            res.destroy()
          }
        })
      })
      srv.on("connection", (socket: Socket) => {
        sockets.add(socket)
        socket.on("close", () => sockets.delete(socket))
      })
      return new Promise((resolve, reject) => {
        const onError = (err: Error) => {
          srv.removeListener("listening", onListening)
          reject(err)
        }
        const onListening = () => {
          srv.removeListener("error", onError)
          const addr = srv.address()
          const actualPort = typeof addr === "object" && addr ? addr.port : port
          const shownHost = host.includes(":") ? `[${host}]` : host
          server = srv
          baseUrl = `http://${shownHost}:${actualPort}`
          resolve(baseUrl)
        }
        srv.once("error", onError)
        srv.once("listening", onListening)
        srv.listen(port, host)
      })
    },

    close(): Promise<void> {
      const srv = server
      server = undefined
      baseUrl = ""
      for (const t of timers) clearTimeout(t)
      timers.clear()
      if (!srv) return Promise.resolve()
      return new Promise((resolve) => {
        srv.close(() => resolve())
        for (const s of sockets) s.destroy()
        sockets.clear()
        srv.closeAllConnections?.()
      })
    },

    get url() {
      return baseUrl
    },
    get orders() {
      return orders
    },
    get calls() {
      return calls
    },

    clearCalls() {
      calls = []
    },

    setFaults(partial) {
      const { set, remove } = normalizeFaults(partial)
      const next: SandboxFaults = { ...faults, ...set }
      for (const k of remove) delete next[k]
      faults = next
    },

    clearFaults() {
      faults = {}
    },

    setShapes(next) {
      shapes = shapeRules.normaliseShapes(next ?? {})
    },

    reset() {
      reseed()
      faults = {}
      shapes = {}
      calls = []
      codes = new Map()
      accessTokens = new Map()
      refreshTokens = new Map()
    },

    addOrder(partial) {
      const p = (partial ?? {}) as Partial<SandboxOrder>
      if (p.id !== undefined && orders.some((o) => o.id === String(p.id))) {
        throw new Error(`order ${String(p.id)} already exists`)
      }
      const maxId = orders.reduce(
        (m, o) => (/^\d+$/.test(o.id) ? Math.max(m, Number(o.id)) : m),
        FIRST_ORDER_ID - 1
      )
      const t = nowSec()
      const status = (SANDBOX_ORDER_STATUSES as readonly string[]).includes(
        String(p.status)
      )
        ? (p.status as SandboxOrderStatus)
        : "payment"
      const boughtOn = typeof p.bought_on === "number" ? p.bought_on : t
      const order = buildOrder(
        addRng,
        String(maxId + 1),
        { status, boughtOn },
        Math.max(t, boughtOn)
      )
      for (const [k, v] of Object.entries(p)) {
        if (v === undefined) delete order[k]
        else order[k] = v
      }
      if (typeof order.id !== "string") order.id = String(order.id)
      orders.push(order)
      return order
    },

    updateOrder(id, patch) {
      const order = orders.find((o) => o.id === id)
      if (!order) throw new Error(`unknown sandbox order ${id}`)
      for (const [k, v] of Object.entries(patch ?? {})) {
        if (v === undefined) delete order[k]
        else order[k] = v
      }
      return order
    },

    getOrder(id) {
      return orders.find((o) => o.id === id)
    },

    issueTokens(clientId) {
      const client =
        clientId === undefined
          ? clients[0]
          : clients.find((c) => c.clientId === clientId)
      if (!client) throw new Error(`unknown sandbox client_id "${clientId}"`)
      return issuePair(client.clientId)
    },

    expireAccessTokens() {
      for (const rec of accessTokens.values()) rec.expiresAtMs = -Infinity
    },
  }
  return sandbox
}
