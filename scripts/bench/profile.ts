/**
 * Where the per-order import (importLineGiftOrderWorkflow) spends its time: the same work
 * done phase by phase with a stopwatch around each (claim, variant lookup + mapping,
 * createOrderWorkflow, payment collection, mark paid, reservations, link, mark imported),
 * plus the whole workflow timed on other orders for comparison.
 */
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
import type { BenchContext } from "./run"

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

  // The bulk workflow on a page of 100: time between consecutive step starts (the steps run
  // one after another, so that is each step's duration, engine overhead included).
  const makePage = () =>
    Array.from({ length: 100 }, () => {
      const raw = sandbox.addOrder({ status: "payment" })
      return { order: parsed(raw), raw }
    })
  await importLineGiftOrdersBulkWorkflow(container).run({
    input: { ...base, orders: makePage() },
  }) // warm-up
  const page = makePage()
  const tb = performance.now()
  const { transaction } = await importLineGiftOrdersBulkWorkflow(container).run(
    {
      input: { ...base, orders: page },
    }
  )
  const bulkTotal = performance.now() - tb
  const steps = Object.values(
    (transaction as any).getFlow().steps as Record<string, any>
  )
    .filter((st) => st.startedAt && st.definition?.action)
    .sort((a, b) => a.startedAt - b.startedAt)
  const bulkSteps: Record<string, number> = {}
  const end = tb + bulkTotal
  const t0 = Date.now() - (performance.now() - tb)
  steps.forEach((st, i) => {
    const next = steps[i + 1]?.startedAt ?? t0 + (end - tb)
    bulkSteps[`bulk ${st.definition.action}`] =
      (bulkSteps[`bulk ${st.definition.action}`] ?? 0) +
      (next - st.startedAt) / page.length
  })
  bulkSteps["bulk workflow, whole"] = bulkTotal / page.length

  const perOrder: Record<string, number> = {}
  for (const [k, v] of Object.entries(phases)) perOrder[k] = v / count
  perOrder["= sum of phases"] = sum / count
  perOrder["importLineGiftOrderWorkflow, whole"] = whole
  Object.assign(perOrder, bulkSteps)
  return { orders: count, phases: perOrder }
}
