import type {
  AuthenticatedMedusaRequest,
  MedusaResponse,
} from "@medusajs/framework/http"
import { LINE_GIFT_MODULE } from "../../../../../modules/line-gift"
import type LineGiftModuleService from "../../../../../modules/line-gift/service"
import { withRunReasonCodes } from "../../../../../lib/failure-reasons"

/** GET /admin/line-gift/runs/:id → `{ run }` with its per-order errors (each with its reason `code`). */
export const GET = async (
  req: AuthenticatedMedusaRequest,
  res: MedusaResponse
) => {
  const service: LineGiftModuleService = req.scope.resolve(LINE_GIFT_MODULE)
  res.json({
    run: withRunReasonCodes(
      await service.retrieveLineGiftSyncRun(req.params.id)
    ),
  })
}
