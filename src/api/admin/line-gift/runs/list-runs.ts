/**
 * Read side of GET /admin/line-gift/runs and /runs/:id: sync runs with the stable code of
 * their error and of each stored per-order error.
 */
import type LineGiftModuleService from "../../../../modules/line-gift/service"
import type { LineGiftSyncRunRecord } from "../../../../modules/line-gift/types"
import { withRunReasonCodes } from "../../../../lib/failure-reasons"
import type { AdminListLineGiftRunsType } from "../validators"

/** A run as the admin gets it: the record, `errors[].code` and `error_code` added. */
export type AdminLineGiftRun = ReturnType<
  typeof withRunReasonCodes<LineGiftSyncRunRecord>
>

/** One page of runs: `{ runs, count, limit, offset }` (count: all that match). */
export type AdminLineGiftRunList = {
  runs: AdminLineGiftRun[]
  count: number
  limit: number
  offset: number
}

/** The page of runs a validated query asks for (filters: shop, kind), newest first. */
export async function listAdminLineGiftRuns(
  service: LineGiftModuleService,
  q: AdminListLineGiftRunsType
): Promise<AdminLineGiftRunList> {
  const filters: Record<string, unknown> = {}
  if (q.shop_id) filters.shop_id = q.shop_id
  if (q.kind) filters.kind = q.kind
  const [runs, count] = await service.listAndCountLineGiftSyncRuns(filters, {
    order: { started_at: "DESC" },
    take: q.limit,
    skip: q.offset,
  })
  return {
    runs: runs.map((run) => withRunReasonCodes(run)),
    count,
    limit: q.limit,
    offset: q.offset,
  }
}

/** One run by id, with reason codes. Throws MedusaError NOT_FOUND for an unknown id. */
export async function retrieveAdminLineGiftRun(
  service: LineGiftModuleService,
  id: string
): Promise<AdminLineGiftRun> {
  return withRunReasonCodes(await service.retrieveLineGiftSyncRun(id))
}
