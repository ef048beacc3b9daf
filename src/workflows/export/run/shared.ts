/**
 * The stages every export run shares (event, sweep, push again, manual): push one export
 * under the shop's export lock, count its result, read LINE Gift's live status of held
 * orders, and record the run in the sync history.
 */
import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { LINE_GIFT_MODULE } from "../../../modules/line-gift"
import type LineGiftModuleService from "../../../modules/line-gift/service"
import type { LineGiftSyncRunRecord } from "../../../modules/line-gift/types"
import {
  exportLineGiftShipmentWorkflow,
  type ExportLineGiftShipmentInput,
  type ExportLineGiftShipmentOutput,
} from "../workflows/export-line-gift-shipment"
import type { LineGiftExportRow } from "../types"
export { asExportRows } from "../types"
import { getLineGiftClient } from "../../helpers/line-gift-client"
import { jsonColumn } from "../../../modules/line-gift/json-column"
import { errorMessage, safeLogger } from "../../helpers/logging"
import { readLineGiftStatuses } from "../line-gift-statuses"

/** Lock key of a shop's exports. */
export const exportLockKey = (shopId: string) => `line-gift:export:${shopId}`

/** Seconds an event or manual export waits for the shop's export lock. */
export const EVENT_LOCK_TIMEOUT_SEC = 120
/** Seconds "Push again" waits (the merchant is looking at the page). */
export const PUSH_LOCK_TIMEOUT_SEC = 30
/** Seconds a sweep waits per export before leaving it to the next sweep. */
export const SWEEP_LOCK_TIMEOUT_SEC = 10

/** What ran under a lock: its value, or `ran: false` when the lock was not free in time. */
export type LockResult<T> = { ran: true; value: T } | { ran: false }

/** One line of a run's `errors`: the LINE Gift order and why it was held, failed or left pending. */
export type ExportRunError = {
  line_gift_order_id: string | null
  reason: string
}

/** Runs `fn` under the shop's export lock; `{ ran: false }` when the lock was not free in time. */
export async function withExportLock<T>(
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

/** Runs exportLineGiftShipmentWorkflow for one export (the caller holds the shop's export lock). */
export async function runExport(
  container: MedusaContainer,
  input: ExportLineGiftShipmentInput
): Promise<ExportLineGiftShipmentOutput> {
  const { result } = await exportLineGiftShipmentWorkflow(container).run({
    input,
  })
  return result
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

/** Bucket of ExportRunCounts one export's result went to. */
export type ExportBucket = "sent" | "unchanged" | "held" | "failed" | "pending"

/** Adds one export's result to `counts`; @returns the bucket it went to, or null (nothing recorded). */
export function countExportResult(
  counts: ExportRunCounts,
  result: Pick<ExportLineGiftShipmentOutput, "export" | "outcome">
): ExportBucket | null {
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

/** Zero counts of a run from `source`. */
export const emptyCounts = (
  source: ExportRunCounts["source"]
): ExportRunCounts => ({
  sent: 0,
  unchanged: 0,
  held: 0,
  failed: 0,
  pending: 0,
  source,
})

/** The reason line of a held / failed / pending export for a run's `errors`. */
export function runErrorOf(
  result: ExportLineGiftShipmentOutput,
  lgId: string
): ExportRunError {
  const reason = result.outcome.message ?? result.export?.last_error ?? ""
  return { line_gift_order_id: lgId, reason }
}

/** A run's `errors` for one export: none when it was sent or unchanged, else its reason. */
export function runErrorsOfOne(
  bucket: ExportBucket,
  result: ExportLineGiftShipmentOutput,
  lgId: string
): ExportRunError[] {
  return bucket === "sent" || bucket === "unchanged"
    ? []
    : [runErrorOf(result, lgId)]
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
    errors: ExportRunError[]
    error?: string | null
    seen?: number
  }
): Promise<LineGiftSyncRunRecord | null> {
  try {
    const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
    const c = run.counts
    const errors = run.errors.filter((e) => e.reason)
    const state = run.error
      ? "failed"
      : c.failed || c.held || errors.length
        ? "partial"
        : "succeeded"
    return await service.createLineGiftSyncRuns({
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
      export_counts: jsonColumn(c),
      errors: jsonColumn(errors),
      error: run.error ?? null,
    })
  } catch (e) {
    safeLogger(container)?.warn(
      `LINE Gift export run not recorded: ${errorMessage(e)}`
    )
    return null
  }
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
export async function liveStatuses(
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

/** LINE Gift order id → record id, for the given rows of one shop. */
export async function recordIds(
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
