/**
 * Finding catalogue variants for LINE Gift SKUs that differ only by invisible details
 * (surrounding whitespace, full-/half-width form, letter case): see looseSkuKey.
 * Used by both import paths, only for SKUs without an exact match or a merchant mapping.
 */
import type { RemoteQueryFunction } from "@medusajs/framework/types"
import { looseSkuKey } from "../../lib/mapping"

/** Query (`ContainerRegistrationKeys.QUERY`); only its `graph` is used. */
type Query = Pick<Omit<RemoteQueryFunction, symbol>, "graph">

/**
 * For each SKU, the id of the ONE variant whose SKU has the same looseSkuKey; SKUs with no
 * such variant, or several (ambiguous), are absent from the result.
 * One case-insensitive query per SKU (`sku ILIKE %key%`), then an exact key comparison.
 * @returns Map LINE Gift SKU → variant id.
 */
export async function findLooseVariantIds(
  query: Query,
  skus: string[]
): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  for (const sku of new Set(skus)) {
    const key = looseSkuKey(sku)
    if (!key) continue
    const pattern = `%${key.replace(/\\/g, "\\\\")}%`
    const { data } = await query.graph({
      entity: "product_variant",
      fields: ["id", "sku"],
      filters: { sku: { $ilike: pattern } },
    })
    const matches = (data as Array<{ id: string; sku: string | null }>).filter(
      (v) => typeof v.sku === "string" && looseSkuKey(v.sku) === key
    )
    if (matches.length === 1) out.set(sku, matches[0].id)
  }
  return out
}
