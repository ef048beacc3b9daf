/**
 * Crash recovery of imports. An import claims a LINE Gift order (record state `importing`)
 * before it creates the Medusa order, and marks the record `imported` at its end. When the
 * importing process dies in between (kill -9, out of memory, a deploy), the in-memory
 * workflow engine keeps no trace of it: the record stays `importing` — which every later run
 * treats as "someone else is importing it" — and a Medusa order may already exist.
 *
 * Recovery, per record whose claim is older than the lease (importLeaseMs):
 * 1. take the claim over atomically (one recoverer wins);
 * 2. look for the Medusa order the dead import may have created: an order created since the
 *    claim whose `metadata.line_gift` carries this shop and LINE Gift order id;
 * 3. found → finishInterruptedLineGiftImportWorkflow completes only what is missing
 *    (link, payment, reservations, record `imported`), read from what exists: no second
 *    order, no second captured payment (see paymentRepair), no second reservation;
 *    not found → the record becomes `failed` (INTERRUPTED_IMPORT_REASON), and the next import
 *    run retries it like any failed order.
 *
 * Runs under the shop's import lock (no live import of the shop in this process or, with a
 * shared locking provider, in the cluster), from the recovery job and before an import. It
 * needs nothing of the shop's settings (a finished order keeps its own sales channel), so the
 * job recovers soft-deleted shops too: a record a deleted shop left `importing` would hold its
 * LINE Gift order for every shop of the same app (HELD_BY_SAME_APP) and never be imported.
 */
import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import lineGiftOrderOrderLink from "../../links/line-gift-order-order"
import { LINE_GIFT_MODULE } from "../../modules/line-gift"
import type LineGiftModuleService from "../../modules/line-gift/service"
import {
  PAYMENT_COLLECTION_ORDER_KEY,
  type PaymentCollectionImportMark,
} from "../import-bulk/steps/capture-payments"
import {
  finishInterruptedLineGiftImportWorkflow,
  type FinishInterruptedImportInput,
  type PaymentRepair,
} from "./finish-interrupted-import"
import { CLOCK_MARGIN_MS } from "./import-leftovers"
import type { RecoveryPaymentModule } from "./payment-module"
import { safeErrorMessage } from "../../lib/safe-error"

/** Environment variable: seconds a live import may hold a claim before it counts as dead. */
export const IMPORT_LEASE_ENV = "LINE_GIFT_IMPORT_LEASE_SECONDS"
/** Default lease: 10 minutes (one order imports in well under a second; a page in seconds). */
export const DEFAULT_IMPORT_LEASE_SEC = 600

/** Failure reason of a record whose import died before its Medusa order was created. */
export const INTERRUPTED_IMPORT_REASON =
  "import interrupted (the importing process stopped before the order was created); retried by the next import"

/** The import lease in milliseconds (env LINE_GIFT_IMPORT_LEASE_SECONDS, default 600 s). */
export function importLeaseMs(): number {
  const raw = Number(process.env[IMPORT_LEASE_ENV])
  return (
    (Number.isFinite(raw) && raw >= 0 ? raw : DEFAULT_IMPORT_LEASE_SEC) * 1000
  )
}

/** The Medusa order an interrupted import created, with its metadata. */
export type InterruptedOrder = { id: string; metadata: Record<string, unknown> }

/** A record with its linked order, as findOrderOfInterruptedImport reads it (query.graph). */
type RecordWithOrder = {
  id: string
  created_at?: Date | string | null
  order?: { id: string; metadata: Record<string, unknown> | null } | null
}

/** The order's state, as whatIsMissing reads it (query.graph). */
type OrderState = {
  id: string
  created_at?: Date | string | null
  currency_code?: string | null
  sales_channel_id?: string | null
  items?: Array<{
    id: string
    variant?: { manage_inventory?: boolean | null } | null
  } | null> | null
  payment_collections?: Array<{ id: string } | null> | null
  line_gift_order?: { id: string } | null
}

/**
 * The order module's listOrders as recovery calls it: a `created_at` filter on a Date (the
 * public filter type says string; the module compares dates), all rows (`take: null`).
 */
