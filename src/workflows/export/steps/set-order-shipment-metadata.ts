import { Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"

/** What LINE Gift now has for the order, as kept in the Medusa order's metadata. */
export type OrderShipmentMetadata = {
  tracking_number: string
  carrier: string
  /** Day of the push, Asia/Tokyo, "YYYY-MM-DD" (LINE Gift's ship date). */
  ship_date: string
  /** ISO instant of the push. */
  sent_at: string
}

/**
 * Sets `metadata.line_gift.shipment` on the Medusa order (other metadata kept), and
 * `metadata.line_gift.status` to `received`: LINE Gift moves an order to `received` when it
 * accepts the shipment (shared/line-gift-api.md, "Shipment update", assumed).
 * Compensation: restores the previous metadata.
 */
export const setOrderLineGiftShipmentStep = createStep(
  "set-order-line-gift-shipment",
  async (
    input: { order_id: string; shipment: OrderShipmentMetadata },
    { container }
  ) => {
    const orders = container.resolve(Modules.ORDER)
    const order = await orders.retrieveOrder(input.order_id, {
      select: ["id", "metadata"],
    })
    const before = (order.metadata ?? null) as Record<string, unknown> | null
    const lineGift = (before?.line_gift ?? {}) as Record<string, unknown>
    await orders.updateOrders(input.order_id, {
      metadata: {
        ...(before ?? {}),
        line_gift: {
          ...lineGift,
          status: "received",
          shipment: input.shipment,
        },
      },
    })
    return new StepResponse(input.shipment, {
      order_id: input.order_id,
      metadata: before,
    })
  },
  async (undo, { container }) => {
    if (!undo) return
    await container
      .resolve(Modules.ORDER)
      .updateOrders(undo.order_id, { metadata: undo.metadata ?? {} })
  }
)
