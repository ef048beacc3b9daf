import type {
  AuthenticatedMedusaRequest,
  MedusaResponse,
} from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

/** One thing the first import needs. `href` is the admin path (under /app) where Medusa sets it. */
export type SetupCheckItem = {
  key: "region" | "salesChannel" | "shippingOption" | "products"
  ok: boolean
  /** Why it is not ok (an i18n key under setupCheck.details), or null. */
  detail: string | null
  href: string
}

type Query = { graph: (q: Record<string, unknown>) => Promise<{ data: any[] }> }

/** Japan's ISO country code as Medusa stores it. */
const JP = "jp"

/**
 * What an import needs and whether the store has it (README "Before the first import"):
 * a region in JPY, a sales channel, a shipping option that serves Japan, and variants with
 * SKUs (LINE Gift item codes are matched to SKUs). Reads only; no personal data.
 */
export async function checkImportSetup(
  query: Query
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
  const servesJapan = options.data.some((o) =>
    (o.service_zone?.geo_zones ?? []).some(
      (g: { country_code?: string }) => g?.country_code?.toLowerCase() === JP
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

/**
 * GET /admin/line-gift/setup-check →
 * `{ ready: boolean, items: [{ key, ok, detail, href }] }`: what the first import needs
 * (JPY region, sales channel, shipping option serving Japan, variants with SKUs) and, for each
 * missing thing, the admin page where Medusa sets it.
 */
export const GET = async (
  req: AuthenticatedMedusaRequest,
  res: MedusaResponse
) => {
  const query = req.scope.resolve(
    ContainerRegistrationKeys.QUERY
  ) as unknown as Query
  const items = await checkImportSetup(query)
  res.json({ ready: items.every((i) => i.ok), items })
}
