/**
 * Stage "update known" of an import run: an order imported earlier follows what LINE Gift now
 * says of it — a cancellation, or the address of a provisional order.
 */
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { LineGiftOrder } from "../../../lib/line-gift/schemas"
import {
  hasCompleteAddress,
  hasShippableAddress,
  mapLineGiftOrder,
} from "../../../lib/mapping"
import {
  cancelLineGiftOrderWorkflow,
  completeProvisionalLineGiftOrderWorkflow,
} from "../workflows/line-gift-order-changes"
import { jsonColumn } from "../../../modules/line-gift/json-column"
import { PROVISIONAL_STATUSES } from "./classify"
import {
  errorMessage,
  type ImportRun,
  type OrderRecord,
  type PageOrder,
} from "./context"

/** Reason shown to a person when LINE Gift cancelled a gift the shop already fulfilled. */
export const CANCELLED_AFTER_FULFILMENT =
  "cancelled on LINE Gift after fulfilment: the Medusa order was not cancelled; check the shipment and cancel or return it by hand"

/**
 * Reason shown to a person when LINE Gift reports an imported gift shipped (`received`) while
 * its Medusa order has no fulfilment: it was shipped outside Medusa (LINE Gift's own admin,
 * another tool). Fulfilling it in Medusa now would ship it a second time.
 */
export const SHIPPED_OUTSIDE_MEDUSA =
  "shipped on LINE Gift (received) while the Medusa order has no fulfilment: do not ship it again; record the shipment in Medusa or cancel the order by hand"

/**
 * The run's note (an attention note, not a failure: code `partial_address_arrived`) when part of
 * a provisional order's address arrived and was filled in.
 */
export const PARTIAL_ADDRESS_ARRIVED =
  "part of the recipient's address arrived (postcode, prefecture, city or street still empty): filled in and flagged partial_address; the rest is filled in when LINE Gift has it"

/** Flags that end when the recipient's whole address arrives (ProvisionalFlag). */
const COMPLETED_FLAGS: ReadonlySet<string> = new Set([
  "provisional",
  "no_address",
  "partial_address",
])

/** The Medusa order linked to a record, as this stage reads it (query.graph). */
type LinkedOrder = {
  id: string
  status: string
  metadata: Record<string, unknown> | null
  fulfillments: Array<{ id: string; canceled_at: Date | string | null } | null>
}

/** What an imported order's LINE Gift status asks for, if anything. */
type Change = {
  cancelled: boolean
  /** The whole address, or (partOnly) the first parts of it while still incomplete. */
  addressArrived: boolean
  partOnly: boolean
  /** Now `received` (shipped): checked against the order's fulfilments. */
  shipped: boolean
}

/**
 * Follows an imported order's status on LINE Gift:
 * - `cancel`: nothing fulfilled → cancelLineGiftOrderWorkflow (order cancelled, stock
 *   released); otherwise `attention_reason` is set and the run's errors say so;
 * - a provisional order (imported waiting for its recipient, or without its whole address:
 *   flag `provisional`, `no_address`, `partial_address`) once LINE Gift has the whole address
 *   (hasCompleteAddress) and no longer waits for the recipient → the address is filled in
 *   (completeProvisionalLineGiftOrderWorkflow). When only part of it arrived (no longer
 *   waiting, but a part still empty), the parts are filled in once and the flag becomes
 *   `partial_address` (the record stays provisional). Until then its flag stays on the order;
 * - now `received` (shipped) while the Medusa order has no fulfilment that is not cancelled:
 *   shipped outside Medusa → `attention_reason` SHIPPED_OUTSIDE_MEDUSA and a run error, so
 *   that nobody ships it again (the order itself is left as it is).
 * Each change is handled once: the record keeps the last status it acted on. A failure is
 * stored on the run's errors (not a failed order).
 * @returns false when the change failed (the record keeps its old status: the next run
 *   retries it), else true.
 */
export async function updateKnownOrder(
  run: ImportRun,
  { order, raw }: PageOrder,
  record: OrderRecord
): Promise<boolean> {
  const addressDue =
    record.provisional &&
    !PROVISIONAL_STATUSES.has(order.status) &&
    order.status !== "cancel"
  const whole = hasCompleteAddress(order)
  const change: Change = {
    cancelled:
      order.status === "cancel" && record.line_gift_status !== "cancel",
    // Part of it, once: the order gets those parts and the flag partial_address.
    addressArrived:
      addressDue &&
      (whole ||
        (hasShippableAddress(order) &&
          !(record.flags ?? []).includes("partial_address"))),
    partOnly: !whole,
    shipped:
      order.status === "received" && record.line_gift_status !== "received",
  }
  if (!change.cancelled && !change.addressArrived && !change.shipped) {
    return true
  }
  try {
    const linked = await linkedOrder(run, record.id)
    if (change.cancelled) {
      await followCancellation(run, { order, raw }, record, linked)
      return true
    }
    if (change.addressArrived) {
      await completeAddress(
        run,
        { order, raw },
        record,
        linked,
        change.partOnly
      )
    }
    if (change.shipped) await checkShippedInMedusa(run, order, record, linked)
    return true
  } catch (e) {
    run.summary.note(
      order.id,
      `${change.cancelled ? "cancellation" : change.addressArrived ? "address update" : "shipment check"} failed: ${errorMessage(e)}`
    )
    return false
  }
}

