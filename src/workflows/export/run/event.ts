/**
 * Exports started by a fulfilment event (created, shipped, cancelled): find the LINE Gift
 * order behind it, then record and (with auto export on) push its shipment.
 */
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { LINE_GIFT_MODULE } from "../../../modules/line-gift"
import type LineGiftModuleService from "../../../modules/line-gift/service"
import type { LineGiftOrderRecord } from "../../../modules/line-gift/types"
import type { ExportLineGiftShipmentOutput } from "../workflows/export-line-gift-shipment"
import type { ExportTarget } from "../types"
import {
  countExportResult,
  emptyCounts,
  EVENT_LOCK_TIMEOUT_SEC,
  recordExportRun,
  runErrorsOfOne,
  runExport,
  withExportLock,
} from "./shared"

/** The fields of the LINE Gift order record read through the order link. */
type LinkedRecord = Pick<
  LineGiftOrderRecord,
  "id" | "shop_id" | "line_gift_order_id" | "state"
>
/** A Medusa order with its linked LINE Gift order record (query.graph). */
type OrderWithRecord = { id: string; line_gift_order?: LinkedRecord | null }

const RECORD_FIELDS = ["id", "shop_id", "line_gift_order_id", "state"]

/** The order (id and linked record) behind an order id or a fulfilment id; null when none. */
async function orderWithRecord(
  container: MedusaContainer,
  ref: { order_id?: string | null; fulfillment_id?: string | null }
): Promise<OrderWithRecord | null> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  if (ref.order_id) {
    const { data } = await query.graph({
      entity: "order",
      fields: ["id", ...RECORD_FIELDS.map((f) => `line_gift_order.${f}`)],
      filters: { id: ref.order_id },
    })
    return (data[0] as OrderWithRecord | undefined) ?? null
  }
  if (ref.fulfillment_id) {
    const { data } = await query.graph({
      entity: "fulfillment",
      fields: [
        "id",
        "order.id",
        ...RECORD_FIELDS.map((f) => `order.line_gift_order.${f}`),
      ],
      filters: { id: ref.fulfillment_id },
    })
    const fulfillment = data[0] as
      { order?: OrderWithRecord | null } | undefined
    return fulfillment?.order ?? null
  }
  return null
}

/**
 * The LINE Gift order behind a Medusa order or fulfilment: ONE query (through the module
 * link); null for orders that did not come from LINE Gift.
 */
export async function findLineGiftExportTarget(
  container: MedusaContainer,
  ref: { order_id?: string | null; fulfillment_id?: string | null }
): Promise<ExportTarget | null> {
  const order = await orderWithRecord(container, ref)
  const record = order?.line_gift_order ?? null
  if (!order?.id || !record?.id) return null
  return {
    shop_id: record.shop_id,
    line_gift_order_id: record.line_gift_order_id,
    record_id: record.id,
    order_id: order.id,
  }
}

/**
 * A fulfilment was created or shipped: record the export of a LINE Gift order and, when the
 * shop's auto export is on, push it at once (recorded in the sync history, source "event").
 * A cancelled fulfilment re-plans the export: LINE Gift's stale shipment is flagged. Other
 * orders cost one lookup and return null.
 * @throws Error when the shop's export lock stays busy for 2 minutes (the manual export
 *   "送信情報の更新" then picks the order up).
 */
export async function handleLineGiftFulfillmentEvent(
  container: MedusaContainer,
  event: { order_id?: string | null; fulfillment_id: string }
): Promise<ExportLineGiftShipmentOutput | null> {
  const target = await findLineGiftExportTarget(container, event)
  if (!target) return null
  const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
  const shop = await service.retrieveLineGiftShop(target.shop_id)
  const send = shop.auto_export !== false && shop.api_enabled !== false
  const startedAt = new Date()
  const locked = await withExportLock(
    container,
    target.shop_id,
    EVENT_LOCK_TIMEOUT_SEC,
    () =>
      runExport(container, {
        ...target,
        fulfillment_id: event.fulfillment_id,
        send,
      })
  )
  if (!locked.ran) {
    throw new Error(
      `LINE Gift export of order ${target.line_gift_order_id}: the shop's export lock stayed busy; run "送信情報の更新" (manual export) to send it`
    )
  }
  const counts = emptyCounts("event")
  const bucket = countExportResult(counts, locked.value)
  // Auto export off: only recorded, nothing ran against LINE Gift — not a run.
  if (bucket && send) {
    await recordExportRun(container, {
      shop_id: target.shop_id,
      trigger: "automatic",
      started_at: startedAt,
      counts,
      errors: runErrorsOfOne(bucket, locked.value, target.line_gift_order_id),
    })
  }
  return locked.value
}
