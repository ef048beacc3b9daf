/**
 * Exports started by a fulfilment event (created, shipped, cancelled): find the LINE Gift
 * order behind it, then record and (with auto export on) push its shipment.
 */
import type { MedusaContainer } from "@medusajs/framework/types"
import {
  ContainerRegistrationKeys,
  MedusaError,
} from "@medusajs/framework/utils"
import { LINE_GIFT_MODULE } from "../../../modules/line-gift"
import type LineGiftModuleService from "../../../modules/line-gift/service"
import type {
  LineGiftOrderRecord,
  LineGiftShopRecord,
} from "../../../modules/line-gift/types"
import type { ExportLineGiftShipmentOutput } from "../workflows/export-line-gift-shipment"
import type { ExportTarget } from "../types"
import { markLineGiftExportDueWorkflow } from "../workflows/mark-line-gift-export-due"
import { errorMessage } from "../../helpers/logging"
import { jsonColumn } from "../../../modules/line-gift/json-column"
import type { ExportReason } from "../../../lib/carrier"
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
 * Marks the export due for the sweep (markLineGiftExportDueWorkflow); `fulfillmentId` and
 * `reason` are recorded only on a row the mark creates.
 */
async function markExportDue(
  container: MedusaContainer,
  target: ExportTarget,
  fulfillmentId: string,
  reason: string | null
): Promise<void> {
  await markLineGiftExportDueWorkflow(container).run({
    input: {
      shop_id: target.shop_id,
      line_gift_order_id: target.line_gift_order_id,
      order_id: target.order_id,
      fulfillment_id: fulfillmentId,
      reason,
    },
  })
}

/** Seconds an event waits for the shop's export lock (plugin option, else the default). */
function eventLockWaitSec(service: LineGiftModuleService): number {
  const sec = Number(service.getOptions().exportEventLockWaitSec)
  return Number.isFinite(sec) && sec > 0 ? sec : EVENT_LOCK_TIMEOUT_SEC
}

/** A shop's export switches as an event read them; null when the shop could not be read. */
export type EventShopSwitches = {
  auto_export: boolean
  api_enabled: boolean
} | null

/**
 * The stored reason of an event's export that did not run at once: why (`deferred`), then what
 * happens next — true for the shop as read: the sweep sends it (auto export and API usage on),
 * the merchant sends it (auto export off), nothing goes to LINE Gift until API usage is on
 * again, or, when the shop could not be read, what happens in either case.
 */
export function deferredExportReason(
  deferred: string,
  shop: EventShopSwitches
): string {
  const manual = 'send it with "送信情報の更新" or Push again'
  let next: string
  if (!shop) {
    next = `The shop's settings could not be read: with auto export and API usage on, the export sweep sends it within a minute; else ${manual}.`
  } else if (shop.auto_export && shop.api_enabled) {
    next = "The export sweep sends it within a minute."
  } else if (shop.auto_export) {
    next =
      "API usage is off: nothing is sent to LINE Gift until it is on again; then the export sweep sends it."
  } else if (shop.api_enabled) {
    next = `Auto export is off: ${manual}.`
  } else {
    next = `Auto export and API usage are off: once API usage is on, ${manual}.`
  }
  return `Not exported at once: ${deferred}. ${next}`
}

/**
 * A fulfilment was created or shipped: record the export of a LINE Gift order and, when the
 * shop's auto export is on, push it at once (recorded in the sync history, source "event").
 * A cancelled fulfilment re-plans the export: LINE Gift's stale shipment is flagged. Other
 * orders cost one lookup and return null.
 * An order of a deleted shop is never sent (no shop's token may carry its LINE Gift id): its
 * row is held with DELETED_SHOP_EXPORT_REASON and null is returned.
 * The event is never lost: before anything else its export is marked due for the sweep,
 * without the lock (markLineGiftExportDueWorkflow: only the mark changes on an existing row);
 * when the export cannot run at once (the shop's export lock stays busy, the export fails) it
 * is marked again and — unless the shop's auto export or API usage is known to be off —
 * counted `pending` in a sync run with the reason (deferredExportReason); the next export
 * sweep (every minute) exports it.
 * @throws Error saying why the export was left to the sweep (the subscriber logs it), or when
 *   even the mark could not be written.
 */
