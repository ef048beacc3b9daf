import type {
  AuthenticatedMedusaRequest,
  MedusaResponse,
} from "@medusajs/framework/http"
import { LINE_GIFT_MODULE } from "../../../../../../modules/line-gift"
import type LineGiftModuleService from "../../../../../../modules/line-gift/service"
import type { LineGiftSkuMappingRecord } from "../../../../../../modules/line-gift/types"
import { upsertLineGiftSkuMappingWorkflow } from "../../../../../../workflows/sku-mappings"
import type { AdminCreateLineGiftSkuMappingType } from "../../../validators"

/** GET /admin/line-gift/shops/:id/sku-mappings → `{ mappings: [{ id, code, variant_id }] }` */
export const GET = async (
  req: AuthenticatedMedusaRequest,
  res: MedusaResponse<{
    mappings: Pick<
      LineGiftSkuMappingRecord,
      "id" | "shop_id" | "code" | "variant_id" | "created_at"
    >[]
  }>
) => {
  const service: LineGiftModuleService = req.scope.resolve(LINE_GIFT_MODULE)
  await service.retrieveLineGiftShop(req.params.id)
  const mappings = await service.listLineGiftSkuMappings(
    { shop_id: req.params.id },
    {
      select: ["id", "shop_id", "code", "variant_id", "created_at"],
      order: { code: "ASC" },
    }
  )
  res.json({ mappings })
}

/** POST /admin/line-gift/shops/:id/sku-mappings `{ code, variant_id }` → `{ mapping }` (upsert by code) */
export const POST = async (
  req: AuthenticatedMedusaRequest<AdminCreateLineGiftSkuMappingType>,
  res: MedusaResponse<{ mapping: LineGiftSkuMappingRecord }>
) => {
  const { result } = await upsertLineGiftSkuMappingWorkflow(req.scope).run({
    input: { shop_id: req.params.id, ...req.validatedBody },
  })
  res.json({ mapping: result })
}