/**
 * LINE Gift says the gift was shipped (`received`): when its Medusa order (not cancelled) has
 * no fulfilment that is not cancelled, it was shipped outside Medusa — the record gets
 * `attention_reason` SHIPPED_OUTSIDE_MEDUSA (shown on the order) and the run an error.
 */
async function checkShippedInMedusa(
  run: ImportRun,
  order: LineGiftOrder,
  record: OrderRecord,
  linked: LinkedOrder | undefined
): Promise<void> {
  if (!linked || linked.status === "canceled") return
  if ((linked.fulfillments ?? []).some((f) => f && !f.canceled_at)) return
  await run.service.updateLineGiftOrders({
    id: record.id,
    attention_reason: SHIPPED_OUTSIDE_MEDUSA,
    last_run_id: run.record.id,
  })
  run.summary.note(order.id, SHIPPED_OUTSIDE_MEDUSA)
}

/** The Medusa order linked to the record, with its fulfilments; undefined when none. */
async function linkedOrder(
  run: ImportRun,
  recordId: string
): Promise<LinkedOrder | undefined> {
  const query = run.container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "line_gift_order",
    fields: [
      "id",
      "order.id",
      "order.status",
      "order.metadata",
      "order.fulfillments.id",
      "order.fulfillments.canceled_at",
    ],
    filters: { id: recordId },
  })
  const rows = data as Array<{ order?: LinkedOrder | null } | undefined>
  return rows[0]?.order ?? undefined
}

/**
 * LINE Gift cancelled an imported gift: no order or already cancelled → the record only;
 * something fulfilled → `attention_reason` and a run error; else the order is cancelled.
 */
async function followCancellation(
  run: ImportRun,
  { order, raw }: PageOrder,
  record: OrderRecord,
  linked: LinkedOrder | undefined
): Promise<void> {
  const fulfilled = (linked?.fulfillments ?? []).some(
    (f) => f && !f.canceled_at
  )
  if (!linked || linked.status === "canceled") {
    await run.service.updateLineGiftOrders({
      id: record.id,
      line_gift_status: "cancel",
      raw: jsonColumn(raw),
      provisional: false,
    })
  } else if (fulfilled) {
    await run.service.updateLineGiftOrders({
      id: record.id,
      line_gift_status: "cancel",
      raw: jsonColumn(raw),
      attention_reason: CANCELLED_AFTER_FULFILMENT,
      last_run_id: run.record.id,
    })
    run.summary.note(order.id, CANCELLED_AFTER_FULFILMENT)
  } else {
    await cancelLineGiftOrderWorkflow(run.container).run({
      input: {
        order_id: linked.id,
        record_id: record.id,
        raw,
        run_id: run.record.id,
      },
    })
    run.summary.counts.cancelled++
  }
}

/**
 * The recipient of a provisional order entered the address: it is filled in, with the order's
 * LINE Gift metadata (status, sender, flags without COMPLETED_FLAGS). With `partOnly` (an
 * address lacking a part, hasCompleteAddress) the parts that arrived are filled in and the
 * flag becomes `partial_address`; the record stays provisional until the whole address
 * arrives. Nothing to do when the order is gone or cancelled.
 */
async function completeAddress(
  run: ImportRun,
  { order, raw }: PageOrder,
  record: OrderRecord,
  linked: LinkedOrder | undefined,
  partOnly: boolean
): Promise<void> {
  if (!linked || linked.status === "canceled") {
    return
  }
  const mapped = mapLineGiftOrder(order, {
    shopId: "",
    regionId: "",
    salesChannelId: null,
    currencyCode: "jpy",
    email: "",
    variantsBySku: new Map(),
  })
  const stillFlagged: string[] = partOnly ? ["partial_address"] : []
  await completeProvisionalLineGiftOrderWorkflow(run.container).run({
    input: {
      order_id: linked.id,
      record_id: record.id,
      shipping_address: mapped.input.shipping_address!,
      metadata: completedMetadata(order, linked.metadata, stillFlagged),
      flags: [
        ...(record.flags ?? []).filter((f) => !COMPLETED_FLAGS.has(f)),
        ...stillFlagged,
      ],
      line_gift_status: order.status,
      raw,
      run_id: run.record.id,
      still_provisional: partOnly,
    },
  })
  if (!partOnly) run.summary.counts.completed++
  else run.summary.note(order.id, PARTIAL_ADDRESS_ARRIVED)
}

/**
 * The order's metadata with `line_gift` brought up to date once the address arrived;
 * `stillFlagged`: the flags that stay (partial_address while part of it is missing).
 */
function completedMetadata(
  order: LineGiftOrder,
  current: Record<string, unknown> | null,
  stillFlagged: string[]
): Record<string, unknown> {
  const metadata = { ...(current ?? {}) }
  const lineGift = (metadata.line_gift ?? {}) as {
    sender_name?: string | null
    flags?: string[]
  }
  metadata.line_gift = {
    ...lineGift,
    status: order.status,
    sender_name: order.address?.from_name ?? lineGift.sender_name ?? null,
    provisional: stillFlagged.length > 0,
    flags: [
      ...(lineGift.flags ?? []).filter((f) => !COMPLETED_FLAGS.has(f)),
      ...stillFlagged,
    ],
  }
  return metadata
}
