import type { MedusaContainer } from "@medusajs/framework/types"
import {
  ContainerRegistrationKeys,
  MedusaError,
} from "@medusajs/framework/utils"
import type { LocationStock } from "../../../lib/reservation-location"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { LineGiftOrder } from "../../../lib/line-gift/schemas"
import {
  LineGiftMappingError,
  type MappedOrder,
  lineGiftSku,
  mapLineGiftOrder,
  markOutOfStock,
  isPricedLineGiftOrder,
  STOCK_SHORT_MESSAGE,
  type ImportFlag,
  type VariantMatch,
} from "../../../lib/mapping"
import {
  StockLedger,
  prepareLineItem,
  quantityOf,
  withRowIds,
  type BulkOrderInput,
  type BulkVariant,
} from "../utils/line-items"
import {
  customerGroupIds,
  readLocationIds,
  readPageVariants,
  readRegion,
  readSkuOverrides,
  type BulkRegion,
  type PageVariants,
} from "../utils/page-lookups"
import { applyTaxLines, type TaxDraft } from "../utils/tax-lines"
import { newEntityId } from "../../../lib/entity-id"
import { pack, unpack, type Packed } from "../utils/packed"

/** Input: the claimed orders of a page and where their Medusa orders go. */
export type PrepareBulkOrdersInput = {
  orders: Array<{ order: LineGiftOrder; record_id: string }>
  shop_id: string
  region_id: string
  /** The sales channel found by core findSalesChannelStep (null: none). */
  sales_channel: { id: string } | null
  /** The customer found or created by core findOrCreateCustomerStep. */
  customer: { id: string; email: string } | null
  shipping_option_id: string | null
  email: string
  /** Merchant's own SKU mapping (LINE Gift code → Medusa variant id); else the shop's SKU mappings. */
  sku_overrides?: Record<string, string>
}

/** One order ready for orderModule.createOrders. */
export type PreparedOrder = {
  line_gift_order_id: string
  record_id: string
  flags: ImportFlag[]
  /** JPY, tax included: what the payment collection captures (= order total). */
  amount: number
  /** Input of orderModule.createOrders (line items and shipping methods with tax lines). */
  order: BulkOrderInput
}

/** Result: the orders to create, the ones that cannot be (reason per order), stock data. */
export type PrepareBulkOrdersOutput = {
  prepared: PreparedOrder[]
  failed: Array<{
    line_gift_order_id: string
    record_id: string
    reason: string
  }>
  /**
   * Managed-inventory variants: inventory items, and their stock at the sales channel's
   * locations (the reserve step chooses the location per line, as Medusa does).
   */
  stock: Record<
    string,
    Array<{
      inventory_item_id: string
      required_quantity: number
      levels: LocationStock[]
    }>
  >
  /** The sales channel's stock locations, in order (empty: no sales channel). */
  location_ids: string[]
  /**
   * What the payment step writes before the orders, per prepared order with a price (in their
   * order; none for a ¥0 order): the order's id, its record, the amount paid (JPY, tax
   * included) and the currency.
   */
  payments: Array<{
    order_id: string
    record_id: string
    amount: number
    currency_code: string
  }>
}

/** A prepared order with what the tax step needs. */
type Draft = PreparedOrder & TaxDraft

/** What drafting one order needs from the page. */
type PageContext = {
  input: PrepareBulkOrdersInput
  region: BulkRegion
  variants: PageVariants
  ledger: StockLedger
}

/** The VariantMatch map mapLineGiftOrder expects, for the order's one SKU. */
function variantsBySkuOf(
  sku: string | null,
  variant: BulkVariant | undefined,
  variants: PageVariants
): Map<string, VariantMatch> {
  const out = new Map<string, VariantMatch>()
  if (sku && variant) {
    out.set(sku, {
      id: variant.id,
      sku: variant.sku ?? sku,
      title: variant.title ?? null,
      product_title: variant.product?.title ?? null,
      manage_inventory: !!variant.manage_inventory,
      matched: variants.matchOf(sku),
    })
  }
  return out
}

/**
 * createOrderWorkflow's getOrderInput: the mapped input as given, plus region, channel,
 * customer and currency; line items as prepareLineItemData makes them (no tax lines yet).
 */
