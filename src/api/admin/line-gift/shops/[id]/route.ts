import type {
  AuthenticatedMedusaRequest,
  MedusaResponse,
} from "@medusajs/framework/http"
import { LINE_GIFT_MODULE } from "../../../../../modules/line-gift"
import type LineGiftModuleService from "../../../../../modules/line-gift/service"
import type { PublicShop } from "../../../../../modules/line-gift/service"
import {
  deleteLineGiftShopWorkflow,
  updateLineGiftShopWorkflow,
} from "../../../../../workflows/shops/workflows"
import type { AdminUpdateLineGiftShopType } from "../../validators"
import { shopWorkflowInput } from "../../shop-workflow-input"

/** GET /admin/line-gift/shops/:id → `{ shop }` */
export const GET = async (
  req: AuthenticatedMedusaRequest,
  res: MedusaResponse<{ shop: PublicShop }>
) => {
  const service: LineGiftModuleService = req.scope.resolve(LINE_GIFT_MODULE)
  res.json({ shop: await service.retrievePublicShop(req.params.id) })
}

/** POST /admin/line-gift/shops/:id → `{ shop }` */
export const POST = async (
  req: AuthenticatedMedusaRequest<AdminUpdateLineGiftShopType>,
  res: MedusaResponse<{ shop: PublicShop }>
) => {
  const service: LineGiftModuleService = req.scope.resolve(LINE_GIFT_MODULE)
  const { result } = await updateLineGiftShopWorkflow(req.scope).run({
    input: {
      id: req.params.id,
      data: shopWorkflowInput(service, req.validatedBody),
    },
  })
  res.json({ shop: result })
}

/** DELETE /admin/line-gift/shops/:id → `{ id, object: "line_gift_shop", deleted: true }` */
export const DELETE = async (
  req: AuthenticatedMedusaRequest,
  res: MedusaResponse<{
    id: string
    object: "line_gift_shop"
    deleted: true
  }>
) => {
  await deleteLineGiftShopWorkflow(req.scope).run({
    input: { id: req.params.id },
  })
  res.json({ id: req.params.id, object: "line_gift_shop", deleted: true })
}
