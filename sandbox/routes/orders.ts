/**
 * Order search of the orders host: `GET /shop/api/1/order/search?access_token&page&per_page`.
 * Serves the orders bought in the last 90 days (LINE Gift's window), `per_page` capped at 100,
 * with the order-search faults (malformed orders, string paging numbers, bare-number ids,
 * a repeating page) applied.
 */
import { json, positiveInt, type Reply } from "../http"
import { repeatingPageAnswer, withBareNumberIds } from "../real-data"
import { ORDER_WINDOW_SEC, malformedOrders } from "../seed"
import type { SandboxState } from "../state"
import { unauthorized, validAccess } from "../tokens"

/** One page of orders: `{ orders, paging: { total_pages, total_entries } }`. */
export function handleOrderSearch(
  state: SandboxState,
  query: Record<string, string>
): Reply {
  if (!validAccess(state, query.access_token)) return unauthorized(state)
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
  const { faults } = state
  const t = state.nowSec()
  let list: Array<Record<string, unknown>> = state.orders.filter(
    (o) =>
      typeof o.bought_on !== "number" || o.bought_on >= t - ORDER_WINDOW_SEC
  )
  if (faults.malformedOrders)
    list = [...malformedOrders(state.config.seed, t), ...list]
  const totalEntries = list.length
  const totalPages = Math.ceil(totalEntries / perPage)
  if (faults.repeatingPage) return json(200, repeatingPageAnswer(list, perPage))
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
