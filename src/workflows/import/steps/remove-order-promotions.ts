import type { IOrderModuleService } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"

/** Input: the imported Medusa order. */
export type RemoveOrderPromotionsInput = { order_id: string }

/** What was taken off the order (counts; all zero when the store has no promotion that applied). */
export type RemoveOrderPromotionsOutput = {
  item_adjustments: number
  shipping_adjustments: number
  promotion_links: number
}

/** An order as this step reads it (query.graph). */
type OrderAdjustments = {
  items?: Array<{ adjustments?: Array<{ id: string }> | null } | null> | null
  shipping_methods?: Array<{
    adjustments?: Array<{ id: string }> | null
  } | null> | null
  promotions?: Array<{ id: string } | null> | null
}

/**
 * Takes the store's promotions off an order imported from LINE Gift: its line item and
 * shipping method adjustments and its order ↔ promotion links.
 *
 * Why: Medusa's `createOrderWorkflow` ends with `refreshDraftOrderAdjustmentsWorkflow`, which
 * applies every active **automatic** promotion of the store (no input turns it off). A LINE Gift
 * order was priced and paid on LINE Gift: its total is `selling_price` to the yen (JPY,
 * tax-included; docs/line-gift-api.md), and the import captures exactly that. An automatic
 * promotion would otherwise lower the order's total below what was captured (a refund due on
 * an order nobody discounted). The bulk path writes its orders with `orderModule.createOrders`, without
 * promotions, so both paths now give the same order.
 *
 * Runs right after `createOrderWorkflow` (per-order import) and in crash recovery (an import
 * that stopped between the two). Idempotent; a no-op when nothing applied (one read).
 * No compensation: the order itself is deleted by `createOrderWorkflow`'s compensation, its
 * adjustments with it; the links were core's, which its own compensation handles.
 */
export const removeOrderPromotionsStep = createStep(
  "remove-line-gift-order-promotions",
  async (input: RemoveOrderPromotionsInput, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({
      entity: "order",
      fields: [
        "id",
        "items.adjustments.id",
        "shipping_methods.adjustments.id",
        "promotions.id",
      ],
      filters: { id: input.order_id },
    })
    const order = data[0] as OrderAdjustments | undefined
    const ids = (
      rows:
        | Array<{ adjustments?: Array<{ id: string }> | null } | null>
        | null
        | undefined
    ) => (rows ?? []).flatMap((r) => (r?.adjustments ?? []).map((a) => a.id))
    const itemAdjustments = ids(order?.items)
    const shippingAdjustments = ids(order?.shipping_methods)
    const promotions = (order?.promotions ?? []).flatMap((p) =>
      p ? [p.id] : []
    )

    const orderModule = container.resolve<IOrderModuleService>(Modules.ORDER)
    if (itemAdjustments.length)
      await orderModule.deleteOrderLineItemAdjustments(itemAdjustments)
    if (shippingAdjustments.length)
      await orderModule.deleteOrderShippingMethodAdjustments(
        shippingAdjustments
      )
    if (promotions.length) {
      const link = container.resolve(ContainerRegistrationKeys.LINK)
      await link.dismiss(
        promotions.map((promotion_id) => ({
          [Modules.ORDER]: { order_id: input.order_id },
          [Modules.PROMOTION]: { promotion_id },
        }))
      )
    }
    return new StepResponse<RemoveOrderPromotionsOutput>({
      item_adjustments: itemAdjustments.length,
      shipping_adjustments: shippingAdjustments.length,
      promotion_links: promotions.length,
    })
  }
)
