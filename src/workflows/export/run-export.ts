/**
 * Orchestration of shipment exports (what subscribers, the sweep job and the admin routes
 * call). Each export runs exportLineGiftShipmentWorkflow under the shop's export lock
 * (Medusa's locking module), so one export is never pushed twice at the same time; the
 * workflow re-reads the row under the lock, so a value LINE Gift already has is not re-sent.
 * Medusa and module writes happen in the workflow; this file writes only sync-run records.
 */
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError, Modules } from "@medusajs/framework/utils"
import { LINE_GIFT_MODULE } from "../../modules/line-gift"
import type LineGiftModuleService from "../../modules/line-gift/service"
import {
  exportLineGiftShipmentWorkflow,
  type ExportLineGiftShipmentOutput,
} from "./workflows/export-line-gift-shipment"
import type { ExportTarget, LineGiftExportRow } from "./types"

/** Lock key of a shop's exports. */
export const exportLockKey = (shopId: string) => `line-gift:export:${shopId}`

/** Seconds an event or manual export waits for the shop's export lock. */
const EVENT_LOCK_TIMEOUT_SEC = 120
/** Seconds "Push again" waits (the merchant is looking at the page). */
const PUSH_LOCK_TIMEOUT_SEC = 30
/** Seconds a sweep waits per export before leaving it to the next sweep. */
const SWEEP_LOCK_TIMEOUT_SEC = 10

/** Default and bounds of the manual export window, days. */
export const MANUAL_EXPORT_DEFAULT_DAYS = 3
export const MANUAL_EXPORT_MAX_DAYS = 30

const DAY_MS = 24 * 3600 * 1000

type LockResult<T> = { ran: true; value: T } | { ran: false }

/** Runs `fn` under the shop's export lock; `{ ran: false }` when the lock was not free in time. */
async function withExportLock<T>(
  container: MedusaContainer,
  shopId: string,
  timeoutSec: number,
  fn: () => Promise<T>
): Promise<LockResult<T>> {
  const locking = container.resolve(Modules.LOCKING)
  let started = false
  try {
    const value = await locking.execute(
      exportLockKey(shopId),
      async () => {
        started = true
        return await fn()
      },
      { timeout: timeoutSec }
    )
    return { ran: true, value }
  } catch (e) {
    if (!started) return { ran: false }
    throw e
  }
}

async function runExport(
  container: MedusaContainer,
  input: ExportTarget & { fulfillment_id?: string | null; send: boolean; force?: boolean }
): Promise<ExportLineGiftShipmentOutput> {
  const { result } = await exportLineGiftShipmentWorkflow(container).run({ input })
  return result as ExportLineGiftShipmentOutput
}

/**
 * The LINE Gift order behind a Medusa order or fulfilment: ONE query (through the module
 * link); null for orders that did not come from LINE Gift.
 */
export async function findLineGiftExportTarget(
  container: MedusaContainer,
  ref: { order_id?: string | null; fulfillment_id?: string | null }
): Promise<ExportTarget | null> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const recordFields = ["id", "shop_id", "line_gift_order_id", "state"]
  let orderId: string | null = null
  let record: any = null
  if (ref.order_id) {
    const { data } = await query.graph({
      entity: "order",
      fields: ["id", ...recordFields.map((f) => `line_gift_order.${f}`)],
      filters: { id: ref.order_id },
    })
    orderId = (data[0] as any)?.id ?? null
    record = (data[0] as any)?.line_gift_order ?? null
  } else if (ref.fulfillment_id) {
    const { data } = await query.graph({
      entity: "fulfillment",
      fields: ["id", "order.id", ...recordFields.map((f) => `order.line_gift_order.${f}`)],
      filters: { id: ref.fulfillment_id },
    })
    orderId = (data[0] as any)?.order?.id ?? null
    record = (data[0] as any)?.order?.line_gift_order ?? null
  }
  if (!orderId || !record?.id) return null
  return {
    shop_id: record.shop_id,
    line_gift_order_id: record.line_gift_order_id,
    record_id: record.id,
    order_id: orderId,
  }
}

