/**
 * No-change re-fetch: a shop whose N orders are all imported already; one more import run
 * reads every page and must write nothing to Medusa. Reported: wall time, the time spent in
 * the HTTP calls (page requests to the loopback sandbox), their difference (the plugin's own
 * time), CPU time of the process, and the Medusa rows written (orders, payment collections,
 * reservations, links: must be 0).
 */
import { performance } from "perf_hooks"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { importLoop } from "./import-loop"
import type { BenchContext } from "./run"

export async function benchRefetch(ctx: BenchContext, n: number): Promise<any> {
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
  container: any
): Promise<Record<string, number>> {
  const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
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
    out[t] = r.rows[0].n
    out[`${t}.updated`] = r.rows[0].u ? new Date(r.rows[0].u).getTime() : 0
  }
  void Modules
  return out
}
