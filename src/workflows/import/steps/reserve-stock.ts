import {
  ContainerRegistrationKeys,
  MathBN,
  Modules,
} from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { chooseReservationLocation } from "../../../lib/reservation-location"

/** Input: the Medusa order whose managed-inventory items need reservations. */
export type ReserveLineGiftStockInput = {
  order_id: string
  sales_channel_id: string | null
  /** Make no reservation (the order was imported `out_of_stock`: stock was short). */
  skip?: boolean
}

/**
 * Reserves stock for the order's managed-inventory line items (createOrderWorkflow does not;
 * without a reservation Medusa refuses to fulfil). Location: as Medusa chooses
 * (chooseReservationLocation: the first of the sales channel's locations with the quantity
 * available, else the first that stocks the item). Idempotent: a line item that already has a
 * reservation is left alone (crash recovery runs this step on half-imported orders).
 * @returns the reservation ids (none for unmanaged or custom items).
 * Compensation: deletes the reservations it made.
 */
export const reserveLineGiftStockStep = createStep(
  "reserve-line-gift-stock",
  async (input: ReserveLineGiftStockInput, { container }) => {
    if (input.skip) {
      return new StepResponse([] as string[], [] as string[])
    }
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const inventory = container.resolve(Modules.INVENTORY)
    const { data: orders } = await query.graph({
      entity: "order",
      fields: [
        "id",
        "sales_channel_id",
        // "items.*": with "items.quantity" alone the order module leaves quantity undefined
        // (it lives on the item's detail), which made reservations of quantity NaN/0.
        "items.*",
        "items.variant.manage_inventory",
        "items.variant.inventory_items.inventory_item_id",
        "items.variant.inventory_items.required_quantity",
      ],
      filters: { id: input.order_id },
    })
    const order = orders[0] as any
    const salesChannelId = input.sales_channel_id ?? order?.sales_channel_id
    let locationIds: string[] = []
    if (salesChannelId) {
      const { data: channels } = await query.graph({
        entity: "sales_channel",
        fields: ["id", "stock_locations.id"],
        filters: { id: salesChannelId },
      })
      locationIds = ((channels[0] as any)?.stock_locations ?? []).map(
        (l: any) => l.id
      )
    }
    const toCreate: Array<{
      line_item_id: string
      inventory_item_id: string
      location_id: string
      quantity: number
    }> = []
    const itemIds = ((order?.items ?? []) as any[])
      .filter((i) => i?.variant?.manage_inventory)
      .map((i) => i.id)
    const reserved = new Set(
      itemIds.length
        ? (
            await inventory.listReservationItems(
              { line_item_id: itemIds },
              { select: ["line_item_id"] }
            )
          ).map((r: any) => r.line_item_id)
        : []
    )
    for (const item of order?.items ?? []) {
      if (!item?.variant?.manage_inventory || reserved.has(item.id)) {
        continue
      }
      const quantity = MathBN.convert(
        item.quantity ?? item.detail?.quantity ?? 0
      )
      if (!quantity.isFinite() || quantity.lte(0)) {
        throw new Error(`line item ${item.id}: no quantity to reserve`)
      }
      for (const link of item.variant.inventory_items ?? []) {
        const levels = await inventory.listInventoryLevels({
          inventory_item_id: link.inventory_item_id,
          ...(locationIds.length ? { location_id: locationIds } : {}),
        })
        const required = quantity
          .multipliedBy(MathBN.convert(link.required_quantity ?? 1))
          .toNumber()
        const location_id = chooseReservationLocation(
          locationIds,
          levels.map((l: any) => ({
            location_id: l.location_id,
            available: MathBN.sub(
              MathBN.convert(l.raw_stocked_quantity ?? l.stocked_quantity ?? 0),
              MathBN.convert(
                l.raw_reserved_quantity ?? l.reserved_quantity ?? 0
              )
            ).toNumber(),
          })),
          required
        )
        if (
          !location_id ||
          !levels.some((l: any) => l.location_id === location_id)
        ) {
          continue
        }
        toCreate.push({
          line_item_id: item.id,
          inventory_item_id: link.inventory_item_id,
          location_id,
          quantity: required,
        })
      }
    }
    if (!toCreate.length) {
      return new StepResponse([] as string[], [] as string[])
    }
    const created = await inventory.createReservationItems(toCreate)
    const ids = created.map((r) => r.id)
    return new StepResponse(ids, ids)
  },
  async (ids, { container }) => {
    if (!ids?.length) {
      return
    }
    await container.resolve(Modules.INVENTORY).deleteReservationItems(ids)
  }
)