type OrdersByCreation = {
  listOrders(
    filters: { created_at: { $gte: Date } },
    config: {
      select: string[]
      order: { created_at: "ASC" }
      take: null
    }
  ): Promise<Array<{ id: string; metadata: Record<string, unknown> | null }>>
}

/** The order module's list by id as orphan deletion reads it (soft-deleted orders too). */
type OrdersById = {
  listOrders(
    filters: { id: string[] },
    config: { select: string[]; withDeleted: boolean }
  ): Promise<Array<{ id: string }>>
}

/** What the import wrote in an order's `metadata.line_gift` (the parts recovery reads). */
type LineGiftOrderMetadata = {
  order_id?: string
  shop_id?: string
  flags?: unknown
  selling_price?: unknown
  provisional?: unknown
}

/** An order's `metadata.line_gift`, or an empty object. */
function lineGiftMetadata(
  metadata: Record<string, unknown> | null | undefined
): LineGiftOrderMetadata {
  return (metadata?.line_gift ?? {}) as LineGiftOrderMetadata
}

/** The bulk import's mark on a payment collection it wrote (PAYMENT_COLLECTION_ORDER_KEY). */
function importMarkOf(
  metadata: Record<string, unknown> | null | undefined
): PaymentCollectionImportMark | undefined {
  return metadata?.[PAYMENT_COLLECTION_ORDER_KEY] as
    PaymentCollectionImportMark | undefined
}

/** What recovery did, by LINE Gift order id. */
export type RecoveryResult = {
  /** Interrupted after the order was created: finished on that order. */
  finished: Array<{ line_gift_order_id: string; order_id: string }>
  /** Interrupted before: record `failed`, retried by the next import. */
  released: string[]
  /** Could not be finished (reason); the record stays `importing` for the next recovery. */
  errors: Array<{ line_gift_order_id: string; reason: string }>
}

/**
 * Recovers the interrupted imports of one shop (see file comment). The caller holds the
 * shop's import lock.
 * @param options.leaseMs claims older than this are taken over (default importLeaseMs())
 * @param options.recordIds only these records (e.g. those an import page's rollback kept
 *   `importing`, see releaseClaimedRecords: taken over at once, whatever the lease)
 */
export async function recoverInterruptedLineGiftImports(
  container: MedusaContainer,
  shopId: string,
  options: { leaseMs?: number; recordIds?: string[] } = {}
): Promise<RecoveryResult> {
  const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
  const leaseMs = options.leaseMs ?? importLeaseMs()
  const result: RecoveryResult = { finished: [], released: [], errors: [] }
  if (options.recordIds && !options.recordIds.length) return result
  const stale = await service.listInterruptedImports(
    shopId,
    leaseMs,
    new Date(),
    options.recordIds
  )
  if (!stale.length) {
    return result
  }
  for (const record of stale) {
    const claimedAt = await service.takeOverInterruptedImport(
      record.id,
      leaseMs
    )
    if (!claimedAt) {
      continue
    }
    try {
      const order = await findOrderOfInterruptedImport(
        container,
        shopId,
        record,
        claimedAt
      )
      if (!order) {
        // The bulk import writes the payments before the orders: a crash in between leaves
        // captured collections for an order that never was. Gone before the record is retried.
        await deleteOrphanImportPayments(container, record.id, claimedAt)
        await dismissDeadRecordLinks(container, record.id)
        await service.updateLineGiftOrders({
          id: record.id,
          state: "failed",
          failure_reason: INTERRUPTED_IMPORT_REASON,
        })
        result.released.push(record.line_gift_order_id)
        continue
      }
      await finishInterruptedLineGiftImportWorkflow(container).run({
        input: await whatIsMissing(container, record.id, order),
      })
      result.finished.push({
        line_gift_order_id: record.line_gift_order_id,
        order_id: order.id,
      })
    } catch (e) {
      result.errors.push({
        line_gift_order_id: record.line_gift_order_id,
        reason: safeErrorMessage(e),
      })
    }
  }
  const logger = container.resolve<Logger | undefined>(
    ContainerRegistrationKeys.LOGGER,
    { allowUnregistered: true }
  )
  logger?.info?.(
    `LINE Gift shop ${shopId}: recovered ${stale.length} interrupted import(s): ` +
      `${result.finished.length} finished on their existing order, ${result.released.length} to retry, ` +
      `${result.errors.length} left for the next recovery`
  )
  return result
}

