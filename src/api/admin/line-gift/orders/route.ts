import type {
  AuthenticatedMedusaRequest,
  MedusaResponse,
} from "@medusajs/framework/http"
import { LINE_GIFT_MODULE } from "../../../../modules/line-gift"
import type LineGiftModuleService from "../../../../modules/line-gift/service"
import type { AdminListLineGiftOrdersType } from "../validators"
import { classifyFailureReason } from "../../../../lib/failure-reasons"

/**
 * GET /admin/line-gift/orders?shop_id&state&line_gift_order_id&limit&offset →
 * `{ orders, count, limit, offset }`: LINE Gift order records (e.g. `state=failed` with
 * `failure_reason` and its stable `failure_code`, see lib/failure-reasons), newest first.
 * Any other query parameter → 400.
 * The raw payload (personal data) is not included.
 */
export const GET = async (
  req: AuthenticatedMedusaRequest,
  res: MedusaResponse
) => {
  const q = (req as any).validatedQuery as AdminListLineGiftOrdersType
  const service: LineGiftModuleService = req.scope.resolve(LINE_GIFT_MODULE)
  const filters: Record<string, unknown> = {}
  if (q.shop_id) filters.shop_id = q.shop_id
  if (q.state) filters.state = q.state
  if (q.line_gift_order_id) filters.line_gift_order_id = q.line_gift_order_id
  const [orders, count] = await service.listAndCountLineGiftOrders(filters, {
    select: [
      "id",
      "shop_id",
      "line_gift_order_id",
      "line_gift_status",
      "state",
      "failure_reason",
      "flags",
      "last_run_id",
      "imported_at",
      "created_at",
      "updated_at",
    ],
    order: { updated_at: "DESC" },
    take: q.limit,
    skip: q.offset,
  })
  res.json({
    orders: orders.map((o: any) => ({
      ...o,
      failure_code: o.failure_reason
        ? classifyFailureReason(o.failure_reason)
        : null,
    })),
    count,
    limit: q.limit,
    offset: q.offset,
  })
}
