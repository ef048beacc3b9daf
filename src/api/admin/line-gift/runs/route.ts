import type {
  AuthenticatedMedusaRequest,
  MedusaResponse,
} from "@medusajs/framework/http"
import { LINE_GIFT_MODULE } from "../../../../modules/line-gift"
import type LineGiftModuleService from "../../../../modules/line-gift/service"
import type { AdminListLineGiftRunsType } from "../validators"
import { listAdminLineGiftRuns, type AdminLineGiftRunList } from "./list-runs"

/** GET /admin/line-gift/runs?shop_id&kind&limit&offset → `{ runs, count, limit, offset }`, newest first. */
export const GET = async (
  req: AuthenticatedMedusaRequest<unknown, AdminListLineGiftRunsType>,
  res: MedusaResponse<AdminLineGiftRunList>
) => {
  const service: LineGiftModuleService = req.scope.resolve(LINE_GIFT_MODULE)
  res.json(await listAdminLineGiftRuns(service, req.validatedQuery))
}
