/**
 * Memory: a backlog of N orders imported page by page through the bulk path in one run;
 * RSS before (after a GC when --expose-gc is on), sampled every 50 ms and after every page
 * (peak), and after (after a GC). The sandbox's N orders are made before the first measurement.
 */
import { performance } from "perf_hooks"
import { importLoop } from "./import-loop"
import type { BenchContext } from "./run"

const mb = (bytes: number) => bytes / 1024 / 1024
const gc = () => (global as any).gc?.()

export async function benchMemory(ctx: BenchContext, n: number): Promise<any> {
  const { container, sandbox, log } = ctx
  sandbox.reset()
  const shop = await ctx.newShop("bench-memory")
  for (let i = 0; i < n; i++)
    sandbox.addOrder({
      status: "payment",
      bought_on: Math.floor(Date.now() / 1000) - 3600,
    })
  gc()
  const before = process.memoryUsage()
  let peak = before.rss
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss)
  }, 50)
  const t = performance.now()
  const stats = await importLoop(container, shop.id, {
    onPage: (s) => {
      peak = Math.max(peak, process.memoryUsage().rss)
      if (s.pages % 10 === 0) {
        const m = process.memoryUsage()
        log(
          `page ${s.pages}: created ${s.created}; MB rss ${mb(m.rss).toFixed(0)} heapTotal ${mb(m.heapTotal).toFixed(0)} ` +
            `heapUsed ${mb(m.heapUsed).toFixed(0)} external ${mb(m.external).toFixed(0)} arrayBuffers ${mb(m.arrayBuffers).toFixed(0)}`
        )
      }
    },
  })
  const ms = performance.now() - t
  clearInterval(sampler)
  if (stats.failed === 0 && stats.fallbacks === 0) ctx.importedShop = shop
  gc()
  const after = process.memoryUsage()
  return {
    orders: n,
    created: stats.created,
    failed: stats.failed,
    fallbacks: stats.fallbacks,
    per_s: (stats.created * 1000) / ms,
    ms_per_order: ms / Math.max(1, stats.created),
    rss_peak_growth_mb: mb(peak - before.rss),
    rss_before_mb: mb(before.rss),
    rss_after_mb: mb(after.rss),
    rss_peak_mb: mb(peak),
    rss_growth_mb: mb(after.rss - before.rss),
    heap_growth_mb: mb(after.heapUsed - before.heapUsed),
    heap_total_growth_mb: mb(after.heapTotal - before.heapTotal),
    external_growth_mb: mb(after.external - before.external),
    gc: typeof (global as any).gc === "function",
  }
}

/**
 * Growth: the memory phase for each backlog size (e.g. 100, 1,000, 10,000), one after the
 * other in the same process: time per order and the sampled peak RSS growth per size.
 */
export async function benchGrowth(
  ctx: BenchContext,
  sizes: number[]
): Promise<any> {
  const rows: any[] = []
  for (const n of sizes) {
    ctx.log(`growth: backlog of ${n}`)
    rows.push(await benchMemory(ctx, n))
  }
  return { rows }
}
