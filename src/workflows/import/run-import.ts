/**
 * One import run for one shop: read every LINE Gift order page, filter by status and purchase
 * window, and run importLineGiftOrderWorkflow for each new order; record the run and every
 * failure with its reason. The run goes on past bad orders.
 *
 * This is the orchestration that routes and jobs call. It holds the shop's import lock, talks
 * to LINE Gift through the client, writes only module records (runs, failed records) itself,
 * and leaves every Medusa write to the workflow.
 */
import type { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError, Modules } from "@medusajs/framework/utils"
import { isLineGiftApiError, parseLineGiftOrder } from "../../lib/line-gift"
import type { LineGiftOrder } from "../../lib/line-gift/schemas"
import { LINE_GIFT_MODULE } from "../../modules/line-gift"
import type LineGiftModuleService from "../../modules/line-gift/service"
import { getLineGiftClient } from "../helpers/line-gift-client"
import { ALREADY_CLAIMED } from "./steps/claim-line-gift-order"
import { importLineGiftOrderWorkflow } from "./workflows/import-line-gift-order"

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
}

/** One order created by the run. */
export type ImportedOrderSummary = {
  line_gift_order_id: string
  order_id: string
  flags: string[]
}

/** One order the run could not import (reason names the field; no personal data). */
export type ImportError = { line_gift_order_id: string | null; reason: string }

/** Result of an import run: the run record and the orders it created. */
export type RunImportResult = {
  run: Record<string, any>
  created: ImportedOrderSummary[]
}

/** Lock key of a shop's import. */
export const importLockKey = (shopId: string) => `line-gift:import:${shopId}`

/** Placeholder customer email of a shop's orders (LINE Gift does not give buyers' emails). */
export const lineGiftCustomerEmail = (shopId: string) =>
  `line-gift-${shopId.toLowerCase()}@example.invalid`

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
  const shop = (await service.retrieveLineGiftShop(input.shop_id)) as any
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
  if (!(input.from instanceof Date) || !(input.to instanceof Date) || input.from > input.to) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "The import window must have from ≤ to.")
  }
  // Fails early, before the lock, when credentials are missing.
  await service.getShopCredentials(shop.id)

  const locking = container.resolve(Modules.LOCKING)
  let started = false
  try {
    return await locking.execute(
      importLockKey(shop.id),
      async () => {
        started = true
        return await importUnderLock(container, service, shop, input)
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

async function importUnderLock(
  container: MedusaContainer,
  service: LineGiftModuleService,
  shop: any,
  input: RunImportInput
): Promise<RunImportResult> {
  const statuses = new Set(
    input.statuses?.length
      ? input.statuses
      : Array.isArray(shop.fetch_statuses) && shop.fetch_statuses.length
        ? shop.fetch_statuses
        : ["payment"]
  )
  const fromSec = Math.floor(input.from.getTime() / 1000)
  const toSec = Math.floor(input.to.getTime() / 1000)

  const run = (await service.createLineGiftSyncRuns({
    shop_id: shop.id,
    kind: "import",
    trigger: input.trigger ?? "manual",
    state: "running",
    window_from: input.from,
    window_to: input.to,
    statuses: [...statuses],
    started_at: new Date(),
  } as any)) as any

  const counts = { pages: 0, seen: 0, created: 0, already: 0, skipped: 0, failed: 0 }
  const errors: ImportError[] = []
  const created: ImportedOrderSummary[] = []
  let runError: string | null = null
  const logger = safeLogger(container)

  const fail = async (id: string | null, reason: string, raw: unknown, status: string | null) => {
    counts.failed++
    errors.push({ line_gift_order_id: id, reason })
    if (id) {
      await service.recordUnimportable({
        shop_id: shop.id,
        line_gift_order_id: id,
        line_gift_status: status,
        raw,
        reason,
        run_id: run.id,
      })
    }
  }

  try {
    const client = await getLineGiftClient(container, shop.id)
    for await (const page of client.iterateOrderPages()) {
      counts.pages++
      const candidates: Array<{ order: LineGiftOrder; raw: unknown }> = []
      for (const raw of page.orders) {
        counts.seen++
        const parsed = parseLineGiftOrder(raw)
        if (!parsed.ok) {
          const status = typeof (raw as any)?.status === "string" ? (raw as any).status : null
          await fail(parsed.id ?? null, `malformed order: ${parsed.reason}`, raw, status)
          continue
        }
        const order = parsed.order
        const boughtOn = order.bought_on ?? order.payed_on
        if (!statuses.has(order.status)) {
          counts.skipped++
          continue
        }
        if (boughtOn === undefined) {
          await fail(order.id, "bought_on: is required to apply the date window", raw, order.status)
          continue
        }
        if (boughtOn < fromSec || boughtOn > toSec) {
          counts.skipped++
          continue
        }
        candidates.push({ order, raw })
      }

      const states = await service.getOrderStates(
        shop.id,
        candidates.map((c) => c.order.id)
      )
      for (const { order, raw } of candidates) {
        const state = states.get(order.id)?.state
        if (state === "imported" || state === "importing") {
          counts.already++
          continue
        }
        try {
          const { result } = await importLineGiftOrderWorkflow(container).run({
            input: {
              shop_id: shop.id,
              run_id: run.id,
              order,
              raw,
              region_id: shop.region_id,
              sales_channel_id: shop.sales_channel_id ?? null,
              shipping_option_id: shop.shipping_option_id ?? null,
              email: lineGiftCustomerEmail(shop.id),
              sku_overrides: (shop.settings?.sku_overrides as Record<string, string>) ?? undefined,
            },
          })
          counts.created++
          created.push({
            line_gift_order_id: order.id,
            order_id: result.order_id,
            flags: result.flags,
          })
        } catch (e) {
          const message = errorMessage(e)
          if (message.includes(ALREADY_CLAIMED)) {
            counts.already++
            continue
          }
          await fail(order.id, message, raw, order.status)
        }
      }
    }
  } catch (e) {
    runError = isLineGiftApiError(e) || e instanceof MedusaError ? errorMessage(e) : `unexpected error: ${errorMessage(e)}`
    logger?.warn(`LINE Gift import run ${run.id} of shop ${shop.id} stopped: ${runError}`)
  }

  const finishedAt = new Date()
  const state = runError ? "failed" : counts.failed ? "partial" : "succeeded"
  const finished = await service.updateLineGiftSyncRuns({
    id: run.id,
    state,
    finished_at: finishedAt,
    pages_read: counts.pages,
    seen_count: counts.seen,
    created_count: counts.created,
    already_imported_count: counts.already,
    skipped_count: counts.skipped,
    failed_count: counts.failed,
    errors,
    error: runError,
  } as any)
  if (!runError) {
    await service.updateLineGiftShops({ id: shop.id, last_fetched_at: finishedAt } as any)
  }
  logger?.info(
    `LINE Gift import run ${run.id}: ${state}; seen ${counts.seen}, created ${counts.created}, ` +
      `already imported ${counts.already}, skipped ${counts.skipped}, failed ${counts.failed}`
  )
  return { run: finished, created }
}

/** A merchant-readable message of any error (LINE Gift errors are already free of secrets). */
function errorMessage(e: unknown): string {
  if (e && typeof e === "object" && "message" in e) {
    return String((e as any).message)
  }
  return String(e)
}

function safeLogger(container: MedusaContainer): any {
  try {
    return container.resolve("logger")
  } catch {
    return null
  }
}
