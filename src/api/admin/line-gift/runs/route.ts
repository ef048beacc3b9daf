import type {
  AuthenticatedMedusaRequest,
  MedusaResponse,
} from "@medusajs/framework/http"
import { LINE_GIFT_MODULE } from "../../../../modules/line-gift"
import type LineGiftModuleService from "../../../../modules/line-gift/service"
import type { AdminListLineGiftRunsType } from "../validators"
import { withRunReasonCodes } from "../../../../lib/failure-reasons"

/** GET /admin/line-gift/runs?shop_id&kind&limit&offset → `{ runs, count, limit, offset }`, newest first. */
export const GET = async (
  req: AuthenticatedMedusaRequest,
  res: MedusaResponse
) => {
  const q = (req as any).validatedQuery as AdminListLineGiftRunsType
  const service: LineGiftModuleService = req.scope.resolve(LINE_GIFT_MODULE)
  const filters: Record<string, unknown> = {}
  if (q.shop_id) filters.shop_id = q.shop_id
  if (q.kind) filters.kind = q.kind
  const [runs, count] = await service.listAndCountLineGiftSyncRuns(filters, {
    order: { started_at: "DESC" },
    take: q.limit,
    skip: q.offset,
  })
  res.json({
    runs: runs.map(withRunReasonCodes),
    count,
    limit: q.limit,
    offset: q.offset,
  })
}
