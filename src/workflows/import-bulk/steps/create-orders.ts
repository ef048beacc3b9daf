import { Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { PreparedOrder } from "./prepare-orders"

/** A created order, by the LINE Gift order it came from. */
export type CreatedBulkOrder = {
  line_gift_order_id: string
  order_id: string
  currency_code: string
  items: Array<{ id: string; variant_id: string | null; quantity: number }>
}

/**
 * Creates the page's orders with ONE `orderModule.createOrders` call (line items with their
 * tax lines, shipping methods with theirs, addresses, customer, channel, region, metadata):
 * what createOrderWorkflow's createOrdersStep + updateOrderTaxLinesWorkflow write, without
 * one workflow per order. No `order.placed` event, as createOrderWorkflow emits none.
 * Compensation: deletes the orders it created (as core createOrdersStep does).
 */
export const createLineGiftOrdersBulkStep = createStep(
  "create-line-gift-orders-bulk",
  async (prepared: PreparedOrder[], { container }) => {
    if (!prepared.length) {
      return new StepResponse([] as CreatedBulkOrder[], [] as string[])
    }
    const orderModule = container.resolve(Modules.ORDER)
    const created = (await orderModule.createOrders(prepared.map((p) => p.order) as any)) as any[]
    const byLineGiftId = new Map<string, any>()
    for (const o of created) {
      byLineGiftId.set(o.metadata?.line_gift?.order_id, o)
    }
    const result: CreatedBulkOrder[] = prepared.map((p) => {
      const o = byLineGiftId.get(p.line_gift_order_id)
      return {
        line_gift_order_id: p.line_gift_order_id,
        order_id: o.id,
        currency_code: o.currency_code,
        items: (o.items ?? []).map((i: any) => ({
          id: i.id,
          variant_id: i.variant_id ?? null,
          quantity: Number(i.quantity),
        })),
      }
    })
    return new StepResponse(result, created.map((o) => o.id))
  },
  async (ids, { container }) => {
    if (!ids?.length) return
    await container.resolve(Modules.ORDER).deleteOrders(ids)
  }
)
