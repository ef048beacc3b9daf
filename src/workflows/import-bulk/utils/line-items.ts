/**
 * Pure helpers of the bulk import: what Medusa's createOrderWorkflow computes for a line item
 * and for stock, done for a whole page at once. Kept in step with Medusa 2.21.2's
 * `prepareLineItemData` (core-flows cart/utils/prepare-line-item-data) and
 * `prepareConfirmInventoryInput` (core-flows cart/utils/prepare-confirm-inventory-input);
 * integration-tests/http/bulk-equivalence.spec.ts fails when the result drifts from the core's.
 */
import { MathBN } from "@medusajs/framework/utils"
import type { MappedLineItem, MappedOrderInput } from "../../../lib/mapping"

/** A tax line as orderModule.createOrders stores it on a line item or shipping method. */
export type TaxLineInput = {
  /** Chosen before the write (withRowIds), else the order module makes one. */
  id?: string
  description?: string
  tax_rate_id?: string
  code: string | null
  rate: number
  provider_id?: string
  data?: Record<string, unknown> | null
}

/** One line item of a bulk order (prepareLineItem), with its tax lines once computed. */
export type BulkLineItemInput = ReturnType<typeof prepareLineItem> & {
  /** Chosen before the write (withRowIds), else the order module makes one. */
  id?: string
}

/**
 * Input of orderModule.createOrders for one bulk order: createOrderWorkflow's getOrderInput
 * (the mapped input plus region, channel, customer, currency), line items as
 * prepareLineItemData makes them, tax lines on items and shipping methods.
 */
export type BulkOrderInput = Omit<
  MappedOrderInput,
  "items" | "shipping_methods" | "shipping_address"
> & {
  /** The order's id, chosen when preparing (`order_…`): its payment collection is written first and names it. */
  id: string
  items: BulkLineItemInput[]
  shipping_address?: MappedOrderInput["shipping_address"] & { id?: string }
  shipping_methods: Array<
    MappedOrderInput["shipping_methods"][number] & {
      id?: string
      tax_lines: TaxLineInput[]
    }
  >
  customer_id?: string
}

/**
 * The order with an id on every row orderModule.createOrders writes from its input: the
 * shipping address (`ordaddr`), line items (`ordli`) and their tax lines (`ordlitxl`),
 * shipping methods (`ordsm`) and theirs (`ordsmtxl`) — the prefixes of Medusa 2.21.2's order
 * models, which keep a given id. The order module would otherwise make each id with ulid's
 * slow default randomness (see src/lib/entity-id.ts). Rows it makes from no input of its own
 * (order items, summary, the order ↔ shipping method row) keep its ids. Every row gets a new
 * id, whatever its input carried: within one createOrders call MikroORM merges two rows given
 * the same id into one (a tax-line object shared by two items would lose one of them
 * silently). Pure: a new object, nothing of `order` shared or changed.
 * @param newId makes an id for a model prefix (newEntityId)
 */
export function withRowIds(
  order: BulkOrderInput,
  newId: (prefix: string) => string
): BulkOrderInput {
  const taxLines = (lines: TaxLineInput[], prefix: string) =>
    lines.map((t) => ({ ...t, id: newId(prefix) }))
  return {
    ...order,
    ...(order.shipping_address
      ? {
          shipping_address: {
            ...order.shipping_address,
            id: newId("ordaddr"),
          },
        }
      : {}),
    items: order.items.map((item) => ({
      ...item,
      id: newId("ordli"),
      tax_lines: taxLines(item.tax_lines, "ordlitxl"),
    })),
    shipping_methods: order.shipping_methods.map((sm) => ({
      ...sm,
      id: newId("ordsm"),
      tax_lines: taxLines(sm.tax_lines, "ordsmtxl"),
    })),
  }
}

/**
 * Variant fields the bulk path reads, in one query for a page: what createOrderWorkflow reads
 * for line items (core `productVariantsFields`) and for the stock check.
 */
export const BULK_VARIANT_FIELDS = [
  "id",
  "title",
  "sku",
  "manage_inventory",
  "allow_backorder",
  "barcode",
  "thumbnail",
  "product.id",
  "product.title",
  "product.description",
  "product.subtitle",
  "product.thumbnail",
  "product.type.value",
  "product.type.id",
  "product.collection.title",
  "product.handle",
  "product.discountable",
  "product.is_giftcard",
  "inventory_items.inventory_item_id",
  "inventory_items.required_quantity",
  "inventory_items.inventory.requires_shipping",
  "inventory_items.inventory.location_levels.location_id",
  "inventory_items.inventory.location_levels.raw_stocked_quantity",
  "inventory_items.inventory.location_levels.raw_reserved_quantity",
  "inventory_items.inventory.location_levels.stocked_quantity",
  "inventory_items.inventory.location_levels.reserved_quantity",
]

