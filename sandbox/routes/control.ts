/**
 * The control API (`/__sandbox/...`): the public `Sandbox` methods over HTTP, for the CLI,
 * the demo and tests in another process. Calls, faults, shapes, reset, orders, tokens.
 * A method that throws answers HTTP 400 with its message; an unknown endpoint HTTP 404.
 */
import { json, safeDecode, text, trimmedPath, type Reply } from "../http"
import type { SandboxOrder } from "../seed"
import type { SandboxShapes } from "../shapes"
import type { SandboxState } from "../state"
import type { Sandbox, SandboxCall, SandboxFaults } from "../types"

/** One control request: method, sub-path after `/__sandbox`, body, and its call log entry. */
type ControlRequest = {
  method: string
  sub: string
  body: Record<string, unknown> | null
  call: SandboxCall
}

const OK = { ok: true }

/** The fixed endpoints, by `METHOD /sub-path`. */
const ENDPOINTS: Record<
  string,
  (sandbox: Sandbox, state: SandboxState, r: ControlRequest) => Reply
> = {
  "GET /calls": (_sandbox, state, { call }) => {
    // The answer lists this call too: show it as answered.
    call.status = 200
    return json(200, state.calls)
  },
  "DELETE /calls": (sandbox) => {
    sandbox.clearCalls()
    return json(200, OK)
  },
  "GET /faults": (_sandbox, state) => json(200, state.faults),
  "POST /faults": (sandbox, state, { body }) => {
    sandbox.setFaults((body ?? {}) as Partial<SandboxFaults>)
    return json(200, state.faults)
  },
  "POST /shapes": (sandbox, state, { body }) => {
    sandbox.setShapes((body ?? {}) as SandboxShapes)
    return json(200, state.shapes)
  },
  "DELETE /faults": (sandbox, state) => {
    sandbox.clearFaults()
    return json(200, state.faults)
  },
  "POST /reset": (sandbox, state) => {
    sandbox.reset()
    return json(200, { ok: true, orders: state.orders.length })
  },
  "GET /orders": (_sandbox, state) => json(200, state.orders),
  "POST /orders": (sandbox, _state, { body }) =>
    json(200, sandbox.addOrder((body ?? {}) as Partial<SandboxOrder>)),
  "POST /expire-access-tokens": (sandbox) => {
    sandbox.expireAccessTokens()
    return json(200, OK)
  },
  "POST /tokens": (sandbox, _state, { body }) => {
    const clientId = text(body?.client_id) || undefined
    return json(200, sandbox.issueTokens(clientId))
  },
}

/** `GET` / `PATCH /__sandbox/orders/:id`, or undefined for another method. */
function orderEndpoint(
  sandbox: Sandbox,
  { method, body }: ControlRequest,
  id: string
): Reply | undefined {
  if (method === "GET") {
    const order = sandbox.getOrder(id)
    return order
      ? json(200, order)
      : json(404, { code: 404, reason: "order not found" })
  }
  if (method === "PATCH") {
    if (!sandbox.getOrder(id))
      return json(404, { code: 404, reason: "order not found" })
    return json(
      200,
      sandbox.updateOrder(id, (body ?? {}) as Partial<SandboxOrder>)
    )
  }
  return undefined
}

/** Answers a `/__sandbox/...` request through the public `sandbox` methods. */
export function handleControl(
  sandbox: Sandbox,
  state: SandboxState,
  method: string,
  path: string,
  body: Record<string, unknown> | null,
  call: SandboxCall
): Reply {
  const p = trimmedPath(path)
  const r: ControlRequest = {
    method,
    sub: p.slice("/__sandbox".length),
    body,
    call,
  }
  const orderMatch = /^\/orders\/([^/]+)$/.exec(r.sub)
  try {
    const endpoint = ENDPOINTS[`${method} ${r.sub}`]
    if (endpoint) return endpoint(sandbox, state, r)
    const reply = orderMatch
      ? orderEndpoint(sandbox, r, safeDecode(orderMatch[1]))
      : undefined
    if (reply) return reply
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
