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
 *    (payment, reservations, link, record `imported`): no second order;
 *    not found → the record becomes `failed` (INTERRUPTED_IMPORT_REASON), and the next import
 *    run retries it like any failed order.
 *
 * Runs under the shop's import lock (no live import of the shop in this process or, with a
 * shared locking provider, in the cluster), from the recovery job and before an import.
 */
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { LINE_GIFT_MODULE } from "../../modules/line-gift"
import type LineGiftModuleService from "../../modules/line-gift/service"
import { finishInterruptedLineGiftImportWorkflow } from "./finish-interrupted-import"

/** Environment variable: seconds a live import may hold a claim before it counts as dead. */
export const IMPORT_LEASE_ENV = "LINE_GIFT_IMPORT_LEASE_SECONDS"
/** Default lease: 10 minutes (one order imports in well under a second; a page in seconds). */
export const DEFAULT_IMPORT_LEASE_SEC = 600
/** Margin before the claim time when looking for the order (clocks of different processes). */
const CLOCK_MARGIN_MS = 60_000

/** Failure reason of a record whose import died before its Medusa order was created. */
export const INTERRUPTED_IMPORT_REASON =
  "import interrupted (the importing process stopped before the order was created); retried by the next import"

/** The import lease in milliseconds (env LINE_GIFT_IMPORT_LEASE_SECONDS, default 600 s). */
export function importLeaseMs(): number {
  const raw = Number(process.env[IMPORT_LEASE_ENV])
  return (Number.isFinite(raw) && raw >= 0 ? raw : DEFAULT_IMPORT_LEASE_SEC) * 1000
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
 */
export async function recoverInterruptedLineGiftImports(
  container: MedusaContainer,
  shopId: string,
  options: { leaseMs?: number } = {}
): Promise<RecoveryResult> {
  const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
  const leaseMs = options.leaseMs ?? importLeaseMs()
  const result: RecoveryResult = { finished: [], released: [], errors: [] }
  const stale = await service.listInterruptedImports(shopId, leaseMs)
  if (!stale.length) {
    return result
  }
  const shop = (await service.retrieveLineGiftShop(shopId)) as any
  for (const record of stale) {
    const claimedAt = await service.takeOverInterruptedImport(record.id, leaseMs)
    if (!claimedAt) {
      continue
    }
    try {
      const order = await findOrderOfInterruptedImport(container, shopId, record.line_gift_order_id, claimedAt)
      if (!order) {
        await service.updateLineGiftOrders({
          id: record.id,
          state: "failed",
          failure_reason: INTERRUPTED_IMPORT_REASON,
        } as any)
        result.released.push(record.line_gift_order_id)
        continue
      }
      await finishInterruptedLineGiftImportWorkflow(container).run({
        input: await whatIsMissing(container, record.id, order, shop),
      })
      result.finished.push({ line_gift_order_id: record.line_gift_order_id, order_id: order.id })
    } catch (e) {
      result.errors.push({
        line_gift_order_id: record.line_gift_order_id,
        reason: e instanceof Error ? e.message : String(e),
      })
    }
  }
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER, { allowUnregistered: true }) as any
  logger?.info?.(
    `LINE Gift shop ${shopId}: recovered ${stale.length} interrupted import(s): ` +
      `${result.finished.length} finished on their existing order, ${result.released.length} to retry, ` +
      `${result.errors.length} left for the next recovery`
  )
  return result
}

/**
 * The Medusa order an interrupted import created, if any: the oldest non-deleted order created
 * since the claim (minus a clock margin) whose metadata.line_gift names this shop and order.
 */
export async function findOrderOfInterruptedImport(
  container: MedusaContainer,
  shopId: string,
  lineGiftOrderId: string,
  claimedAt: Date
): Promise<{ id: string; metadata: Record<string, any> } | null> {
  const orderModule = container.resolve(Modules.ORDER)
  const since = new Date(claimedAt.getTime() - CLOCK_MARGIN_MS)
  const orders = (await orderModule.listOrders(
    { created_at: { $gte: since } } as any,
    { select: ["id", "metadata", "created_at"], order: { created_at: "ASC" }, take: null } as any
  )) as any[]
  const match = orders.find(
    (o) =>
      o.metadata?.line_gift?.order_id === lineGiftOrderId &&
      o.metadata?.line_gift?.shop_id === shopId
  )
  return match ? { id: match.id, metadata: match.metadata } : null
}

/** Reads the order and says which parts of the import are missing. */
async function whatIsMissing(
  container: MedusaContainer,
  recordId: string,
  order: { id: string; metadata: Record<string, any> },
  shop: any
) {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order",
    fields: [
      "id",
      "sales_channel_id",
      "items.id",
      "items.variant.manage_inventory",
      "payment_collections.id",
      "payment_collections.status",
      "line_gift_order.id",
    ],
    filters: { id: order.id },
  })
  const o = data[0] as any
  const collections = (o?.payment_collections ?? []).filter(Boolean)
  const unpaid = collections.find((pc: any) => pc.status !== "completed")
  const itemIds: string[] = (o?.items ?? []).map((i: any) => i.id)
  const managed = (o?.items ?? []).some((i: any) => i?.variant?.manage_inventory)
  let reserved = 0
  if (itemIds.length) {
    const inventory = container.resolve(Modules.INVENTORY)
    reserved = (await inventory.listReservationItems({ line_item_id: itemIds }, { select: ["id"] })).length
  }
  const lineGift = order.metadata?.line_gift ?? {}
  return {
    record_id: recordId,
    order_id: order.id,
    sales_channel_id: shop.sales_channel_id ?? o?.sales_channel_id ?? null,
    amount: Number(lineGift.selling_price),
    link: !o?.line_gift_order?.id,
    create_payment_collection: collections.length === 0,
    payment_collection_id: unpaid?.id ?? null,
    reserve: managed && reserved === 0,
    flags: Array.isArray(lineGift.flags) ? lineGift.flags : [],
    provisional: !!lineGift.provisional,
  }
}
