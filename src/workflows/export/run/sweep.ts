/**
 * The export sweep (every minute): per shop with auto export and API usage on, select the
 * due exports → read LINE Gift's live status of those held for the address → push each under
 * the shop's export lock → count → record the run when it did more than re-hold.
 */
import type { MedusaContainer } from "@medusajs/framework/types"
import { LINE_GIFT_MODULE } from "../../../modules/line-gift"
import type LineGiftModuleService from "../../../modules/line-gift/service"
import type { LineGiftShopRecord } from "../../../modules/line-gift/types"
import type { ExportLineGiftShipmentOutput } from "../workflows/export-line-gift-shipment"
import type { LineGiftExportRow } from "../types"
import { errorMessage, safeLogger } from "../../helpers/logging"
import { nextExportAttemptAt } from "../../../lib/backoff"
import { sweepFulfillmentId } from "../steps/mark-export-due"
import {
  asExportRows,
  countExportResult,
  emptyCounts,
  isAwaitingAddress,
  liveStatuses,
  recordExportRun,
  recordIds,
  runErrorOf,
  runExport,
  SWEEP_LOCK_TIMEOUT_SEC,
  withExportLock,
  type ExportRunCounts,
  type ExportRunError,
  type LockResult,
} from "./shared"

/**
 * Whether a row is due for the sweep at `now`: a fulfilment event's due mark has come
 * (`due_at`, any state; markLineGiftExportDueStep — no export has planned the row since);
 * pending and due; held and due for a re-check (or held before a shop settings change).
 */
export function isExportDue(
  row: Pick<
    LineGiftExportRow,
    "state" | "next_attempt_at" | "updated_at" | "due_at"
  >,
  now: Date,
  shopUpdatedAt?: Date | null
): boolean {
  if (row.due_at && new Date(row.due_at).getTime() <= now.getTime()) {
    return true
  }
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
  /** Exports (and shops) whose sweep threw: recorded with the reason; an export retried after a backoff, a shop by the next sweep. */
  errors: number
}

/** What one shop's sweep works with: the time it judges due-ness by, records and live statuses. */
type ShopSweep = {
  container: MedusaContainer
  service: LineGiftModuleService
  shop: LineGiftShopRecord
  now: Date
  /** LINE Gift order id → record id. */
  records: Map<string, string>
  /** LINE Gift orders held for the address, to be judged by `live`. */
  awaiting: string[]
  live: Map<string, string | null> | null
}

/**
 * Stage 1: the shop's due exports (see isExportDue: marked by an event, pending and due, held
 * and due, held before a settings change), at most `limit`, in this order: rows a fulfilment
 * event marked due (oldest mark first: the merchant's latest shipments), then rows never tried
 * (`next_attempt_at` empty), then retries by their due time. With more than `limit` due, a
 * shipment just recorded is not left behind a backlog of retries (PostgreSQL sorts empty
 * values last in an ascending order, so `next_attempt_at` alone put never-tried rows last).
 * Exported for tests.
 */
export async function dueExports(
  service: LineGiftModuleService,
  shop: LineGiftShopRecord,
  now: Date,
  limit: number
): Promise<LineGiftExportRow[]> {
  const rows = await service.listLineGiftExports(
    {
      shop_id: shop.id,
      $or: [
        { due_at: { $lte: now } },
        { state: "pending", next_attempt_at: null },
        { state: ["pending", "held"], next_attempt_at: { $lte: now } },
        { state: "held", updated_at: { $lt: shop.updated_at } },
      ],
    },
    {
      take: limit,
      order: {
        due_at: "ASC NULLS LAST",
        next_attempt_at: "ASC NULLS FIRST",
        id: "ASC",
      },
    }
  )
  return asExportRows(rows)
}

