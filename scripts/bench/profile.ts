/**
 * Where the per-order import (importLineGiftOrderWorkflow) spends its time: the same work
 * done phase by phase with a stopwatch around each (claim, variant lookup + mapping,
 * createOrderWorkflow, payment collection, mark paid, reservations, link, mark imported),
 * plus the whole workflow timed on other orders for comparison.
 */
import fs from "fs"
import inspector from "inspector"
import { performance } from "perf_hooks"
import {
  ContainerRegistrationKeys,
  MathBN,
  Modules,
} from "@medusajs/framework/utils"
import {
  createOrderPaymentCollectionWorkflow,
  createOrderWorkflow,
  markPaymentCollectionAsPaid,
} from "@medusajs/medusa/core-flows"
import { parseLineGiftOrder } from "../../src/lib/line-gift/schemas"
import {
  lineGiftSku,
  mapLineGiftOrder,
  type VariantMatch,
} from "../../src/lib/mapping"
import { LINE_GIFT_MODULE } from "../../src/modules/line-gift"
import type LineGiftModuleService from "../../src/modules/line-gift/service"
import { importLineGiftOrderWorkflow } from "../../src/workflows/import/workflows/import-line-gift-order"
import { importLineGiftOrdersBulkWorkflow } from "../../src/workflows/import-bulk"
import { getLineGiftClient } from "../../src/workflows/helpers/line-gift-client"
import type { LineGiftOrder } from "../../src/lib/line-gift/schemas"
import type { MedusaContainer } from "@medusajs/framework/types"
import type { BenchContext } from "./run"
import { analyzeDatabase, benchPrepareWorkflow } from "./speed"

/** Page size of the bulk path. */
const PAGE = 100

/** Pages of 100 the bulk workflow (and the floor) are timed on, after a warm-up page: the mean. */
const PROFILE_PAGES = 5

