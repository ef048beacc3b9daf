/**
 * Stage "finish" of an import run: the run record's final state, the shop's next fetch, the
 * unknown-status notification and the log line.
 */
import type { LineGiftSyncRunRecord } from "../../../modules/line-gift/types"
import {
  fetchSettingsOf,
  nextFetchAt,
  retryFailedFetchAt,
} from "../../../lib/schedule"
import { reportUnknownLineGiftStatuses } from "../../notifications/alerts"
import { errorMessage, type ImportRun } from "./context"
import { flushStatusReads, saveProgress } from "./record-progress"

/**
 * Ends the run: saves its progress (and the read times of unchanged statuses), then its state (`failed` when reading stopped on an error,
 * `partial` when some order failed or an error was stored, else `succeeded`), `finished_at`
 * and `error`. A run that did not fail moves the shop's `last_fetched_at` (an automatic one
 * also its `next_fetch_at`, see scheduleNextFetch; an automatic run that failed is tried again
 * soon, see scheduleRetry),
 * and — when it read every page — reports unknown status codes (one admin notification per
 * shop while they keep arriving; never fails the import).
 * @returns the finished run record.
 */
export async function finishImportRun(
  run: ImportRun
): Promise<LineGiftSyncRunRecord> {
  const { service, summary } = run
  const finishedAt = new Date()
  const state = summary.finalState(run.error)
  // The read times of unchanged statuses are informative: their write must not keep the run
  // from ending (it would stay `running`, and the shop's next fetch would not move).
  await flushStatusReads(run).catch((e) =>
    run.logger?.warn(
      `LINE Gift import run ${run.record.id}: status read times not saved: ${errorMessage(e)}`
    )
  )
  await saveProgress(run)
  const finished = await service.updateLineGiftSyncRuns({
    id: run.record.id,
    state,
    finished_at: finishedAt,
    error: run.error,
  })
  if (!run.error) {
    await scheduleNextFetch(run, finishedAt)
  } else if (run.record.trigger === "automatic") {
    await scheduleRetry(run, finishedAt)
  }
  if (!run.error && !summary.reasons.read_stopped) {
    // Unknown status codes (issue 9.2 / 11.5): cleared by a complete read that sees none.
    await reportUnknownLineGiftStatuses(
      run.container,
      run.shop,
      summary.reasons.unknown_status
    ).catch((e) =>
      run.logger?.warn(
        `LINE Gift import run ${run.record.id}: unknown-status notification not sent: ${errorMessage(e)}`
      )
    )
  }
  run.logger?.info(
    `LINE Gift import run ${run.record.id}: ${state}; ${summary.describe()}`
  )
  return finished
}

/**
 * The shop's last and next fetch after a run that did not fail.
 * - automatic run: the next slot after its end, never earlier than what is stored (the run
 *   claimed its successor slot already);
 * - manual run: `last_fetched_at` only; a stored next fetch stays as it is. A manual window
 *   may lie in the past or hold other statuses, so it never stands in for the automatic fetch
 *   (a due one still runs at the next tick; at worst one more fetch, whose orders are known).
 *   With none stored yet (automatic fetch just turned on), it is computed.
 */
async function scheduleNextFetch(
  run: ImportRun,
  finishedAt: Date
): Promise<void> {
  const fresh = await run.service.retrieveLineGiftShop(run.shop.id)
  const computed = nextFetchAt(fetchSettingsOf(fresh), finishedAt, finishedAt)
  const stored = fresh.next_fetch_at ? new Date(fresh.next_fetch_at) : null
  const next =
    computed === null || stored === null
      ? computed
      : run.record.trigger === "automatic"
        ? stored > computed
          ? stored
          : computed
        : stored
  await run.service.updateLineGiftShops({
    id: run.shop.id,
    last_fetched_at: finishedAt,
    next_fetch_at: next,
  })
}

/**
 * After an automatic run that failed: the shop's next fetch moved up to the retry
 * (retryFailedFetchAt: 15 minutes, doubled per earlier failure in a row), unless the one the
 * run claimed is sooner. `last_fetched_at` stays (nothing was fetched).
 */
async function scheduleRetry(run: ImportRun, failedAt: Date): Promise<void> {
  const fresh = await run.service.retrieveLineGiftShop(run.shop.id)
  const stored = fresh.next_fetch_at ? new Date(fresh.next_fetch_at) : null
  await run.service.updateLineGiftShops({
    id: run.shop.id,
    next_fetch_at: retryFailedFetchAt(
      fetchSettingsOf(fresh),
      failedAt,
      stored,
      await automaticFailuresInARow(run.service, run.shop.id)
    ),
  })
}

/** Most failed automatic runs in a row automaticFailuresInARow counts (the retry delay's cap). */
const FAILURES_COUNTED = 12

/**
 * How many of the shop's latest finished automatic import runs failed in a row (0–12), newest
 * first — the run just finished included.
 */
export async function automaticFailuresInARow(
  service: ImportRun["service"],
  shopId: string
): Promise<number> {
  const runs = (await service.listLineGiftSyncRuns(
    {
      shop_id: shopId,
      kind: "import",
      trigger: "automatic",
      state: ["succeeded", "partial", "failed"],
    },
    {
      select: ["id", "state"],
      order: { started_at: "DESC" },
      take: FAILURES_COUNTED,
    }
  )) as Array<{ state: string }>
  const ok = runs.findIndex((r) => r.state !== "failed")
  return ok === -1 ? runs.length : ok
}
