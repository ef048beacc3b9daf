import type {
  AuthenticatedMedusaRequest,
  MedusaResponse,
} from "@medusajs/framework/http"
import { LINE_GIFT_MODULE } from "../../../../modules/line-gift"
import type LineGiftModuleService from "../../../../modules/line-gift/service"
import type { PublicShop } from "../../../../modules/line-gift/service"
import { createLineGiftShopWorkflow } from "../../../../workflows/shops/workflows"
import type { AdminCreateLineGiftShopType } from "../validators"
import { shopWorkflowInput } from "../shop-workflow-input"
import { listShopsWithLastRuns, type ShopWithLastRuns } from "./last-runs"

/**
 * GET /admin/line-gift/shops → `{ shops: Array<PublicShop & { last_runs }> }` (never secrets).
 * `last_runs: { import, export }`: the latest run of each kind (LastRunSummary, or null), so the
 * shop list and the orders widget show a partly failed scheduled run, not just "last fetched".
 */
export const GET = async (
  req: AuthenticatedMedusaRequest,
  res: MedusaResponse<{ shops: ShopWithLastRuns[] }>
) => {
  const service: LineGiftModuleService = req.scope.resolve(LINE_GIFT_MODULE)
  res.json({ shops: await listShopsWithLastRuns(service) })
}

/** POST /admin/line-gift/shops → `{ shop }` (201). client_secret is write-only. */
export const POST = async (
  req: AuthenticatedMedusaRequest<AdminCreateLineGiftShopType>,
  res: MedusaResponse<{ shop: PublicShop }>
) => {
  const service: LineGiftModuleService = req.scope.resolve(LINE_GIFT_MODULE)
  const { result } = await createLineGiftShopWorkflow(req.scope).run({
    input: shopWorkflowInput(service, req.validatedBody),
  })
  res.status(201).json({ shop: result })
}
