import type {
  AuthenticatedMedusaRequest,
  MedusaResponse,
} from "@medusajs/framework/http"
import { LINE_GIFT_MODULE } from "../../../../../../modules/line-gift"
import type LineGiftModuleService from "../../../../../../modules/line-gift/service"
import type { PublicShop } from "../../../../../../modules/line-gift/service"
import { setLineGiftManualCredentials } from "../../../../../../workflows/tokens/credentials"
import type { AdminLineGiftManualCredentialsType } from "../../../connection-validators"

/**
 * POST /admin/line-gift/shops/:id/credentials `{ authorization_code }` or `{ refresh_token }`
 * → `{ shop }`. A code is exchanged; a refresh token is proved by one refresh and the rotated
 * pair stored encrypted. Not a workflow: the pasted secret must not become workflow input.
 */
export const POST = async (
  req: AuthenticatedMedusaRequest<AdminLineGiftManualCredentialsType>,
  res: MedusaResponse<{ shop: PublicShop }>
) => {
  await setLineGiftManualCredentials(req.scope, {
    shop_id: req.params.id,
    ...req.validatedBody,
  })
  const service: LineGiftModuleService = req.scope.resolve(LINE_GIFT_MODULE)
  res.json({ shop: await service.retrievePublicShop(req.params.id) })
}
