/**
 * `medusa exec ./scripts/bench/run.ts` — the body of `npm run bench` (see scripts/bench.js,
 * which prepares a fresh migrated database, passes BENCH_OPTIONS / BENCH_OUT /
 * BENCH_SANDBOX_PORT, and prints the table from the JSON this writes).
 *
 * Everything runs in this one process: the Medusa container (modules, links, workflows), the
 * sandbox (local LINE Gift) on loopback, and the measurements.
 */
import fs from "fs"
import os from "os"
import type { ExecArgs, MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { updateInventoryLevelsWorkflow } from "@medusajs/medusa/core-flows"
import { seedDemoStore } from "../lib/seed-store"
import { createSandbox, type Sandbox } from "../../sandbox"
import { LINE_GIFT_MODULE } from "../../src/modules/line-gift"
import type LineGiftModuleService from "../../src/modules/line-gift/service"
import { benchProfile } from "./profile"
import { benchSpeed } from "./speed"
import { benchRefetch } from "./refetch"
import { benchGrowth, benchMemory } from "./memory"
import { benchPush } from "./push"
import { benchShops } from "./shops"
import { startSlowProxy, type SlowProxy } from "./slow-proxy"

/** What the phases share. */
export type BenchContext = {
  container: MedusaContainer
  sandbox: Sandbox
  store: Awaited<ReturnType<typeof seedDemoStore>>
  /** Makes a connected shop (sandbox tokens stored encrypted, as after OAuth). */
  newShop: (name: string) => Promise<{ id: string; accessToken: string }>
  /** The slow proxy in front of the sandbox (only when the shops row runs; see slow-proxy.ts). */
  proxy?: SlowProxy
  log: (msg: string) => void
  /** A shop whose sandbox orders are all imported (set by the memory phase, reused by re-fetch). */
  importedShop?: { id: string }
}

/** Stock for every seeded item, so that a large backlog is not refused for want of inventory. */
const BENCH_STOCK = 1_000_000

async function ensureBenchStock(container: MedusaContainer) {
  const inventory = container.resolve(Modules.INVENTORY)
  const levels = await inventory.listInventoryLevels({})
  const updates = levels
    .filter((l) => Number(l.stocked_quantity) < BENCH_STOCK)
    .map((l) => ({
      inventory_item_id: l.inventory_item_id,
      location_id: l.location_id,
      stocked_quantity: BENCH_STOCK,
    }))
  if (updates.length) {
    await updateInventoryLevelsWorkflow(container).run({ input: { updates } })
  }
}

/** The options bench.js passes (see scripts/bench/format.js parseArgs). */
type BenchOptions = {
  only?: string[]
  profile?: number
  orders?: number
  perOrder?: number
  backlog?: number
  refetch?: number
  push?: number
  growth?: number[]
  shops?: number
}

/** `medusa exec` entry: runs the asked rows and writes their JSON to BENCH_OUT. */
export default async function bench({ container }: ExecArgs) {
  const opts = JSON.parse(process.env.BENCH_OPTIONS || "{}") as BenchOptions
  const out = process.env.BENCH_OUT || "bench-results.json"
  const results: {
    machine: string
    errors: Record<string, string>
    error?: string
    [row: string]: unknown
  } = {
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model?.trim() ?? "cpu"}, node ${process.version}`,
    errors: {},
  }
  const log = (msg: string) => process.stderr.write(`  ${msg}\n`)
  const only: string[] = opts.only ?? ["speed", "refetch", "memory", "push"]
  const sandbox = createSandbox({ orderCount: 0 })
  const port = Number(process.env.BENCH_SANDBOX_PORT || 0)
  // The shops row slows one shop's LINE Gift: the plugin then talks to a proxy on the port it
  // was booted with, and the proxy to the sandbox (a passthrough for every other shop).
  let proxy: SlowProxy | undefined
  if (only.includes("shops")) {
    await sandbox.listen(0, "127.0.0.1")
    proxy = await startSlowProxy(sandbox.url, { port })
  } else {
    await sandbox.listen(port, "127.0.0.1")
  }
  try {
    const store = await seedDemoStore(container)
    await ensureBenchStock(container)
    const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
    let benchApps = 0
    const newShop = async (name: string) => {
      const shop = await service.createShop({
        name,
        // One app per bench shop: shops of one app import a LINE Gift order once between
        // them, and each row imports the same sandbox orders in its own shop. (The id only
        // matters for a refresh, which the 30-day token below never needs during a bench.)
        client_id: `bench-app-${++benchApps}`,
        client_secret: "sandbox-client-secret",
        region_id: store.region_id,
        sales_channel_id: store.sales_channel_id,
        shipping_option_id: store.shipping_option_id,
      })
      const tokens = sandbox.issueTokens()
      await service.saveTokens(shop.id, {
        accessToken: tokens.access_token,
        accessTokenExpiresAt: new Date(Date.now() + 30 * 86400_000),
        refreshToken: tokens.refresh_token,
        refreshTokenExpiresAt: new Date(Date.now() + 80 * 86400_000),
      })
      return { id: shop.id, accessToken: tokens.access_token }
    }
    const ctx: BenchContext = { container, sandbox, store, newShop, log, proxy }
    const phases: Array<[string, () => Promise<unknown>]> = [
      ["profile", () => benchProfile(ctx, opts.profile || 10)],
      ["speed", () => benchSpeed(ctx, opts.orders ?? 100, opts.perOrder ?? 5)],
      ["memory", () => benchMemory(ctx, opts.backlog ?? 10000)],
      ["refetch", () => benchRefetch(ctx, opts.refetch ?? 2500)],
      ["push", () => benchPush(ctx, opts.push ?? 100)],
      ["growth", () => benchGrowth(ctx, opts.growth ?? [100, 1000, 10000])],
      ["shops", () => benchShops(ctx, opts.shops ?? 10)],
    ]
    for (const [name, run] of phases) {
      if (!only.includes(name)) continue
      process.stderr.write(`▶ ${name}\n`)
      try {
        sandbox.clearCalls()
        results[name] = await run()
      } catch (e) {
        results.errors[name] = (e as Error)?.message ?? String(e)
        process.stderr.write(`  ${name} failed: ${(e as Error)?.stack ?? e}\n`)
      }
    }
  } catch (e) {
    results.error = (e as Error)?.message ?? String(e)
  } finally {
    await sandbox.close()
    await proxy?.close()
    fs.writeFileSync(out, JSON.stringify(results, null, 2))
  }
}
