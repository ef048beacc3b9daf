/**
 * Orchestration of shipment exports (what subscribers, the sweep job and the admin routes
 * call). Each export runs exportLineGiftShipmentWorkflow under the shop's export lock
 * (Medusa's locking module), so one export is never pushed twice at the same time; the
 * workflow re-reads the row under the lock, so a value LINE Gift already has is not re-sent.
 * Medusa and module writes happen in the workflow; this file writes only sync-run records.
 */
import type { MedusaContainer } from "@medusajs/framework/types"
import {
  ContainerRegistrationKeys,
  MedusaError,
  Modules,
} from "@medusajs/framework/utils"
import { LINE_GIFT_MODULE } from "../../modules/line-gift"
import type LineGiftModuleService from "../../modules/line-gift/service"
import {
  exportLineGiftShipmentWorkflow,
  type ExportLineGiftShipmentOutput,
} from "./workflows/export-line-gift-shipment"
import type { ExportTarget, LineGiftExportRow } from "./types"
import { AWAITING_ADDRESS_STATUSES } from "../../lib/carrier"
import { getLineGiftClient } from "../helpers/line-gift-client"
import { readLineGiftStatuses } from "./line-gift-statuses"

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
  input: ExportTarget & {
    fulfillment_id?: string | null
    send: boolean
    force?: boolean
    line_gift_status?: string | null
  }
): Promise<ExportLineGiftShipmentOutput> {
  const { result } = await exportLineGiftShipmentWorkflow(container).run({
    input,
  })
  return result as ExportLineGiftShipmentOutput
}

/**
 * Counts of an export run (`line_gift_sync_run.export_counts`): sent (LINE Gift accepted),
 * unchanged (LINE Gift already had the values), held (cannot be sent yet, reason given),
 * failed (refused), pending (to be retried, e.g. LINE Gift unreachable, or recorded with auto
 * export off). `source` says what ran it.
 */
export type ExportRunCounts = {
  sent: number
  unchanged: number
  held: number
  failed: number
  pending: number
  source: "manual" | "sweep" | "event" | "push_again"
}

/** Adds one export's result to `counts`; @returns the bucket it went to, or null (nothing recorded). */
export function countExportResult(
  counts: ExportRunCounts,
  result: Pick<ExportLineGiftShipmentOutput, "export" | "outcome">
): "sent" | "unchanged" | "held" | "failed" | "pending" | null {
  const row = result.export
  if (!row) return null
  const bucket =
    result.outcome.status === "sent"
      ? "sent"
      : result.outcome.status === "retry"
        ? "pending"
        : row.state === "held"
          ? "held"
          : row.state === "failed"
            ? "failed"
            : row.state === "pending"
              ? "pending"
              : "unchanged"
  counts[bucket]++
  return bucket
}

/**
 * Records one finished export run in the sync history (kind `export`): counts in
 * `export_counts` and mirrored in the generic columns (created = sent, already_imported =
 * unchanged, skipped = held, failed = failed), reasons of held and failed exports in `errors`.
 * State: `failed` with a run error, `partial` when something failed, was held or must be
 * retried (a reason is given), else `succeeded`. Never throws (history must not break an export): errors logged.
 */
export async function recordExportRun(
  container: MedusaContainer,
  run: {
    shop_id: string
    trigger: "manual" | "automatic"
    started_at: Date
    counts: ExportRunCounts
    errors: Array<{ line_gift_order_id: string | null; reason: string }>
    error?: string | null
    seen?: number
  }
): Promise<Record<string, any> | null> {
  try {
    const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
    const c = run.counts
    const errors = run.errors.filter((e) => e.reason)
    const state = run.error
      ? "failed"
      : c.failed || c.held || errors.length
        ? "partial"
        : "succeeded"
    return (await service.createLineGiftSyncRuns({
      shop_id: run.shop_id,
      kind: "export",
      trigger: run.trigger,
      state,
      started_at: run.started_at,
      finished_at: new Date(),
      seen_count:
        run.seen ?? c.sent + c.unchanged + c.held + c.failed + c.pending,
      created_count: c.sent,
      already_imported_count: c.unchanged,
      skipped_count: c.held,
      failed_count: c.failed,
      export_counts: c,
      errors,
      error: run.error ?? null,
    } as any)) as any
  } catch (e) {
    safeLogger(container)?.warn(
      `LINE Gift export run not recorded: ${errorMessage(e)}`
    )
    return null
  }
}

