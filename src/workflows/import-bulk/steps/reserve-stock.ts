import { MathBN, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { CreatedBulkOrder } from "./create-orders"
import type { PrepareBulkOrdersOutput } from "./prepare-orders"

/** Input: the created orders and the stock data of their managed-inventory variants. */
export type ReserveStockBulkInput = {
  orders: CreatedBulkOrder[]
  stock: PrepareBulkOrdersOutput["stock"]
}

/**
 * Reserves stock for every managed-inventory line of the page with ONE
 * `createReservationItems` call: per line and inventory item, quantity × required quantity
 * at the first stock location of the sales channel that holds the item — the reservations
 * the per-order import's reserve step makes (createOrderWorkflow makes none, and Medusa
 * refuses to fulfil a managed line without one). Availability was checked when preparing.
 * Compensation: deletes the reservations it made.
 */
export const reserveLineGiftStockBulkStep = createStep(
  "reserve-line-gift-stock-bulk",
  async (input: ReserveStockBulkInput, { container }) => {
    const toCreate: Array<{
      line_item_id: string
      inventory_item_id: string
      location_id: string
      quantity: number
    }> = []
    for (const order of input.orders) {
      for (const item of order.items) {
        const links = item.variant_id ? input.stock[item.variant_id] : undefined
        for (const link of links ?? []) {
          toCreate.push({
            line_item_id: item.id,
            inventory_item_id: link.inventory_item_id,
            location_id: link.location_id,
            quantity: MathBN.convert(item.quantity).multipliedBy(MathBN.convert(link.required_quantity)).toNumber(),
          })
        }
      }
    }
    if (!toCreate.length) {
      return new StepResponse([] as string[], [] as string[])
    }
    const created = await container.resolve(Modules.INVENTORY).createReservationItems(toCreate)
    const ids = created.map((r) => r.id)
    return new StepResponse(ids, ids)
  },
  async (ids, { container }) => {
    if (!ids?.length) return
    await container.resolve(Modules.INVENTORY).deleteReservationItems(ids)
  }
)
