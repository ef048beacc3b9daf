/**
 * Ten shops due at once: `count` connected shops, all due in the same tick, on this one worker;
 * one shop's LINE Gift answers every call `delayMs` late (the slow proxy in front of the
 * sandbox, see slow-proxy.ts). The tick's work (runDueLineGiftImports, what the fetch-tick job
 * calls) runs once; reported: total time, each shop's finish time (its run's finished_at from
 * the tick's start), whether every shop imported its orders exactly once, and whether the fast
 * shops were done before the slow one.
 */
import { performance } from "perf_hooks"
import { LINE_GIFT_MODULE } from "../../src/modules/line-gift"
import type LineGiftModuleService from "../../src/modules/line-gift/service"
import {
  DUE_IMPORT_CONCURRENCY,
  runDueLineGiftImports,
} from "../../src/workflows/import/run-due-imports"
import type { BenchContext } from "./run"

/** One shop's line of the row. */
export type ShopTiming = {
  index: number
  slow: boolean
  outcome: string
  created: number
  /** Its run's finished_at minus the tick's start (ms). */
  done_ms: number
  /** Import runs of this shop after the tick (must be 1). */
  runs: number
  /** Imported records of this shop (must be orders_per_shop). */
  imported: number
}

/** The row. */
export type ShopsResult = {
  shops: number
  orders_per_shop: number
  slow_index: number
  delay_ms: number
  concurrency: number
  total_ms: number
  slow_ms: number
  fast_max_ms: number
  each_once: boolean
  fast_before_slow: boolean
  per_shop: ShopTiming[]
}

/** Orders every shop finds (all shops read the same sandbox). */
const ORDERS_PER_SHOP = 20
/** Per-call delay of the slow shop's LINE Gift (ms). */
const SLOW_DELAY_MS = 3000

/** The row (see file comment). @throws when the bench runs without the slow proxy. */
export async function benchShops(
  ctx: BenchContext,
  count: number
): Promise<ShopsResult> {
  const { container, sandbox, proxy, log } = ctx
  if (!proxy) throw new Error("the shops row needs the slow proxy (run.ts)")
  const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
  sandbox.reset()
  const boughtOn = Math.floor(Date.now() / 1000) - 3600
  for (let i = 0; i < ORDERS_PER_SHOP; i++)
    sandbox.addOrder({ status: "payment", bought_on: boughtOn })
  const shops: Array<{ id: string; accessToken: string }> = []
  for (let i = 0; i < count; i++) {
    const shop = await ctx.newShop(`bench-due-${i + 1}`)
    await service.updateLineGiftShops({
      id: shop.id,
      auto_fetch_mode: "interval",
      fetch_interval_minutes: 30,
      fetch_days: 7,
      next_fetch_at: new Date(Date.now() - 3600_000),
    })
    shops.push(shop)
  }
  // The slow one is the shop the tick lists first: a tick that ran shops one after the other
  // would make every other shop wait for it.
  const listed = (await service.listLineGiftShops(
    { auto_fetch_mode: ["interval", "schedule"], api_enabled: true },
    { select: ["id"] }
  )) as Array<{ id: string }>
  const slowId =
    listed.find((s) => shops.some((x) => x.id === s.id))?.id ?? shops[0].id
  const slowIndex = shops.findIndex((s) => s.id === slowId)
  proxy.slowTokens.clear()
  proxy.slowTokens.add(shops[slowIndex].accessToken)
  proxy.delayMs = SLOW_DELAY_MS

  const start = new Date()
  const t = performance.now()
  const outcomes = await runDueLineGiftImports(container, start)
  const total = performance.now() - t
  proxy.slowTokens.clear()

  const perShop: ShopTiming[] = []
  for (const [index, shop] of shops.entries()) {
    const outcome = outcomes.find((o) => o.shop_id === shop.id)
    const run = (outcome?.run ?? {}) as {
      created_count?: number
      finished_at?: Date | string
    }
    const runs = await service.listLineGiftSyncRuns({
      shop_id: shop.id,
      kind: "import",
    })
    const imported = await service.listLineGiftOrders(
      { shop_id: shop.id, state: "imported" },
      { select: ["id"], take: null }
    )
    perShop.push({
      index,
      slow: index === slowIndex,
      outcome: outcome?.outcome ?? "not run",
      created: run.created_count ?? 0,
      done_ms: run.finished_at
        ? new Date(run.finished_at).getTime() - start.getTime()
        : NaN,
      runs: runs.length,
      imported: imported.length,
    })
  }
  const slow = perShop[slowIndex]
  const fast = perShop.filter((s) => !s.slow)
  const result: ShopsResult = {
    shops: count,
    orders_per_shop: ORDERS_PER_SHOP,
    slow_index: slowIndex,
    delay_ms: SLOW_DELAY_MS,
    concurrency: DUE_IMPORT_CONCURRENCY,
    total_ms: total,
    slow_ms: slow.done_ms,
    fast_max_ms: Math.max(...fast.map((s) => s.done_ms)),
    each_once: perShop.every(
      (s) =>
        s.outcome === "ran" &&
        s.runs === 1 &&
        s.created === ORDERS_PER_SHOP &&
        s.imported === ORDERS_PER_SHOP
    ),
    fast_before_slow: fast.every((s) => s.done_ms < slow.done_ms),
    per_shop: perShop,
  }
  log(
    `shops: total ${total.toFixed(0)} ms, slow shop ${slow.done_ms} ms, fast shops by ${result.fast_max_ms} ms`
  )
  return result
}
