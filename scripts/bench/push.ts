/**
 * Push latency: orders imported, then fulfilled one by one with a tracking number through
 * Medusa's createOrderFulfillmentWorkflow; the plugin's subscribers (registered here on the
 * event bus as Medusa's subscriber loader would: `medusa exec` does not load them) push the
 * shipment; measured: fulfilment created → the sandbox holds the tracking number.
 */
import fs from "fs"
import path from "path"
import { performance } from "perf_hooks"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createOrderFulfillmentWorkflow } from "@medusajs/medusa/core-flows"
import { LINE_GIFT_MODULE } from "../../src/modules/line-gift"
import { importLoop } from "./import-loop"
import type LineGiftModuleService from "../../src/modules/line-gift/service"
import type { BenchContext } from "./run"

/** The tracking number the sandbox holds for an order (set by the delivery call). */
const deliveryCode = (order: unknown): unknown =>
  (order as { delivery_code?: unknown } | undefined)?.delivery_code

const SUBSCRIBERS_DIR = path.join(__dirname, "..", "..", "src", "subscribers")

/** The push row's result (ms). */
export type PushResult = {
  orders: number
  p50_ms: number | null
  p95_ms: number | null
  note: string
}

/** The event bus methods used here (subscribers registered by hand). */
type Subscribable = {
  subscribe: (
    event: string,
    handler: (data: unknown) => Promise<unknown>,
    context: { subscriberId: string }
  ) => unknown
}

/** A subscriber module as Medusa loads it (default handler + config). */
type SubscriberModule = {
  default?: (args: {
    event: unknown
    container: unknown
    pluginOptions: Record<string, unknown>
  }) => Promise<unknown>
  config?: { event?: string | string[]; context?: { subscriberId?: string } }
}

/** A LINE Gift order record with its linked order id. */
type LinkedRecord = { line_gift_order_id: string; order: { id: string } }
/** An order with its items (as query.graph returns them here). */
type OrderWithItems = {
  id: string
  items: Array<{ id: string; quantity: number | string }>
}

/** Push latency (see file comment). @throws "export not available" without the export code. */
export async function benchPush(
  ctx: BenchContext,
  n: number
): Promise<PushResult> {
  const { container, sandbox, log } = ctx
  const files = fs.existsSync(SUBSCRIBERS_DIR)
    ? fs
        .readdirSync(SUBSCRIBERS_DIR)
        .filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith(".d.ts"))
    : []
  if (
    !files.length ||
    !fs.existsSync(
      path.join(__dirname, "..", "..", "src", "workflows", "export")
    )
  ) {
    throw new Error("export not available")
  }
  const eventBus = container.resolve<Subscribable>(Modules.EVENT_BUS)
  for (const f of files) {
    const mod = require(path.join(SUBSCRIBERS_DIR, f)) as SubscriberModule
    const handler = mod.default
    const config = mod.config
    if (typeof handler !== "function" || !config?.event) continue
    for (const event of [config.event].flat()) {
      eventBus.subscribe(
        event,
        (data: unknown) =>
          handler({ event: data, container, pluginOptions: {} }),
        {
          subscriberId: `bench-${config.context?.subscriberId ?? f}`,
        }
      )
    }
  }

  sandbox.reset()
  const shop = await ctx.newShop("bench-push")
  const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
  await service.updateShop(shop.id, {
    default_carrier: "ヤマト運輸",
    auto_export: true,
    export_scope: "fulfilled",
  })
  const lgIds = Array.from(
    { length: n },
    () => sandbox.addOrder({ status: "payment" }).id
  )
  const imported = await importLoop(container, shop.id)
  if (imported.created !== n)
    throw new Error(
      `imported ${imported.created} of ${n}: ${imported.reasons.join("; ")}`
    )

  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: records } = await query.graph({
    entity: "line_gift_order",
    fields: ["line_gift_order_id", "order.id"],
    filters: { shop_id: shop.id },
  })
  const linked = records as unknown as LinkedRecord[]
  const { data: orders } = await query.graph({
    entity: "order",
    fields: ["id", "items.*"],
    filters: { id: linked.map((r) => r.order.id) },
  })
  const orderById = new Map(
    (orders as unknown as OrderWithItems[]).map((o) => [o.id, o])
  )
  const byLg = new Map(
    linked.map((r) => [r.line_gift_order_id, orderById.get(r.order.id)])
  )
  const latencies: number[] = []
  const fulfilMs: number[] = []
  let timeouts = 0
  for (const [i, lgId] of lgIds.entries()) {
    const order = byLg.get(lgId)
    if (!order) throw new Error(`no Medusa order for LINE Gift order ${lgId}`)
    // 12 digits: a valid ヤマト運輸 number (tracking numbers are checked per carrier).
    const tracking = `9${String(i).padStart(11, "0")}`
    const t0 = performance.now()
    await createOrderFulfillmentWorkflow(container).run({
      input: {
        order_id: order.id,
        items: order.items.map((it) => ({
          id: it.id,
          quantity: Number(it.quantity),
        })),
        labels: [
          { tracking_number: tracking, tracking_url: "", label_url: "" },
        ],
      },
    })
    const t1 = performance.now()
    fulfilMs.push(t1 - t0)
    const deadline = t1 + 30_000
    while (deliveryCode(sandbox.getOrder(lgId)) !== tracking) {
      if (performance.now() > deadline) {
        timeouts++
        break
      }
      await new Promise((r) => setTimeout(r, 2))
    }
    if (deliveryCode(sandbox.getOrder(lgId)) === tracking)
      latencies.push(performance.now() - t1)
  }
  log(`pushed ${latencies.length} of ${n} (timeouts ${timeouts})`)
  const pct = (xs: number[], p: number) => {
    const s = [...xs].sort((a, b) => a - b)
    return s.length
      ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]
      : null
  }
  return {
    orders: latencies.length,
    p50_ms: pct(latencies, 50),
    p95_ms: pct(latencies, 95),
    note: `from fulfilment created (createOrderFulfillmentWorkflow: p50 ${pct(fulfilMs, 50)?.toFixed(0)} ms) to tracking number at the sandbox${timeouts ? `; ${timeouts} not pushed within 30 s` : ""}`,
  }
}
