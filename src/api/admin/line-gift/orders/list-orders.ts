/**
 * Read side of GET /admin/line-gift/orders: LINE Gift order records as the admin lists them,
 * without the raw payload (personal data), each with the stable code of its failure reason.
 */
import type LineGiftModuleService from "../../../../modules/line-gift/service"
import type { LineGiftOrderRecord } from "../../../../modules/line-gift/types"
import {
  classifyFailureReason,
  type FailureReasonCode,
} from "../../../../lib/failure-reasons"
import type { AdminListLineGiftOrdersType } from "../validators"

/** The record fields the list shows (never `raw`, which holds the recipient's address). */
const ORDER_LIST_FIELDS = [
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
] as const

/** One listed record: the selected fields plus `failure_code` (null without a reason). */
export type AdminLineGiftOrder = Pick<
  LineGiftOrderRecord,
  (typeof ORDER_LIST_FIELDS)[number]
> & { failure_code: FailureReasonCode | null }

/** One page of records: `{ orders, count, limit, offset }` (count: all that match). */
export type AdminLineGiftOrderList = {
  orders: AdminLineGiftOrder[]
  count: number
  limit: number
  offset: number
}

/** The page of records a validated query asks for (filters: shop, state, LINE Gift id), newest first. */
export async function listAdminLineGiftOrders(
  service: LineGiftModuleService,
  q: AdminListLineGiftOrdersType
): Promise<AdminLineGiftOrderList> {
  const filters: Record<string, unknown> = {}
  if (q.shop_id) filters.shop_id = q.shop_id
  if (q.state) filters.state = q.state
  if (q.line_gift_order_id) filters.line_gift_order_id = q.line_gift_order_id
  const [orders, count] = await service.listAndCountLineGiftOrders(filters, {
    select: [...ORDER_LIST_FIELDS],
    order: { updated_at: "DESC" },
    take: q.limit,
    skip: q.offset,
  })
  return {
    orders: orders.map((o) => ({
      ...o,
      failure_code: o.failure_reason
        ? classifyFailureReason(o.failure_reason)
        : null,
    })),
    count,
    limit: q.limit,
    offset: q.offset,
  }
}
