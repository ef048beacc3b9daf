import {
  ContainerRegistrationKeys,
  MathBN,
  MedusaError,
  Modules,
} from "@medusajs/framework/utils"
import type { LocationStock } from "../../../lib/reservation-location"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { LineGiftOrder } from "../../../lib/line-gift/schemas"
import {
  LineGiftMappingError,
  lineGiftSku,
  mapLineGiftOrder,
  markOutOfStock,
  STOCK_SHORT_MESSAGE,
  type ImportFlag,
  type VariantMatch,
} from "../../../lib/mapping"
import { LINE_GIFT_MODULE } from "../../../modules/line-gift"
import type LineGiftModuleService from "../../../modules/line-gift/service"
import {
  BULK_VARIANT_FIELDS,
  StockLedger,
  prepareLineItem,
  type BulkVariant,
} from "../utils/line-items"
import { findLooseVariantIds } from "../../helpers/sku-match"

/** Medusa's built-in tax provider (rates by tax region only). */
const SYSTEM_TAX_PROVIDER_ID = "tp_system"

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
  order: Record<string, any>
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
}

/**
 * Does, for a whole page, what createOrderWorkflow does before it writes, with ONE query per
 * kind of data: the variants of every SKU of the page, the region, the channel's stock
 * locations, the shop's SKU mappings, then per order: mapLineGiftOrder, the stock check (orders take stock in page
 * order, as if imported one after another), line items as core prepareLineItemData makes
 * them, and tax lines from the tax module as core updateOrderTaxLinesWorkflow computes them per
 * order (one call per tax region of the page with Medusa's system tax provider, else one per
 * distinct address).
 * An order that cannot be mapped or has no stock is reported in `failed` with a reason a
 * merchant can act on; the others go on. Read-only: no compensation needed.
 * @throws MedusaError NOT_FOUND when the region does not exist (the whole page cannot import).
 */