/**
 * After an export that threw (its workflow rolled back, so the row is as before): its next
 * attempt is put back by the same backoff as a failed push (`attempts` + 1) and the error is
 * written on the row (service.deferExportAfterError) — outside the rolled-back workflow, so the
 * sweep does not retry it every minute. A write that fails too is logged; the export's own
 * error is what the caller reports.
 */
async function deferAfterError(
  s: ShopSweep,
  row: LineGiftExportRow,
  error: unknown
): Promise<void> {
  try {
    await s.service.deferExportAfterError({
      id: row.id,
      mark_seq: row.mark_seq ?? 0,
      next_attempt_at: nextExportAttemptAt(new Date(), (row.attempts ?? 0) + 1),
      last_error: `The export failed: ${errorMessage(error)}`,
    })
  } catch (e) {
    safeLogger(s.container)?.warn(
      `LINE Gift export ${row.id}: its next attempt could not be put back after an error: ${errorMessage(e)}`
    )
  }
}

/**
 * Stage 3: one export pushed under the shop's export lock, re-read under it first (another
 * sweep or an event may have handled it meanwhile). Value null: no longer due. An export that
 * throws is put back by the backoff (deferAfterError), then the error is thrown on.
 */
async function pushIfStillDue(
  s: ShopSweep,
  candidate: LineGiftExportRow
): Promise<LockResult<ExportLineGiftShipmentOutput | null>> {
  const lgId = candidate.line_gift_order_id
  const recheck = s.awaiting.includes(lgId)
  return await withExportLock(
    s.container,
    s.shop.id,
    SWEEP_LOCK_TIMEOUT_SEC,
    async () => {
      const [row] = asExportRows(
        await s.service.listLineGiftExports({ id: candidate.id })
      )
      if (!row || !isExportDue(row, s.now, s.shop.updated_at)) return null
      try {
        return await runExport(s.container, {
          shop_id: s.shop.id,
          line_gift_order_id: row.line_gift_order_id,
          record_id: s.records.get(row.line_gift_order_id) ?? "",
          order_id: row.order_id,
          fulfillment_id: sweepFulfillmentId(row),
          send: true,
          ...(recheck && s.live
            ? { line_gift_status: s.live.get(lgId) ?? null }
            : {}),
        })
      } catch (e) {
        await deferAfterError(s, row, e)
        throw e
      }
    }
  )
}

/** Stage 4: adds one export's result to the sweep's totals. */
function tallySweep(
  result: ExportSweepResult,
  value: ExportLineGiftShipmentOutput
): void {
  result.checked++
  const state = value.export?.state
  if (value.outcome.status === "sent") result.sent++
  else if (state === "held") result.held++
  else if (state === "failed") result.failed++
  else if (state === "pending") result.pending++
}

/**
 * Stages 2–4 for one shop: live statuses, then each candidate in turn; stops at the first
 * retryable failure (LINE Gift down, token to renew). @returns the run's counts and errors
 */
async function sweepCandidates(
  s: ShopSweep,
  candidates: LineGiftExportRow[],
  result: ExportSweepResult
): Promise<{ counts: ExportRunCounts; errors: ExportRunError[] }> {
  const counts = emptyCounts("sweep")
  const errors: ExportRunError[] = []
  for (const candidate of candidates) {
    const lgId = candidate.line_gift_order_id
    if (s.awaiting.includes(lgId) && !s.live) continue // LINE Gift unreadable: left to the next sweep
    let locked: Awaited<ReturnType<typeof pushIfStillDue>>
    try {
      locked = await pushIfStillDue(s, candidate)
    } catch (e) {
      // One export's error (its workflow rolled back; its next attempt put back by the backoff)
      // ends neither the shop's turn nor the sweep; counted pending with the reason.
      result.errors++
      counts.pending++
      errors.push({
        line_gift_order_id: lgId,
        reason: `the export failed: ${errorMessage(e)}; retried after a backoff`,
      })
      continue
    }
    if (!locked.ran) {
      result.busy++
      continue
    }
    if (!locked.value) continue
    tallySweep(result, locked.value)
    const bucket = countExportResult(counts, locked.value)
    if (bucket && bucket !== "sent" && bucket !== "unchanged") {
      errors.push(runErrorOf(locked.value, lgId))
    }
    if (locked.value.outcome.status === "retry") break
  }
  return { counts, errors }
}

