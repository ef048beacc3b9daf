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
