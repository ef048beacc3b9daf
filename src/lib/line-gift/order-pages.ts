/**
 * Paging of the order search, bounded from our side: never more than `total_entries` ÷ page
 * size + ORDER_PAGE_MARGIN pages, never more than a hard cap, and a page repeating the
 * previous one ends the read — so a LINE Gift (or proxy) that pages forever cannot hold an
 * import's lock forever.
 */
import {
  LINE_GIFT_MAX_PER_PAGE,
  ORDER_PAGE_HARD_CAP,
  ORDER_PAGE_MARGIN,
  type LineGiftLogger,
  type LineGiftOrderPage,
} from "./client-types"
import { sleep } from "./http-core"

/** `per_page` as LINE Gift accepts it: 1–100 (default 100; observed maximum). */
export function clampPerPage(perPage: number | undefined): number {
  if (perPage === undefined || perPage === null || !Number.isFinite(perPage)) {
    return LINE_GIFT_MAX_PER_PAGE
  }
  return Math.min(LINE_GIFT_MAX_PER_PAGE, Math.max(1, Math.floor(perPage)))
}

/** An order's id as text for the repeated-page check (whatever its shape). */
function orderIdText(order: unknown): string {
  const id =
    order && typeof order === "object"
      ? (order as Record<string, unknown>).id
      : undefined
  return typeof id === "string" || typeof id === "number" ? String(id) : ""
}

/** Options of `readOrderPages` (see LineGiftClient.iterateOrderPages). */
export type OrderPagesArgs = {
  perPage?: number
  maxPages?: number
  onStop?: (reason: string) => void
}

/** What `readOrderPages` needs from the client. */
export type OrderPagesDeps = {
  searchOrders: (args: {
    page: number
    perPage?: number
  }) => Promise<LineGiftOrderPage>
  log: LineGiftLogger
  /** Pause between pages, milliseconds. */
  pageDelayMs: number
}

/** The page bound after page 1: `total_entries` ÷ page size + margin, within the hard cap. */
function boundAfterFirstPage(
  first: LineGiftOrderPage,
  perPage: number | undefined,
  hardCap: number
): number {
  if (first.totalEntries === null || first.orders.length === 0) return hardCap
  const size = Math.min(clampPerPage(perPage), first.orders.length)
  return Math.min(
    hardCap,
    Math.ceil(first.totalEntries / size) + ORDER_PAGE_MARGIN
  )
}

/**
 * Reads order pages 1..totalPages (see LineGiftClient.iterateOrderPages for the rules);
 * each early stop is logged and reported once through `onStop`.
 * @throws as `searchOrders` (pages already yielded stay with the caller).
 */
export async function* readOrderPages(
  deps: OrderPagesDeps,
  args: OrderPagesArgs
): AsyncGenerator<LineGiftOrderPage> {
  const hardCap = Math.max(1, Math.floor(args.maxPages ?? ORDER_PAGE_HARD_CAP))
  const stop = (reason: string) => {
    deps.log.warn(`LINE Gift order_search: ${reason}`)
    args.onStop?.(reason)
  }
  let bound = hardCap
  let previousIds: string | null = null
  let page = 1
  for (;;) {
    const result = await deps.searchOrders({ page, perPage: args.perPage })
    const ids = result.orders.map(orderIdText).join("\u0000")
    if (page > 1 && result.orders.length > 0 && ids === previousIds) {
      stop(
        `stopped reading at page ${page}: it repeats page ${page - 1}'s orders (LINE Gift or a proxy ignores the page number); orders after page ${page - 1} were not read`
      )
      return
    }
    previousIds = ids
    yield result
    if (page === 1) bound = boundAfterFirstPage(result, args.perPage, hardCap)
    if (result.orders.length === 0 || page >= result.totalPages) return
    if (page >= bound) {
      stop(
        page >= hardCap
          ? `stopped after ${page} pages (the limit of one run) of ${result.totalPages} announced`
          : `stopped after ${page} pages: ${result.totalPages} pages announced for ${result.totalEntries} orders`
      )
      return
    }
    await sleep(deps.pageDelayMs)
    page += 1
  }
}
