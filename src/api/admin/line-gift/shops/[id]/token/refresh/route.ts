import type {
  AuthenticatedMedusaRequest,
  MedusaResponse,
} from "@medusajs/framework/http"
import { LINE_GIFT_MODULE } from "../../../../../../../modules/line-gift"
import type LineGiftModuleService from "../../../../../../../modules/line-gift/service"
import type { PublicShop } from "../../../../../../../modules/line-gift/service"
import { refreshLineGiftAccessTokenWorkflow } from "../../../../../../../workflows/tokens/workflows"

/** POST /admin/line-gift/shops/:id/token/refresh → `{ shop }` with the new expiries. */
export const POST = async (
  req: AuthenticatedMedusaRequest,
  res: MedusaResponse<{ shop: PublicShop }>
) => {
  await refreshLineGiftAccessTokenWorkflow(req.scope).run({
    input: { shop_id: req.params.id },
  })
  const service: LineGiftModuleService = req.scope.resolve(LINE_GIFT_MODULE)
  res.json({ shop: await service.retrievePublicShop(req.params.id) })
}
