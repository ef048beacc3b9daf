/**
 * One import run for one shop: read every LINE Gift order page, filter by status and purchase
 * window, and import each new order; record the run and every failure with its reason. The
 * run goes on past bad orders.
 *
 * This is the orchestration that routes and jobs call. It holds the shop's import lock, talks
 * to LINE Gift through the client, writes only module records (runs, failed records) itself,
 * and leaves every Medusa write to the workflows. The stages live in ./run/ (see
 * importUnderLock); what the run counts in ./run-summary.ts.
 */
import type { MedusaContainer } from "@medusajs/framework/types"
import { readAhead } from "../../lib/read-ahead"
import { MedusaError, Modules } from "@medusajs/framework/utils"
import { isLineGiftApiError } from "../../lib/line-gift"
import { LINE_GIFT_MODULE } from "../../modules/line-gift"
import type LineGiftModuleService from "../../modules/line-gift/service"
import type { LineGiftSyncRunRecord } from "../../modules/line-gift/types"
import { getLineGiftClient } from "../helpers/line-gift-client"
import { recoverInterruptedLineGiftImports } from "../recovery/recover-interrupted-imports"
import type { ImportedOrderSummary } from "./run-summary"
import { errorMessage, type ImportRun } from "./run/context"
import { finishImportRun } from "./run/finish"
import { importPage } from "./run/page"
import { startImportRun, type ImportableShop } from "./run/start"

export type {
  ImportedOrderSummary,
  ImportError,
  SkipReason,
} from "./run-summary"
export type { ImportableShop } from "./run/start"
export { PROVISIONAL_STATUSES } from "./run/classify"
export { CANCELLED_AFTER_FULFILMENT } from "./run/update-known"

/** Input of an import run. Times are absolute instants (the admin enters Asia/Tokyo times). */
export type RunImportInput = {
  shop_id: string
  /** Orders bought at or after this instant. */
  from: Date
  /** Orders bought at or before this instant. */
  to: Date
  /** LINE Gift status codes to import; default: the shop's fetch_statuses. */
  statuses?: string[]
  trigger?: "manual" | "automatic"
  /**
   * Called once with the run record (state `running`) as soon as it exists, before the first
   * page: lets a route answer at once while the run goes on.
   */
  onRunCreated?: (run: LineGiftSyncRunRecord) => void
}

/** Result of an import run: the run record and the orders it created. */
export type RunImportResult = {
  run: LineGiftSyncRunRecord
  created: ImportedOrderSummary[]
}

/** Lock key of a shop's import. */
export const importLockKey = (shopId: string) => `line-gift:import:${shopId}`

// The shop's customer (named after the shop, see line-gift-shop-customer.ts).
export { lineGiftCustomerEmail } from "../customers/line-gift-shop-customer"

/**
 * Runs one import (see file comment).
 * @returns the finished run (state `succeeded`, `partial` when some orders failed, `failed`
 *   when LINE Gift could not be read; `error` says why) and the created orders.
 * @throws MedusaError NOT_FOUND (unknown shop), NOT_ALLOWED (API off, no region, no
 *   credentials), NOT_ALLOWED when an import of this shop is already running.
 */
export async function runLineGiftImport(
  container: MedusaContainer,
  input: RunImportInput
): Promise<RunImportResult> {
  const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
  const shop = await retrieveImportableShop(service, input.shop_id)
  if (
    !(input.from instanceof Date) ||
    !(input.to instanceof Date) ||
    input.from > input.to
  ) {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      "The import window must have from ≤ to."
    )
  }
  return await withShopImportLock(container, shop, () =>
    importUnderLock(container, service, shop, input)
  )
}

/**
 * The shop, when an import of it can run.
 * @throws MedusaError NOT_FOUND (unknown shop), NOT_ALLOWED (API off, no region, no credentials)
 */
