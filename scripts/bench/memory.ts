/**
 * Memory and growth.
 *
 * Memory: a backlog of N orders imported page by page through the bulk path in one run; RSS
 * and heap before (after a GC when --expose-gc is on), sampled every 100 ms and after every
 * page (peak), and after (after a GC). The sandbox's N orders are made before the first
 * measurement, so the sandbox's own objects are not counted as import growth.
 *
 * Growth: the memory phase for each backlog size (e.g. 100, 1,000, 10,000), one after the other
 * in the same process, after one unmeasured warm-up import (JIT, first-use caches), then the
 * no-change re-fetch of the largest backlog through the plugin's real import run
 * (runLineGiftImport; see refetch.ts `benchRefetchRun`).
 */
import {
  constants,
  performance,
  PerformanceObserver,
  type PerformanceEntry,
} from "perf_hooks"
import { importLoop } from "./import-loop"
import v8 from "v8"
import { benchRefetchRun, type RefetchRunResult } from "./refetch"
import { analyzeDatabase } from "./speed"
import type { BenchContext } from "./run"

const mb = (bytes: number) => bytes / 1024 / 1024
/** `global.gc` when node runs with --expose-gc (bench.js sets it), else a no-op. */
const gc = (): void => (globalThis as { gc?: () => void }).gc?.()
/** RSS sampling period of the memory/growth rows (milliseconds). */
const SAMPLE_MS = 100

/** One backlog imported: time and memory (MB, ms). */
export type MemoryResult = {
  orders: number
  created: number
  failed: number
  fallbacks: number
  pages: number
  total_ms: number
  per_s: number
  ms_per_order: number
  /** Peak RSS (sampled every SAMPLE_MS and after every page) minus RSS before. */
  rss_peak_growth_mb: number
  rss_before_mb: number
  rss_after_mb: number
  rss_peak_mb: number
  /** RSS after a GC minus before (what stays). */
  rss_growth_mb: number
  heap_before_mb: number
  /** Peak heapUsed (sampled like RSS) minus heapUsed before. */
  heap_peak_growth_mb: number
  /** heapUsed after a GC minus before. */
  heap_growth_mb: number
  heap_total_growth_mb: number
  external_growth_mb: number
  /**
   * Time of the run's first page (ms): client, first HTTP read not hidden by the read-ahead,
   * and V8 regrowing its young generation after the forced GC before the run (see
   * docs/architecture.md, "Import speed").
   */
  first_page_ms: number
  /** Time per order of the pages after the first (ms; NaN for a one-page backlog). */
  later_ms_per_order: number
  /** V8 garbage collection during the run: pause time (ms) and counts (scavenges, others). */
  gc_ms: number
  gc_minor: number
  gc_major: number
  samples: number
  gc: boolean
  /** Imports this row is the median of (small backlogs, see medianRow); absent: one. */
  repeats?: number
}

/**
 * Counts V8's garbage collections from now until `stop()`: total pause time (ms), scavenges
 * (minor) and the rest (mark-compact, incremental marking, weak callbacks).
 */
function watchGc(): {
  stop: () => { ms: number; minor: number; major: number }
} {
  const totals = { ms: 0, minor: 0, major: 0 }
  const add = (entries: PerformanceEntry[]) => {
    for (const e of entries) {
      totals.ms += e.duration
      const kind = (e as { detail?: { kind?: number } }).detail?.kind
      if (kind === constants.NODE_PERFORMANCE_GC_MINOR) totals.minor++
      else totals.major++
    }
  }
  const observer = new PerformanceObserver((list) => add(list.getEntries()))
  observer.observe({ entryTypes: ["gc"] })
  return {
    stop: () => {
      add(observer.takeRecords())
      observer.disconnect()
      return totals
    },
  }
}

/** Growth: one row per backlog size, then the re-fetch of the largest one. */
export type GrowthResult = {
  rows: MemoryResult[]
  warmup_orders: number
  /**
   * V8's heap size limit of the bench process (MB): Node's default for the machine's memory,
   * or what `NODE_OPTIONS=--max-old-space-size=<MB>` set. The peaks depend on it: V8 lets the
   * heap grow towards it before a full GC.
   */
  heap_limit_mb: number
  refetch?: RefetchRunResult
  refetch_error?: string
}

/** Makes `n` new `payment` orders bought an hour ago in the (reset) sandbox. */
function fillSandbox(ctx: BenchContext, n: number): void {
  ctx.sandbox.reset()
  const boughtOn = Math.floor(Date.now() / 1000) - 3600
  for (let i = 0; i < n; i++)
    ctx.sandbox.addOrder({ status: "payment", bought_on: boughtOn })
}

/**
 * Imports a backlog of `n` orders for a new shop and measures time and memory (see file
 * comment). Sets `ctx.importedShop` when every order was created in bulk.
 */
