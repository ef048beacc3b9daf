import type { RemoteQueryFunction } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { LINE_GIFT_MODULE } from "../../../modules/line-gift"
import type LineGiftModuleService from "../../../modules/line-gift/service"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { LineGiftOrder } from "../../../lib/line-gift/schemas"
import {
  lineGiftSku,
  mapLineGiftOrder,
  markOutOfStock,
  STOCK_SHORT_MESSAGE,
  type MappedOrder,
  type VariantMatch,
} from "../../../lib/mapping"
import {
  BULK_VARIANT_FIELDS,
  StockLedger,
  type BulkVariant,
} from "../../import-bulk/utils/line-items"
import { findLooseVariantIds } from "../../helpers/sku-match"

/** Input: a validated LINE Gift order and where its Medusa order goes. */
export type BuildOrderInputStepInput = {
  order: LineGiftOrder
  shop_id: string
  region_id: string
  sales_channel_id: string | null
  shipping_option_id: string | null
  email: string
  /** Merchant's own SKU mapping (LINE Gift code → Medusa variant id); read from the module when absent. */
  sku_overrides?: Record<string, string>
}

/**
 * Finds the variant for the order's SKU (variation.code, else item.code) — the merchant's SKU
 * mapping (line_gift_sku_mapping) first, then Medusa's variant SKU, then a unique loose match
 * (looseSkuKey; flag `sku_loose_match`) — and maps the order to createOrderWorkflow input
 * (see mapLineGiftOrder). When the sales channel's locations hold less than the quantity, the
 * order is marked `out_of_stock` (markOutOfStock: lines allow backorder, no reservation); a
 * shop without a sales channel is checked against the store's default channel, the one
 * createOrderWorkflow puts the order in (as the bulk import does).
 * Read-only: no compensation needed.
 * @throws LineGiftMappingError (from mapLineGiftOrder) naming the unusable field.
 */
export const buildOrderInputStep = createStep(
  "build-line-gift-order-input",
  async (input: BuildOrderInputStepInput, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const sku = lineGiftSku(input.order)
    const variantsBySku = new Map<string, VariantMatch>()
    let stockVariant: BulkVariant | null = null
    if (sku) {
      let overrideId = input.sku_overrides?.[sku]
      if (!overrideId) {
        const service: LineGiftModuleService =
          container.resolve(LINE_GIFT_MODULE)
        const [mapping] = await service.listLineGiftSkuMappings({
          shop_id: input.shop_id,
          code: sku,
        })
        overrideId = mapping?.variant_id
      }
      const find = async (filters: Record<string, unknown>) =>
        (
          await query.graph({
            entity: "product_variant",
            fields: BULK_VARIANT_FIELDS,
            filters,
          })
        ).data[0] as BulkVariant | undefined
      let matched: VariantMatch["matched"] = overrideId ? "mapping" : "exact"
      let v = await find(overrideId ? { id: overrideId } : { sku })
      if (!v && !overrideId) {
        // Same SKU but for whitespace, width or case (unique match only): flagged.
        const looseId = (await findLooseVariantIds(query, [sku])).get(sku)
        if (looseId) {
          v = await find({ id: looseId })
          matched = "loose"
        }
      }
      if (v) {
        stockVariant = v
        variantsBySku.set(sku, {
          id: v.id,
          sku: v.sku ?? sku,
          title: v.title ?? null,
          product_title: v.product?.title ?? null,
          manage_inventory: !!v.manage_inventory,
          matched,
        })
      }
    }
    const mapped: MappedOrder = mapLineGiftOrder(input.order, {
      shopId: input.shop_id,
      regionId: input.region_id,
      salesChannelId: input.sales_channel_id,
      currencyCode: "jpy",
      email: input.email,
      shippingOptionId: input.shipping_option_id,
      variantsBySku,
    })
    // Paid on LINE Gift: stock short is no reason to refuse the order (flag, no reservation).
    // A shop without a sales channel gets the store's default one (core findSalesChannelStep).
    const channelId = stockVariant?.manage_inventory
      ? (input.sales_channel_id ?? (await defaultSalesChannelId(query)))
      : null
    if (channelId) {
      const { data: channels } = await query.graph({
        entity: "sales_channel",
        fields: ["id", "stock_locations.id"],
        filters: { id: channelId },
      })
      const channel = (
        channels as Array<{ stock_locations?: Array<{ id: string }> | null }>
      )[0]
      const locationIds = (channel?.stock_locations ?? []).map((l) => l.id)
      const taken = new StockLedger(locationIds).take(
        mapped.input.items.map((i) => ({
          variant: stockVariant!,
          quantity: i.quantity,
        }))
      )
      if ("error" in taken && taken.error === STOCK_SHORT_MESSAGE)
        markOutOfStock(mapped)
    }
    return new StepResponse(mapped)
  }
)

/**
 * The store's default sales channel, where createOrderWorkflow (core findSalesChannelStep)
 * puts an order given none.
 * @returns its id, or null when the store has none
 */
async function defaultSalesChannelId(
  query: Omit<RemoteQueryFunction, symbol>
): Promise<string | null> {
  const { data } = await query.graph({
    entity: "store",
    fields: ["id", "default_sales_channel_id"],
  })
  const store = data[0] as
    { default_sales_channel_id?: string | null } | undefined
  return store?.default_sales_channel_id ?? null
}
