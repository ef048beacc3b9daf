/**
 * Stage "record progress" of an import run, after each page: orders not importable yet are
 * tracked (`seen`), the statuses read are stored on their records, and the run record gets the
 * counts so far (GET /admin/line-gift/runs/:id shows them while the run goes on). Module
 * records only: no Medusa write, no workflow needed.
 */
import { jsonColumn } from "../../../modules/line-gift/json-column"
import type { ImportRun, PageWork } from "./context"

/**
 * How often, at most, a run writes its progress to its record while it goes on (ms): after the
 * first page, then after the first page that ends this long after the last write; the end of
 * the run always writes it (finishImportRun). The read times of unchanged statuses are written
 * with it (flushStatusReads). A run over a large known backlog reads pages faster than a person
 * refreshes the history, and each write is a database commit.
 */
export const PROGRESS_SAVE_INTERVAL_MS = 1000

/** Unchanged statuses waiting for their read time, at most (ids): then written at once. */
const MAX_PENDING_STATUS_READS = 5000

/** Saves the page's work and, at most every PROGRESS_SAVE_INTERVAL_MS, the run's progress. */
export async function recordProgress(
  run: ImportRun,
  page: PageWork
): Promise<void> {
  await trackSeen(run, page.toTrack)
  await refreshStatuses(run, page.statusRead)
  if (
    Date.now() - run.progressSavedAt >= PROGRESS_SAVE_INTERVAL_MS ||
    run.statusReads.ids.length >= MAX_PENDING_STATUS_READS
  ) {
    await flushStatusReads(run)
    await saveProgress(run)
  }
}

/**
 * Writes `status_read_at` of the unchanged statuses read since the last write, in one
 * statement (service.touchStatusRead), with the time of the first of those reads.
 */
export async function flushStatusReads(run: ImportRun): Promise<void> {
  const { ids, readAt } = run.statusReads
  run.statusReads = { ids: [], readAt: null }
  if (ids.length && readAt) await run.service.touchStatusRead(ids, readAt)
}

/**
 * Tracks orders that are not importable yet (state `seen`), so that a later run imports them
 * when they reach a fetched status even outside its window. A record created meanwhile by a
 * racing importer is left alone; a known record gets the status and payload read.
 */
async function trackSeen(
  run: ImportRun,
  items: PageWork["toTrack"]
): Promise<void> {
  const { service } = run
  const runId = run.record.id
  const fresh = items.filter((i) => !i.record)
  const rows = fresh.map(({ order, raw }) => ({
    shop_id: run.shop.id,
    line_gift_order_id: order.id,
    line_gift_status: order.status,
    raw: jsonColumn(raw),
    state: "seen" as const,
    status_read_at: new Date(),
    bought_at:
      order.bought_on !== undefined ? new Date(order.bought_on * 1000) : null,
    last_run_id: runId,
  }))
  if (rows.length) {
    try {
      await service.createLineGiftOrders(rows)
    } catch {
      // One of them was created meanwhile (unique per shop + order): go one by one.
      for (const row of rows) {
        await service.createLineGiftOrders(row).catch(() => undefined)
      }
    }
  }
  const changed = items.flatMap(({ order, raw, record }) =>
    record && record.line_gift_status !== order.status
      ? [
          {
            id: record.id,
            line_gift_status: order.status,
            status_read_at: new Date(),
            raw: jsonColumn(raw),
            last_run_id: runId,
          },
        ]
      : []
  )
  if (changed.length) {
    await service.updateLineGiftOrders(changed)
  }
}

/**
 * The LINE Gift status just read, with the time it was read (issue 16 item 4: the order widget
 * shows the status LINE Gift last reported). A changed status is written through the module's
 * update; an unchanged one only gets its read time, written with the run's progress in one
 * statement for all the pages since (flushStatusReads: a no-change re-fetch of a large known
 * backlog stays cheap, issue 13.3).
 */
async function refreshStatuses(
  run: ImportRun,
  rows: PageWork["statusRead"]
): Promise<void> {
  if (!rows.length) return
  const now = new Date()
  const changed = rows.filter((r) => r.stored !== r.line_gift_status)
  if (changed.length) {
    await run.service.updateLineGiftOrders(
      changed.map((r) => ({
        id: r.id,
        line_gift_status: r.line_gift_status,
        status_read_at: now,
      }))
    )
  }
  // Unchanged: only the read time, written with the run's progress (flushStatusReads).
  for (const r of rows) {
    if (r.stored !== r.line_gift_status) continue
    run.statusReads.ids.push(r.id)
    run.statusReads.readAt ??= now
  }
}

/** Writes the run's counts, errors and breakdowns (RunSummary.progress) to its record. */
export async function saveProgress(run: ImportRun): Promise<void> {
  run.progressSavedAt = Date.now()
  const progress = run.summary.progress()
  await run.service.updateLineGiftSyncRuns({
    id: run.record.id,
    ...progress,
    errors: jsonColumn(progress.errors),
  })
}