/** A variant as read with BULK_VARIANT_FIELDS (the parts used here). */
export type BulkVariant = {
  id: string
  title?: string | null
  sku?: string | null
  manage_inventory?: boolean
  allow_backorder?: boolean
  barcode?: string | null
  thumbnail?: string | null
  product?: {
    id?: string
    title?: string
    description?: string | null
    subtitle?: string | null
    thumbnail?: string | null
    type?: { id?: string; value?: string } | null
    collection?: { title?: string } | null
    handle?: string
    discountable?: boolean
    is_giftcard?: boolean
  } | null
  inventory_items?: Array<{
    inventory_item_id: string
    required_quantity?: number | null
    inventory?: {
      requires_shipping?: boolean
      location_levels?: Array<{
        location_id: string
        raw_stocked_quantity?: unknown
        raw_reserved_quantity?: unknown
        stocked_quantity?: unknown
        reserved_quantity?: unknown
      }>
    } | null
  }>
}

/**
 * The line item createOrderWorkflow stores for one mapped item (unit price given, tax-inclusive,
 * no price calculation): product and variant snapshot fields from the variant, the item's own
 * title/subtitle/metadata, `is_custom_price` true, no tax lines yet.
 * Mirrors core `prepareLineItemData` for that case (a product's shipping profile is not read
 * there either, so `requires_shipping` follows the inventory items).
 */
export function prepareLineItem(
  item: MappedLineItem,
  variant: BulkVariant | undefined
) {
  const product = variant?.product ?? undefined
  const requiresShipping = !!variant?.inventory_items?.some(
    (ii) => !!ii.inventory?.requires_shipping
  )
  return {
    quantity: item.quantity,
    title: item.title ?? product?.title,
    subtitle: item.subtitle ?? variant?.title,
    thumbnail: variant?.thumbnail ?? product?.thumbnail,
    product_id: product?.id,
    product_title: product?.title,
    product_description: product?.description,
    product_subtitle: product?.subtitle,
    product_type: product?.type?.value ?? null,
    product_type_id: product?.type?.id ?? null,
    product_collection: product?.collection?.title ?? null,
    product_handle: product?.handle,
    variant_id: variant?.id,
    variant_sku: variant?.sku,
    variant_barcode: variant?.barcode,
    variant_title: variant?.title,
    variant_option_values: undefined,
    is_discountable: product?.discountable,
    is_giftcard: product?.is_giftcard ?? false,
    requires_shipping: requiresShipping,
    unit_price: item.unit_price,
    compare_at_unit_price: undefined,
    is_tax_inclusive: !!item.is_tax_inclusive,
    metadata: item.metadata ?? {},
    is_custom_price: true,
    tax_lines: [] as TaxLineInput[],
    adjustments: [] as never[],
  }
}

/** A stocked/reserved quantity as read (raw BigNumber JSON, number or string; absent = 0). */
export function quantityOf(value: unknown): ReturnType<typeof MathBN.convert> {
  return MathBN.convert((value ?? 0) as Parameters<typeof MathBN.convert>[0])
}

/**
 * Stock bookkeeping of a page: availability per inventory item over the sales channel's
 * locations (stocked − reserved, as core `confirmInventory` sums it), decreased as orders of
 * the page take stock, so that the page behaves like the orders imported one after another.
 */
export class StockLedger {
  private available = new Map<string, ReturnType<typeof MathBN.convert>>()

  constructor(private readonly locationIds: string[]) {}

  private availableFor(variant: BulkVariant, inventoryItemId: string) {
    let left = this.available.get(inventoryItemId)
    if (left === undefined) {
      left = MathBN.convert(0)
      const ii = variant.inventory_items?.find(
        (i) => i.inventory_item_id === inventoryItemId
      )
      for (const level of ii?.inventory?.location_levels ?? []) {
        if (!this.locationIds.includes(level.location_id)) continue
        left = MathBN.add(
          left,
          MathBN.sub(
            quantityOf(level.raw_stocked_quantity ?? level.stocked_quantity),
            quantityOf(level.raw_reserved_quantity ?? level.reserved_quantity)
          )
        )
      }
      this.available.set(inventoryItemId, left)
    }
    return left
  }

  /**
   * Checks and takes the stock of one order's managed-inventory lines (all or nothing).
   * @returns `{ ok: true }`, or `{ error }` with core createOrderWorkflow's message.
   */
  take(
    lines: Array<{ variant: BulkVariant | undefined; quantity: number }>
  ): { ok: true } | { error: string } {
    const need = new Map<
      string,
      { variant: BulkVariant; qty: ReturnType<typeof MathBN.convert> }
    >()
    for (const { variant, quantity } of lines) {
      if (!variant?.manage_inventory) continue
      if (!this.locationIds.length && !variant.allow_backorder) {
        return {
          error: `Sales channel is not associated with any stock location for variant ${variant.id}.`,
        }
      }
      for (const ii of variant.inventory_items ?? []) {
        const qty = MathBN.mult(quantity, ii.required_quantity ?? 1)
        const prev = need.get(ii.inventory_item_id)
        need.set(ii.inventory_item_id, {
          variant,
          qty: prev ? MathBN.add(prev.qty, qty) : qty,
        })
      }
    }
    for (const [itemId, { variant, qty }] of need) {
      if (variant.allow_backorder) continue
      if (MathBN.lt(this.availableFor(variant, itemId), qty)) {
        return { error: "Some variant does not have the required inventory" }
      }
    }
    for (const [itemId, { variant, qty }] of need) {
      this.available.set(
        itemId,
        MathBN.sub(this.availableFor(variant, itemId), qty)
      )
    }
    return { ok: true }
  }
}
