/**
 * Core createOrderWorkflow vs the plugin's bulk import vs the floor, side by side on the same store:
 * N orders each, each path warmed up first (not timed): WARM_UP orders for the core, one page
 * for the plugin and the floor. Core gets its input ready-made (mapped, variant known) and is
 * timed one order after another (it is CPU-bound: concurrency does not help). The plugin is
 * timed doing the whole import: reading the pages from the sandbox, claiming, mapping, orders,
 * payments captured, reservations, links, records.
 * The three are timed in ROUNDS of 100 orders each, in turn (core 100, plugin one page, floor
 * one page, then the next round), after a fresh `ANALYZE`: a shared machine's slow minute or
 * the planner's statistics then weigh on all three alike, and the ratios compare code, not
 * moments. Each path's time is the sum over its rounds.
 * The floor: `orderModule.createOrders` alone, pages of 100, for N orders prepared exactly as
 * the bulk path prepares them (prepareBulkOrders, not timed) — no payments, reservations,
 * links or records: the fastest any import of these orders could write them here.
 */
import { performance } from "perf_hooks"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import {
  createStep,
  createWorkflow,
  StepResponse,
  WorkflowResponse,
} from "@medusajs/framework/workflows-sdk"
import {
  prepareBulkOrders,
  type PrepareBulkOrdersInput,
} from "../../src/workflows/import-bulk/steps/prepare-orders"
import { createOrderWorkflow } from "@medusajs/medusa/core-flows"
import { parseLineGiftOrder } from "../../src/lib/line-gift"
import { mapLineGiftOrder, type VariantMatch } from "../../src/lib/mapping"
import { importLineGiftOrderWorkflow } from "../../src/workflows/import/workflows/import-line-gift-order"
import type { CreateOrderDTO } from "@medusajs/framework/types"
import { importLoop } from "./import-loop"
import type { BenchContext } from "./run"

/** Orders each path runs before it is timed (JIT, caches, connection pool), the same for both. */
const WARM_UP = 10
/** The plugin's warm-up: one full page (the bulk path runs a page at a time). */
const BULK_WARM_UP = 100

/**
 * Fresh planner statistics before a timed round: `ANALYZE` the bench database. Without it
 * whichever path runs first pays for the planner's empty-table estimates (measured: the
 * order module's re-read after `createOrders` took 0.4–0.9 s instead of 20 ms on some pages
 * until autovacuum caught up), and the comparison measures PostgreSQL's statistics instead of
 * the code. A merchant's database has its statistics; a fresh bench database has none.
 */
export async function analyzeDatabase(ctx: BenchContext) {
  const knex = ctx.container.resolve(
    ContainerRegistrationKeys.PG_CONNECTION
  ) as {
    raw: (sql: string) => Promise<unknown>
  }
  await knex.raw("ANALYZE")
}

/** Page size of the bulk path (and of the floor). */
const PAGE = 100

/** The bulk path's preparation (prepareBulkOrders, what its prepare step runs), unpacked. */
const benchPrepareStep = createStep(
  "line-gift-bench-prepare-step",
  async (input: PrepareBulkOrdersInput, { container }) =>
    new StepResponse(await prepareBulkOrders(container, input))
)

/** The bulk path's preparation alone (read-only), to hand the floor the same order inputs. */
export const benchPrepareWorkflow = createWorkflow(
  "line-gift-bench-prepare",
  (input: PrepareBulkOrdersInput) => {
    return new WorkflowResponse(benchPrepareStep(input))
  }
)

/** One path's timed total over the rounds. */
type Timed = { orders: number; ms: number }

function rate(t: Timed) {
  return {
    orders: t.orders,
    ms_per_order: t.ms / Math.max(1, t.orders),
    per_s: (t.orders * 1000) / Math.max(1, t.ms),
  }
}

/**
 * Core's inputs: N + WARM_UP sandbox orders mapped as the plugin maps them (variant known),
 * ready for createOrderWorkflow.
 */
async function coreInputs(ctx: BenchContext, n: number) {
  const { container, sandbox, store } = ctx
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const coreShop = await ctx.newShop("bench-core")
  const { data: variants } = await query.graph({
    entity: "product_variant",
    fields: ["id", "sku", "title", "manage_inventory", "product.title"],
    filters: { sku: Object.keys(store.variants) },
  })
  const variantsBySku = new Map<string, VariantMatch>(
    (variants as any[]).map((v) => [
      v.sku,
      {
        id: v.id,
        sku: v.sku,
        title: v.title,
        product_title: v.product?.title ?? null,
        manage_inventory: !!v.manage_inventory,
      },
    ])
  )
  return Array.from({ length: n + WARM_UP }, () => {
    const parsed = parseLineGiftOrder(sandbox.addOrder({ status: "payment" }))
    if (!parsed.ok) throw new Error(parsed.reason)
    return mapLineGiftOrder(parsed.order, {
      shopId: coreShop.id,
      regionId: store.region_id,
      salesChannelId: store.sales_channel_id,
      currencyCode: "jpy",
      email: "bench-core@example.invalid",
      shippingOptionId: store.shipping_option_id,
      variantsBySku,
    }).input
  })
}

/**
 * The floor's inputs: N + PAGE sandbox orders prepared exactly as the bulk path prepares them
 * (prepareBulkOrders, not timed), for `orderModule.createOrders` alone.
 */
