/**
 * Seeds a Japanese Medusa store whose catalogue matches the sandbox (sandbox/catalogue.ts):
 * region 日本 (JPY, system payment provider, 10% tax region), a "LINEギフト" sales channel,
 * a Tokyo warehouse with stock, a shipping option "LINEギフト配送", and the catalogue's
 * products (except the items marked missing_from_medusa). Idempotent: a second call returns
 * what exists. Used by the demo (through `medusa exec`) and by the integration tests.
 */
import type { MedusaContainer } from "@medusajs/framework/types"
import {
  ContainerRegistrationKeys,
  Modules,
  ProductStatus,
} from "@medusajs/framework/utils"
import {
  createInventoryLevelsWorkflow,
  createProductsWorkflow,
  createRegionsWorkflow,
  createSalesChannelsWorkflow,
  createShippingOptionsWorkflow,
  createShippingProfilesWorkflow,
  createStockLocationsWorkflow,
  createTaxRegionsWorkflow,
  linkSalesChannelsToStockLocationWorkflow,
} from "@medusajs/medusa/core-flows"
import { CATALOGUE } from "../../sandbox/catalogue"

/** What the seed made (or found). */
export type SeededStore = {
  region_id: string
  sales_channel_id: string
  stock_location_id: string
  shipping_option_id: string
  shipping_profile_id: string
  /** SKU → variant id of every seeded variant. */
  variants: Record<string, string>
}

export const DEMO_REGION_NAME = "日本"
export const DEMO_SALES_CHANNEL_NAME = "LINEギフト"
export const DEMO_STOCKED_QUANTITY = 1000

