/**
 * Core createOrderWorkflow vs the plugin's bulk import vs the floor, side by side on the same store:
 * N orders each, each path warmed up first (not timed): WARM_UP orders for the core, one page
 * for the plugin. Core gets its input ready-made (mapped, variant known) and is timed alone,
 * one order after another (it is CPU-bound: concurrency does not help). The plugin is timed
 * doing the whole import: reading the pages from the sandbox, claiming, mapping, orders,
 * payments captured, reservations, links, records.
 * The floor: `orderModule.createOrders` alone, pages of 100, for N orders prepared exactly as
 * the bulk path prepares them (prepareBulkOrdersStep, not timed) — no payments, reservations,
 * links or records: the fastest any import of these orders could write them here.
 */
import { performance } from "perf_hooks"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import {
  createWorkflow,
  WorkflowResponse,
} from "@medusajs/framework/workflows-sdk"
import {
  prepareBulkOrdersStep,
  type PrepareBulkOrdersInput,
} from "../../src/workflows/import-bulk/steps/prepare-orders"
import { createOrderWorkflow } from "@medusajs/medusa/core-flows"
import { parseLineGiftOrder } from "../../src/lib/line-gift"
import {
  lineGiftSku,
  mapLineGiftOrder,
  type VariantMatch,
} from "../../src/lib/mapping"
import { importLineGiftOrderWorkflow } from "../../src/workflows/import/workflows/import-line-gift-order"
import { importLoop } from "./import-loop"
import type { BenchContext } from "./run"

/** Orders each path runs before it is timed (JIT, caches, connection pool), the same for both. */
const WARM_UP = 10
/** The plugin's warm-up: one full page (the bulk path runs a page at a time). */
const BULK_WARM_UP = 100

/** Page size of the bulk path (and of the floor). */
const PAGE = 100

/** The bulk path's preparation alone (read-only), to hand the floor the same order inputs. */
export const benchPrepareWorkflow = createWorkflow(
  "line-gift-bench-prepare",
  (input: PrepareBulkOrdersInput) => {
    return new WorkflowResponse(prepareBulkOrdersStep(input))
  }
)

/**
 * The floor: N sandbox orders prepared as the bulk path prepares them (not timed), then
 * written with `orderModule.createOrders` alone, page after page of 100 (timed).
 * @returns orders written, ms per order, orders per second
 */
async function benchFloor(ctx: BenchContext, n: number) {
  const { container, sandbox, store } = ctx
  sandbox.reset()
  const shop = await ctx.newShop("bench-floor")
  const email = "bench-floor@example.invalid"
  const [customer] = await container
    .resolve(Modules.CUSTOMER)
    .createCustomers([{ email }])
  const orders = Array.from({ length: n + PAGE }, (_, i) => {
    const raw = sandbox.addOrder({ status: "payment" })
    const parsed = parseLineGiftOrder(raw)
    if (!parsed.ok) throw new Error(parsed.reason)
    return { order: parsed.order, record_id: `bench_floor_${i}` }
  })
  const inputs: Array<Record<string, any>> = []
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
    inputs.push(...result.prepared.map((p) => p.order))
  }
  const orderModule = container.resolve(Modules.ORDER)
  await orderModule.createOrders(inputs.slice(0, PAGE) as any) // warm-up page, not timed
  const timed = inputs.slice(PAGE)
  const t = performance.now()
  for (let i = 0; i < timed.length; i += PAGE) {
    await orderModule.createOrders(timed.slice(i, i + PAGE) as any)
  }
  const ms = performance.now() - t
  return {
    orders: timed.length,
    page_size: PAGE,
    ms_per_order: ms / timed.length,
    per_s: (timed.length * 1000) / ms,
  }
}

export async function benchSpeed(
  ctx: BenchContext,
  n: number,
  perOrderSample = 10
): Promise<any> {
  const { container, sandbox, store, log } = ctx
  const query = container.resolve(ContainerRegistrationKeys.QUERY)

  // Core: N orders through createOrderWorkflow.
  sandbox.reset()
  const coreShop = await ctx.newShop("bench-core")
  const raws = Array.from({ length: n + WARM_UP }, () =>
    sandbox.addOrder({ status: "payment" })
  )
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
  const inputs = raws.map((raw) => {
    const parsed = parseLineGiftOrder(raw)
    if (!parsed.ok) throw new Error(parsed.reason)
    void lineGiftSku
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
  for (const input of inputs.slice(0, WARM_UP)) {
    await createOrderWorkflow(container).run({ input: input as any }) // warm-up, not timed
  }
  let t = performance.now()
  for (const input of inputs.slice(WARM_UP)) {
    await createOrderWorkflow(container).run({ input: input as any })
  }
  const coreMs = performance.now() - t
  const coreCount = inputs.length - WARM_UP
  log(`core: ${coreCount} orders in ${(coreMs / 1000).toFixed(1)} s`)

  // Plugin, bulk: a sandbox with N payment orders, imported page by page.
  sandbox.reset()
  const shop = await ctx.newShop("bench-bulk")
  for (let i = 0; i < BULK_WARM_UP; i++) sandbox.addOrder({ status: "payment" })
  await importLoop(container, shop.id) // warm-up, not timed
  for (let i = 0; i < n; i++) sandbox.addOrder({ status: "payment" })
  t = performance.now()
  const stats = await importLoop(container, shop.id)
  const bulkMs = performance.now() - t
  log(
    `bulk: ${stats.created} created in ${(bulkMs / 1000).toFixed(1)} s (${stats.pages} pages, failed ${stats.failed}, fallbacks ${stats.fallbacks}) ${stats.reasons.join("; ")}`
  )

  // The per-order plugin path, on a small sample (it is the slow one).
  let perOrder: any = null
  if (perOrderSample > 0) {
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
    const samples = Array.from({ length: perOrderSample }, () =>
      sandbox.addOrder({ status: "payment" })
    )
    t = performance.now()
    for (const raw of samples) {
      const parsed = parseLineGiftOrder(raw)
      if (!parsed.ok) throw new Error(parsed.reason)
      await importLineGiftOrderWorkflow(container).run({
        input: { ...base, order: parsed.order, raw },
      })
    }
    const ms = performance.now() - t
    perOrder = {
      orders: perOrderSample,
      ms_per_order: ms / perOrderSample,
      per_s: (perOrderSample * 1000) / ms,
    }
  }

  const floor = await benchFloor(ctx, n)
  log(
    `floor: ${floor.orders} orders in ${((floor.ms_per_order * floor.orders) / 1000).toFixed(1)} s`
  )

  const core = {
    orders: coreCount,
    ms_per_order: coreMs / coreCount,
    per_s: (coreCount * 1000) / coreMs,
  }
  const bulk = {
    orders: stats.created,
    page_size: PAGE,
    ms_per_order: bulkMs / Math.max(1, stats.created),
    per_s: (stats.created * 1000) / bulkMs,
    failed: stats.failed,
    fallbacks: stats.fallbacks,
  }
  return {
    core,
    bulk,
    floor,
    per_order: perOrder,
    ratio: bulk.per_s / core.per_s,
    ratio_floor: bulk.per_s / floor.per_s,
  }
}