/**
 * Deletes the payment rows an interrupted or half rolled-back import (bulk or per order) wrote
 * for a record whose order does not exist: collections marked with the record (metadata PAYMENT_COLLECTION_ORDER_KEY, created
 * since the record was first written or claimed, minus the clock margin — not since the last
 * claim: a recovery that failed renewed it long after), naming an order that does not exist
 * (deleted ones included) and linked to no order that exists, with their captures, payments
 * and sessions. Nothing pays with them: the order they name was never made (or was deleted).
 * @returns the number of collections deleted
 */
export async function deleteOrphanImportPayments(
  container: MedusaContainer,
  recordId: string,
  claimedAt: Date
): Promise<number> {
  const marked = await collectionsNamingMissingOrders(
    container,
    recordId,
    claimedAt
  )
  if (!marked.length) return 0
  const orphans = await unlinkFromMissingOrders(container, marked)
  if (!orphans.length) return 0
  await deletePaymentRows(container, orphans)
  return orphans.length
}

/**
 * Stage of deleteOrphanImportPayments: the collections marked with the record, created since
 * it was first written or claimed (minus the clock margin), whose named order does not exist.
 */
async function collectionsNamingMissingOrders(
  container: MedusaContainer,
  recordId: string,
  claimedAt: Date
): Promise<string[]> {
  const payment = container.resolve<RecoveryPaymentModule>(Modules.PAYMENT)
  const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
  const [record] = await service.listLineGiftOrders(
    { id: recordId },
    { select: ["id", "created_at"], withDeleted: true }
  )
  const firstWritten = record?.created_at
    ? new Date(record.created_at).getTime()
    : claimedAt.getTime()
  const recent = await payment.listPaymentCollections(
    {
      created_at: {
        $gte: new Date(
          Math.min(claimedAt.getTime(), firstWritten) - CLOCK_MARGIN_MS
        ),
      },
    },
    { select: ["id", "metadata"], take: null }
  )
  const marks = recent.flatMap((pc) => {
    const mark = importMarkOf(pc.metadata)
    return mark?.record_id === recordId
      ? [{ id: pc.id, order_id: mark.order_id ?? null }]
      : []
  })
  if (!marks.length) return []
  const named = marks.map((m) => m.order_id).filter((id): id is string => !!id)
  const existing = named.length
    ? await container
        .resolve<OrdersById>(Modules.ORDER)
        .listOrders({ id: named }, { select: ["id"], withDeleted: true })
    : []
  const exists = new Set(existing.map((o) => o.id))
  return marks
    .filter((m) => !m.order_id || !exists.has(m.order_id))
    .map((m) => m.id)
}

/**
 * Stage of deleteOrphanImportPayments: of these collections, those linked to no existing
 * order. A link to an order that no longer exists (its deletion went through, the link's
 * removal did not) links the collection to nothing: it is removed here.
 */
async function unlinkFromMissingOrders(
  container: MedusaContainer,
  collectionIds: string[]
): Promise<string[]> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order_payment_collection",
    fields: ["payment_collection_id", "order_id"],
    filters: { payment_collection_id: collectionIds },
  })
  const links = data as Array<{
    payment_collection_id: string
    order_id: string
  }>
  const live = await existingOrderIds(
    container,
    links.map((l) => l.order_id)
  )
  const linked = new Set(
    links
      .filter((l) => live.has(l.order_id))
      .map((l) => l.payment_collection_id)
  )
  const orphans = collectionIds.filter((id) => !linked.has(id))
  const dead = links.filter((l) => orphans.includes(l.payment_collection_id))
  if (dead.length) {
    await container.resolve(ContainerRegistrationKeys.LINK).dismiss(
      dead.map((l) => ({
        [Modules.ORDER]: { order_id: l.order_id },
        [Modules.PAYMENT]: { payment_collection_id: l.payment_collection_id },
      }))
    )
  }
  return orphans
}

