/**
 * Shipment update of the orders host: `POST /shop/api/1/order/{id}/delivery?access_token`
 * with `delivery_code` (tracking number) and `delivery_agent` (carrier name). A `payment`
 * order (発送待ち) becomes `received` with `delivered_on` (Unix seconds) and `shipment_date`
 * (Asia/Tokyo "YYYY/MM/DD"); a `received` one takes corrected values; any other status
 * answers body 409. The "other shapes" (JSON-only body, other field names) apply first.
 */
import type * as http from "node:http"
import { json, text, type Reply } from "../http"
import { jstDate } from "../seed"
import * as shapeRules from "../shapes"
import type { SandboxState } from "../state"
import { unauthorized, validAccess } from "../tokens"

function registerShipment(
  state: SandboxState,
  query: Record<string, string>,
  id: string,
  body: Record<string, unknown> | null
): Reply {
  if (!validAccess(state, query.access_token)) return unauthorized(state)
  const code = text(body?.delivery_code)
  const agent = text(body?.delivery_agent)
  if (!code)
    return json(400, { code: 400, reason: "delivery_code is required" })
  if (!agent)
    return json(400, { code: 400, reason: "delivery_agent is required" })
  const order = state.getOrder(id)
  if (!order) return json(200, { code: 404, reason: "order not found" })
  if (order.status === "payment") {
    const t = state.nowSec()
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

/** The shipment call for order `id`: the shape's body rules, then the registration. */
export function handleDelivery(
  state: SandboxState,
  req: http.IncomingMessage,
  query: Record<string, string>,
  id: string,
  body: Record<string, unknown> | null
): Reply {
  const { shapes } = state
  const rejected = shapeRules.deliveryBodyRejection(
    shapes,
    req.headers["content-type"],
    body
  )
  if (rejected) return json(rejected.status, rejected.body)
  return registerShipment(
    state,
    query,
    id,
    shapeRules.normalisedDeliveryBody(shapes, body)
  )
}