const emptyCounts = (source: ExportRunCounts["source"]): ExportRunCounts => ({
  sent: 0,
  unchanged: 0,
  held: 0,
  failed: 0,
  pending: 0,
  source,
})

/** The reason line of a held / failed / pending export for a run's `errors`. */
function runErrorOf(result: ExportLineGiftShipmentOutput, lgId: string) {
  const reason = result.outcome.message ?? result.export?.last_error ?? ""
  return { line_gift_order_id: lgId, reason }
}

/** Whether a row is held (only) until the recipient enters the address. */
export function isAwaitingAddress(
  row: Pick<LineGiftExportRow, "state" | "reasons">
): boolean {
  return (
    row.state === "held" &&
    !!row.reasons?.some((r) => r.code === "awaiting_address")
  )
}

/**
 * LINE Gift's current status of the given orders of a shop (live; see readLineGiftStatuses).
 * @returns id → status, with null for ids LINE Gift did not list; null when LINE Gift could not
 *   be read (callers then leave those exports as they are).
 */
async function liveStatuses(
  container: MedusaContainer,
  shopId: string,
  ids: string[]
): Promise<Map<string, string | null> | null> {
  if (!ids.length) return new Map()
  try {
    const client = await getLineGiftClient(container, shopId)
    const found = await readLineGiftStatuses(client, ids)
    return new Map(ids.map((id) => [id, found.get(id) ?? null]))
  } catch (e) {
    safeLogger(container)?.warn(
      `LINE Gift shop ${shopId}: could not read order statuses to re-check held shipments: ${errorMessage(e)}`
    )
    return null
  }
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
      fields: [
        "id",
        "order.id",
        ...recordFields.map((f) => `order.line_gift_order.${f}`),
      ],
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
  const shop = (await service.retrieveLineGiftShop(target.shop_id)) as any
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
      errors:
        bucket === "sent" || bucket === "unchanged"
          ? []
          : [runErrorOf(locked.value, target.line_gift_order_id)],
    })
  }
  return locked.value
}