export async function benchProfile(ctx: BenchContext, count: number) {
  const { container, sandbox, store } = ctx
  const shop = await ctx.newShop("bench-profile")
  const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const link = container.resolve(ContainerRegistrationKeys.LINK)
  const inventory = container.resolve(Modules.INVENTORY)
  const phases: Record<string, number> = {}
  const time = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t = performance.now()
    try {
      return await fn()
    } finally {
      phases[name] = (phases[name] ?? 0) + performance.now() - t
    }
  }
  const parsed = (raw: unknown) => {
    const p = parseLineGiftOrder(raw)
    if (!p.ok) throw new Error(p.reason)
    return p.order
  }
  const base = {
    shop_id: shop.id,
    run_id: null,
    region_id: store.region_id,
    sales_channel_id: store.sales_channel_id,
    shipping_option_id: store.shipping_option_id,
    email: "bench@example.invalid",
  }

  // Warm-up (first run loads and caches a lot).
  const warm = sandbox.addOrder({ status: "payment" })
  await importLineGiftOrderWorkflow(container).run({
    input: { ...base, order: parsed(warm), raw: warm },
  })

  for (let i = 0; i < count; i++) {
    const raw = sandbox.addOrder({ status: "payment" })
    const order = parsed(raw)
    const recordId = await time("1 claim (service.claimOrder)", () =>
      service.claimOrder({
        shop_id: shop.id,
        line_gift_order_id: order.id,
        line_gift_status: order.status,
        raw,
        run_id: null,
      })
    )
    const mapped = await time(
      "2 variant lookup + mapLineGiftOrder",
      async () => {
        const sku = lineGiftSku(order)
        const variantsBySku = new Map<string, VariantMatch>()
        if (sku) {
          const { data } = await query.graph({
            entity: "product_variant",
            fields: ["id", "sku", "title", "manage_inventory", "product.title"],
            filters: { sku },
          })
          const v = data[0] as any
          if (v) {
            variantsBySku.set(sku, {
              id: v.id,
              sku: v.sku,
              title: v.title,
              product_title: v.product?.title ?? null,
              manage_inventory: !!v.manage_inventory,
            })
          }
        }
        return mapLineGiftOrder(order, {
          shopId: shop.id,
          regionId: store.region_id,
          salesChannelId: store.sales_channel_id,
          currencyCode: "jpy",
          email: base.email,
          shippingOptionId: store.shipping_option_id,
          variantsBySku,
        })
      }
    )
    const { result: created } = await time("3 createOrderWorkflow", () =>
      createOrderWorkflow(container).run({ input: mapped.input as any })
    )
    const { result: pcs } = await time(
      "4 createOrderPaymentCollectionWorkflow",
      () =>
        createOrderPaymentCollectionWorkflow(container).run({
          input: {
            order_id: created.id,
            amount: order.selling_price as number,
          },
        })
    )
    await time("5 markPaymentCollectionAsPaid", () =>
      markPaymentCollectionAsPaid(container).run({
        input: { order_id: created.id, payment_collection_id: pcs[0].id },
      })
    )
    await time("6 reservations (query + levels + create)", async () => {
      const { data } = await query.graph({
        entity: "order",
        fields: [
          "items.id",
          "items.quantity",
          "items.variant.manage_inventory",
          "items.variant.inventory_items.inventory_item_id",
          "items.variant.inventory_items.required_quantity",
        ],
        filters: { id: created.id },
      })
      const toCreate: any[] = []
      for (const item of (data[0] as any)?.items ?? []) {
        if (!item?.variant?.manage_inventory) continue
        for (const l of item.variant.inventory_items ?? []) {
          const [level] = await inventory.listInventoryLevels({
            inventory_item_id: l.inventory_item_id,
            location_id: [store.stock_location_id],
          })
          if (level) {
            toCreate.push({
              line_item_id: item.id,
              inventory_item_id: l.inventory_item_id,
              location_id: level.location_id,
              quantity: MathBN.convert(item.quantity).toNumber(),
            })
          }
        }
      }
      if (toCreate.length) await inventory.createReservationItems(toCreate)
    })
    await time("7 link record ↔ order", () =>
      link.create({
        [LINE_GIFT_MODULE]: { line_gift_order_id: recordId },
        [Modules.ORDER]: { order_id: created.id },
      })
    )
    await time("8 mark imported", () =>
      service.updateLineGiftOrders({
        id: recordId,
        state: "imported",
        imported_at: new Date(),
      } as any)
    )
  }
  const sum = Object.values(phases).reduce((a, b) => a + b, 0)

  // The real workflow, whole, on the same number of fresh orders.
  const t = performance.now()
  for (let i = 0; i < count; i++) {
    const raw = sandbox.addOrder({ status: "payment" })
    await importLineGiftOrderWorkflow(container).run({
      input: { ...base, order: parsed(raw), raw },
    })
  }
  const whole = (performance.now() - t) / count

  const bulk = await profileBulkPage(ctx, base, parsed)

  const perOrder: Record<string, number> = {}
  for (const [k, v] of Object.entries(phases)) perOrder[k] = v / count
  perOrder["= sum of phases"] = sum / count
  perOrder["importLineGiftOrderWorkflow, whole"] = whole
  // The bulk rows carry their SQL statements per page in the name (the table prints names).
  for (const [k, v] of Object.entries(bulk.ms))
    perOrder[k in bulk.queries ? `${k} [${bulk.queries[k]} q/page]` : k] = v
  return { orders: count, phases: perOrder, bulk_queries: bulk.queries }
}

/**
 * With a file (the profile row passes BENCH_CPU_PROFILE): a V8 CPU profile until stop(), written there
 * (open it in Chrome DevTools, or sum self time per function). Otherwise nothing.
 */
export async function startCpuProfile(file: string | undefined) {
  if (!file) return { stop: async () => {} }
  const session = new inspector.Session()
  session.connect()
  const post = (method: string) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, (err, res) => (err ? reject(err) : resolve(res)))
    )
  await post("Profiler.enable")
  await post("Profiler.start")
  return {
    stop: async () => {
      const res = (await post("Profiler.stop")) as { profile: unknown }
      fs.writeFileSync(file, JSON.stringify(res.profile))
      session.disconnect()
    },
  }
}

/** Counts the SQL statements sent through the shared knex connection, with their start time. */
function watchQueries(container: MedusaContainer) {
  const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION) as {
    on: (event: string, fn: () => void) => void
    removeListener: (event: string, fn: () => void) => void
  }
  const at: number[] = []
  const onQuery = () => at.push(Date.now())
  knex.on("query", onQuery)
  return { at, stop: () => knex.removeListener("query", onQuery) }
}

type StepState = { startedAt?: number; definition?: { action?: string } }

/**
 * The bulk workflow on a page of 100 (after a warm-up page): per step, ms per order (time
 * between consecutive step starts: the steps run one after another, engine overhead
 * included) and SQL statements per page; the same for what the import loop does around it
 * (page read + parse, getOrderStates) and for the floor (orderModule.createOrders alone).
 */
