/**
 * Item routes of the shop-admin host: `GET /api/v1/shops/{shop_id}/items` (list, paged,
 * `per_page` capped at 100) and `GET /api/v1/shops/{shop_id}/items/{item_id}` (with the
 * variations' seeded stock). The access token comes from the query or a Bearer header.
 * Items come from the sandbox catalogue; the one missing from Medusa is `stop`, others `sale`.
 */
import type * as http from "node:http"
import { CATALOGUE } from "../catalogue"
import { json, positiveInt, type Reply } from "../http"
import type { SandboxState } from "../state"
import { unauthorized, validAccess } from "../tokens"

/** The access token: `?access_token=` first, else `Authorization: Bearer …`. */
function shopToken(
  query: Record<string, string>,
  req: http.IncomingMessage
): string | undefined {
  if (query.access_token) return query.access_token
  const auth = req.headers.authorization
  const m = typeof auth === "string" ? /^Bearer\s+(\S+)\s*$/i.exec(auth) : null
  return m?.[1]
}

/** `{ items: [{ id, code, name, status }], total_count }`. */
export function handleItems(
  state: SandboxState,
  query: Record<string, string>,
  req: http.IncomingMessage
): Reply {
  if (!validAccess(state, shopToken(query, req))) return unauthorized(state)
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

/** `{ code: 200, item: { …, price (JPY), variations: [{ code, stock_count, … }] } }`, or body 404. */
export function handleItem(
  state: SandboxState,
  query: Record<string, string>,
  req: http.IncomingMessage,
  itemId: string
): Reply {
  if (!validAccess(state, shopToken(query, req))) return unauthorized(state)
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
        stock_count: state.stock[v.sku] ?? 0,
        status,
      })),
    },
  })
}
