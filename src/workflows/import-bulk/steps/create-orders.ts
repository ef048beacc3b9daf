import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { LINE_GIFT_MODULE } from "../../../modules/line-gift"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { CreateOrderDTO, OrderDTO } from "@medusajs/framework/types"
import type { PreparedOrder } from "./prepare-orders"

/** A created order, by the LINE Gift order it came from. */
export type CreatedBulkOrder = {
  line_gift_order_id: string
  order_id: string
  currency_code: string
  items: Array<{ id: string; variant_id: string | null; quantity: number }>
}

type RecordLink = { record_id: string; order_id: string }

function recordOrderLink(l: RecordLink) {
  return {
    [LINE_GIFT_MODULE]: { line_gift_order_id: l.record_id },
    [Modules.ORDER]: { order_id: l.order_id },
  }
}

/**
 * Creates the page's orders with ONE `orderModule.createOrders` call (line items with their
 * tax lines, shipping methods with theirs, addresses, customer, channel, region, metadata):
 * what createOrderWorkflow's createOrdersStep + updateOrderTaxLinesWorkflow write, without
 * one workflow per order. No `order.placed` event, as createOrderWorkflow emits none.
 * Then, at once, the record ↔ order links (a crash after this point leaves orders their
 * records reach; crash recovery finishes them).
 * Compensation: dismisses the links and deletes the orders it created (as core createOrdersStep does).
 */
export const createLineGiftOrdersBulkStep = createStep(
  "create-line-gift-orders-bulk",
  async (prepared: PreparedOrder[], { container }) => {
    if (!prepared.length) {
      return new StepResponse([] as CreatedBulkOrder[], {
        orders: [] as string[],
        links: [] as RecordLink[],
      })
    }
    const orderModule = container.resolve(Modules.ORDER)
    const created = await orderModule.createOrders(
      // BulkOrderInput is createOrderWorkflow's order input; the DTO types the same fields looser.
      prepared.map((p) => p.order) as unknown as CreateOrderDTO[]
    )
    const byLineGiftId = new Map<string, OrderDTO>()
    for (const o of created) {
      const meta = o.metadata?.line_gift as { order_id?: string } | undefined
      if (meta?.order_id) byLineGiftId.set(meta.order_id, o)
    }
    const result: CreatedBulkOrder[] = prepared.map((p) => {
      const o = byLineGiftId.get(p.line_gift_order_id)!
      return {
        line_gift_order_id: p.line_gift_order_id,
        order_id: o.id,
        currency_code: o.currency_code,
        items: (o.items ?? []).map((i) => ({
          id: i.id,
          variant_id: i.variant_id ?? null,
          quantity: Number(i.quantity),
        })),
      }
    })
    const orderIds = created.map((o) => o.id)
    const links: RecordLink[] = prepared.map((p, n) => ({
      record_id: p.record_id,
      order_id: result[n].order_id,
    }))
    try {
      await container
        .resolve(ContainerRegistrationKeys.LINK)
        .create(links.map(recordOrderLink))
    } catch (e) {
      // A failed step is not compensated by the engine: undo the orders here.
      await orderModule.deleteOrders(orderIds)
      throw e
    }
    return new StepResponse(result, { orders: orderIds, links })
  },
  async (undo, { container }) => {
    if (!undo?.orders.length) return
    if (undo.links.length) {
      await container
        .resolve(ContainerRegistrationKeys.LINK)
        .dismiss(undo.links.map(recordOrderLink))
    }
    await container.resolve(Modules.ORDER).deleteOrders(undo.orders)
  }
)
