import { Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import {
  planReservations,
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
 * at the location Medusa would choose (planReservations: the first of the sales channel's
 * locations that has the quantity available — counting what earlier lines of the page took,
 * the lines of an order in a fixed order —, else the first that stocks the item) — the
 * reservations the per-order import's reserve step makes (createOrderWorkflow makes none, and Medusa refuses to fulfil a managed
 * line without one). Availability was checked when preparing.
 * Compensation: deletes the reservations it made.
 */
export const reserveLineGiftStockBulkStep = createStep(
  "reserve-line-gift-stock-bulk",
  async (input: ReserveStockBulkInput, { container }) => {
    // Running availability per inventory item over the page (orders in page order).
    const left = new Map<string, LocationStock[]>()
    const toCreate = input.orders.flatMap((order) =>
      planReservations(
        order.items.flatMap((item) => {
          const links = item.variant_id
            ? input.stock[item.variant_id]
            : undefined
          return links?.length
            ? [
                {
                  line_item_id: item.id,
                  quantity: item.quantity,
                  unit_price: item.unit_price,
                  stock: links,
                },
              ]
            : []
        }),
        input.location_ids,
        left
      )
    )
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