export async function handleLineGiftFulfillmentEvent(
  container: MedusaContainer,
  event: { order_id?: string | null; fulfillment_id: string }
): Promise<ExportLineGiftShipmentOutput | null> {
  const target = await findLineGiftExportTarget(container, event)
  if (!target) return null
  await markExportDue(container, target, event.fulfillment_id, null)
  const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
  const startedAt = new Date()
  let shop: EventShopSwitches = null
  let deferred: string
  try {
    const record = await readEventShop(service, target.shop_id)
    if (!record) {
      await holdExportOfDeletedShop(service, target)
      return null
    }
    shop = {
      auto_export: record.auto_export !== false,
      api_enabled: record.api_enabled !== false,
    }
    const send = shop.auto_export && shop.api_enabled
    const waitSec = eventLockWaitSec(service)
    const locked = await withExportLock(
      container,
      target.shop_id,
      waitSec,
      () =>
        runExport(container, {
          ...target,
          fulfillment_id: event.fulfillment_id,
          send,
        })
    )
    if (locked.ran) {
      await recordEventRun(container, target, startedAt, send, locked.value)
      return locked.value
    }
    deferred = `the shop's export lock stayed busy for ${waitSec} s (another export was running)`
  } catch (e) {
    deferred = `the export failed: ${errorMessage(e)}`
  }
  const reason = deferredExportReason(deferred, shop)
  await markExportDue(container, target, event.fulfillment_id, reason)
  if (!shop || (shop.auto_export && shop.api_enabled)) {
    const counts = emptyCounts("event")
    counts.pending++
    await recordExportRun(container, {
      shop_id: target.shop_id,
      trigger: "automatic",
      started_at: startedAt,
      counts,
      errors: [{ line_gift_order_id: target.line_gift_order_id, reason }],
    })
  }
  throw new Error(
    `LINE Gift export of order ${target.line_gift_order_id}: ${reason}`
  )
}

/**
 * Why the shipment of an order of a deleted shop is held (stored as the row's `last_error`):
 * nothing is sent to LINE Gift — the order's LINE Gift id belongs to the deleted shop's
 * connection, and no other shop's token may carry it.
 */
export const DELETED_SHOP_EXPORT_REASON =
  "Not sent to LINE Gift: the LINE Gift shop this order was imported with has been deleted in Medusa. " +
  "Enter the tracking number in LINE Gift's own shop admin."

/**
 * The hold reason of a deleted shop's shipment (the row's `reasons`, code `shop_deleted`: the
 * admin shows it in its language), with DELETED_SHOP_EXPORT_REASON as its message.
 * @returns a fresh array, for the row's `reasons` JSON column.
 */
export function deletedShopExportReasons(): Record<string, unknown> {
  const reason: ExportReason = {
    code: "shop_deleted",
    message: DELETED_SHOP_EXPORT_REASON,
  }
  return jsonColumn([reason])
}

/** The shop as an event reads it; null when it was deleted (or never existed). */
async function readEventShop(
  service: LineGiftModuleService,
  shopId: string
): Promise<LineGiftShopRecord | null> {
  try {
    return await service.retrieveLineGiftShop(shopId)
  } catch (e) {
    if (e instanceof MedusaError && e.type === MedusaError.Types.NOT_FOUND) {
      return null
    }
    throw e
  }
}

/**
 * The event's order belongs to a deleted shop: its export row (the event's mark made one), if
 * not yet sent (`pending`/`held`), is `held` with DELETED_SHOP_EXPORT_REASON; a row already
 * `sent` or `failed` keeps its state and history. Either way the mark is cleared — the sweep
 * never exports a deleted shop's rows — and no run is recorded. Nothing is sent.
 */
async function holdExportOfDeletedShop(
  service: LineGiftModuleService,
  target: ExportTarget
): Promise<void> {
  const [row] = await service.listLineGiftExports(
    {
      shop_id: target.shop_id,
      line_gift_order_id: target.line_gift_order_id,
    },
    { select: ["id", "state"] }
  )
  if (!row) return
  if (row.state !== "pending" && row.state !== "held") {
    await service.updateLineGiftExports({ id: row.id, due_at: null })
    return
  }
  await service.updateLineGiftExports({
    id: row.id,
    state: "held",
    last_error: DELETED_SHOP_EXPORT_REASON,
    reasons: deletedShopExportReasons(),
    due_at: null,
    next_attempt_at: null,
  })
}

/** Records an event's export in the sync history (not when auto export is off: nothing ran against LINE Gift). */
async function recordEventRun(
  container: MedusaContainer,
  target: ExportTarget,
  startedAt: Date,
  send: boolean,
  result: ExportLineGiftShipmentOutput
): Promise<void> {
  const counts = emptyCounts("event")
  const bucket = countExportResult(counts, result)
  if (!bucket || !send) return
  await recordExportRun(container, {
    shop_id: target.shop_id,
    trigger: "automatic",
    started_at: startedAt,
    counts,
    errors: runErrorsOfOne(bucket, result, target.line_gift_order_id),
  })
}