/** Seeds (or finds) the demo store. See the file comment. */
export async function seedDemoStore(
  container: MedusaContainer
): Promise<SeededStore> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const link = container.resolve(ContainerRegistrationKeys.LINK)
  const fulfillment = container.resolve(Modules.FULFILLMENT)

  const { data: existingRegions } = await query.graph({
    entity: "region",
    fields: ["id"],
    filters: { name: DEMO_REGION_NAME },
  })
  if (existingRegions.length) {
    return await readSeeded(container, existingRegions[0].id)
  }

  const {
    result: [region],
  } = await createRegionsWorkflow(container).run({
    input: {
      regions: [
        {
          name: DEMO_REGION_NAME,
          currency_code: "jpy",
          countries: ["jp"],
          payment_providers: ["pp_system_default"],
        },
      ],
    },
  })
  await createTaxRegionsWorkflow(container).run({
    input: [
      {
        country_code: "jp",
        provider_id: "tp_system",
        default_tax_rate: { rate: 10, name: "消費税", code: "JP-CT" },
      },
    ],
  })

  const {
    result: [salesChannel],
  } = await createSalesChannelsWorkflow(container).run({
    input: { salesChannelsData: [{ name: DEMO_SALES_CHANNEL_NAME }] },
  })

  const {
    result: [stockLocation],
  } = await createStockLocationsWorkflow(container).run({
    input: {
      locations: [
        {
          name: "東京倉庫 (デモ)",
          address: {
            city: "千代田区",
            country_code: "JP",
            address_1: "見本町1-1-1",
          },
        },
      ],
    },
  })
  await linkSalesChannelsToStockLocationWorkflow(container).run({
    input: { id: stockLocation.id, add: [salesChannel.id] },
  })
  await link.create({
    [Modules.STOCK_LOCATION]: { stock_location_id: stockLocation.id },
    [Modules.FULFILLMENT]: { fulfillment_provider_id: "manual_manual" },
  })

  const existingProfiles = await fulfillment.listShippingProfiles({
    type: "default",
  })
  const shippingProfile =
    existingProfiles[0] ??
    (
      await createShippingProfilesWorkflow(container).run({
        input: {
          data: [{ name: "Default Shipping Profile", type: "default" }],
        },
      })
    ).result[0]

  const fulfillmentSet = await fulfillment.createFulfillmentSets({
    name: "東京倉庫 配送",
    type: "shipping",
    service_zones: [
      { name: "日本", geo_zones: [{ country_code: "jp", type: "country" }] },
    ],
  })
  await link.create({
    [Modules.STOCK_LOCATION]: { stock_location_id: stockLocation.id },
    [Modules.FULFILLMENT]: { fulfillment_set_id: fulfillmentSet.id },
  })
  await createShippingOptionsWorkflow(container).run({
    input: [
      {
        name: "LINEギフト配送",
        price_type: "flat",
        provider_id: "manual_manual",
        service_zone_id: fulfillmentSet.service_zones[0].id,
        shipping_profile_id: shippingProfile.id,
        type: {
          label: "LINEギフト",
          description: "LINEギフトの注文の配送",
          code: "line-gift",
        },
        prices: [
          { currency_code: "jpy", amount: 0 },
          { region_id: region.id, amount: 0 },
        ],
        rules: [
          { attribute: "enabled_in_store", value: "false", operator: "eq" },
          { attribute: "is_return", value: "false", operator: "eq" },
        ],
      },
    ],
  })

  const products = CATALOGUE.filter((item) => !item.missing_from_medusa).map(
    (item) => {
      const variations = item.variations.length
        ? item.variations
        : [
            {
              id: item.id,
              sku: item.code,
              name: "標準",
              price: item.price,
              manage_inventory: item.manage_inventory,
            },
          ]
      return {
        title: item.name,
        handle: item.code.toLowerCase(),
        status: ProductStatus.PUBLISHED,
        shipping_profile_id: shippingProfile.id,
        options: [{ title: "種類", values: variations.map((v) => v.name) }],
        variants: variations.map((v) => ({
          title: v.name,
          sku: v.sku,
          options: { 種類: v.name },
          manage_inventory: v.manage_inventory,
          prices: [{ amount: v.price, currency_code: "jpy" }],
        })),
        sales_channels: [{ id: salesChannel.id }],
      }
    }
  )
  await createProductsWorkflow(container).run({ input: { products } })

  const { data: variants } = await query.graph({
    entity: "product_variant",
    fields: [
      "id",
      "sku",
      "manage_inventory",
      "inventory_items.inventory_item_id",
    ],
    filters: { sku: products.flatMap((p) => p.variants.map((v) => v.sku)) },
  })
  const levels = variants
    .filter((v: any) => v.manage_inventory)
    .flatMap((v: any) =>
      (v.inventory_items ?? []).map((ii: any) => ({
        inventory_item_id: ii.inventory_item_id,
        location_id: stockLocation.id,
        stocked_quantity: DEMO_STOCKED_QUANTITY,
      }))
    )
  if (levels.length) {
    await createInventoryLevelsWorkflow(container).run({
      input: { inventory_levels: levels },
    })
  }

  return await readSeeded(container, region.id)
}

async function readSeeded(
  container: MedusaContainer,
  regionId: string
): Promise<SeededStore> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: channels } = await query.graph({
    entity: "sales_channel",
    fields: ["id", "stock_locations.id"],
    filters: { name: DEMO_SALES_CHANNEL_NAME },
  })
  const { data: options } = await query.graph({
    entity: "shipping_option",
    fields: ["id", "shipping_profile_id"],
    filters: { name: "LINEギフト配送" },
  })
  const skus = CATALOGUE.filter((i) => !i.missing_from_medusa).flatMap((i) =>
    i.variations.length ? i.variations.map((v) => v.sku) : [i.code]
  )
  const { data: variants } = await query.graph({
    entity: "product_variant",
    fields: ["id", "sku"],
    filters: { sku: skus },
  })
  return {
    region_id: regionId,
    sales_channel_id: channels[0].id,
    stock_location_id: (channels[0] as any).stock_locations?.[0]?.id,
    shipping_option_id: options[0].id,
    shipping_profile_id: (options[0] as any).shipping_profile_id,
    variants: Object.fromEntries(variants.map((v: any) => [v.sku, v.id])),
  }
}
