/**
 * Read side of GET /admin/line-gift/setup-check: whether the store has what the first import
 * needs, and where in the admin each missing thing is set.
 */
import type { RemoteQueryFunction } from "@medusajs/framework/types"

/** One thing the first import needs. `href` is the admin path (under /app) where Medusa sets it. */
export type SetupCheckItem = {
  key: "region" | "salesChannel" | "shippingOption" | "products"
  ok: boolean
  /** Why it is not ok (an i18n key under setupCheck.details), or null. */
  detail: string | null
  href: string
}

/** What the check needs of Medusa's query (the container's `query`). */
export type SetupCheckQuery = Pick<RemoteQueryFunction, "graph">

/** The fields read from each shipping option (query.graph `shipping_option`). */
type ShippingOptionZones = {
  id: string
  service_zone?: {
    geo_zones?: Array<{ country_code?: string | null } | null> | null
  } | null
}

/** Japan's ISO country code as Medusa stores it. */
const JP = "jp"

/**
 * What an import needs and whether the store has it (README "Before the first import"):
 * a region in JPY, a sales channel, a shipping option that serves Japan, and variants with
 * SKUs (LINE Gift item codes are matched to SKUs). Reads only; no personal data.
 */
export async function checkImportSetup(
  query: SetupCheckQuery
): Promise<SetupCheckItem[]> {
  const [regions, channels, options, variants] = await Promise.all([
    query.graph({
      entity: "region",
      fields: ["id"],
      filters: { currency_code: "jpy" },
      pagination: { take: 1 },
    }),
    query.graph({
      entity: "sales_channel",
      fields: ["id"],
      pagination: { take: 1 },
    }),
    query.graph({
      entity: "shipping_option",
      fields: ["id", "service_zone.geo_zones.country_code"],
      pagination: { take: 500 },
    }),
    query.graph({
      entity: "product_variant",
      fields: ["id"],
      filters: { sku: { $ne: null } },
      pagination: { take: 1 },
    }),
  ])
  const servesJapan = (options.data as ShippingOptionZones[]).some((o) =>
    (o.service_zone?.geo_zones ?? []).some(
      (g) => g?.country_code?.toLowerCase() === JP
    )
  )
  const item = (
    key: SetupCheckItem["key"],
    ok: boolean,
    missingHref: string,
    okHref: string
  ): SetupCheckItem => ({
    key,
    ok,
    detail: ok ? null : key,
    href: ok ? okHref : missingHref,
  })
  return [
    item(
      "region",
      regions.data.length > 0,
      "/settings/regions/create",
      "/settings/regions"
    ),
    item(
      "salesChannel",
      channels.data.length > 0,
      "/settings/sales-channels/create",
      "/settings/sales-channels"
    ),
    item(
      "shippingOption",
      servesJapan,
      "/settings/locations",
      "/settings/locations"
    ),
    item("products", variants.data.length > 0, "/products/create", "/products"),
  ]
}
