import type {
  AuthenticatedMedusaRequest,
  MedusaResponse,
} from "@medusajs/framework/http"
import { LINE_GIFT_MODULE } from "../../../../modules/line-gift"
import type LineGiftModuleService from "../../../../modules/line-gift/service"
import type { AdminListLineGiftExportsType } from "../export-validators"
import {
  listAdminLineGiftExports,
  type AdminLineGiftExportList,
} from "./list-exports"

/**
 * GET /admin/line-gift/exports?order_id&shop_id&state&limit&offset →
 * `{ exports, count, limit, offset }`: shipment exports (outbox rows), most recently changed
 * first. Each export: id, shop_id, line_gift_order_id, order_id, fulfillment_id,
 * tracking_number, carrier, state (pending|sent|held|failed), attempts, next_attempt_at, due_at (a fulfilment event marked it due: when the sweep plans it again), mark_seq, due_fulfillment_id,
 * last_error, reasons (`[{code, message, params?}]`: why it is held or flagged now),
 * sent_tracking_number, sent_carrier, sent_at, ship_date ("YYYY-MM-DD", Japan),
 * sent_fulfillment_id, sent_fulfillment_cancelled (LINE Gift shows a shipment whose fulfilment
 * was cancelled; `?flagged=true` lists only those), created_at, updated_at.
 * `?attention=true`: only held, failed or flagged exports (the sync history's list).
 * `last_error_code`: the stable code of last_error (lib/failure-reasons).
 */
export const GET = async (
  req: AuthenticatedMedusaRequest<unknown, AdminListLineGiftExportsType>,
  res: MedusaResponse<AdminLineGiftExportList>
) => {
  const service: LineGiftModuleService = req.scope.resolve(LINE_GIFT_MODULE)
  res.json(await listAdminLineGiftExports(service, req.validatedQuery))
}
