/**
 * Read side of POST /admin/line-gift/shops/:id/import (`wait` true): the orders a manual run
 * created, with what the admin's result list shows.
 */
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type {
  ImportedOrderSummary,
  RunImportResult,
} from "../../../../workflows/import/run-import"

/** The fields read from each created Medusa order (query.graph `order`). */
type OrderRow = {
  id: string
  display_id: number
  /** JPY integer (Medusa may hand back a BigNumber-like value; `Number()` reads it). */
  total: number | string
  shipping_address?: { province?: string | null } | null
  items?: Array<{ title?: string | null }> | null
}

/**
 * One created order as the import answer lists it: the run's summary plus the Medusa order's
 * display id, total (JPY integer), prefecture and first item's title (null when unreadable).
 */
export type DescribedImportedOrder = ImportedOrderSummary & {
  display_id: number | null
  total: number | null
  province: string | null
  item: string | null
}

/** The run's created orders with display id, total, prefecture and item, in the run's order. */
export async function describeImportedOrders(
  container: MedusaContainer,
  { created }: Pick<RunImportResult, "created">
): Promise<DescribedImportedOrder[]> {
  const orders: OrderRow[] = []
  if (created.length) {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({
      entity: "order",
      fields: [
        "id",
        "display_id",
        "total",
        "shipping_address.province",
        "items.title",
      ],
      filters: { id: created.map((c) => c.order_id) },
    })
    orders.push(...(data as OrderRow[]))
  }
  const byId = new Map(orders.map((o) => [o.id, o]))
  return created.map((c) => {
    const o = byId.get(c.order_id)
    return {
      ...c,
      display_id: o?.display_id ?? null,
      total: o ? Number(o.total) : null,
      province: o?.shipping_address?.province ?? null,
      item: o?.items?.[0]?.title ?? null,
    }
  })
}
