import { MathBN, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import {
  chooseReservationLocation,
  type LocationStock,
} from "../../../lib/reservation-location"
import type { CreatedBulkOrder } from "./create-orders"
import type { PrepareBulkOrdersOutput } from "./prepare-orders"

/** Input: the created orders and the stock data of their managed-inventory variants. */
export type ReserveStockBulkInput = {
  orders: CreatedBulkOrder[]
  stock: PrepareBulkOrdersOutput["stock"]
  /** The sales channel's stock locations, in order (PrepareBulkOrdersOutput.location_ids). */
  location_ids: string[]
}

/**
 * Reserves stock for every managed-inventory line of the page with ONE
 * `createReservationItems` call: per line and inventory item, quantity × required quantity
 * at the location Medusa would choose (chooseReservationLocation: the first of the sales
 * channel's locations that has the quantity available — counting what earlier lines of the
 * page took —, else the first that stocks the item) — the reservations the per-order import's
 * reserve step makes (createOrderWorkflow makes none, and Medusa refuses to fulfil a managed
 * line without one). Availability was checked when preparing.
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
    // Running availability per inventory item and location over the page.
    const left = new Map<string, LocationStock[]>()
    for (const order of input.orders) {
      for (const item of order.items) {
        const links = item.variant_id ? input.stock[item.variant_id] : undefined
        for (const link of links ?? []) {
          const levels =
            left.get(link.inventory_item_id) ??
            link.levels.map((l) => ({ ...l }))
          left.set(link.inventory_item_id, levels)
          const quantity = MathBN.convert(item.quantity)
            .multipliedBy(MathBN.convert(link.required_quantity))
            .toNumber()
          const location_id = chooseReservationLocation(
            input.location_ids,
            levels,
            quantity
          )
          if (!location_id) continue
          const level = levels.find((l) => l.location_id === location_id)
          if (level) level.available -= quantity
          toCreate.push({
            line_item_id: item.id,
            inventory_item_id: link.inventory_item_id,
            location_id,
            quantity,
          })
        }
      }
    }
    if (!toCreate.length) {
      return new StepResponse([] as string[], [] as string[])
    }
    const created = await container
      .resolve(Modules.INVENTORY)
      .createReservationItems(toCreate)
    const ids = created.map((r) => r.id)
    return new StepResponse(ids, ids)
  },
  async (ids, { container }) => {
    if (!ids?.length) return
    await container.resolve(Modules.INVENTORY).deleteReservationItems(ids)
  }
)
