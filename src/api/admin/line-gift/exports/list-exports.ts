/**
 * Read side of GET /admin/line-gift/exports: the query's filters for the module service and
 * the rows as the admin gets them (with the stable code of `last_error`).
 */
import type LineGiftModuleService from "../../../../modules/line-gift/service"
import type { LineGiftExportRecord } from "../../../../modules/line-gift/types"
import {
  classifyFailureReason,
  type FailureReasonCode,
} from "../../../../lib/failure-reasons"
import type { AdminListLineGiftExportsType } from "../export-validators"

/** One export as the list answers it: the record plus `last_error_code` (null without error). */
export type AdminLineGiftExport = LineGiftExportRecord & {
  last_error_code: FailureReasonCode | null
}

/** One page of exports: `{ exports, count, limit, offset }` (count: all that match). */
export type AdminLineGiftExportList = {
  exports: AdminLineGiftExport[]
  count: number
  limit: number
  offset: number
}

/**
 * The module-service filters of a validated list query: `order_id`, `shop_id`, `state` as
 * given; `flagged` ("true"/"false") on `sent_fulfillment_cancelled`; `attention` → held or
 * failed or flagged.
 */
export function exportListFilters(
  q: AdminListLineGiftExportsType
): Record<string, unknown> {
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
  return filters
}

/** The page of exports a validated query asks for, most recently changed first. */
export async function listAdminLineGiftExports(
  service: LineGiftModuleService,
  q: AdminListLineGiftExportsType
): Promise<AdminLineGiftExportList> {
  const [exports, count] = await service.listAndCountLineGiftExports(
    exportListFilters(q),
    { order: { updated_at: "DESC" }, take: q.limit, skip: q.offset }
  )
  return {
    exports: exports.map((e) => ({
      ...e,
      last_error_code: e.last_error
        ? classifyFailureReason(e.last_error)
        : null,
    })),
    count,
    limit: q.limit,
    offset: q.offset,
  }
}
