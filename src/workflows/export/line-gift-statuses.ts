/**
 * LINE Gift's CURRENT status of some orders, read live. LINE Gift has no single-order read
 * (shared/line-gift-api.md, "Orders": only the paged order search, roughly the last three
 * months, no filter), so the search pages are read until every asked order was seen or the
 * pages end. Used to re-check shipments held while the recipient had not entered the address,
 * and to say what a refused push actually ran into.
 */
import type { LineGiftClient } from "../../lib/line-gift"

/**
 * Reads order pages (client.iterateOrderPages) until all of `ids` were seen.
 * @returns LINE Gift order id → status code, for the ids found (an id missing from the map
 *   was not in LINE Gift's answer).
 * @throws LineGiftApiError as client.searchOrders.
 */
export async function readLineGiftStatuses(
  client: Pick<LineGiftClient, "iterateOrderPages">,
  ids: Iterable<string>
): Promise<Map<string, string>> {
  const wanted = new Set(ids)
  const found = new Map<string, string>()
  if (!wanted.size) return found
  for await (const page of client.iterateOrderPages()) {
    for (const order of page.orders as Array<{
      id?: unknown
      status?: unknown
    }>) {
      const id = order?.id == null ? null : String(order.id)
      if (id && wanted.has(id) && typeof order.status === "string")
        found.set(id, order.status)
    }
    if (found.size >= wanted.size) break
  }
  return found
}
