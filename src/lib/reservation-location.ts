/**
 * Where to reserve stock for one line item's inventory item, as Medusa 2.21.2 chooses when it
 * reserves for an order (core-flows `prepareConfirmInventoryInput` → `reserveInventoryStep`:
 * `location_ids[0]` of the sales channel's locations that have the quantity available, else of
 * those that stock the item at all, else of the channel's locations).
 */

/** Stock of one inventory item at one location: available = stocked − reserved (units). */
export type LocationStock = { location_id: string; available: number }

/**
 * Chooses the stock location for a reservation of `required` units.
 * @param channelLocationIds the sales channel's stock locations, in order (empty: no channel,
 *   then any location that stocks the item counts, in the order of `levels`)
 * @param levels the item's inventory levels (any locations; others than the channel's are ignored)
 * @param required units to reserve (line quantity × the variant's required quantity)
 * @returns the location id, or null when neither the channel nor the item has any location
 */
export function chooseReservationLocation(
  channelLocationIds: string[],
  levels: LocationStock[],
  required: number
): string | null {
  const candidates = channelLocationIds.length
    ? channelLocationIds
    : levels.map((l) => l.location_id)
  const levelAt = (id: string) => levels.find((l) => l.location_id === id)
  const withAvailability = candidates.filter(
    (id) => (levelAt(id)?.available ?? -Infinity) >= required
  )
  const withLevel = candidates.filter((id) => !!levelAt(id))
  return withAvailability[0] ?? withLevel[0] ?? candidates[0] ?? null
}

/** One inventory item of a line's variant: units per variant unit, and its stock per location. */
export type ReservationStock = {
  inventory_item_id: string
  required_quantity: number
  /** Its levels at the candidate locations (the channel's; any when there is no channel). */
  levels: LocationStock[]
}

/** A managed-inventory line item to reserve for (quantity in units, unit price in JPY). */
export type ReservationLine = {
  line_item_id: string
  quantity: number
  unit_price: number
  stock: ReservationStock[]
}

/** One reservation to create (quantity in units of the inventory item). */
export type PlannedReservation = {
  line_item_id: string
  inventory_item_id: string
  location_id: string
  quantity: number
}

/**
 * The reservations of an order's (or a page's orders') managed-inventory lines: per line and
 * inventory item, quantity × required quantity at chooseReservationLocation's location, each
 * line seeing what the lines before it took. A price that does not divide by the quantity
 * makes two lines of one variant (mapLineGiftOrder's `price_split`): judged against the same
 * levels, both would go to a location that has stock for one of them only. Lines are taken
 * larger quantity first, then lower unit price, then line item id, so that both import paths
 * (which read an order's lines back in no fixed order) reserve alike. A location without a
 * level of the item gets no reservation (the inventory module refuses one there).
 * @param lines the lines of one order, in any order
 * @param channelLocationIds the sales channel's stock locations, in order (empty: no channel)
 * @param left availability per inventory item carried across calls (a bulk page passes one
 *   map for all its orders, taken in page order); changed in place
 * @returns the reservations to create
 */
export function planReservations(
  lines: ReservationLine[],
  channelLocationIds: string[],
  left: Map<string, LocationStock[]> = new Map()
): PlannedReservation[] {
  const ordered = [...lines].sort(
    (a, b) =>
      b.quantity - a.quantity ||
      a.unit_price - b.unit_price ||
      (a.line_item_id < b.line_item_id ? -1 : 1)
  )
  const out: PlannedReservation[] = []
  for (const line of ordered) {
    for (const stock of line.stock) {
      let levels = left.get(stock.inventory_item_id)
      if (!levels) {
        levels = stock.levels.map((l) => ({ ...l }))
        left.set(stock.inventory_item_id, levels)
      }
      const quantity = line.quantity * stock.required_quantity
      const location_id = chooseReservationLocation(
        channelLocationIds,
        levels,
        quantity
      )
      const level = levels.find((l) => l.location_id === location_id)
      if (!location_id || !level) continue
      level.available -= quantity
      out.push({
        line_item_id: line.line_item_id,
        inventory_item_id: stock.inventory_item_id,
        location_id,
        quantity,
      })
    }
  }
  return out
}
