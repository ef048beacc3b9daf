/**
 * Retries one failed LINE Gift order record (the admin's "retry").
 *
 * The order is first read again from LINE Gift, so a correction made there (e.g. a quantity
 * fixed) is what gets imported. The order search has no by-id lookup (shared/line-gift-api.md,
 * "Orders"): the first RETRY_SEARCH_MAX_PAGES pages are read until the order is found. When it
 * is not found there, or LINE Gift cannot be read, the stored copy of the last import is used
 * and the answer says so (`source: "stored"`, `source_note`): a new import run covering the
 * order's purchase date reads it anew.
 */
import type { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import {
  isImportableLineGiftStatus,
  parseLineGiftOrder,
} from "../../lib/line-gift"
import {
  classifyFailureReason,
  type FailureReasonCode,
} from "../../lib/failure-reasons"
import { LINE_GIFT_MODULE } from "../../modules/line-gift"
import type LineGiftModuleService from "../../modules/line-gift/service"
import { getLineGiftClient } from "../helpers/line-gift-client"
import { importLineGiftOrderWorkflow } from "../import/workflows/import-line-gift-order"
import { newOrderImport } from "../import/run/classify"
import { ensureLineGiftShopCustomer } from "../customers/line-gift-shop-customer"
import { ALREADY_CLAIMED } from "../import/steps/claim-line-gift-order"
import { KEPT_IMPORTING_REASON } from "../../modules/line-gift/service"
import { recoverInterruptedLineGiftImports } from "../recovery/recover-interrupted-imports"
import { safeErrorMessage } from "../../lib/safe-error"
import { lineGiftOrderIdOf } from "../../lib/line-gift/schemas"

/** Order pages (100 orders each) read to find the order again; ≈ 3,000 orders. */
export const RETRY_SEARCH_MAX_PAGES = 30

/** Where the retried copy of the order came from. */
export type RetrySource = "line_gift" | "stored"

/** Answer of a retry. */
export type RetryLineGiftOrderResult = {
  /** The record after the attempt, without the raw payload (personal data). */
  record: Record<string, unknown>
  /** `imported`: a Medusa order exists now; `failed`: the record is still failed (`reason`). */
  outcome: "imported" | "failed"
  reason: string | null
  reason_code: FailureReasonCode | null
  source: RetrySource
  /**
   * Why the stored copy was used (`source: "stored"`): `not_found` (not in the first
   * RETRY_SEARCH_MAX_PAGES pages) or `unreachable` (LINE Gift could not be read).
   */
  source_note: "not_found" | "unreachable" | null
  /** The LINE Gift error when `source_note` is `unreachable` (no secrets). */
  source_error: string | null
}

/**
 * @returns the outcome (see RetryLineGiftOrderResult); a new failure is recorded with its reason.
 * @throws MedusaError NOT_FOUND (unknown record), NOT_ALLOWED (record not failed, shop has no region).
 */
export async function retryLineGiftOrderRecord(
  container: MedusaContainer,
  recordId: string
): Promise<RetryLineGiftOrderResult> {
  const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
  const { record, shop, region_id } = await retryable(service, recordId)

  const fresh = await fetchOrderAgain(
    container,
    shop.id,
    String(record.line_gift_order_id)
  )
  const source: RetrySource = fresh.raw ? "line_gift" : "stored"
  const parsed = parseLineGiftOrder(fresh.raw ?? record.raw)
  // The payload as parsed: text PostgreSQL cannot store already replaced (U+FFFD).
  const raw = parsed.raw
  const rawStatus = (raw as { status?: unknown } | null | undefined)?.status
  const status =
    typeof rawStatus === "string" ? rawStatus : record.line_gift_status
  const fail = (reason: string) =>
    service.recordUnimportable({
      shop_id: shop.id,
      line_gift_order_id: record.line_gift_order_id,
      line_gift_status: status,
      raw,
      reason,
      run_id: record.last_run_id,
    })

  if (!parsed.ok) {
    await fail(`malformed order: ${parsed.reason}`)
  } else if (!isImportableLineGiftStatus(parsed.order.status)) {
    // Not paid (cvs), already shipped (received), cancelled, or a code LINE Gift added later.
    await fail(
      `status_not_importable: LINE Gift status is now ${parsed.order.status}; not imported`
    )
  } else {
    // As an import run would: a gift waiting for its recipient, or an order without its whole
    // address, is provisional (flagged; the address is filled in when it arrives).
    const path = newOrderImport(parsed.order)
    try {
      await importLineGiftOrderWorkflow(container).run({
        input: {
          shop_id: shop.id,
          run_id: record.last_run_id ?? null,
          order: parsed.order,
          raw,
          region_id,
          sales_channel_id: shop.sales_channel_id ?? null,
          shipping_option_id: shop.shipping_option_id ?? null,
          email: await ensureLineGiftShopCustomer(container, shop),
          ...(path.kind === "import_provisional"
            ? { provisional: true, provisional_flag: path.flag }
            : {}),
        },
      })
    } catch (e) {
      const message = safeErrorMessage(e)
      if (!message.includes(ALREADY_CLAIMED)) {
        await recoverKeptClaim(container, shop.id, recordId)
        await fail(message)
      }
    }
  }

  const after = await service.retrieveLineGiftOrder(recordId)
  const { raw: _raw, ...withoutPayload } = after
  const imported = after.state === "imported"
  const reason =
    after.state === "importing"
      ? KEPT_IMPORTING_REASON
      : (after.failure_reason ?? null)
  return {
    record: withoutPayload,
    outcome: imported ? "imported" : "failed",
    reason: imported ? null : reason,
    reason_code: imported ? null : classifyFailureReason(reason),
    source,
    source_note: fresh.note,
    source_error: fresh.error,
  }
}

/**
 * The record to retry and its shop.
 * @throws MedusaError NOT_ALLOWED when the record is not `failed` or the shop has no region
 */
async function retryable(service: LineGiftModuleService, recordId: string) {
  const record = await service.retrieveLineGiftOrder(recordId)
  if (record.state !== "failed") {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `Only failed LINE Gift orders can be retried; ${record.line_gift_order_id} is ${record.state}.`
    )
  }
  const shop = await service.retrieveLineGiftShop(record.shop_id)
  if (!shop.region_id) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `LINE Gift shop "${shop.name}": choose the Medusa region its orders go to.`
    )
  }
  return { record, shop, region_id: shop.region_id }
}

