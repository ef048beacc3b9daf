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
 *
 * Layout: ./types (public types), ./state (orders, calls, faults, tokens; state file),
 * ./faults (fault switches), ./tokens, ./http (request/reply plumbing), ./html (pages),
 * ./listener (server lifecycle), ./routes/* (oauth, orders, deliveries, items, control).
 * This file wires them: `createSandbox` and the request dispatcher.
 */
import type * as http from "node:http"
import { API_KINDS, hits, takeCountedFault } from "./faults"
import {
  BadRequest,
  classify,
  json,
  parseBody,
  readBody,
  send,
  type Reply,
} from "./http"
import { SandboxListener } from "./listener"
import { handleControl } from "./routes/control"
import { handleDelivery } from "./routes/deliveries"
import { handleItem, handleItems } from "./routes/items"
import { handleAuthorize, handleRefresh, handleToken } from "./routes/oauth"
import { handleOrderSearch } from "./routes/orders"
import * as shapeRules from "./shapes"
import { SandboxState, resolveOptions } from "./state"
import { expireAccessTokens, issueTokensFor } from "./tokens"
import type { Kind, Sandbox, SandboxCall, SandboxOptions } from "./types"

export type { SandboxOrder } from "./seed"
export type { SandboxShapes } from "./shapes"
export {
  SANDBOX_DEFAULT_CLIENT,
  type FaultTarget,
  type Sandbox,
  type SandboxCall,
  type SandboxFaults,
  type SandboxOptions,
} from "./types"

/** A request as the dispatcher sees it, once logged in `calls`. */
type Incoming = {
  req: http.IncomingMessage
  res: http.ServerResponse
  method: string
  path: string
  query: Record<string, string>
  kind: Kind
  params: Record<string, string>
  call: SandboxCall
}

/** Classifies the request (through the shapes' moved paths) and logs it in `calls`. */
function logRequest(
  state: SandboxState,
  req: http.IncomingMessage,
  res: http.ServerResponse
): Incoming {
  const method = (req.method ?? "GET").toUpperCase()
  const url = new URL(req.url ?? "/", "http://sandbox.invalid")
  const path = url.pathname
  const query: Record<string, string> = Object.fromEntries(url.searchParams)
  const { kind, params } = classify(
    method,
    shapeRules.routedPath(state.shapes, path)
  )
  const call: SandboxCall = {
    method,
    path,
    query,
    body: null,
    status: 0,
    kind,
    at: state.now(),
  }
  state.calls.push(call)
  return { req, res, method, path, query, kind, params, call }
}

/** The parsed body (also recorded on the call), or undefined once a 400 was sent. */
async function readRequestBody(
  r: Incoming
): Promise<Record<string, unknown> | null | undefined> {
  try {
    const body = parseBody(await readBody(r.req), r.req.headers["content-type"])
    r.call.body = body
    return body
  } catch (err) {
    const reason =
      err instanceof BadRequest ? err.message : "invalid request body"
    send(r.res, r.call, json(400, { code: 400, reason }), false)
    return undefined
  }
}

/**
 * The fault switches on an API call: outage (socket destroyed), delay, then the counted
 * faults. `answered`: the call is over (destroyed, gone during the delay, or answered by a
 * fault); `truncate`: answer it normally but with its JSON cut in half.
 */
async function applyFaults(
  state: SandboxState,
  listener: SandboxListener,
  r: Incoming
): Promise<{ answered: boolean; truncate: boolean }> {
  if (!API_KINDS.has(r.kind)) return { answered: false, truncate: false }
  if (state.faults.outage) {
    r.call.status = 0
    r.req.socket.destroy()
    return { answered: true, truncate: false }
  }
  const { delayMs, delayOn } = state.faults
  if (delayMs && hits(delayOn, r.kind)) {
    await listener.sleep(delayMs)
    if (r.res.destroyed || r.req.socket.destroyed || !listener.listening)
      return { answered: true, truncate: false }
  }
  const { reply, truncate } = takeCountedFault(state.faults, r.kind)
  if (reply) {
    send(r.res, r.call, reply, false)
    return { answered: true, truncate: false }
  }
  return { answered: false, truncate }
}

/** The LINE Gift API (and authorize page) routes, by call kind. */
function route(
  state: SandboxState,
  r: Incoming,
  body: Record<string, unknown> | null
): Reply {
  const { req, method, query, params } = r
  switch (r.kind) {
    case "authorize":
      return handleAuthorize(state, method, query, body)
    case "token":
      return handleToken(state, body)
    case "refresh":
      return handleRefresh(state, body)
    case "order_search":
      return handleOrderSearch(state, query)
    case "delivery":
      return handleDelivery(state, req, query, params.id, body)
    case "items":
      return handleItems(state, query, req)
    case "item":
      return handleItem(state, query, req, params.item_id)
    case "control":
    case "unknown":
      return json(404, { code: 404, reason: `not found: ${method} ${r.path}` })
  }
}

/** Handles one request: log, body, control API or faults + route, answer, save state. */
async function handle(
  sandbox: Sandbox,
  state: SandboxState,
  listener: SandboxListener,
  req: http.IncomingMessage,
  res: http.ServerResponse
): Promise<void> {
  const r = logRequest(state, req, res)
  const body = await readRequestBody(r)
  if (body === undefined) return
  if (r.kind === "control") {
    const reply = handleControl(sandbox, state, r.method, r.path, body, r.call)
    send(res, r.call, reply, false)
    state.saveState()
    return
  }
  const { answered, truncate } = await applyFaults(state, listener, r)
  if (answered) return
  send(res, r.call, route(state, r, body), truncate)
  state.saveState()
}

/**
 * Creates a sandbox (not listening yet: call `listen`). See `SandboxOptions` for defaults.
 * Orders are seeded from `seed` relative to `now()` at creation (and again on `reset`).
 */
export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const state = new SandboxState(resolveOptions(options))
  const listener: SandboxListener = new SandboxListener(
    (req, res): Promise<void> => handle(sandbox, state, listener, req, res)
  )
  const sandbox: Sandbox = {
    listen: (port, host) => listener.listen(port, host),
    close: () => listener.close(),
    get url() {
      return listener.url
    },
    get orders() {
      return state.orders
    },
    get calls() {
      return state.calls
    },
    clearCalls: () => {
      state.calls = []
    },
    setFaults: (partial) => state.setFaults(partial),
    clearFaults: () => {
      state.faults = {}
    },
    setShapes: (next) => state.setShapes(next),
    reset: () => state.reset(),
    clearOrders: () => state.clearOrders(),
    addOrder: (partial) => state.addOrder(partial),
    updateOrder: (id, patch) => state.updateOrder(id, patch),
    getOrder: (id) => state.getOrder(id),
    issueTokens: (clientId) => issueTokensFor(state, clientId),
    expireAccessTokens: () => expireAccessTokens(state),
  }
  return sandbox
}