/**
 * A fulfilment was created or shipped: record the export of a LINE Gift order and, when the
 * shop's auto export is on, push it at once. Other orders cost one lookup and return null.
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
  const shop = (await service.retrieveLineGiftShop(target.shop_id)) as any
  const send = shop.auto_export !== false && shop.api_enabled !== false
  const locked = await withExportLock(container, target.shop_id, EVENT_LOCK_TIMEOUT_SEC, () =>
    runExport(container, { ...target, fulfillment_id: event.fulfillment_id, send })
  )
  if (!locked.ran) {
    throw new Error(
      `LINE Gift export of order ${target.line_gift_order_id}: the shop's export lock stayed busy; run "送信情報の更新" (manual export) to send it`
    )
  }
  return locked.value
}

/** Whether a row is due for the sweep at `now` (pending and due; held and due for a re-check). */
export function isExportDue(
  row: Pick<LineGiftExportRow, "state" | "next_attempt_at" | "updated_at">,
  now: Date,
  shopUpdatedAt?: Date | null
): boolean {
  const at = row.next_attempt_at ? new Date(row.next_attempt_at).getTime() : null
  if (row.state === "pending") return at === null || at <= now.getTime()
  if (row.state === "held") {
    if (at !== null && at <= now.getTime()) return true
    // The merchant changed the shop's settings (e.g. the carrier map) since the row was held.
    return (
      !!shopUpdatedAt &&
      !!row.updated_at &&
      new Date(row.updated_at).getTime() < new Date(shopUpdatedAt).getTime()
    )
  }
  return false
}

/** Result of one sweep: how many exports were looked at and what became of them. */
export type ExportSweepResult = {
  shops: number
  checked: number
  sent: number
  pending: number
  held: number
  failed: number
  /** Exports left to the next sweep because another export of the shop held the lock. */
  busy: number
}

/**
 * Retries due exports of every shop with auto export and API usage on: pending ones whose
 * `next_attempt_at` has come, and held ones due for a re-check (or whose shop settings changed
 * since). Per shop, oldest due first, at most `limit`; a shop whose push fails for a
 * retryable reason (LINE Gift down, token to renew) is left alone until the next sweep.
 */
export async function runLineGiftExportSweep(
  container: MedusaContainer,
  options: { now?: Date; limit?: number; shop_id?: string } = {}
): Promise<ExportSweepResult> {
  const now = options.now ?? new Date()
  const limit = options.limit ?? 100
  const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
  const shops = (await service.listLineGiftShops({
    auto_export: true,
    api_enabled: true,
    ...(options.shop_id ? { id: options.shop_id } : {}),
  })) as any[]
  const result: ExportSweepResult = {
    shops: shops.length,
    checked: 0,
    sent: 0,
    pending: 0,
    held: 0,
    failed: 0,
    busy: 0,
  }
  for (const shop of shops) {
    const candidates = (await service.listLineGiftExports(
      {
        shop_id: shop.id,
        $or: [
          { state: "pending", next_attempt_at: null },
          { state: ["pending", "held"], next_attempt_at: { $lte: now } },
          { state: "held", updated_at: { $lt: shop.updated_at } },
        ],
      } as any,
      { take: limit, order: { next_attempt_at: "ASC" } }
    )) as unknown as LineGiftExportRow[]
    if (!candidates.length) continue
    const records = await recordIds(service, shop.id, candidates)
    for (const candidate of candidates) {
      const locked = await withExportLock(container, shop.id, SWEEP_LOCK_TIMEOUT_SEC, async () => {
        // Re-read under the lock: another sweep or an event may have handled it meanwhile.
        const [row] = (await service.listLineGiftExports({
          id: candidate.id,
        })) as unknown as LineGiftExportRow[]
        if (!row || !isExportDue(row, now, shop.updated_at)) return null
        return await runExport(container, {
          shop_id: shop.id,
          line_gift_order_id: row.line_gift_order_id,
          record_id: records.get(row.line_gift_order_id) ?? "",
          order_id: row.order_id,
          fulfillment_id: row.fulfillment_id,
          send: true,
        })
      })
      if (!locked.ran) {
        result.busy++
        continue
      }
      if (!locked.value) continue
      result.checked++
      const { outcome } = locked.value
      const state = locked.value.export?.state
      if (outcome.status === "sent") result.sent++
      else if (state === "held") result.held++
      else if (state === "failed") result.failed++
      else if (state === "pending") result.pending++
      if (outcome.status === "retry") break
    }
  }
  if (result.checked || result.busy) {
    safeLogger(container)?.info(
      `LINE Gift export sweep: checked ${result.checked}, sent ${result.sent}, pending ${result.pending}, held ${result.held}, failed ${result.failed}, busy ${result.busy}`
    )
  }
  return result
}