/**
 * After a failed retry whose rollback kept the record `importing` (its order or payment was
 * left in place; marked KEPT_IMPORTING_REASON by releaseClaimedRecords): crash recovery runs
 * on it at once — finished on the order that exists, or released (orphan
 * payments deleted). A recovery error leaves it `importing` for the next recovery.
 */
async function recoverKeptClaim(
  container: MedusaContainer,
  shopId: string,
  recordId: string
): Promise<void> {
  const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
  const record = await service.retrieveLineGiftOrder(recordId)
  if (record.failure_reason !== KEPT_IMPORTING_REASON) return
  await recoverInterruptedLineGiftImports(container, shopId, {
    recordIds: [recordId],
  }).catch(() => undefined)
}

/**
 * The order as LINE Gift sends it now: pages 1..RETRY_SEARCH_MAX_PAGES of the order search,
 * stopping at the page that holds it.
 * @returns `raw` (null when not found or unreachable) and why not.
 */
async function fetchOrderAgain(
  container: MedusaContainer,
  shopId: string,
  lineGiftOrderId: string
): Promise<{
  raw: unknown | null
  note: RetryLineGiftOrderResult["source_note"]
  error: string | null
}> {
  try {
    const client = await getLineGiftClient(container, shopId)
    for await (const page of client.iterateOrderPages({
      maxPages: RETRY_SEARCH_MAX_PAGES,
    })) {
      const found = page.orders.find(
        (o) => lineGiftOrderIdOf(o) === lineGiftOrderId
      )
      if (found) {
        return { raw: found, note: null, error: null }
      }
    }
    return { raw: null, note: "not_found", error: null }
  } catch (e) {
    return {
      raw: null,
      note: "unreachable",
      error: safeErrorMessage(e),
    }
  }
}
