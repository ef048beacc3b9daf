/**
 * No-change re-fetch: a shop whose N orders are all imported already; one more import run
 * reads every page and must write nothing to Medusa. Reported: wall time, the time spent in
 * the HTTP calls (page requests to the loopback sandbox), their difference (the plugin's own
 * time), CPU time of the process, and the Medusa rows written (orders, payment collections,
 * reservations, links: must be 0).
 */
import { performance } from "perf_hooks"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { LINE_GIFT_MODULE } from "../../src/modules/line-gift"
import type LineGiftModuleService from "../../src/modules/line-gift/service"
import { getLineGiftClient } from "../../src/workflows/helpers/line-gift-client"
import { runLineGiftImport } from "../../src/workflows/import/run-import"
import { importLoop } from "./import-loop"
import { startCpuProfile } from "./profile"
import type { BenchContext } from "./run"

/** The bench loop's re-fetch (see file comment). */
export async function benchRefetch(
  ctx: BenchContext,
  n: number
): Promise<Record<string, number>> {
  const { container, sandbox, log } = ctx
  let shop: { id: string }
  if (ctx.importedShop && sandbox.orders.length >= n) {
    // Reuse the memory phase's backlog (all imported): keep the first n orders in the sandbox.
    shop = ctx.importedShop
    sandbox.orders.splice(n)
    log(`setup: reusing ${n} orders imported by the memory phase`)
  } else {
    sandbox.reset()
    shop = await ctx.newShop("bench-refetch")
    for (let i = 0; i < n; i++) sandbox.addOrder({ status: "payment" })
    const first = await importLoop(container, shop.id)
    log(
      `setup: ${first.created} imported (${first.pages} pages, failed ${first.failed})`
    )
    if (first.created !== n)
      throw new Error(
        `setup imported ${first.created} of ${n} orders: ${first.reasons.join("; ")}`
      )
  }

  const before = await medusaRowCounts(container)
  const cpu = process.cpuUsage()
  const t = performance.now()
  const again = await importLoop(container, shop.id)
  const wall = performance.now() - t
  const cpuUsed = process.cpuUsage(cpu)
  const after = await medusaRowCounts(container)
  const writes = Object.keys(after).reduce(
    (sum, k) => sum + Math.abs(after[k] - before[k]),
    0
  )
  log(
    `re-fetch: ${again.pages} pages, ${again.already} already imported, created ${again.created}`
  )
  return {
    orders: again.already,
    pages: again.pages,
    wall_ms: wall,
    http_ms: again.http_ms,
    plugin_ms: wall - again.http_ms,
    // Includes the sandbox's own work (it serves the pages from this process).
    cpu_ms: (cpuUsed.user + cpuUsed.system) / 1000,
    medusa_writes: writes,
    created: again.created,
  }
}

/** Row counts of what an import writes in Medusa (a change means a write happened). */
export async function medusaRowCounts(
  container: MedusaContainer
): Promise<Record<string, number>> {
  const pg = container.resolve<PgRaw>(ContainerRegistrationKeys.PG_CONNECTION)
  const tables = [
    "order",
    "order_line_item",
    "payment_collection",
    "payment",
    "capture",
    "reservation_item",
    "order_transaction",
  ]
  const out: Record<string, number> = {}
  for (const t of tables) {
    const r = await pg.raw(
      `SELECT count(*)::int AS n, max(updated_at) AS u FROM "${t}"`
    )
    const row = r.rows[0] as { n: number; u: string | Date | null }
    out[t] = row.n
    out[`${t}.updated`] = row.u ? new Date(row.u).getTime() : 0
  }
  return out
}

/** The one knex method used here. */
type PgRaw = {
  raw: (sql: string) => Promise<{ rows: Array<Record<string, unknown>> }>
}

/** The re-fetch through the plugin's real import run (ms; counts). */
export type RefetchRunResult = {
  orders: number
  pages: number
  /** Wall time of runLineGiftImport. */
  wall_ms: number
  /** Wall time of reading the same pages alone (client.iterateOrderPages, nothing else). */
  http_ms: number
  /** wall − http: the plugin's own time (target ≤ 1,000 ms for 10,000 known orders). */
  plugin_ms: number
  /** SQL statements sent during the run (every pg client of the process). */
  queries: number
  queries_per_order: number
  /** Medusa rows written (orders, payments, reservations…): must be 0. */
  medusa_writes: number
  /** Module records (line_gift_order) whose updated_at moved during the run. */
  records_updated: number
  already: number
  created: number
  state: string
}

