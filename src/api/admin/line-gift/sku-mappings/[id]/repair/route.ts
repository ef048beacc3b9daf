import type {
  AuthenticatedMedusaRequest,
  MedusaResponse,
} from "@medusajs/framework/http"
import { repairLineGiftSkuMappingOrders } from "../../../../../../workflows/sku-mappings/repair"

/**
 * POST /admin/line-gift/sku-mappings/:id/repair (no body) → repairs the already-imported orders
 * flagged "unknown SKU" with the mapping's code:
 * `{ repaired: [{ order_id, line_gift_order_id }], skipped: [{ order_id, line_gift_order_id, reason }],
 *    failed: [{ order_id, line_gift_order_id, reason }] }`.
 * 404 when the mapping does not exist.
 */
export const POST = async (
  req: AuthenticatedMedusaRequest,
  res: MedusaResponse<
    Awaited<ReturnType<typeof repairLineGiftSkuMappingOrders>>
  >
) => {
  const result = await repairLineGiftSkuMappingOrders(
    req.scope,
    req.params.id,
    {
      actor_id: req.auth_context?.actor_id,
    }
  )
  res.json(result)
}
