/**
 * The import loop the bench drives: what runLineGiftImport does per page (read the page over
 * HTTP, parse, filter by status and window, skip the orders already imported with one
 * getOrderStates query), with the page's new orders imported through the bulk path
 * (importLineGiftOrdersPage), reading one page ahead (readAhead) as the run does. HTTP time is
 * the time spent waiting for each page (what the read-ahead did not hide).
 */
import { performance } from "perf_hooks"
import type { MedusaContainer } from "@medusajs/framework/types"
import { parseLineGiftOrder } from "../../src/lib/line-gift"
import type { LineGiftOrder } from "../../src/lib/line-gift/schemas"
import { LINE_GIFT_MODULE } from "../../src/modules/line-gift"
import type LineGiftModuleService from "../../src/modules/line-gift/service"
import { getLineGiftClient } from "../../src/workflows/helpers/line-gift-client"
import { importLineGiftOrdersPage } from "../../src/workflows/import-bulk"
import { readAhead } from "../../src/lib/read-ahead"

export type LoopStats = {
  pages: number
  seen: number
  created: number
  already: number
  failed: number
  fallbacks: number
  http_ms: number
  reasons: string[]
}

/** Runs one import of every `payment` order bought in the last `days` days. */
export async function importLoop(
  container: MedusaContainer,
  shopId: string,
  opts: { days?: number; onPage?: (stats: LoopStats) => void } = {}
): Promise<LoopStats> {
  const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
  const shop = await service.retrieveLineGiftShop(shopId)
  const regionId = shop.region_id
  if (!regionId) throw new Error(`shop ${shopId} has no region`)
  const client = await getLineGiftClient(container, shopId)
  const fromSec = Math.floor(Date.now() / 1000) - (opts.days ?? 7) * 86400
  const toSec = Math.floor(Date.now() / 1000) + 60
  const stats: LoopStats = {
    pages: 0,
    seen: 0,
    created: 0,
    already: 0,
    failed: 0,
    fallbacks: 0,
    http_ms: 0,
    reasons: [],
  }
  // As the run does: the next page is read while this one is imported.
  const pages = readAhead(client.iterateOrderPages())
  for (;;) {
    const t = performance.now()
    const next = await pages.next()
    stats.http_ms += performance.now() - t
    if (next.done) break
    const page = next.value
    stats.pages++
    const candidates: Array<{ order: LineGiftOrder; raw: unknown }> = []
    for (const raw of page.orders) {
      stats.seen++
      const parsed = parseLineGiftOrder(raw)
      if (!parsed.ok) {
        stats.failed++
        continue
      }
      const boughtOn = parsed.order.bought_on ?? parsed.order.payed_on
      if (
        parsed.order.status !== "payment" ||
        boughtOn === undefined ||
        boughtOn < fromSec ||
        boughtOn > toSec
      )
        continue
      candidates.push({ order: parsed.order, raw: parsed.raw })
    }
    const states = await service.getOrderStates(
      shopId,
      candidates.map((c) => c.order.id)
    )
    const fresh = candidates.filter((c) => {
      const state = states.get(c.order.id)?.state
      if (state === "imported" || state === "importing") {
        stats.already++
        return false
      }
      return true
    })
    if (fresh.length) {
      const { results, fallback } = await importLineGiftOrdersPage(container, {
        shop_id: shopId,
        run_id: null,
        region_id: regionId,
        sales_channel_id: shop.sales_channel_id ?? null,
        shipping_option_id: shop.shipping_option_id ?? null,
        email: `line-gift-${shopId.toLowerCase()}@example.invalid`,
        orders: fresh,
      })
      if (fallback) {
        stats.fallbacks++
        if (stats.reasons.length < 5)
          stats.reasons.push(`fallback: ${fallback}`)
      }
      for (const r of Object.values(results)) {
        if (r.status === "created") stats.created++
        else if (r.status === "already_imported") stats.already++
        else {
          stats.failed++
          if (stats.reasons.length < 5) stats.reasons.push(r.reason)
        }
      }
    }
    opts.onPage?.(stats)
  }
  return stats
}