/** Counts SQL statements sent through node-postgres while `count` is on. */
function sqlCounter(): { start: () => void; stop: () => number } {
  type Query = (...args: unknown[]) => unknown
  // knex's pg driver: the Client class every pooled connection is made from.
  const pg = require(
    require.resolve("pg", { paths: [require.resolve("knex")] })
  ) as { Client: { prototype: { query: Query } } }
  const proto = pg.Client.prototype
  const original = proto.query
  let n = 0
  return {
    start: () => {
      proto.query = function (this: unknown, ...args: unknown[]) {
        n++
        return original.apply(this, args)
      }
    },
    stop: () => {
      proto.query = original
      return n
    },
  }
}

/** Reads every order page of the shop and nothing else: the HTTP share of a run (ms). */
async function readPagesOnly(
  container: MedusaContainer,
  shopId: string
): Promise<{ ms: number; pages: number }> {
  const client = await getLineGiftClient(container, shopId)
  const t = performance.now()
  let pages = 0
  for await (const page of client.iterateOrderPages()) {
    pages += page.orders.length ? 1 : 0
  }
  return { ms: performance.now() - t, pages }
}

/**
 * No-change re-fetch through runLineGiftImport (recovery check, customer, every page, the
 * known orders' status refresh, the run record): the plugin time beyond HTTP is the run's wall
 * time minus the time to read the same pages alone (measured right before, twice, the faster
 * kept). Also counts the SQL statements of the run.
 * @throws when the run created orders (the shop's orders were not all imported).
 */
export async function benchRefetchRun(
  ctx: BenchContext,
  shop: { id: string }
): Promise<RefetchRunResult> {
  const { container, log } = ctx
  const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
  const http = [
    await readPagesOnly(container, shop.id),
    await readPagesOnly(container, shop.id),
  ].sort((a, b) => a.ms - b.ms)[0]
  const before = await medusaRowCounts(container)
  const since = new Date()
  const counter = sqlCounter()
  // BENCH_CPU_PROFILE_REFETCH=<file>: a V8 CPU profile of the run (Chrome DevTools).
  const cpu = await startCpuProfile(process.env.BENCH_CPU_PROFILE_REFETCH)
  counter.start()
  const t = performance.now()
  let result
  try {
    result = await runLineGiftImport(container, {
      shop_id: shop.id,
      from: new Date(Date.now() - 7 * 86400_000),
      to: new Date(Date.now() + 60_000),
      trigger: "manual",
    })
  } finally {
    counter.stop()
  }
  const wall = performance.now() - t
  await cpu.stop()
  const queries = counter.stop()
  const after = await medusaRowCounts(container)
  const writes = Object.keys(after).reduce(
    (sum, k) => sum + Math.abs(after[k] - before[k]),
    0
  )
  const touched = (await service.listLineGiftOrders(
    { shop_id: shop.id, updated_at: { $gte: since } },
    { select: ["id"], take: null }
  )) as Array<{ id: string }>
  const run = result.run as Record<string, unknown>
  const already = Number(run.already_imported_count ?? 0)
  log(
    `re-fetch (runLineGiftImport): ${String(run.pages_read)} pages, ${already} already imported, ` +
      `wall ${wall.toFixed(0)} ms, pages alone ${http.ms.toFixed(0)} ms, ${queries} SQL statements`
  )
  if (result.created.length)
    throw new Error(`the re-fetch created ${result.created.length} orders`)
  return {
    orders: already,
    pages: Number(run.pages_read ?? http.pages),
    wall_ms: wall,
    http_ms: http.ms,
    plugin_ms: wall - http.ms,
    queries,
    queries_per_order: queries / Math.max(1, already),
    medusa_writes: writes,
    records_updated: touched.length,
    already,
    created: result.created.length,
    state: String(run.state),
  }
}