export async function retrieveImportableShop(
  service: LineGiftModuleService,
  shopId: string
): Promise<ImportableShop> {
  const shop = await service.retrieveLineGiftShop(shopId)
  if (!shop.api_enabled) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `LINE Gift shop "${shop.name}": API usage is off. Turn it on in Settings → LINE Gift.`
    )
  }
  if (!shop.region_id) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `LINE Gift shop "${shop.name}": choose the Medusa region (Japan, JPY) its orders go to.`
    )
  }
  // Fails early, before the lock, when credentials are missing.
  await service.getShopCredentials(shop.id)
  return { ...shop, region_id: shop.region_id }
}

/**
 * Runs `job` holding the shop's import lock (locking module, key importLockKey; in-memory in
 * one process, Redis across processes when the store configures the Redis provider). Waits at
 * most one second for it.
 * @throws MedusaError NOT_ALLOWED "already running" when another import of the shop holds it;
 *   whatever `job` throws.
 */
export async function withShopImportLock<T>(
  container: MedusaContainer,
  shop: { id: string; name: string },
  job: () => Promise<T>
): Promise<T> {
  const locking = container.resolve(Modules.LOCKING)
  let started = false
  try {
    return await locking.execute(
      importLockKey(shop.id),
      async () => {
        started = true
        return await job()
      },
      { timeout: 1 }
    )
  } catch (e) {
    if (!started) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `An import of LINE Gift shop "${shop.name}" is already running; try again when it has finished.`
      )
    }
    throw e
  }
}

/**
 * The import itself (the caller holds the shop's lock), stage by stage:
 * 1. recover — orders an earlier, interrupted run left half-imported (process killed) are
 *    finished or released first, so this run neither misses nor duplicates them;
 * 2. start — the run record (state `running`), SKU mappings, the shop's customer (run/start.ts);
 * then per page of the order search (run/page.ts):
 * 3. read page — each order once per run, validated; malformed → `failed` (run/read-page.ts);
 * 4. classify — import, import alone without address, skip (and track as `seen`), follow, or
 *    fail (run/classify.ts, pure);
 * 5. update known — an imported order follows a LINE Gift cancellation, a provisional one gets
 *    its address (run/update-known.ts);
 * 6. import new — the page's new orders in bulk; orders without address one by one
 *    (run/import-new.ts, the one place that creates Medusa orders);
 * 7. record progress — `seen` records, statuses read, the run's counts (run/record-progress.ts);
 * 8. finish — the run's state, the shop's next fetch, unknown-status notice (run/finish.ts).
 * What is counted and why orders were skipped: RunSummary (run-summary.ts). An order repeated
 * on a later page counts once. A LINE Gift or Medusa error while reading ends the run `failed`.
 */
export async function importUnderLock(
  container: MedusaContainer,
  service: LineGiftModuleService,
  shop: ImportableShop,
  input: RunImportInput
): Promise<RunImportResult> {
  await recoverInterruptedLineGiftImports(container, shop.id)
  const run = await startImportRun(container, service, shop, input)
  try {
    const client = await getLineGiftClient(container, shop.id)
    const pages = client.iterateOrderPages({
      onStop: (reason) => run.summary.stopReading(reason),
    })
    // The next page is read while this one is imported (readAhead).
    for await (const page of readAhead(pages)) {
      await importPage(run, page.orders)
    }
  } catch (e) {
    stopOnError(run, e)
  }
  const finished = await finishImportRun(run)
  return { run: finished, created: run.summary.created }
}

/** Records why reading stopped (the run ends `failed`) and logs it. */
function stopOnError(run: ImportRun, e: unknown): void {
  run.error =
    isLineGiftApiError(e) || e instanceof MedusaError
      ? errorMessage(e)
      : `unexpected error: ${errorMessage(e)}`
  run.logger?.warn(
    `LINE Gift import run ${run.record.id} of shop ${run.shop.id} stopped: ${run.error}`
  )
}
