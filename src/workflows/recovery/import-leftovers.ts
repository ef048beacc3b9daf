/**
 * What an import left behind after its rollback. A record may go back from `importing` to
 * `failed` (and so be claimed, and imported, again) only when its import left nothing: a
 * compensation that failed (the order module or the database refusing a delete) can leave the
 * order or its captured payment collection in place, and a second import of the record would
 * then make a second order or a second captured payment. Such a record stays `importing`:
 * crash recovery (recover-interrupted-imports.ts) finishes the import on the order that exists,
 * or deletes the orphan payments before it releases the record.
 */
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import lineGiftOrderOrderLink from "../../links/line-gift-order-order"
import { LINE_GIFT_MODULE } from "../../modules/line-gift"
import type LineGiftModuleService from "../../modules/line-gift/service"
import { KEPT_IMPORTING_REASON } from "../../modules/line-gift/service"
import {
  PAYMENT_COLLECTION_ORDER_KEY,
  type PaymentCollectionImportMark,
} from "../import-bulk/steps/capture-payments"

/** Margin before a claim time when looking for what the import wrote (clocks of processes). */
export const CLOCK_MARGIN_MS = 60_000

/** A claimed record, as a claim step's compensation knows it. */
export type ClaimedRecord = { id: string; line_gift_order_id: string }

/** Rows with metadata, as the order and payment modules list them by creation time. */
type Listed = Array<{ id: string; metadata?: Record<string, unknown> | null }>
type ByCreation = {
  filters: { created_at: { $gte: Date } }
  config: { select: string[]; take: null }
}
/** The order module's listOrders with a Date `created_at` filter (the module compares dates). */
type OrdersByCreation = {
  listOrders(f: ByCreation["filters"], c: ByCreation["config"]): Promise<Listed>
}
/** The payment module's listPaymentCollections, the same way. */
type CollectionsByCreation = {
  listPaymentCollections(
    f: ByCreation["filters"],
    c: ByCreation["config"]
  ): Promise<Listed>
}

/**
 * The records (of one shop) whose import left something in Medusa since `since`: a link from
 * the record to an order (read from the link table: a link to an order that was deleted counts,
 * it would refuse the next import's link), an order (not deleted) whose `metadata.line_gift`
 * names the shop and the LINE Gift order, or a payment collection (not deleted) an import
 * marked with the record (metadata PAYMENT_COLLECTION_ORDER_KEY: bulk, per-order and recovery
 * mark theirs). Three reads, whatever the number of records; orders and collections are read
 * from `since` minus CLOCK_MARGIN_MS.
 * @param since when the records were claimed (the earliest claim of the set)
 * @returns the ids of the records with leftovers
 * @throws whatever the modules throw (the caller must then keep the records as they are)
 */
export async function recordsWithImportLeftovers(
  container: MedusaContainer,
  shopId: string,
  records: ClaimedRecord[],
  since: Date
): Promise<Set<string>> {
  const left = new Set<string>()
  if (!records.length) return left
  const from = new Date(since.getTime() - CLOCK_MARGIN_MS)
  const recordIds = new Set(records.map((r) => r.id))
  const recordOfLineGiftId = new Map(
    records.map((r) => [r.line_gift_order_id, r.id])
  )

  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: links } = await query.graph({
    entity: lineGiftOrderOrderLink.entryPoint,
    fields: ["line_gift_order_id", "order_id"],
    filters: { line_gift_order_id: [...recordIds] },
  })
  for (const l of links as Array<{ line_gift_order_id: string }>) {
    left.add(l.line_gift_order_id)
  }

  const byCreation: ByCreation = {
    filters: { created_at: { $gte: from } },
    config: { select: ["id", "metadata"], take: null },
  }
  const orders = await container
    .resolve<OrdersByCreation>(Modules.ORDER)
    .listOrders(byCreation.filters, byCreation.config)
  for (const o of orders) {
    const mark = (o.metadata?.line_gift ?? {}) as {
      order_id?: string
      shop_id?: string
    }
    const record = mark.order_id && recordOfLineGiftId.get(mark.order_id)
    if (record && mark.shop_id === shopId) left.add(record)
  }

  const collections = await container
    .resolve<CollectionsByCreation>(Modules.PAYMENT)
    .listPaymentCollections(byCreation.filters, byCreation.config)
  for (const pc of collections) {
    const mark = pc.metadata?.[PAYMENT_COLLECTION_ORDER_KEY] as
      PaymentCollectionImportMark | undefined
    if (mark?.record_id && recordIds.has(mark.record_id))
      left.add(mark.record_id)
  }
  return left
}

/** Failure reason of a record whose import was rolled back cleanly (retried by the next run). */
export const ROLLED_BACK_REASON = "import rolled back"

/**
 * The compensation of a claim (bulk and per-order imports): the claimed records whose import
 * left nothing (recordsWithImportLeftovers) go to `failed` (ROLLED_BACK_REASON) so that the
 * next run retries them; those with leftovers stay `importing` for crash recovery, marked
 * KEPT_IMPORTING_REASON so that it may take them over at once. When the leftovers cannot be
 * read or the mark not written, the records stay `importing` (recovery decides after the lease).
 * @param claimedAt when the claim step ran (Unix milliseconds)
 * @returns the ids of the records kept `importing`
 */
export async function releaseClaimedRecords(
  container: MedusaContainer,
  shopId: string,
  records: ClaimedRecord[],
  claimedAt: number
): Promise<string[]> {
  if (!records.length) return []
  const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
  const kept = await recordsWithImportLeftovers(
    container,
    shopId,
    records,
    new Date(claimedAt)
  )
  const released = records.filter((r) => !kept.has(r.id))
  if (kept.size) {
    // The mark lets recovery take them over at once (the import is over); a claim clears it.
    await service.updateLineGiftOrders(
      [...kept].map((id) => ({ id, failure_reason: KEPT_IMPORTING_REASON }))
    )
  }
  if (released.length) {
    await service.updateLineGiftOrders(
      released.map((r) => ({
        id: r.id,
        state: "failed" as const,
        failure_reason: ROLLED_BACK_REASON,
      }))
    )
  }
  return [...kept]
}