export const prepareBulkOrdersStep = createStep(
  "prepare-line-gift-orders-bulk",
  async (input: PrepareBulkOrdersInput, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const output: PrepareBulkOrdersOutput = {
      prepared: [],
      failed: [],
      stock: {},
      location_ids: [],
    }
    if (!input.orders.length) {
      return new StepResponse(output)
    }

    const { data: regions } = await query.graph({
      entity: "region",
      fields: ["id", "currency_code", "automatic_taxes"],
      filters: { id: input.region_id },
    })
    const region = regions[0] as any
    if (!region) {
      throw new MedusaError(
        MedusaError.Types.NOT_FOUND,
        `Region ${input.region_id} of the LINE Gift shop does not exist: choose another one in Settings → LINE Gift.`
      )
    }

    // SKU → variant id chosen by the merchant: the input's overrides, else the shop's SKU
    // mappings (line_gift_sku_mapping), read for the whole page at once — as the per-order
    // import does for each order.
    const pageSkus = [
      ...new Set(
        input.orders
          .map(({ order }) => lineGiftSku(order))
          .filter((s): s is string => !!s)
      ),
    ]
    const overrides: Record<string, string> = {}
    const unmapped = pageSkus.filter((sku) => !input.sku_overrides?.[sku])
    if (unmapped.length) {
      const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
      const mappings = (await service.listLineGiftSkuMappings({
        shop_id: input.shop_id,
        code: unmapped,
      } as any)) as any[]
      for (const m of mappings)
        if (m.variant_id && !overrides[m.code]) overrides[m.code] = m.variant_id
    }
    Object.assign(overrides, input.sku_overrides ?? {})

    // One variant lookup for the whole page (overrides by id, the rest by SKU).
    const skus = new Set<string>()
    const overrideIds = new Set<string>()
    for (const sku of pageSkus) {
      const override = overrides[sku]
      if (override) overrideIds.add(override)
      else skus.add(sku)
    }
    const variants: BulkVariant[] = []
    for (const filters of [
      skus.size ? { sku: [...skus] } : null,
      overrideIds.size ? { id: [...overrideIds] } : null,
    ]) {
      if (!filters) continue
      const { data } = await query.graph({
        entity: "product_variant",
        fields: BULK_VARIANT_FIELDS,
        filters: filters as any,
      })
      variants.push(...(data as any[]))
    }
    const byId = new Map(variants.map((v) => [v.id, v]))
    const bySku = new Map<string, BulkVariant>()
    for (const v of variants)
      if (v.sku && !bySku.has(v.sku)) bySku.set(v.sku, v)
    // [data] SKUs without an exact match: a unique match but for whitespace, width or case.
    const looseIds = await findLooseVariantIds(
      query,
      [...skus].filter((sku) => !bySku.has(sku))
    )
    const looseMissing = [...new Set(looseIds.values())].filter(
      (id) => !byId.has(id)
    )
    if (looseMissing.length) {
      const { data } = await query.graph({
        entity: "product_variant",
        fields: BULK_VARIANT_FIELDS,
        filters: { id: looseMissing },
      })
      for (const v of data as any[]) {
        variants.push(v)
        byId.set(v.id, v)
      }
    }
    const variantForSku = (sku: string | null) => {
      if (!sku) return undefined
      const override = overrides[sku]
      if (override) return byId.get(override)
      return (
        bySku.get(sku) ??
        (looseIds.has(sku) ? byId.get(looseIds.get(sku)!) : undefined)
      )
    }
    const matchOf = (sku: string): VariantMatch["matched"] =>
      overrides[sku] ? "mapping" : bySku.has(sku) ? "exact" : "loose"

    let locationIds: string[] = []
    if (input.sales_channel?.id) {
      const { data: channels } = await query.graph({
        entity: "sales_channel",
        fields: ["id", "stock_locations.id"],
        filters: { id: input.sales_channel.id },
      })
      locationIds = ((channels[0] as any)?.stock_locations ?? []).map(
        (l: any) => l.id
      )
    }
    const ledger = new StockLedger(locationIds)

    // Map, check stock, build line items (temporary ids for the tax call).
    type Draft = PreparedOrder & {
      address: any
      itemKeys: string[]
      shippingKey: string
    }
    const drafts: Draft[] = []
    input.orders.forEach(({ order, record_id }, n) => {
      try {
        const sku = lineGiftSku(order)
        const variant = variantForSku(sku)
        const variantsBySku = new Map<string, VariantMatch>()
        if (sku && variant) {
          variantsBySku.set(sku, {
            id: variant.id,
            sku: variant.sku ?? sku,
            title: variant.title ?? null,
            product_title: variant.product?.title ?? null,
            manage_inventory: !!variant.manage_inventory,
            matched: matchOf(sku),
          })
        }
        const mapped = mapLineGiftOrder(order, {
          shopId: input.shop_id,
          regionId: region.id,
          salesChannelId: input.sales_channel?.id ?? null,
          currencyCode: "jpy",
          email: input.email,
          shippingOptionId: input.shipping_option_id,
          variantsBySku,
        })
        const taken = ledger.take(
          mapped.input.items.map((i) => ({
            variant: i.variant_id ? variant : undefined,
            quantity: i.quantity,
          }))
        )
        if ("error" in taken) {
          // [data] Paid on LINE Gift: short stock imports the order flagged, without reservation.
          if (taken.error !== STOCK_SHORT_MESSAGE) {
            output.failed.push({
              line_gift_order_id: order.id,
              record_id,
              reason: taken.error,
            })
            return
          }
          markOutOfStock(mapped)
        }
        const itemKeys: string[] = []
        const items = mapped.input.items.map((item, i) => {
          itemKeys.push(`tmp_item_${n}_${i}`)
          return prepareLineItem(item, item.variant_id ? variant : undefined)
        })
        // createOrderWorkflow's getOrderInput: the input as given, plus region, channel,
        // customer and currency.
        const { items: _items, ...rest } = mapped.input
        const orderInput: Record<string, any> = {
          ...rest,
          shipping_methods: mapped.input.shipping_methods.map((sm) => ({
            ...sm,
            tax_lines: [] as any[],
          })),
          currency_code: mapped.input.currency_code ?? region.currency_code,
          region_id: region.id,
          items,
        }
        if (input.customer?.id) {
          orderInput.customer_id = input.customer.id
          orderInput.email = mapped.input.email ?? input.customer.email
        }
        if (input.sales_channel?.id) {
          orderInput.sales_channel_id = input.sales_channel.id
        }
        drafts.push({
          line_gift_order_id: order.id,
          record_id,
          flags: mapped.flags,
          amount: order.selling_price as number,
          order: orderInput,
          address: mapped.input.shipping_address,
          itemKeys,
          shippingKey: `tmp_ship_${n}`,
        })
      } catch (e) {
        if (e instanceof LineGiftMappingError || e instanceof MedusaError) {
          output.failed.push({
            line_gift_order_id: order.id,
            record_id,
            reason: e.message,
          })
          return
        }
        throw e
      }
    })

    // Tax lines, as updateOrderTaxLinesWorkflow computes them after creation: only with
    // automatic taxes and a shipping address; one tax-module call per distinct address.
    if (region.automatic_taxes) {
      const tax = container.resolve(Modules.TAX)
      const customerGroups = input.customer?.id
        ? await customerGroupIds(query, input.customer.id)
        : []
      // Medusa's system tax provider only looks at the tax region (country, province): orders
      // sharing those share their tax lines, so one call serves them all. Any other
      // provider may look at the whole address: then one call per distinct address.
      const countries = [
        ...new Set(drafts.map((d) => d.address?.country_code).filter(Boolean)),
      ]
      const taxRegions = countries.length
        ? ((await tax.listTaxRegions({ country_code: countries } as any, {
            select: ["id", "provider_id"],
          })) as any[])
        : []
      const systemOnly = taxRegions.every(
        (r) => !r.provider_id || r.provider_id === SYSTEM_TAX_PROVIDER_ID
      )
      const groups = new Map<string, Draft[]>()
      for (const d of drafts) {
        if (!d.address?.country_code) continue
        const a = d.address
        const key = JSON.stringify(
          systemOnly
            ? [a.country_code, a.province ?? null]
            : [
                a.country_code,
                a.province ?? null,
                a.city ?? null,
                a.postal_code ?? null,
                a.address_1 ?? null,
              ]
        )
        groups.set(key, [...(groups.get(key) ?? []), d])
      }
      for (const members of groups.values()) {
        const address = members[0].address
        const context: any = {
          address: {
            country_code: address.country_code,
            province_code: address.province,
            address_1: address.address_1,
            address_2: address.address_2,
            city: address.city,
            postal_code: address.postal_code,
            metadata: address.metadata,
          },
          customer: input.customer?.id
            ? {
                id: input.customer.id,
                email: input.customer.email,
                customer_groups: customerGroups,
                metadata: undefined,
              }
            : undefined,
          is_return: false,
        }
        const itemLines = members.flatMap((d) =>
          (d.order.items as any[])
            .map((it, i) => ({ it, key: d.itemKeys[i] }))
            .filter(({ it }) => !it.is_giftcard)
            .map(({ it, key }) => ({
              id: key,
              product_id: it.product_id,
              product_type_id: it.product_type_id,
              quantity: it.quantity,
              unit_price: it.unit_price,
              currency_code: d.order.currency_code,
            }))
        )
        const shippingLines = members.flatMap((d) =>
          (d.order.shipping_methods as any[]).map((sm, i) => ({
            id: `${d.shippingKey}_${i}`,
            shipping_option_id: sm.shipping_option_id,
            unit_price: sm.amount,
            currency_code: d.order.currency_code,
          }))
        )
        const taxFor = new Map<string, any[]>()
        const collect = (lines: any[]) => {
          for (const line of lines) {
            const key = line.line_item_id ?? line.shipping_line_id
            const row = {
              description: line.name,
              tax_rate_id: line.rate_id,
              code: line.code,
              rate: line.rate,
              provider_id: line.provider_id,
              data: line.data,
            }
            taxFor.set(key, [...(taxFor.get(key) ?? []), row])
          }
        }
        // Items and shipping lines in one call (the tax module tells them apart).
        if (itemLines.length || shippingLines.length) {
          collect(
            (await tax.getTaxLines(
              [...itemLines, ...shippingLines] as any,
              context
            )) as any[]
          )
        }
        for (const d of members) {
          ;(d.order.items as any[]).forEach(
            (it, i) => (it.tax_lines = taxFor.get(d.itemKeys[i]) ?? [])
          )
          ;(d.order.shipping_methods as any[]).forEach(
            (sm, i) =>
              (sm.tax_lines = taxFor.get(`${d.shippingKey}_${i}`) ?? [])
          )
        }
      }
    }

    for (const d of drafts) {
      const { address: _a, itemKeys: _k, shippingKey: _s, ...prepared } = d
      output.prepared.push(prepared)
    }
    output.location_ids = locationIds
    for (const v of variants) {
      if (!v.manage_inventory) continue
      output.stock[v.id] = (v.inventory_items ?? []).map((ii) => ({
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
    return new StepResponse(output)
  }
)

/** stocked − reserved of one inventory level (units), as core confirmInventory counts it. */
function availableAt(level: {
  raw_stocked_quantity?: unknown
  raw_reserved_quantity?: unknown
  stocked_quantity?: unknown
  reserved_quantity?: unknown
}): number {
  return MathBN.sub(
    MathBN.convert(
      (level.raw_stocked_quantity ?? level.stocked_quantity ?? 0) as any
    ),
    MathBN.convert(
      (level.raw_reserved_quantity ?? level.reserved_quantity ?? 0) as any
    )
  ).toNumber()
}

async function customerGroupIds(
  query: any,
  customerId: string
): Promise<string[]> {
  const { data } = await query.graph({
    entity: "customer",
    fields: ["id", "groups.id"],
    filters: { id: customerId },
  })
  return ((data[0] as any)?.groups ?? []).map((g: any) => g.id)
}