async function profileBulkPage(
  ctx: BenchContext,
  base: {
    shop_id: string
    run_id: null
    region_id: string
    sales_channel_id: string
    shipping_option_id: string
    email: string
  },
  parsed: (raw: unknown) => LineGiftOrder
) {
  const { container, sandbox } = ctx
  const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
  const ms: Record<string, number> = {}
  const queries: Record<string, number> = {}
  const makePage = () =>
    Array.from({ length: PAGE }, () => {
      const raw = sandbox.addOrder({ status: "payment" })
      return { order: parsed(raw), raw }
    })
  await importLineGiftOrdersBulkWorkflow(container).run({
    input: { ...base, orders: makePage() },
  }) // warm-up
  const page = makePage()

  // What the import loop does before the workflow: read + parse the page, known states.
  const client = await getLineGiftClient(container, base.shop_id)
  const watchLoop = watchQueries(container)
  let t = performance.now()
  const pages = client.iterateOrderPages()
  const first = await pages.next()
  const readMs = performance.now() - t
  const seen = first.done ? 0 : first.value.orders.length
  t = performance.now()
  const fresh = page.map((p) => p.order.id)
  await service.getOrderStates(base.shop_id, fresh)
  const statesMs = performance.now() - t
  watchLoop.stop()
  await pages.return(undefined)
  ms[`loop: read + parse a page (${seen} orders)`] = readMs / Math.max(1, seen)
  ms["loop: getOrderStates"] = statesMs / PAGE
  queries["loop: getOrderStates"] = watchLoop.at.length

  await analyzeDatabase(ctx)
  const cpu = await startCpuProfile(process.env.BENCH_CPU_PROFILE)
  let bulkTotal = 0
  let bulkQueries = 0
  for (let n = 0; n < PROFILE_PAGES; n++) {
    const watch = watchQueries(container)
    const tb = performance.now()
    const t0 = Date.now()
    const { transaction } = await importLineGiftOrdersBulkWorkflow(
      container
    ).run({ input: { ...base, orders: n === 0 ? page : makePage() } })
    bulkTotal += performance.now() - tb
    const tEnd = Date.now()
    watch.stop()
    bulkQueries += watch.at.length
    const steps = Object.values(
      (
        transaction as unknown as {
          getFlow(): { steps: Record<string, StepState> }
        }
      ).getFlow().steps
    )
      .filter((st) => st.startedAt && st.definition?.action)
      .sort((a, b) => a.startedAt! - b.startedAt!)
    const firstStart = steps[0]?.startedAt ?? tEnd
    const before = watch.at.filter((q) => q < firstStart).length
    ms["bulk (engine start)"] =
      (ms["bulk (engine start)"] ?? 0) + (firstStart - t0) / PAGE
    queries["bulk (engine start)"] =
      (queries["bulk (engine start)"] ?? 0) + before
    steps.forEach((st, i) => {
      const from = st.startedAt!
      const to = steps[i + 1]?.startedAt ?? tEnd + 1
      const name = `bulk ${st.definition!.action}`
      ms[name] = (ms[name] ?? 0) + (to - from) / PAGE
      queries[name] =
        (queries[name] ?? 0) +
        watch.at.filter((q) => q >= from && q < to).length
    })
  }
  await cpu.stop()
  for (const k of Object.keys(ms)) {
    if (!k.startsWith("bulk ")) continue
    ms[k] /= PROFILE_PAGES
    queries[k] = Math.round(queries[k] / PROFILE_PAGES)
  }
  ms["bulk workflow, whole"] = bulkTotal / PAGE / PROFILE_PAGES
  queries["bulk workflow, whole"] = Math.round(bulkQueries / PROFILE_PAGES)

  // The floor for the same kind of pages: prepared (not timed), then createOrders alone.
  let floorMs = 0
  let floorQueries = 0
  for (let n = 0; n < PROFILE_PAGES; n++) {
    const claimedPage = makePage().map(({ order }, i) => ({
      order,
      record_id: `profile_floor_${n}_${i}`,
    }))
    const { result: prep } = await benchPrepareWorkflow(container).run({
      input: {
        orders: claimedPage,
        shop_id: base.shop_id,
        region_id: base.region_id,
        sales_channel: { id: base.sales_channel_id },
        customer: null,
        shipping_option_id: base.shipping_option_id,
        email: base.email,
      },
    })
    const watchFloor = watchQueries(container)
    const tf = performance.now()
    await container
      .resolve(Modules.ORDER)
      .createOrders(prep.prepared.map((p) => p.order))
    floorMs += performance.now() - tf
    watchFloor.stop()
    floorQueries += watchFloor.at.length
  }
  ms["floor: orderModule.createOrders"] = floorMs / PAGE / PROFILE_PAGES
  queries["floor: orderModule.createOrders"] = Math.round(
    floorQueries / PROFILE_PAGES
  )
  return { ms, queries }
}
