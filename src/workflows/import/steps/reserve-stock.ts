import type {
  BigNumberInput,
  InventoryLevelDTO,
  IInventoryService,
  MedusaContainer,
} from "@medusajs/framework/types"
import {
  ContainerRegistrationKeys,
  MathBN,
  Modules,
} from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import {
  planReservations,
  type ReservationLine,
} from "../../../lib/reservation-location"

/** Input: the Medusa order whose managed-inventory items need reservations. */
export type ReserveLineGiftStockInput = {
  order_id: string
  sales_channel_id: string | null
  /** Make no reservation (the order was imported `out_of_stock`: stock was short). */
  skip?: boolean
}

/** A line item of the order, as this step reads it (query.graph). */
type OrderItem = {
  id: string
  quantity?: BigNumberInput | null
  unit_price?: BigNumberInput | null
  detail?: { quantity?: BigNumberInput | null } | null
  variant?: {
    manage_inventory?: boolean | null
    inventory_items?: Array<{
      inventory_item_id: string
      required_quantity?: BigNumberInput | null
    }> | null
  } | null
}

/** The order, as this step reads it. */
type OrderWithItems = {
  id: string
  sales_channel_id: string | null
  items?: Array<OrderItem | null> | null
}

/** An inventory level with the raw (exact) quantities the module returns next to the numbers. */
type Level = InventoryLevelDTO & {
  raw_stocked_quantity?: BigNumberInput | null
  raw_reserved_quantity?: BigNumberInput | null
}

/**
 * Reserves stock for the order's managed-inventory line items (createOrderWorkflow does not;
 * without a reservation Medusa refuses to fulfil). Location: as Medusa chooses
 * (planReservations: the first of the sales channel's locations with the quantity available,
 * counting what the order's other lines take, else the first that stocks the item) — as the
 * bulk import's reserve step does. Idempotent: a line item that already has a
 * reservation is left alone (crash recovery runs this step on half-imported orders).
 * @returns the reservation ids (none for unmanaged or custom items).
 * @throws Error when a managed line item has no quantity to reserve.
 * Compensation: deletes the reservations it made.
 */
export const reserveLineGiftStockStep = createStep(
  "reserve-line-gift-stock",
  async (input: ReserveLineGiftStockInput, { container }) => {
    if (input.skip) {
      return new StepResponse([] as string[], [] as string[])
    }
    const inventory = container.resolve(Modules.INVENTORY)
    const order = await readOrder(container, input.order_id)
    const locationIds = await channelLocationIds(
      container,
      input.sales_channel_id ?? order?.sales_channel_id ?? null
    )
    const items = (order?.items ?? []).filter(
      (i): i is OrderItem => !!i?.variant?.manage_inventory
    )
    const reserved = await reservedLineItems(
      inventory,
      items.map((i) => i.id)
    )
    const lines: ReservationLine[] = []
    for (const item of items) {
      if (reserved.has(item.id)) {
        continue
      }
      lines.push(await reservationLineOf(inventory, item, locationIds))
    }
    // The order's lines see what the lines before them take (a price split: two lines).
    const toCreate = planReservations(lines, locationIds)
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

/** The order with its line items, variants and their inventory items. */
async function readOrder(
  container: MedusaContainer,
  orderId: string
): Promise<OrderWithItems | undefined> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
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
    filters: { id: orderId },
  })
  return (orders as OrderWithItems[])[0]
}

/** The stock locations of the sales channel, in Medusa's order; none without a channel. */
async function channelLocationIds(
  container: MedusaContainer,
  salesChannelId: string | null
): Promise<string[]> {
  if (!salesChannelId) {
    return []
  }
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: channels } = await query.graph({
    entity: "sales_channel",
    fields: ["id", "stock_locations.id"],
    filters: { id: salesChannelId },
  })
  const channel = (
    channels as Array<{ stock_locations?: Array<{ id: string }> | null }>
  )[0]
  return (channel?.stock_locations ?? []).map((l) => l.id)
}

/** The line items among `itemIds` that have a reservation already. */
async function reservedLineItems(
  inventory: IInventoryService,
  itemIds: string[]
): Promise<Set<string>> {
  if (!itemIds.length) {
    return new Set()
  }
  const reservations = await inventory.listReservationItems(
    { line_item_id: itemIds },
    { select: ["line_item_id"] }
  )
  return new Set(
    reservations.flatMap((r) => (r.line_item_id ? [r.line_item_id] : []))
  )
}

/**
 * One managed line item as planReservations takes it: its quantity and unit price, and per
 * inventory item of its variant the required quantity and its levels at the channel's
 * locations (any location without a channel).
 * @throws Error when the item has no quantity to reserve.
 */
async function reservationLineOf(
  inventory: IInventoryService,
  item: OrderItem,
  locationIds: string[]
): Promise<ReservationLine> {
  const quantity = MathBN.convert(item.quantity ?? item.detail?.quantity ?? 0)
  if (!quantity.isFinite() || quantity.lte(0)) {
    throw new Error(`line item ${item.id}: no quantity to reserve`)
  }
  const stock: ReservationLine["stock"] = []
  for (const link of item.variant?.inventory_items ?? []) {
    const levels = (await inventory.listInventoryLevels({
      inventory_item_id: link.inventory_item_id,
      ...(locationIds.length ? { location_id: locationIds } : {}),
    })) as Level[]
    stock.push({
      inventory_item_id: link.inventory_item_id,
      required_quantity: MathBN.convert(link.required_quantity ?? 1).toNumber(),
      levels: levels.map((l) => ({
        location_id: l.location_id,
        available: MathBN.sub(
          MathBN.convert(l.raw_stocked_quantity ?? l.stocked_quantity ?? 0),
          MathBN.convert(l.raw_reserved_quantity ?? l.reserved_quantity ?? 0)
        ).toNumber(),
      })),
    })
  }
  return {
    line_item_id: item.id,
    quantity: quantity.toNumber(),
    unit_price: MathBN.convert(item.unit_price ?? 0).toNumber(),
    stock,
  }
}