async function floorInputs(ctx: BenchContext, n: number) {
  const { container, sandbox, store } = ctx
  const shop = await ctx.newShop("bench-floor")
  const email = "bench-floor@example.invalid"
  const [customer] = await container
    .resolve(Modules.CUSTOMER)
    .createCustomers([{ email }])
  const orders = Array.from({ length: n + PAGE }, (_, i) => {
    const parsed = parseLineGiftOrder(sandbox.addOrder({ status: "payment" }))
    if (!parsed.ok) throw new Error(parsed.reason)
    return { order: parsed.order, record_id: `bench_floor_${i}` }
  })
  const inputs: CreateOrderDTO[] = []
  for (let i = 0; i < orders.length; i += PAGE) {
    const { result } = await benchPrepareWorkflow(container).run({
      input: {
        orders: orders.slice(i, i + PAGE),
        shop_id: shop.id,
        region_id: store.region_id,
        sales_channel: { id: store.sales_channel_id },
        customer: { id: customer.id, email },
        shipping_option_id: store.shipping_option_id,
        email,
      },
    })
    if (result.failed.length)
      ctx.log(
        `floor: ${result.failed.length} orders not prepared (${result.failed[0].reason})`
      )
    inputs.push(
      ...result.prepared.map((p) => p.order as unknown as CreateOrderDTO)
    )
  }
  return inputs
}

/** Adds `count` new `payment` orders to the (emptied) sandbox. */
function freshSandboxOrders(ctx: BenchContext, count: number) {
  ctx.sandbox.clearOrders()
  for (let i = 0; i < count; i++) ctx.sandbox.addOrder({ status: "payment" })
}

/**
 * Core, plugin and floor on N orders each, in rounds of 100 (see the file's comment), then
 * the per-order plugin path on a small sample.
 * @returns per path: orders, ms per order, orders per second; both ratios
 */
export async function benchSpeed(
  ctx: BenchContext,
  n: number,
  perOrderSample = 10
): Promise<any> {
  const { container, sandbox, log } = ctx
  const orderModule = container.resolve(Modules.ORDER)
  sandbox.reset()
  const core = await coreInputs(ctx, n)
  const floor = await floorInputs(ctx, n)
  const shop = await ctx.newShop("bench-bulk")

  // Warm-ups, not timed.
  for (const input of core.slice(0, WARM_UP)) {
    await createOrderWorkflow(container).run({ input: input as any })
  }
  freshSandboxOrders(ctx, BULK_WARM_UP)
  await importLoop(container, shop.id)
  await orderModule.createOrders(floor.slice(0, PAGE))

  const coreT: Timed = { orders: 0, ms: 0 }
  const bulkT: Timed = { orders: 0, ms: 0 }
  const floorT: Timed = { orders: 0, ms: 0 }
  const bulkStats = {
    pages: 0,
    failed: 0,
    fallbacks: 0,
    reasons: [] as string[],
  }
  for (let done = 0; done < n; done += PAGE) {
    const size = Math.min(PAGE, n - done)
    await analyzeDatabase(ctx)

    let t = performance.now()
    for (const input of core.slice(WARM_UP + done, WARM_UP + done + size)) {
      await createOrderWorkflow(container).run({ input: input as any })
    }
    coreT.ms += performance.now() - t
    coreT.orders += size

    freshSandboxOrders(ctx, size)
    t = performance.now()
    const stats = await importLoop(container, shop.id)
    bulkT.ms += performance.now() - t
    bulkT.orders += stats.created
    bulkStats.pages += stats.pages
    bulkStats.failed += stats.failed
    bulkStats.fallbacks += stats.fallbacks
    bulkStats.reasons.push(
      ...stats.reasons.slice(0, 5 - bulkStats.reasons.length)
    )

    t = performance.now()
    await orderModule.createOrders(floor.slice(PAGE + done, PAGE + done + size))
    floorT.ms += performance.now() - t
    floorT.orders += size
  }
  log(
    `core: ${coreT.orders} orders in ${(coreT.ms / 1000).toFixed(1)} s; ` +
      `bulk: ${bulkT.orders} created in ${(bulkT.ms / 1000).toFixed(1)} s (${bulkStats.pages} pages, failed ${bulkStats.failed}, fallbacks ${bulkStats.fallbacks}) ${bulkStats.reasons.join("; ")}; ` +
      `floor: ${floorT.orders} orders in ${(floorT.ms / 1000).toFixed(1)} s`
  )

  const perOrder =
    perOrderSample > 0 ? await benchPerOrder(ctx, perOrderSample) : null
  const coreRate = rate(coreT)
  const bulk = {
    ...rate(bulkT),
    page_size: PAGE,
    failed: bulkStats.failed,
    fallbacks: bulkStats.fallbacks,
  }
  const floorRate = { ...rate(floorT), page_size: PAGE }
  return {
    core: coreRate,
    bulk,
    floor: floorRate,
    per_order: perOrder,
    rounds: Math.ceil(n / PAGE),
    ratio: bulk.per_s / coreRate.per_s,
    ratio_floor: bulk.per_s / floorRate.per_s,
  }
}

/** The per-order plugin path (importLineGiftOrderWorkflow, the slow one), on a small sample. */
async function benchPerOrder(ctx: BenchContext, count: number) {
  const { container, sandbox, store } = ctx
  sandbox.reset()
  const s = await ctx.newShop("bench-per-order")
  const base = {
    shop_id: s.id,
    run_id: null,
    region_id: store.region_id,
    sales_channel_id: store.sales_channel_id,
    shipping_option_id: store.shipping_option_id,
    email: "bench-per-order@example.invalid",
  }
  const samples = Array.from({ length: count }, () =>
    sandbox.addOrder({ status: "payment" })
  )
  const t = performance.now()
  for (const raw of samples) {
    const parsed = parseLineGiftOrder(raw)
    if (!parsed.ok) throw new Error(parsed.reason)
    await importLineGiftOrderWorkflow(container).run({
      input: { ...base, order: parsed.order, raw: parsed.raw },
    })
  }
  const ms = performance.now() - t
  return { orders: count, ms_per_order: ms / count, per_s: (count * 1000) / ms }
}