/**
 * "Push again": pushes one export now, even when LINE Gift already has its values (a no-op
 * there) or after a permanent refusal, whatever the shop's auto export setting.
 * @returns the export row afterwards (state and `last_error` say how it went).
 * @throws MedusaError NOT_FOUND (unknown export), NOT_ALLOWED (API usage off, or another
 *   export of the shop is running).
 */
export async function pushLineGiftExportNow(
  container: MedusaContainer,
  exportId: string
): Promise<LineGiftExportRow> {
  const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
  const row = (await service.retrieveLineGiftExport(exportId)) as unknown as LineGiftExportRow
  const shop = (await service.retrieveLineGiftShop(row.shop_id)) as any
  if (!shop.api_enabled) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `LINE Gift shop "${shop.name}": API usage is off. Turn it on in Settings → LINE Gift.`
    )
  }
  const records = await recordIds(service, row.shop_id, [row])
  const locked = await withExportLock(container, row.shop_id, PUSH_LOCK_TIMEOUT_SEC, () =>
    runExport(container, {
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
  return (locked.value.export ??
    (await service.retrieveLineGiftExport(exportId))) as unknown as LineGiftExportRow
}

/** Counts of a manual export. */
export type ManualExportCounts = { sent: number; unchanged: number; held: number; failed: number }

/** Result of a manual export: counts and the `line_gift_sync_run` (kind `export`) recorded. */
export type ManualExportResult = { counts: ManualExportCounts; run: Record<string, any> }

/**
 * Manual export ("送信情報の更新"): every imported LINE Gift order of the shop bought in the
 * last `days` days (1–30, default 3) whose Medusa order has a fulfilment is pushed when its
 * shipment info is unsent or changed. Orders LINE Gift already has exactly are not sent
 * again (`unchanged`); incomplete ones are `held` with the reason; refused ones `failed`.
 * Runs whatever the shop's auto export setting. Recorded as a sync run of kind `export`
 * (created_count = sent, already_imported_count = unchanged, skipped_count = held,
 * failed_count = failed; `errors` carry the held and failed reasons). Stops at the first
 * retryable failure (LINE Gift unreachable): the run is `failed` with that reason.
 * @throws MedusaError NOT_FOUND (unknown shop), NOT_ALLOWED (API off, no credentials),
 *   INVALID_DATA (days out of range).
 */
export async function runLineGiftManualExport(
  container: MedusaContainer,
  input: { shop_id: string; days?: number; trigger?: "manual" | "automatic" }
): Promise<ManualExportResult> {
  const days = input.days ?? MANUAL_EXPORT_DEFAULT_DAYS
  if (!Number.isInteger(days) || days < 1 || days > MANUAL_EXPORT_MAX_DAYS) {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      `days must be a whole number from 1 to ${MANUAL_EXPORT_MAX_DAYS}`
    )
  }
  const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
  const shop = (await service.retrieveLineGiftShop(input.shop_id)) as any
  if (!shop.api_enabled) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `LINE Gift shop "${shop.name}": API usage is off. Turn it on in Settings → LINE Gift.`
    )
  }
  await service.getShopCredentials(shop.id)

  const now = new Date()
  const since = new Date(now.getTime() - days * DAY_MS)
  const run = (await service.createLineGiftSyncRuns({
    shop_id: shop.id,
    kind: "export",
    trigger: input.trigger ?? "manual",
    state: "running",
    window_from: since,
    window_to: now,
    started_at: now,
  } as any)) as any

  const counts: ManualExportCounts = { sent: 0, unchanged: 0, held: 0, failed: 0 }
  const errors: Array<{ line_gift_order_id: string | null; reason: string }> = []
  let runError: string | null = null
  let seen = 0
  try {
    const targets = await manualExportTargets(container, service, shop.id, since)
    seen = targets.length
    for (const target of targets) {
      let locked: LockResult<ExportLineGiftShipmentOutput>
      try {
        locked = await withExportLock(container, shop.id, EVENT_LOCK_TIMEOUT_SEC, () =>
          runExport(container, { ...target, send: true })
        )
      } catch (e) {
        counts.failed++
        errors.push({ line_gift_order_id: target.line_gift_order_id, reason: errorMessage(e) })
        continue
      }
      if (!locked.ran) {
        counts.failed++
        errors.push({
          line_gift_order_id: target.line_gift_order_id,
          reason: "another export of this shop was running; run the export again",
        })
        continue
      }
      const { export: row, plan, outcome } = locked.value
      if (!row) continue // no fulfilment yet: nothing to tell LINE Gift
      if (outcome.status === "sent") {
        counts.sent++
      } else if (outcome.status === "retry") {
        counts.failed++
        errors.push({ line_gift_order_id: target.line_gift_order_id, reason: outcome.message ?? "" })
        runError = `stopped: ${outcome.message}`
        break
      } else if (row.state === "failed") {
        counts.failed++
        errors.push({ line_gift_order_id: target.line_gift_order_id, reason: row.last_error ?? "" })
      } else if (row.state === "held") {
        counts.held++
        errors.push({ line_gift_order_id: target.line_gift_order_id, reason: row.last_error ?? "" })
      } else if (plan.action === "unchanged" || row.state === "sent") {
        counts.unchanged++
      }
    }
  } catch (e) {
    runError = errorMessage(e)
  }

  const state = runError ? "failed" : counts.failed || counts.held ? "partial" : "succeeded"
  const finished = await service.updateLineGiftSyncRuns({
    id: run.id,
    state,
    finished_at: new Date(),
    seen_count: seen,
    created_count: counts.sent,
    already_imported_count: counts.unchanged,
    skipped_count: counts.held,
    failed_count: counts.failed,
    errors,
    error: runError,
  } as any)
  safeLogger(container)?.info(
    `LINE Gift manual export ${run.id} of shop ${shop.id}: ${state}; sent ${counts.sent}, unchanged ${counts.unchanged}, held ${counts.held}, failed ${counts.failed}`
  )
  return { counts, run: finished as any }
}