/** Stage of deleteOrphanImportPayments: captures, payments, sessions, then the collections. */
async function deletePaymentRows(
  container: MedusaContainer,
  collectionIds: string[]
): Promise<void> {
  const payment = container.resolve<RecoveryPaymentModule>(Modules.PAYMENT)
  const payments = await payment.listPayments(
    { payment_collection_id: collectionIds },
    { relations: ["captures"] }
  )
  const captures = payments.flatMap((p) => (p.captures ?? []).map((c) => c.id))
  if (captures.length) await payment.deleteCaptures(captures)
  if (payments.length) await payment.deletePayments(payments.map((p) => p.id))
  const sessions = await payment.listPaymentSessions(
    { payment_collection_id: collectionIds },
    { select: ["id"] }
  )
  if (sessions.length)
    await payment.deletePaymentSessions(sessions.map((s) => s.id))
  await payment.deletePaymentCollections(collectionIds)
}

/** The ids among `ids` of orders that exist (not deleted). */
async function existingOrderIds(
  container: MedusaContainer,
  ids: string[]
): Promise<Set<string>> {
  if (!ids.length) return new Set()
  const orders = await container
    .resolve<OrdersById>(Modules.ORDER)
    .listOrders({ id: ids }, { select: ["id"], withDeleted: false })
  return new Set(orders.map((o) => o.id))
}

/**
 * Removes the record's links to orders that no longer exist (an import whose order deletion
 * went through and whose link removal did not): left in place, such a link refuses the link
 * of every later import of the record ("Cannot create multiple links").
 * @returns the number of links removed
 */
export async function dismissDeadRecordLinks(
  container: MedusaContainer,
  recordId: string
): Promise<number> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: lineGiftOrderOrderLink.entryPoint,
    fields: ["line_gift_order_id", "order_id"],
    filters: { line_gift_order_id: recordId },
  })
  const links = data as Array<{ order_id: string }>
  const live = await existingOrderIds(
    container,
    links.map((l) => l.order_id)
  )
  const dead = links.filter((l) => !live.has(l.order_id))
  if (!dead.length) return 0
  await container.resolve(ContainerRegistrationKeys.LINK).dismiss(
    dead.map((l) => ({
      [LINE_GIFT_MODULE]: { line_gift_order_id: recordId },
      [Modules.ORDER]: { order_id: l.order_id },
    }))
  )
  return dead.length
}

/**
 * The Medusa order an interrupted import created, if any: the one linked to the record (an
 * import or a recovery that died after linking), else the oldest non-deleted order created
 * since the record was first written or claimed (minus a clock margin — not since the last
 * claim: a recovery that died renewed the claim long after the order was made) whose
 * metadata.line_gift names this shop and order.
 */
export async function findOrderOfInterruptedImport(
  container: MedusaContainer,
  shopId: string,
  record: { id: string; line_gift_order_id: string },
  claimedAt: Date
): Promise<InterruptedOrder | null> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: records } = await query.graph({
    entity: "line_gift_order",
    fields: ["id", "created_at", "order.id", "order.metadata"],
    filters: { id: record.id },
  })
  const row = (records as RecordWithOrder[])[0]
  const linked = row?.order
  if (linked?.id) {
    return { id: linked.id, metadata: linked.metadata ?? {} }
  }
  const createdAt = row?.created_at ? new Date(row.created_at) : claimedAt
  const orderModule = container.resolve<OrdersByCreation>(Modules.ORDER)
  const since = new Date(
    Math.min(claimedAt.getTime(), createdAt.getTime()) - CLOCK_MARGIN_MS
  )
  const orders = await orderModule.listOrders(
    { created_at: { $gte: since } },
    {
      select: ["id", "metadata", "created_at"],
      order: { created_at: "ASC" },
      take: null,
    }
  )
  const match = orders.find((o) => {
    const lineGift = lineGiftMetadata(o.metadata)
    return (
      lineGift.order_id === record.line_gift_order_id &&
      lineGift.shop_id === shopId
    )
  })
  // A match has metadata (it names the order): `?? {}` only narrows the type.
  return match ? { id: match.id, metadata: match.metadata ?? {} } : null
}

