/**
 * Stage "record progress" of an import run, after each page: orders not importable yet are
 * tracked (`seen`), the statuses read are stored on their records, and the run record gets the
 * counts so far (GET /admin/line-gift/runs/:id shows them while the run goes on). Module
 * records only: no Medusa write, no workflow needed.
 */
import { jsonColumn } from "../../../modules/line-gift/json-column"
import type { ImportRun, PageWork } from "./context"

/** Saves the page's work and the run's progress (see file comment). */
export async function recordProgress(
  run: ImportRun,
  page: PageWork
): Promise<void> {
  await trackSeen(run, page.toTrack)
  await refreshStatuses(run, page.statusRead)
  await saveProgress(run)
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
 * update; an unchanged one only gets its read time, in one statement for the page (a no-change
 * re-fetch of a large known backlog stays cheap: issue 13.3).
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
  const unchanged = rows.filter((r) => r.stored === r.line_gift_status)
  await run.service.touchStatusRead(
    unchanged.map((r) => r.id),
    now
  )
}

/** Writes the run's counts, errors and breakdowns (RunSummary.progress) to its record. */
export async function saveProgress(run: ImportRun): Promise<void> {
  const progress = run.summary.progress()
  await run.service.updateLineGiftSyncRuns({
    id: run.record.id,
    ...progress,
    errors: jsonColumn(progress.errors),
  })
}
