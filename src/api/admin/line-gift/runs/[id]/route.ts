import type {
  AuthenticatedMedusaRequest,
  MedusaResponse,
} from "@medusajs/framework/http"
import { LINE_GIFT_MODULE } from "../../../../../modules/line-gift"
import type LineGiftModuleService from "../../../../../modules/line-gift/service"
import { retrieveAdminLineGiftRun, type AdminLineGiftRun } from "../list-runs"

/** GET /admin/line-gift/runs/:id → `{ run }` with its per-order errors (each with its reason `code`). 404 unknown. */
export const GET = async (
  req: AuthenticatedMedusaRequest,
  res: MedusaResponse<{ run: AdminLineGiftRun }>
) => {
  const service: LineGiftModuleService = req.scope.resolve(LINE_GIFT_MODULE)
  res.json({ run: await retrieveAdminLineGiftRun(service, req.params.id) })
}
