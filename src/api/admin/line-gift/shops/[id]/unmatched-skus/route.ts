import type {
  AuthenticatedMedusaRequest,
  MedusaResponse,
} from "@medusajs/framework/http"
import { LINE_GIFT_MODULE } from "../../../../../../modules/line-gift"
import type LineGiftModuleService from "../../../../../../modules/line-gift/service"
import { listUnmatchedSkus, type UnmatchedSku } from "../../unmatched-skus"

/**
 * GET /admin/line-gift/shops/:id/unmatched-skus →
 * `{ skus: [{ code, item_name, variation_name, orders_count, mapping_id, variant_id }] }`:
 * LINE Gift codes that matched no Medusa variant on import (orders flagged unknown_sku), with
 * the mapping saved since, if any. 404 unknown shop.
 */
export const GET = async (
  req: AuthenticatedMedusaRequest,
  res: MedusaResponse<{ skus: UnmatchedSku[] }>
) => {
  const service: LineGiftModuleService = req.scope.resolve(LINE_GIFT_MODULE)
  res.json({ skus: await listUnmatchedSkus(service, req.params.id) })
}