function orderInputOf(
  mapped: MappedOrder,
  variant: BulkVariant | undefined,
  page: PageContext
): BulkOrderInput {
  const { input, region } = page
  const { items, shipping_methods, ...rest } = mapped.input
  const order: BulkOrderInput = {
    ...rest,
    id: newEntityId("order"),
    shipping_methods: shipping_methods.map((sm) => ({ ...sm, tax_lines: [] })),
    currency_code: mapped.input.currency_code ?? region.currency_code,
    region_id: region.id,
    items: items.map((item) =>
      prepareLineItem(item, item.variant_id ? variant : undefined)
    ),
  }
  if (input.customer?.id) {
    order.customer_id = input.customer.id
    order.email = mapped.input.email ?? input.customer.email
  }
  if (input.sales_channel?.id) order.sales_channel_id = input.sales_channel.id
  return order
}

/**
 * One order of the page: mapLineGiftOrder, the stock check (the ledger takes its stock),
 * the order input. Short stock ([data] paid on LINE Gift) imports the order flagged
 * `out_of_stock`, without reservation.
 * @returns the draft, or the reason it cannot be imported
 * @throws what is not a mapping or Medusa error (a bug: the page fails)
 */
function draftOrder(
  order: LineGiftOrder,
  record_id: string,
  n: number,
  page: PageContext
): Draft | { reason: string } {
  try {
    const sku = lineGiftSku(order)
    const variant = page.variants.forSku(sku)
    const mapped = mapLineGiftOrder(order, {
      shopId: page.input.shop_id,
      regionId: page.region.id,
      salesChannelId: page.input.sales_channel?.id ?? null,
      currencyCode: "jpy",
      email: page.input.email,
      shippingOptionId: page.input.shipping_option_id,
      variantsBySku: variantsBySkuOf(sku, variant, page.variants),
    })
    const taken = page.ledger.take(
      mapped.input.items.map((i) => ({
        variant: i.variant_id ? variant : undefined,
        quantity: i.quantity,
      }))
    )
    if ("error" in taken) {
      if (taken.error !== STOCK_SHORT_MESSAGE) return { reason: taken.error }
      markOutOfStock(mapped)
    }
    return {
      line_gift_order_id: order.id,
      record_id,
      flags: mapped.flags,
      amount: order.selling_price as number,
      order: orderInputOf(mapped, variant, page),
      address: mapped.input.shipping_address,
      itemKeys: mapped.input.items.map((_, i) => `tmp_item_${n}_${i}`),
      shippingKey: `tmp_ship_${n}`,
    }
  } catch (e) {
    if (e instanceof LineGiftMappingError || e instanceof MedusaError) {
      return { reason: e.message }
    }
    throw e
  }
}

/** Stock data of the page's managed-inventory variants, at the channel's locations. */
function stockOf(
  variants: BulkVariant[],
  locationIds: string[]
): PrepareBulkOrdersOutput["stock"] {
  const stock: PrepareBulkOrdersOutput["stock"] = {}
  for (const v of variants) {
    if (!v.manage_inventory) continue
    stock[v.id] = (v.inventory_items ?? []).map((ii) => ({
      inventory_item_id: ii.inventory_item_id,
      required_quantity: Number(ii.required_quantity ?? 1),
      levels: (ii.inventory?.location_levels ?? [])
        .filter((l) =>
          locationIds.length ? locationIds.includes(l.location_id) : true
        )
        .map((l) => ({
          location_id: l.location_id,
          available: availableAt(l),
        })),
    }))
  }
  return stock
}

/**
 * The page's reads (region, SKU mappings, variants, the channel's stock locations), then
 * every order drafted in page order, then the tax lines of all.
 */
