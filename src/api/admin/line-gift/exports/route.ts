import type {
  AuthenticatedMedusaRequest,
  MedusaResponse,
} from "@medusajs/framework/http"
import { LINE_GIFT_MODULE } from "../../../../modules/line-gift"
import type LineGiftModuleService from "../../../../modules/line-gift/service"
import type { AdminListLineGiftExportsType } from "../export-validators"
import { classifyFailureReason } from "../../../../lib/failure-reasons"

/**
 * GET /admin/line-gift/exports?order_id&shop_id&state&limit&offset →
 * `{ exports, count, limit, offset }`: shipment exports (outbox rows), most recently changed
 * first. Each export: id, shop_id, line_gift_order_id, order_id, fulfillment_id,
 * tracking_number, carrier, state (pending|sent|held|failed), attempts, next_attempt_at,
 * last_error, reasons (`[{code, message, params?}]`: why it is held or flagged now),
 * sent_tracking_number, sent_carrier, sent_at, ship_date ("YYYY-MM-DD", Japan),
 * sent_fulfillment_id, sent_fulfillment_cancelled (LINE Gift shows a shipment whose fulfilment
 * was cancelled; `?flagged=true` lists only those), created_at, updated_at.
 * `?attention=true`: only held, failed or flagged exports (the sync history's list).
 * `last_error_code`: the stable code of last_error (lib/failure-reasons).
 */
export const GET = async (
  req: AuthenticatedMedusaRequest,
  res: MedusaResponse
) => {
  const q = (req as any).validatedQuery as AdminListLineGiftExportsType
  const service: LineGiftModuleService = req.scope.resolve(LINE_GIFT_MODULE)
  const filters: Record<string, unknown> = {}
  if (q.order_id) filters.order_id = q.order_id
  if (q.shop_id) filters.shop_id = q.shop_id
  if (q.state) filters.state = q.state
  if (q.flagged) filters.sent_fulfillment_cancelled = q.flagged === "true"
  if (q.attention) {
    filters.$or = [
      { state: ["held", "failed"] },
      { sent_fulfillment_cancelled: true },
    ]
  }
  const [exports, count] = await service.listAndCountLineGiftExports(filters, {
    order: { updated_at: "DESC" },
    take: q.limit,
    skip: q.offset,
  })
  res.json({
    exports: exports.map((e: any) => ({
      ...e,
      last_error_code: e.last_error
        ? classifyFailureReason(e.last_error)
        : null,
    })),
    count,
    limit: q.limit,
    offset: q.offset,
  })
}