/**
 * Reads the order and says which parts of the import are missing. Stock is reserved at the
 * locations of the ORDER's sales channel — where the import put it —, not the shop's: the
 * shop's channel may have changed since (or the shop been deleted).
 */
async function whatIsMissing(
  container: MedusaContainer,
  recordId: string,
  order: InterruptedOrder
): Promise<FinishInterruptedImportInput> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order",
    fields: [
      "id",
      "created_at",
      "currency_code",
      "sales_channel_id",
      "items.id",
      "items.variant.manage_inventory",
      "payment_collections.id",
      "line_gift_order.id",
    ],
    filters: { id: order.id },
  })
  const o = (data as OrderState[])[0]
  const managedItems: string[] = (o?.items ?? [])
    .filter((i) => i?.variant?.manage_inventory)
    .map((i) => i!.id)
  let unreserved = managedItems.length
  if (managedItems.length) {
    const inventory = container.resolve(Modules.INVENTORY)
    const reservations = await inventory.listReservationItems(
      { line_item_id: managedItems },
      { select: ["line_item_id"] }
    )
    unreserved = managedItems.filter(
      (id) => !reservations.some((r) => r.line_item_id === id)
    ).length
  }
  const lineGift = lineGiftMetadata(order.metadata)
  const flags: string[] = Array.isArray(lineGift.flags) ? lineGift.flags : []
  const amount = Number(lineGift.selling_price)
  return {
    record_id: recordId,
    order_id: order.id,
    sales_channel_id: o?.sales_channel_id ?? null,
    amount,
    link: !o?.line_gift_order?.id,
    payment: await paymentRepair(container, {
      order_id: order.id,
      created_at: new Date(o?.created_at ?? Date.now()),
      currency_code: o?.currency_code ?? "jpy",
      amount,
      linked: (o?.payment_collections ?? [])
        .filter((pc) => !!pc)
        .map((pc) => pc!.id),
    }),
    // An order imported `out_of_stock` was written without a reservation on purpose.
    reserve: unreserved > 0 && !flags.includes("out_of_stock"),
    flags,
    provisional: !!lineGift.provisional,
  }
}

/**
 * The order's collections: the linked ones, plus the ones the bulk import marked with its id
 * (PAYMENT_COLLECTION_ORDER_KEY) since the order was created, minus the clock margin.
 */
async function collectionsOfOrder(
  payment: RecoveryPaymentModule,
  order: { order_id: string; created_at: Date; linked: string[] }
): Promise<string[]> {
  const recent = await payment.listPaymentCollections(
    {
      created_at: {
        $gte: new Date(order.created_at.getTime() - CLOCK_MARGIN_MS),
      },
    },
    { select: ["id", "metadata", "status"], take: null }
  )
  const ours = recent.filter(
    (pc) => importMarkOf(pc.metadata)?.order_id === order.order_id
  )
  return [...new Set([...order.linked, ...ours.map((pc) => pc.id)])]
}

/**
 * The payment collection whose capture the order's `capture` transaction names, if the order
 * has one (the bulk import writes it with the order).
 * @returns the collection id, or null when the order has no `capture` transaction
 * @throws Error when it has one whose capture does not exist: the order already counts as paid,
 *   so recovery must not pay it again (a person checks it; the record stays `importing`)
 */
async function paidByCaptureTransaction(
  container: MedusaContainer,
  order: { order_id: string }
): Promise<string | null> {
  const transactions = await container
    .resolve<OrderTransactionsView>(Modules.ORDER)
    .listOrderTransactions(
      { order_id: order.order_id, reference: "capture" },
      { select: ["id", "reference_id"] }
    )
  const captureIds = transactions
    .map((t) => t.reference_id)
    .filter((id): id is string => !!id)
  if (!captureIds.length) return null
  const captures = await container
    .resolve<RecoveryPaymentModule>(Modules.PAYMENT)
    .listCaptures({ id: captureIds }, { relations: ["payment"] })
  const collectionId = captures.find((c) => c.payment?.payment_collection_id)
    ?.payment?.payment_collection_id
  if (!collectionId) {
    throw new Error(
      `order ${order.order_id} has a capture transaction without its capture: not paid again; check its payment by hand`
    )
  }
  return collectionId
}