/** Whether a row is due for the sweep at `now` (pending and due; held and due for a re-check). */
export function isExportDue(
  row: Pick<LineGiftExportRow, "state" | "next_attempt_at" | "updated_at">,
  now: Date,
  shopUpdatedAt?: Date | null
): boolean {
  const at = row.next_attempt_at
    ? new Date(row.next_attempt_at).getTime()
    : null
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
 * since); those held for the recipient's address are judged by LINE Gift's status read live
 * (left for the next sweep when LINE Gift cannot be read). A sweep that did more than re-hold
 * is recorded in the sync history (kind export, trigger automatic, source "sweep"). Per shop, oldest due first, at most `limit`; a shop whose push fails for a
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
    const startedAt = new Date()
    const counts = emptyCounts("sweep")
    const errors: Array<{ line_gift_order_id: string | null; reason: string }> =
      []
    const records = await recordIds(service, shop.id, candidates)
    // Held until the recipient enters the address: what does LINE Gift say now?
    const awaiting = candidates
      .filter(isAwaitingAddress)
      .map((c) => c.line_gift_order_id)
    const live = await liveStatuses(container, shop.id, awaiting)
    for (const candidate of candidates) {
      const lgId = candidate.line_gift_order_id
      const recheck = awaiting.includes(lgId)
      if (recheck && !live) continue // LINE Gift unreadable: left to the next sweep
      const locked = await withExportLock(
        container,
        shop.id,
        SWEEP_LOCK_TIMEOUT_SEC,
        async () => {
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
            ...(recheck ? { line_gift_status: live!.get(lgId) ?? null } : {}),
          })
        }
      )
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
      const bucket = countExportResult(counts, locked.value)
      if (bucket && bucket !== "sent" && bucket !== "unchanged") {
        errors.push(runErrorOf(locked.value, lgId))
      }
      if (outcome.status === "retry") break
    }
    // The sweep runs every minute: a sweep that only found held exports still held (a
    // re-check, nothing changed for the merchant) is not history; anything else is.
    const did =
      counts.sent +
      counts.unchanged +
      counts.held +
      counts.failed +
      counts.pending
    if (did && did !== counts.held) {
      await recordExportRun(container, {
        shop_id: shop.id,
        trigger: "automatic",
        started_at: startedAt,
        counts,
        errors,
      })
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
 * there) or after a permanent refusal, whatever the shop's auto export setting. It sends the
 * values recorded for the fulfilment (the carrier is not re-resolved from today's mapping);
 * one held for the recipient's address is sent only if LINE Gift's status (read live) is
 * 発送待ち. Recorded in the sync history (source "push_again").
 * @returns the export row afterwards (state and `last_error` say how it went).
 * @throws MedusaError NOT_FOUND (unknown export), NOT_ALLOWED (API usage off, or another
 *   export of the shop is running).
 */
export async function pushLineGiftExportNow(
  container: MedusaContainer,
  exportId: string
): Promise<LineGiftExportRow> {
  const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
  const row = (await service.retrieveLineGiftExport(
    exportId
  )) as unknown as LineGiftExportRow
  const shop = (await service.retrieveLineGiftShop(row.shop_id)) as any
  if (!shop.api_enabled) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `LINE Gift shop "${shop.name}": API usage is off. Turn it on in Settings → LINE Gift.`
    )
  }
  const records = await recordIds(service, row.shop_id, [row])
  const startedAt = new Date()
  // Held for the recipient's address: ask LINE Gift whether it has arrived.
  const live = isAwaitingAddress(row)
    ? await liveStatuses(container, row.shop_id, [row.line_gift_order_id])
    : null
  const locked = await withExportLock(
    container,
    row.shop_id,
    PUSH_LOCK_TIMEOUT_SEC,
    () =>
      runExport(container, {
        ...(live
          ? { line_gift_status: live.get(row.line_gift_order_id) ?? null }
          : {}),
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
  const counts = emptyCounts("push_again")
  const bucket = countExportResult(counts, locked.value)
  if (bucket) {
    await recordExportRun(container, {
      shop_id: row.shop_id,
      trigger: "manual",
      started_at: startedAt,
      counts,
      errors:
        bucket === "sent" || bucket === "unchanged"
          ? []
          : [runErrorOf(locked.value, row.line_gift_order_id)],
    })
  }
  return (locked.value.export ??
    (await service.retrieveLineGiftExport(
      exportId
    ))) as unknown as LineGiftExportRow
}

/** Counts of a manual export. */
export type ManualExportCounts = {
  sent: number
  unchanged: number
  held: number
  failed: number
}

/** Result of a manual export: counts and the `line_gift_sync_run` (kind `export`) recorded. */
export type ManualExportResult = {
  counts: ManualExportCounts
  run: Record<string, any>
}

/**
 * Manual export ("送信情報の更新"): every imported LINE Gift order of the shop bought in the
 * last `days` days (1–30, default 3) whose Medusa order has a fulfilment is pushed when its
 * shipment info is unsent or changed. Orders LINE Gift already has exactly are not sent
 * again (`unchanged`); incomplete ones are `held` with the reason; refused ones `failed`.
 * Runs whatever the shop's auto export setting. Recorded as a sync run of kind `export`
 * (created_count = sent, already_imported_count = unchanged, skipped_count = held,
 * failed_count = failed; `export_counts` with source "manual"; `errors` carry the held and
 * failed reasons). Shipments held for the recipient's address (and orders last seen waiting
 * for it) are re-checked against LINE Gift's current status first. Stops at the first
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

  const counts: ManualExportCounts = {
    sent: 0,
    unchanged: 0,
    held: 0,
    failed: 0,
  }
  const errors: Array<{ line_gift_order_id: string | null; reason: string }> =
    []
  let runError: string | null = null
  let seen = 0
  try {
    const targets = await manualExportTargets(
      container,
      service,
      shop.id,
      since
    )
    seen = targets.length
    // Shipments held for the recipient's address (or orders last seen waiting for it):
    // re-check them against LINE Gift's current status.
    const heldRows = (await service.listLineGiftExports({
      shop_id: shop.id,
      state: "held",
      line_gift_order_id: targets.map((t) => t.line_gift_order_id),
    } as any)) as unknown as LineGiftExportRow[]
    const recheck = new Set([
      ...heldRows.filter(isAwaitingAddress).map((r) => r.line_gift_order_id),
      ...targets
        .filter(
          (t) =>
            t.line_gift_status &&
            AWAITING_ADDRESS_STATUSES.has(t.line_gift_status)
        )
        .map((t) => t.line_gift_order_id),
    ])
    const live = await liveStatuses(container, shop.id, [...recheck])
    for (const { line_gift_status: _known, ...target } of targets) {
      const lgId = target.line_gift_order_id
      const status =
        live && recheck.has(lgId)
          ? { line_gift_status: live.get(lgId) ?? null }
          : {}
      let locked: LockResult<ExportLineGiftShipmentOutput>
      try {
        locked = await withExportLock(
          container,
          shop.id,
          EVENT_LOCK_TIMEOUT_SEC,
          () => runExport(container, { ...target, ...status, send: true })
        )
      } catch (e) {
        counts.failed++
        errors.push({
          line_gift_order_id: target.line_gift_order_id,
          reason: errorMessage(e),
        })
        continue
      }
      if (!locked.ran) {
        counts.failed++
        errors.push({
          line_gift_order_id: target.line_gift_order_id,
          reason:
            "another export of this shop was running; run the export again",
        })
        continue
      }
      const { export: row, plan, outcome } = locked.value
      if (!row) continue // no fulfilment yet: nothing to tell LINE Gift
      if (outcome.status === "sent") {
        counts.sent++
      } else if (outcome.status === "retry") {
        counts.failed++
        errors.push({
          line_gift_order_id: target.line_gift_order_id,
          reason: outcome.message ?? "",
        })
        runError = `stopped: ${outcome.message}`
        break
      } else if (row.state === "failed") {
        counts.failed++
        errors.push({
          line_gift_order_id: target.line_gift_order_id,
          reason: row.last_error ?? "",
        })
      } else if (row.state === "held") {
        counts.held++
        errors.push({
          line_gift_order_id: target.line_gift_order_id,
          reason: row.last_error ?? "",
        })
      } else if (plan.action === "unchanged" || row.state === "sent") {
        counts.unchanged++
      }
    }
  } catch (e) {
    runError = errorMessage(e)
  }

  const state = runError
    ? "failed"
    : counts.failed || counts.held
      ? "partial"
      : "succeeded"
  const finished = await service.updateLineGiftSyncRuns({
    id: run.id,
    state,
    finished_at: new Date(),
    seen_count: seen,
    created_count: counts.sent,
    already_imported_count: counts.unchanged,
    skipped_count: counts.held,
    failed_count: counts.failed,
    export_counts: {
      ...counts,
      pending: 0,
      source: "manual",
    } satisfies ExportRunCounts,
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
): Promise<Array<ExportTarget & { line_gift_status: string | null }>> {
  const records = (await service.listLineGiftOrders(
    {
      shop_id: shopId,
      state: "imported",
      $or: [
        { bought_at: { $gte: since } },
        { bought_at: null, created_at: { $gte: since } },
      ],
    } as any,
    { select: ["id"], order: { bought_at: "ASC" } }
  )) as any[]
  if (!records.length) return []
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "line_gift_order",
    fields: [
      "id",
      "shop_id",
      "line_gift_order_id",
      "line_gift_status",
      "order.id",
    ],
    filters: { id: records.map((r) => r.id) },
  })
  const byId = new Map((data as any[]).map((r) => [r.id, r]))
  const targets: Array<ExportTarget & { line_gift_status: string | null }> = []
  for (const { id } of records) {
    const r = byId.get(id)
    if (!r?.order?.id) continue
    targets.push({
      shop_id: shopId,
      line_gift_order_id: r.line_gift_order_id,
      record_id: r.id,
      order_id: r.order.id,
      line_gift_status: r.line_gift_status ?? null,
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
  if (e && typeof e === "object" && "message" in e)
    return String((e as any).message)
  return String(e)
}

function safeLogger(container: MedusaContainer): any {
  try {
    return container.resolve("logger")
  } catch {
    return null
  }
}
