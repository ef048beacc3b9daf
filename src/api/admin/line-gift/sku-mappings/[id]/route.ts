import type {
  AuthenticatedMedusaRequest,
  MedusaResponse,
} from "@medusajs/framework/http"
import { deleteLineGiftSkuMappingWorkflow } from "../../../../../workflows/sku-mappings"

/** DELETE /admin/line-gift/sku-mappings/:id → `{ id, object: "line_gift_sku_mapping", deleted: true }` */
export const DELETE = async (
  req: AuthenticatedMedusaRequest,
  res: MedusaResponse<{
    id: string
    object: "line_gift_sku_mapping"
    deleted: true
  }>
) => {
  await deleteLineGiftSkuMappingWorkflow(req.scope).run({
    input: { id: req.params.id },
  })
  res.json({
    id: req.params.id,
    object: "line_gift_sku_mapping",
    deleted: true,
  })
}