export async function benchMemory(
  ctx: BenchContext,
  n: number
): Promise<MemoryResult> {
  const { container, log } = ctx
  fillSandbox(ctx, n)
  const shop = await ctx.newShop(`bench-memory-${n}`)
  gc()
  const before = process.memoryUsage()
  let peak = before.rss
  let heapPeak = before.heapUsed
  let samples = 0
  const sample = () => {
    const m = process.memoryUsage()
    samples++
    if (m.rss > peak) peak = m.rss
    if (m.heapUsed > heapPeak) heapPeak = m.heapUsed
    return m
  }
  const sampler = setInterval(sample, SAMPLE_MS)
  const gcs = watchGc()
  const t = performance.now()
  const pageEnds: number[] = []
  let firstPageCreated = 0
  let stats
  try {
    stats = await importLoop(container, shop.id, {
      onPage: (s) => {
        pageEnds.push(performance.now())
        if (pageEnds.length === 1) firstPageCreated = s.created
        const m = sample()
        if (s.pages % 10 === 0) {
          log(
            `page ${s.pages}: created ${s.created}; MB rss ${mb(m.rss).toFixed(0)} heapTotal ${mb(m.heapTotal).toFixed(0)} ` +
              `heapUsed ${mb(m.heapUsed).toFixed(0)} external ${mb(m.external).toFixed(0)} arrayBuffers ${mb(m.arrayBuffers).toFixed(0)}`
          )
        }
      },
    })
  } finally {
    clearInterval(sampler)
  }
  const ms = performance.now() - t
  const gcTotals = gcs.stop()
  const laps = pageEnds.map((e, i) => e - (i ? pageEnds[i - 1] : t))
  const laterOrders = stats.created - firstPageCreated
  if (stats.failed === 0 && stats.fallbacks === 0) ctx.importedShop = shop
  gc()
  const after = process.memoryUsage()
  return {
    orders: n,
    created: stats.created,
    failed: stats.failed,
    fallbacks: stats.fallbacks,
    pages: stats.pages,
    total_ms: ms,
    per_s: (stats.created * 1000) / ms,
    ms_per_order: ms / Math.max(1, stats.created),
    rss_peak_growth_mb: mb(peak - before.rss),
    rss_before_mb: mb(before.rss),
    rss_after_mb: mb(after.rss),
    rss_peak_mb: mb(peak),
    rss_growth_mb: mb(after.rss - before.rss),
    heap_before_mb: mb(before.heapUsed),
    heap_peak_growth_mb: mb(heapPeak - before.heapUsed),
    heap_growth_mb: mb(after.heapUsed - before.heapUsed),
    heap_total_growth_mb: mb(after.heapTotal - before.heapTotal),
    external_growth_mb: mb(after.external - before.external),
    first_page_ms: laps[0] ?? 0,
    later_ms_per_order:
      laterOrders > 0
        ? laps.slice(1).reduce((a, b) => a + b, 0) / laterOrders
        : NaN,
    gc_ms: gcTotals.ms,
    gc_minor: gcTotals.minor,
    gc_major: gcTotals.major,
    samples,
    gc: typeof (globalThis as { gc?: unknown }).gc === "function",
  }
}

/**
 * A backlog under this size is imported SMALL_BACKLOG_REPEATS times (a new shop each time) and
 * its row is the import with the median time per order: a one-page run is one sample of a
 * shared machine's noise (±30 % between single pages here); larger backlogs average their pages.
 */
const SMALL_BACKLOG = 1000
const SMALL_BACKLOG_REPEATS = 5

/** One growth row: benchMemory once, or the median of SMALL_BACKLOG_REPEATS for a small backlog. */
async function medianRow(ctx: BenchContext, n: number): Promise<MemoryResult> {
  if (n >= SMALL_BACKLOG) return benchMemory(ctx, n)
  const runs: MemoryResult[] = []
  for (let i = 0; i < SMALL_BACKLOG_REPEATS; i++)
    runs.push(await benchMemory(ctx, n))
  runs.sort((a, b) => a.ms_per_order - b.ms_per_order)
  return { ...runs[Math.floor(runs.length / 2)], repeats: runs.length }
}

/** Orders of the unmeasured warm-up import before the growth rows. */
const WARMUP_ORDERS = 100

/**
 * Growth (see file comment): a warm-up import, one memory row per size (ascending as given),
 * then the no-change re-fetch of the last size's orders through runLineGiftImport.
 */
export async function benchGrowth(
  ctx: BenchContext,
  sizes: number[]
): Promise<GrowthResult> {
  ctx.log(`growth: warm-up import of ${WARMUP_ORDERS} orders (not measured)`)
  await benchMemory(ctx, WARMUP_ORDERS)
  const rows: MemoryResult[] = []
  for (const n of sizes) {
    ctx.log(`growth: backlog of ${n}`)
    ctx.importedShop = undefined
    // Each size starts from current planner statistics, as a merchant's database has them
    // (see analyzeDatabase): otherwise the first pages of a size pay for the rows the
    // previous sizes added since autovacuum last looked.
    await analyzeDatabase(ctx)
    rows.push(await medianRow(ctx, n))
  }
  const result: GrowthResult = {
    rows,
    warmup_orders: WARMUP_ORDERS,
    heap_limit_mb: mb(v8.getHeapStatistics().heap_size_limit),
  }
  const last = rows[rows.length - 1]
  if (last && ctx.importedShop && last.created === last.orders) {
    ctx.log(`growth: no-change re-fetch of the ${last.orders} known orders`)
    try {
      result.refetch = await benchRefetchRun(ctx, ctx.importedShop)
    } catch (e) {
      result.refetch_error = (e as Error)?.message ?? String(e)
    }
  } else {
    result.refetch_error = "the largest backlog was not fully imported"
  }
  return result
}
