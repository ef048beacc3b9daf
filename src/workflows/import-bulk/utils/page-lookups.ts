/**
 * The reads the bulk import's prepare step makes for a whole page, one query per kind of
 * data: region, the merchant's SKU mappings, the page's variants (exact, mapped, loose), the
 * sales channel's stock locations, the customer's groups.
 */
import type {
  MedusaContainer,
  RemoteQueryFunction,
} from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import type { VariantMatch } from "../../../lib/mapping"
import { LINE_GIFT_MODULE } from "../../../modules/line-gift"
import type LineGiftModuleService from "../../../modules/line-gift/service"
import { findLooseVariantIds } from "../../helpers/sku-match"
import { BULK_VARIANT_FIELDS, type BulkVariant } from "./line-items"

/** Query (`query.graph`) as resolved from the container. */
export type Query = Omit<RemoteQueryFunction, symbol>

/** The region fields the bulk path reads. */
export type BulkRegion = {
  id: string
  currency_code: string
  automatic_taxes: boolean
}

/**
 * Reads the page's region.
 * @throws MedusaError NOT_FOUND when the region does not exist (the whole page cannot import).
 */
export async function readRegion(
  query: Query,
  regionId: string
): Promise<BulkRegion> {
  const { data } = await query.graph({
    entity: "region",
    fields: ["id", "currency_code", "automatic_taxes"],
    filters: { id: regionId },
  })
  const region = data[0] as BulkRegion | undefined
  if (!region) {
    throw new MedusaError(
      MedusaError.Types.NOT_FOUND,
      `Region ${regionId} of the LINE Gift shop does not exist: choose another one in Settings → LINE Gift.`
    )
  }
  return region
}

/**
 * SKU → variant id chosen by the merchant: `given` (the input's overrides) first, else the
 * shop's SKU mappings (line_gift_sku_mapping), read for the whole page at once — as the
 * per-order import does for each order.
 */
export async function readSkuOverrides(
  container: MedusaContainer,
  shopId: string,
  pageSkus: string[],
  given: Record<string, string> | undefined
): Promise<Record<string, string>> {
  const overrides: Record<string, string> = {}
  const unmapped = pageSkus.filter((sku) => !given?.[sku])
  if (unmapped.length) {
    const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
    const mappings = await service.listLineGiftSkuMappings({
      shop_id: shopId,
      code: unmapped,
    })
    for (const m of mappings)
      if (m.variant_id && !overrides[m.code]) overrides[m.code] = m.variant_id
  }
  return Object.assign(overrides, given ?? {})
}

/** The page's variants, and how each SKU finds its own. */
export type PageVariants = {
  variants: BulkVariant[]
  /** The variant of a LINE Gift SKU (mapping, else exact, else loose), if any. */
  forSku(sku: string | null): BulkVariant | undefined
  /** How the SKU's variant was found. */
  matchOf(sku: string): VariantMatch["matched"]
}

async function readVariants(
  query: Query,
  filters: { sku: string[] } | { id: string[] }
): Promise<BulkVariant[]> {
  const { data } = await query.graph({
    entity: "product_variant",
    fields: BULK_VARIANT_FIELDS,
    filters,
  })
  return data as BulkVariant[]
}

/**
 * One variant lookup for the whole page: overrides by id, the rest by SKU; then, for SKUs
 * without an exact match, a unique match but for whitespace, width or case ([data]).
 */
export async function readPageVariants(
  query: Query,
  pageSkus: string[],
  overrides: Record<string, string>
): Promise<PageVariants> {
  const skus = pageSkus.filter((sku) => !overrides[sku])
  const overrideIds = [
    ...new Set(pageSkus.map((sku) => overrides[sku]).filter(Boolean)),
  ]
  const variants: BulkVariant[] = []
  if (skus.length) variants.push(...(await readVariants(query, { sku: skus })))
  if (overrideIds.length)
    variants.push(...(await readVariants(query, { id: overrideIds })))
  const byId = new Map(variants.map((v) => [v.id, v]))
  const bySku = new Map<string, BulkVariant>()
  for (const v of variants) if (v.sku && !bySku.has(v.sku)) bySku.set(v.sku, v)
  const looseIds = await findLooseVariantIds(
    query,
    skus.filter((sku) => !bySku.has(sku))
  )
  const looseMissing = [...new Set(looseIds.values())].filter(
    (id) => !byId.has(id)
  )
  if (looseMissing.length) {
    for (const v of await readVariants(query, { id: looseMissing })) {
      variants.push(v)
      byId.set(v.id, v)
    }
  }
  return {
    variants,
    forSku(sku) {
      if (!sku) return undefined
      const override = overrides[sku]
      if (override) return byId.get(override)
      const loose = looseIds.get(sku)
      return bySku.get(sku) ?? (loose ? byId.get(loose) : undefined)
    },
    matchOf: (sku) =>
      overrides[sku] ? "mapping" : bySku.has(sku) ? "exact" : "loose",
  }
}

/** The sales channel's stock locations, in order (empty: no sales channel). */
export async function readLocationIds(
  query: Query,
  salesChannelId: string | undefined
): Promise<string[]> {
  if (!salesChannelId) return []
  const { data } = await query.graph({
    entity: "sales_channel",
    fields: ["id", "stock_locations.id"],
    filters: { id: salesChannelId },
  })
  const channel = data[0] as
    { stock_locations?: Array<{ id: string } | null> | null } | undefined
  return (channel?.stock_locations ?? [])
    .filter((l): l is { id: string } => !!l)
    .map((l) => l.id)
}

/** The customer's group ids (part of the tax context, as core reads them). */
export async function customerGroupIds(
  query: Query,
  customerId: string
): Promise<string[]> {
  const { data } = await query.graph({
    entity: "customer",
    fields: ["id", "groups.id"],
    filters: { id: customerId },
  })
  const customer = data[0] as { groups?: Array<{ id: string }> } | undefined
  return (customer?.groups ?? []).map((g) => g.id)
}
