/**
 * Read side of GET /admin/line-gift/shops/:id/unmatched-skus: the LINE Gift codes that matched
 * no Medusa variant on import, joined with the mapping saved for each since, if any.
 */
import type LineGiftModuleService from "../../../../modules/line-gift/service"

/** One unmatched code: LINE Gift's names, how many orders carry it, and its mapping (or nulls). */
export type UnmatchedSku = {
  code: string
  item_name: string | null
  variation_name: string | null
  orders_count: number
  mapping_id: string | null
  variant_id: string | null
}

/**
 * The shop's unmatched codes, most frequent first (orders flagged `unknown_sku`).
 * Throws MedusaError NOT_FOUND for an unknown shop.
 */
export async function listUnmatchedSkus(
  service: LineGiftModuleService,
  shopId: string
): Promise<UnmatchedSku[]> {
  await service.retrieveLineGiftShop(shopId)
  const [skus, mappings] = await Promise.all([
    service.listUnknownSkus(shopId),
    service.listLineGiftSkuMappings({ shop_id: shopId }),
  ])
  const byCode = new Map(mappings.map((m) => [m.code, m]))
  return skus.map((s) => ({
    ...s,
    mapping_id: byCode.get(s.code)?.id ?? null,
    variant_id: byCode.get(s.code)?.variant_id ?? null,
  }))
}
