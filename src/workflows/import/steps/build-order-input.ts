import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { LINE_GIFT_MODULE } from "../../../modules/line-gift"
import type LineGiftModuleService from "../../../modules/line-gift/service"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { LineGiftOrder } from "../../../lib/line-gift/schemas"
import {
  lineGiftSku,
  mapLineGiftOrder,
  type MappedOrder,
  type VariantMatch,
} from "../../../lib/mapping"

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
 * mapping (line_gift_sku_mapping) first, then Medusa's variant SKU — and maps the order
 * to createOrderWorkflow input (see mapLineGiftOrder). Read-only: no compensation needed.
 * @throws LineGiftMappingError (from mapLineGiftOrder) naming the unusable field.
 */
export const buildOrderInputStep = createStep(
  "build-line-gift-order-input",
  async (input: BuildOrderInputStepInput, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const sku = lineGiftSku(input.order)
    const variantsBySku = new Map<string, VariantMatch>()
    if (sku) {
      let overrideId = input.sku_overrides?.[sku]
      if (!overrideId) {
        const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
        const [mapping] = await service.listLineGiftSkuMappings({ shop_id: input.shop_id, code: sku })
        overrideId = (mapping as any)?.variant_id
      }
      const { data } = await query.graph({
        entity: "product_variant",
        fields: ["id", "sku", "title", "manage_inventory", "product.title"],
        filters: overrideId ? { id: overrideId } : { sku },
      })
      const v = data[0] as any
      if (v) {
        variantsBySku.set(sku, {
          id: v.id,
          sku: v.sku ?? sku,
          title: v.title ?? null,
          product_title: v.product?.title ?? null,
          manage_inventory: !!v.manage_inventory,
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
    return new StepResponse(mapped)
  }
)