/** The order module's transaction list as recovery reads it. */
type OrderTransactionsView = {
  listOrderTransactions(
    filters: { order_id: string; reference: string },
    config: { select: string[] }
  ): Promise<Array<{ id: string; reference_id?: string | null }>>
}

/**
 * Decides how the order becomes paid exactly once, from what exists — never a second
 * captured collection. Collections of the order: the linked ones, plus the ones the bulk
 * import wrote for it (metadata PAYMENT_COLLECTION_ORDER_KEY, created since the order) that a
 * crash left unlinked. Then, first that applies:
 * 0. the order has a `capture` transaction (the bulk import writes it with the order, after
 *    the payment rows) → only the link to that capture's collection, if missing;
 * 1. a payment with a capture → link its collection if needed, and make sure the order has the
 *    capture's transaction (the paid total);
 * 2. an authorised payment not captured, in a collection Medusa's own workflows wrote → capture it;
 * 3. a collection without capture → link it if needed; when the import wrote it (final state
 *    first) or its payment never got captured, reset it to `not_paid`; mark it paid;
 * 4. none → create one and mark it paid.
 * A ¥0 order gets none of these (the imports give it no payment).
 */
async function paymentRepair(
  container: MedusaContainer,
  order: {
    order_id: string
    created_at: Date
    currency_code: string
    amount: number
    linked: string[]
  }
): Promise<PaymentRepair> {
  const payment = container.resolve<RecoveryPaymentModule>(Modules.PAYMENT)
  const repair: PaymentRepair = {
    link_collection_id: null,
    reset_collection_id: null,
    create_collection: false,
    mark_paid_collection_id: null,
    capture_payment_id: null,
    transaction: null,
  }
  // A ¥0 order is imported without payment (isPricedLineGiftOrder): nothing to repair.
  if (order.amount === 0) return repair
  const paidBy = await paidByCaptureTransaction(container, order)
  if (paidBy) {
    // The bulk import writes the order with its `capture` transaction (the payment rows were
    // committed before it): only the link can be missing — whatever the clocks say.
    if (!order.linked.includes(paidBy)) repair.link_collection_id = paidBy
    return repair
  }
  const ids = await collectionsOfOrder(payment, order)
  if (!ids.length) {
    repair.create_collection = true
    return repair
  }
  const collections = await payment.listPaymentCollections(
    { id: ids },
    { select: ["id", "metadata", "status"] }
  )
  const payments = await payment.listPayments(
    { payment_collection_id: ids },
    { relations: ["captures"] }
  )
  const linkIfNeeded = (id: string) => {
    if (!order.linked.includes(id)) repair.link_collection_id = id
  }
  const captured = payments.find((p) => (p.captures ?? []).length)
  if (captured) {
    linkIfNeeded(captured.payment_collection_id)
    repair.transaction = {
      capture_id: captured.captures![0].id,
      amount: order.amount,
      currency_code: captured.currency_code ?? order.currency_code,
    }
    return repair
  }
  const writtenByImport = (id: string) =>
    !!collections.find((pc) => pc.id === id)?.metadata?.[
      PAYMENT_COLLECTION_ORDER_KEY
    ]
  const authorised = payments.find(
    (p) => !writtenByImport(p.payment_collection_id) && !p.canceled_at
  )
  if (authorised) {
    linkIfNeeded(authorised.payment_collection_id)
    repair.capture_payment_id = authorised.id
    return repair
  }
  // Prefer a linked collection; else the import's own.
  const chosen =
    collections.find((pc) => order.linked.includes(pc.id)) ?? collections[0]
  linkIfNeeded(chosen.id)
  if (writtenByImport(chosen.id) || chosen.status !== "not_paid") {
    repair.reset_collection_id = chosen.id
  }
  repair.mark_paid_collection_id = chosen.id
  return repair
}