/** One shop's sweep, from selecting its due exports to recording the run. */
async function sweepShop(
  container: MedusaContainer,
  service: LineGiftModuleService,
  shop: LineGiftShopRecord,
  options: { now: Date; limit: number },
  result: ExportSweepResult
): Promise<void> {
  const candidates = await dueExports(service, shop, options.now, options.limit)
  if (!candidates.length) return
  const startedAt = new Date()
  const records = await recordIds(service, shop.id, candidates)
  // Held until the recipient enters the address: what does LINE Gift say now?
  const awaiting = candidates
    .filter(isAwaitingAddress)
    .map((c) => c.line_gift_order_id)
  const live = await liveStatuses(container, shop.id, awaiting)
  const s: ShopSweep = {
    container,
    service,
    shop,
    now: options.now,
    records,
    awaiting,
    live,
  }
  const { counts, errors } = await sweepCandidates(s, candidates, result)
  // Stage 5. The sweep runs every minute: a sweep that only found held exports still held (a
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

/**
 * Retries due exports of every shop with auto export and API usage on: pending ones whose
 * `next_attempt_at` has come, and held ones due for a re-check (or whose shop settings changed
 * since); those held for the recipient's address are judged by LINE Gift's status read live
 * (left for the next sweep when LINE Gift cannot be read). A sweep that did more than re-hold
 * is recorded in the sync history (kind export, trigger automatic, source "sweep"). Per shop,
 * at most `limit` in dueExports' order (event-marked, never tried, then retries); a shop whose push fails for a retryable reason (LINE
 * Gift down, token to renew) is left alone until the next sweep. Rows a fulfilment event marked
 * due (`due_at`, any state) are planned again. An export that throws is counted (`errors`,
 * the run's `pending` with the reason), its next attempt put back by the backoff with the error
 * on the row, and the shop's turn goes on; a shop whose sweep throws is
 * recorded as a failed run and the other shops are still swept.
 */
export async function runLineGiftExportSweep(
  container: MedusaContainer,
  options: { now?: Date; limit?: number; shop_id?: string } = {}
): Promise<ExportSweepResult> {
  const now = options.now ?? new Date()
  const limit = options.limit ?? 100
  const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
  const shops = await service.listLineGiftShops({
    auto_export: true,
    api_enabled: true,
    ...(options.shop_id ? { id: options.shop_id } : {}),
  })
  const result: ExportSweepResult = {
    shops: shops.length,
    checked: 0,
    sent: 0,
    pending: 0,
    held: 0,
    failed: 0,
    busy: 0,
    errors: 0,
  }
  for (const shop of shops) {
    const startedAt = new Date()
    try {
      await sweepShop(container, service, shop, { now, limit }, result)
    } catch (e) {
      // One shop's error does not end the sweep for the others: a failed run says why.
      result.errors++
      const error = `export sweep of the shop failed: ${errorMessage(e)}`
      safeLogger(container)?.warn(`LINE Gift shop ${shop.id}: ${error}`)
      await recordExportRun(container, {
        shop_id: shop.id,
        trigger: "automatic",
        started_at: startedAt,
        counts: emptyCounts("sweep"),
        errors: [],
        error,
      })
    }
  }
  if (result.checked || result.busy || result.errors) {
    safeLogger(container)?.info(
      `LINE Gift export sweep: checked ${result.checked}, sent ${result.sent}, pending ${result.pending}, held ${result.held}, failed ${result.failed}, busy ${result.busy}, errors ${result.errors}`
    )
  }
  return result
}
