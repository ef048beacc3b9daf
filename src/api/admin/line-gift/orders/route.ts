import type {
  AuthenticatedMedusaRequest,
  MedusaResponse,
} from "@medusajs/framework/http"
import { LINE_GIFT_MODULE } from "../../../../modules/line-gift"
import type LineGiftModuleService from "../../../../modules/line-gift/service"
import type { AdminListLineGiftOrdersType } from "../validators"
import {
  listAdminLineGiftOrders,
  type AdminLineGiftOrderList,
} from "./list-orders"

/**
 * GET /admin/line-gift/orders?shop_id&state&line_gift_order_id&limit&offset →
 * `{ orders, count, limit, offset }`: LINE Gift order records (e.g. `state=failed` with
 * `failure_reason` and its stable `failure_code`, see lib/failure-reasons), newest first.
 * Any other query parameter → 400.
 * The raw payload (personal data) is not included.
 */
export const GET = async (
  req: AuthenticatedMedusaRequest<unknown, AdminListLineGiftOrdersType>,
  res: MedusaResponse<AdminLineGiftOrderList>
) => {
  const service: LineGiftModuleService = req.scope.resolve(LINE_GIFT_MODULE)
  res.json(await listAdminLineGiftOrders(service, req.validatedQuery))
}
