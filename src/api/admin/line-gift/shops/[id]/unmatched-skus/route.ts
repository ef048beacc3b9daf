import type {
  AuthenticatedMedusaRequest,
  MedusaResponse,
} from "@medusajs/framework/http"
import { LINE_GIFT_MODULE } from "../../../../../../modules/line-gift"
import type LineGiftModuleService from "../../../../../../modules/line-gift/service"

/**
 * GET /admin/line-gift/shops/:id/unmatched-skus →
 * `{ skus: [{ code, item_name, variation_name, orders_count, mapping_id, variant_id }] }`:
 * LINE Gift codes that matched no Medusa variant on import (orders flagged unknown_sku), with
 * the mapping saved since, if any.
 */
export const GET = async (
  req: AuthenticatedMedusaRequest,
  res: MedusaResponse
) => {
  const service: LineGiftModuleService = req.scope.resolve(LINE_GIFT_MODULE)
  await service.retrieveLineGiftShop(req.params.id)
  const [skus, mappings] = await Promise.all([
    service.listUnknownSkus(req.params.id),
    service.listLineGiftSkuMappings({ shop_id: req.params.id }),
  ])
  const byCode = new Map((mappings as any[]).map((m) => [m.code as string, m]))
  res.json({
    skus: skus.map((s) => ({
      ...s,
      mapping_id: byCode.get(s.code)?.id ?? null,
      variant_id: byCode.get(s.code)?.variant_id ?? null,
    })),
  })
}