export async function prepareBulkOrders(
  container: MedusaContainer,
  input: PrepareBulkOrdersInput
): Promise<PrepareBulkOrdersOutput> {
  const output: PrepareBulkOrdersOutput = {
    prepared: [],
    failed: [],
    stock: {},
    location_ids: [],
    payments: [],
  }
  if (!input.orders.length) return output
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const region = await readRegion(query, input.region_id)
  const pageSkus = [
    ...new Set(
      input.orders
        .map(({ order }) => lineGiftSku(order))
        .filter((s): s is string => !!s)
    ),
  ]
  const overrides = await readSkuOverrides(
    container,
    input.shop_id,
    pageSkus,
    input.sku_overrides
  )
  const variants = await readPageVariants(query, pageSkus, overrides)
  const locationIds = await readLocationIds(query, input.sales_channel?.id)
  const page: PageContext = {
    input,
    region,
    variants,
    ledger: new StockLedger(locationIds),
  }
  const drafts: Draft[] = []
  input.orders.forEach(({ order, record_id }, n) => {
    const draft = draftOrder(order, record_id, n, page)
    if ("reason" in draft) {
      output.failed.push({
        line_gift_order_id: order.id,
        record_id,
        reason: draft.reason,
      })
    } else drafts.push(draft)
  })
  if (region.automatic_taxes) {
    const customer = input.customer?.id
      ? {
          ...input.customer,
          groups: await customerGroupIds(query, input.customer.id),
        }
      : null
    await applyTaxLines(container, drafts, customer)
  }
  for (const d of drafts) {
    const { address: _a, itemKeys: _k, shippingKey: _s, ...rest } = d
    const prepared = { ...rest, order: withRowIds(rest.order, newEntityId) }
    output.prepared.push(prepared)
    // A ¥0 order has nothing to capture (isPricedLineGiftOrder): no payment.
    if (isPricedLineGiftOrder(prepared.amount))
      output.payments.push({
        order_id: prepared.order.id,
        record_id: prepared.record_id,
        amount: prepared.amount,
        currency_code: prepared.order.currency_code,
      })
  }
  output.location_ids = locationIds
  output.stock = stockOf(variants.variants, locationIds)
  return output
}

/**
 * Does, for a whole page, what createOrderWorkflow does before it writes, with ONE query per
 * kind of data: the variants of every SKU of the page, the region, the channel's stock
 * locations, the shop's SKU mappings, then per order: mapLineGiftOrder, the stock check
 * (orders take stock in page order, as if imported one after another), line items as core
 * prepareLineItemData makes them, and tax lines from the tax module as core
 * updateOrderTaxLinesWorkflow computes them per order (one call per tax region of the page
 * with Medusa's system tax provider, else one per distinct address).
 * An order that cannot be mapped or has no stock is reported in `failed` with a reason a
 * merchant can act on; the others go on. Read-only: no compensation needed.
 * @throws MedusaError NOT_FOUND when the region does not exist (the whole page cannot import).
 */
export const prepareBulkOrdersStep = createStep(
  "prepare-line-gift-orders-bulk",
  async (input: PrepareBulkOrdersStepInput, { container }) => {
    const { orders, claimed, ...rest } = input
    // Each claimed order once, even if the page lists it twice (one record, one order).
    const taken = new Set<string>()
    const output = await prepareBulkOrders(container, {
      ...rest,
      orders: unpack(orders).flatMap(({ order }) => {
        if (!claimed[order.id] || taken.has(order.id)) return []
        taken.add(order.id)
        return [{ order, record_id: claimed[order.id] }]
      }),
    })
    const prepared: PreparedPage = {
      ...output,
      prepared: pack(output.prepared),
    }
    return new StepResponse(prepared)
  }
)

/**
 * The prepare step's input: the page's orders packed (see utils/packed), and the records the
 * claim won (LINE Gift order id → record id); only those orders are prepared.
 */
export type PrepareBulkOrdersStepInput = Omit<
  PrepareBulkOrdersInput,
  "orders"
> & {
  orders: Packed<Array<{ order: LineGiftOrder }>>
  claimed: Record<string, string>
}

/** The prepare step's output: PrepareBulkOrdersOutput with the prepared orders packed. */
export type PreparedPage = Omit<PrepareBulkOrdersOutput, "prepared"> & {
  prepared: Packed<PreparedOrder[]>
}

/** stocked − reserved of one inventory level (units), as core confirmInventory counts it. */
function availableAt(level: {
  raw_stocked_quantity?: unknown
  raw_reserved_quantity?: unknown
  stocked_quantity?: unknown
  reserved_quantity?: unknown
}): number {
  return quantityOf(level.raw_stocked_quantity ?? level.stocked_quantity)
    .minus(quantityOf(level.raw_reserved_quantity ?? level.reserved_quantity))
    .toNumber()
}
