/** "Push again": one export pushed now, whatever LINE Gift already has (admin action). */
import type { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import { LINE_GIFT_MODULE } from "../../../modules/line-gift"
import type LineGiftModuleService from "../../../modules/line-gift/service"
import type { LineGiftExportRow } from "../types"
import {
  asExportRows,
  countExportResult,
  emptyCounts,
  isAwaitingAddress,
  liveStatuses,
  PUSH_LOCK_TIMEOUT_SEC,
  recordExportRun,
  recordIds,
  runErrorsOfOne,
  runExport,
  withExportLock,
} from "./shared"

/** One export row by id, in the outbox row shape. @throws MedusaError NOT_FOUND */
async function retrieveExportRow(
  service: LineGiftModuleService,
  exportId: string
): Promise<LineGiftExportRow> {
  const [row] = asExportRows([await service.retrieveLineGiftExport(exportId)])
  return row
}

/**
 * "Push again": pushes one export now, even when LINE Gift already has its values (a no-op
 * there) or after a permanent refusal, whatever the shop's auto export setting. It sends the
 * values recorded for the fulfilment (the carrier is not re-resolved from today's mapping);
 * one held for the recipient's address is sent only if LINE Gift's status (read live) is
 * 発送待ち. Recorded in the sync history (source "push_again").
 * @returns the export row afterwards (state and `last_error` say how it went).
 * @throws MedusaError NOT_FOUND (unknown export), NOT_ALLOWED (API usage off, or another
 *   export of the shop is running).
 */
export async function pushLineGiftExportNow(
  container: MedusaContainer,
  exportId: string
): Promise<LineGiftExportRow> {
  const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
  const row = await retrieveExportRow(service, exportId)
  const shop = await service.retrieveLineGiftShop(row.shop_id)
  if (!shop.api_enabled) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `LINE Gift shop "${shop.name}": API usage is off. Turn it on in Settings → LINE Gift.`
    )
  }
  const records = await recordIds(service, row.shop_id, [row])
  const startedAt = new Date()
  // Held for the recipient's address: ask LINE Gift whether it has arrived.
  const live = isAwaitingAddress(row)
    ? await liveStatuses(container, row.shop_id, [row.line_gift_order_id])
    : null
  const locked = await withExportLock(
    container,
    row.shop_id,
    PUSH_LOCK_TIMEOUT_SEC,
    () =>
      runExport(container, {
        ...(live
          ? { line_gift_status: live.get(row.line_gift_order_id) ?? null }
          : {}),
        shop_id: row.shop_id,
        line_gift_order_id: row.line_gift_order_id,
        record_id: records.get(row.line_gift_order_id) ?? "",
        order_id: row.order_id,
        fulfillment_id: row.fulfillment_id,
        send: true,
        force: true,
      })
  )
  if (!locked.ran) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `Another export of LINE Gift shop "${shop.name}" is running; try again in a moment.`
    )
  }
  const counts = emptyCounts("push_again")
  const bucket = countExportResult(counts, locked.value)
  if (bucket) {
    await recordExportRun(container, {
      shop_id: row.shop_id,
      trigger: "manual",
      started_at: startedAt,
      counts,
      errors: runErrorsOfOne(bucket, locked.value, row.line_gift_order_id),
    })
  }
  return locked.value.export ?? (await retrieveExportRow(service, exportId))
}