/** Imported LINE Gift orders of a shop bought (or, without a purchase time, recorded) since `since`. */
async function manualExportTargets(
  container: MedusaContainer,
  service: LineGiftModuleService,
  shopId: string,
  since: Date
): Promise<ExportTarget[]> {
  const records = (await service.listLineGiftOrders(
    {
      shop_id: shopId,
      state: "imported",
      $or: [{ bought_at: { $gte: since } }, { bought_at: null, created_at: { $gte: since } }],
    } as any,
    { select: ["id"], order: { bought_at: "ASC" } }
  )) as any[]
  if (!records.length) return []
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "line_gift_order",
    fields: ["id", "shop_id", "line_gift_order_id", "order.id"],
    filters: { id: records.map((r) => r.id) },
  })
  const byId = new Map((data as any[]).map((r) => [r.id, r]))
  const targets: ExportTarget[] = []
  for (const { id } of records) {
    const r = byId.get(id)
    if (!r?.order?.id) continue
    targets.push({
      shop_id: shopId,
      line_gift_order_id: r.line_gift_order_id,
      record_id: r.id,
      order_id: r.order.id,
    })
  }
  return targets
}

/** LINE Gift order id → record id, for the given rows of one shop. */
async function recordIds(
  service: LineGiftModuleService,
  shopId: string,
  rows: Array<Pick<LineGiftExportRow, "line_gift_order_id">>
): Promise<Map<string, string>> {
  const states = await service.getOrderStates(
    shopId,
    rows.map((r) => r.line_gift_order_id)
  )
  return new Map([...states].map(([lgId, s]) => [lgId, s.id]))
}

function errorMessage(e: unknown): string {
  if (e && typeof e === "object" && "message" in e) return String((e as any).message)
  return String(e)
}

function safeLogger(container: MedusaContainer): any {
  try {
    return container.resolve("logger")
  } catch {
    return null
  }
}
