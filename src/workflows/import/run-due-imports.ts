/**
 * Automatic fetches: which shops are due, and one import each (the tick job calls this every
 * minute). Safe on many instances and many ticks:
 * - a due shop is claimed under its import lock (the same lock as manual imports): due-ness is
 *   re-read inside the lock and `next_fetch_at` moved past `now` before the import starts, so
 *   a second process or a later tick finds it not due (no duplicate, no stacking);
 * - a shop whose import is running is skipped (the lock says "already running");
 * - hours of missed ticks give one catch-up run (schedule.ts: the stored next fetch is in the
 *   past once, the next one is computed from `now`).
 * - the due shops run concurrently, at most `DUE_IMPORT_CONCURRENCY` at a time (each under its
 *   own lock): a shop whose LINE Gift answers slowly holds only its own slot, never the others.
 * Window of an automatic run: the shop's last `fetch_days` days up to `now`, reaching further
 * back to where the previous complete automatic window ended (automaticWindowFrom), so that no
 * purchase time falls between two automatic runs.
 */
import type { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import {
  fetchSettingsOf,
  isDue,
  nextFetchAt,
  retryFailedFetchAt,
} from "../../lib/schedule"
import { LINE_GIFT_MODULE } from "../../modules/line-gift"
import type LineGiftModuleService from "../../modules/line-gift/service"
import type {
  LineGiftShopRecord,
  LineGiftSyncRunRecord,
} from "../../modules/line-gift/types"
import { automaticFailuresInARow } from "./run/finish"
import {
  importUnderLock,
  retrieveImportableShop,
  withShopImportLock,
  type ImportableShop,
  type RunImportResult,
} from "./run-import"
import { safeErrorMessage } from "../../lib/safe-error"

const DAY_MS = 24 * 3600 * 1000

/**
 * How far back an automatic window reaches at most to join the previous one, days: LINE
 * Gift's order search returns about three months of orders (and `fetch_days` allows 90).
 */
export const MAX_AUTOMATIC_WINDOW_DAYS = 90

/** How many recent automatic runs automaticWindowFrom looks through for a complete one. */
const RECENT_AUTOMATIC_RUNS = 20

/**
 * How many due shops one tick imports at the same time on one worker. Small on purpose: each
 * import writes pages of orders (database connections, CPU); the bound only keeps one slow
 * LINE Gift from holding the shops behind it.
 */
export const DUE_IMPORT_CONCURRENCY = 4

/** A shop as the tick reads it (due-ness, then the import). */
type DueShop = LineGiftShopRecord

/** What the tick did with one shop. */
export type DueImportOutcome = {
  shop_id: string
  /** `ran`: an import ran (see run); `not_due`: another process/tick took it first;
   * `busy`: an import of the shop was running; `error`: could not start (error says why). */
  outcome: "ran" | "not_due" | "busy" | "error"
  run?: LineGiftSyncRunRecord | Record<string, unknown>
  error?: string
}

/** Options of runDueLineGiftImports. */
export type RunDueImportsOptions = {
  /** At most this many shops import at once (default DUE_IMPORT_CONCURRENCY; min 1). */
  concurrency?: number
}

/**
 * Starts the imports that are due at `now` and returns what happened, one outcome per due shop
 * in the order the shops were listed. Due shops run concurrently (at most
 * `options.concurrency`, default DUE_IMPORT_CONCURRENCY), each under its own import lock; a
 * shop's failure is its outcome and never stops the others.
 * Shops with auto fetch on but no `next_fetch_at` yet get it computed (and run when that is now).
 * A shop that cannot be imported (API off, no credentials…) gets its next fetch moved on, so it
 * is retried at its next slot rather than every minute. A shop whose stored schedule cannot
 * be read (written around the admin API) is an `error` outcome at every tick, logged, and the
 * other shops run.
 * @param now the clock (tests pass a fake one)
 */
export async function runDueLineGiftImports(
  container: MedusaContainer,
  now: Date = new Date(),
  options: RunDueImportsOptions = {}
): Promise<DueImportOutcome[]> {
  const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
  const shops = (await service.listLineGiftShops({
    auto_fetch_mode: ["interval", "schedule"],
    api_enabled: true,
  })) as DueShop[]
  // A shop whose stored schedule cannot be read is its own `error` outcome: it never stops
  // the other shops' fetches.
  const work: Array<{ shop: DueShop } | { outcome: DueImportOutcome }> = []
  for (const shop of shops) {
    try {
      if (isDue(fetchSettingsOf(shop), shop, now)) {
        work.push({ shop })
      }
    } catch (e) {
      const error = `its automatic fetch settings cannot be read (${safeErrorMessage(e)}); save them again in the admin`
      logWarn(
        container,
        `LINE Gift automatic import of shop ${shop.id} not started: ${error}`
      )
      work.push({ outcome: { shop_id: shop.id, outcome: "error", error } })
    }
  }
  return await mapWithConcurrency(
    work,
    Math.max(1, options.concurrency ?? DUE_IMPORT_CONCURRENCY),
    async (w) =>
      "outcome" in w
        ? w.outcome
        : await runDueLineGiftImport(container, w.shop.id, now)
  )
}

/**
 * `work` for every item, at most `limit` at a time (a small pool: a slot takes the next item as
 * soon as its previous one settles); results in the order of `items`. `work` must not throw
 * (runDueLineGiftImport turns every failure into an outcome).
 */
async function mapWithConcurrency<T, R>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<R>
): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const slot = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await work(items[index])
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, slot))
  return results
}

/**
 * One automatic import of one shop if it is (still) due at `now` — see file comment.
 */
export async function runDueLineGiftImport(
  container: MedusaContainer,
  shopId: string,
  now: Date = new Date()
): Promise<DueImportOutcome> {
  const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
  let shop: ImportableShop
  try {
    shop = await retrieveImportableShop(service, shopId)
  } catch (e) {
    const current = (await service
      .retrieveLineGiftShop(shopId)
      .catch(() => null)) as DueShop | null
    if (current) {
      await service.updateLineGiftShops({
        id: shopId,
        next_fetch_at: nextFetchAt(fetchSettingsOf(current), now, now),
      })
    }
    logWarn(
      container,
      `LINE Gift automatic import of shop ${shopId} not started: ${safeErrorMessage(e)}`
    )
    return { shop_id: shopId, outcome: "error", error: safeErrorMessage(e) }
  }
  let claimed = false
  try {
    const result = await withShopImportLock(
      container,
      shop,
      async (): Promise<RunImportResult | null> => {
        // Re-read inside the lock: another process may have claimed this slot meanwhile.
        const fresh = (await service.retrieveLineGiftShop(shopId)) as DueShop
        const settings = fetchSettingsOf(fresh)
        if (!isDue(settings, fresh, now)) {
          return null
        }
        // The claim: the slot is taken before the import starts.
        await service.updateLineGiftShops({
          id: shopId,
          next_fetch_at: nextFetchAt(settings, now, now),
        })
        claimed = true
        const days = typeof fresh.fetch_days === "number" ? fresh.fetch_days : 7
        const from = await automaticWindowFrom(service, shopId, now, days)
        // Region checked by retrieveImportableShop just before; the re-read keeps it unless changed.
        const importable = {
          ...fresh,
          region_id: fresh.region_id ?? shop.region_id,
        }
        return await importUnderLock(container, service, importable, {
          shop_id: shopId,
          from,
          to: now,
          trigger: "automatic",
        })
      }
    )
    return result
      ? { shop_id: shopId, outcome: "ran", run: result.run }
      : { shop_id: shopId, outcome: "not_due" }
  } catch (e) {
    if (
      e instanceof MedusaError &&
      e.type === MedusaError.Types.NOT_ALLOWED &&
      /already running/.test(e.message)
    ) {
      return { shop_id: shopId, outcome: "busy" }
    }
    logWarn(
      container,
      `LINE Gift automatic import of shop ${shopId} failed: ${safeErrorMessage(e)}`
    )
    if (claimed) {
      await scheduleRetryAfterError(container, service, shopId)
    }
    return { shop_id: shopId, outcome: "error", error: safeErrorMessage(e) }
  }
}

/**
 * Start of an automatic run's purchase window: `now` − `days`, or earlier — the end of the
 * latest automatic window that was read completely (run `succeeded` or `partial`, reading not
 * stopped early), when that lies further back, but never more than MAX_AUTOMATIC_WINDOW_DAYS.
 * Without it an order bought just after one run's window closed could be before the next
 * window opens: daily runs of the last day start a day before their own clock, which is later
 * than the previous window's end by the run's length and the tick's delay; a weekly schedule
 * with `fetch_days` under 7, or automatic runs failing (LINE Gift down) for longer than
 * `fetch_days`, leave whole days that no run reads. A first automatic run (none before) looks
 * back `days` days.
 * @param now the automatic run's clock (also the end of its window)
 * @param days the shop's `fetch_days`
 * @returns an instant at or before `now` − `days`
 */
export async function automaticWindowFrom(
  service: LineGiftModuleService,
  shopId: string,
  now: Date,
  days: number
): Promise<Date> {
  const lastDays = new Date(now.getTime() - days * DAY_MS)
  const runs = (await service.listLineGiftSyncRuns(
    {
      shop_id: shopId,
      kind: "import",
      trigger: "automatic",
      state: ["succeeded", "partial"],
    },
    {
      select: ["id", "window_to", "skipped_reasons"],
      order: { started_at: "DESC" },
      take: RECENT_AUTOMATIC_RUNS,
    }
  )) as Array<Pick<LineGiftSyncRunRecord, "window_to" | "skipped_reasons">>
  const complete = runs.find(
    (r) =>
      r.window_to &&
      !(r.skipped_reasons as { read_stopped?: unknown } | null)?.read_stopped
  )
  if (!complete?.window_to) {
    return lastDays
  }
  const joined = new Date(
    Math.max(
      new Date(complete.window_to).getTime(),
      now.getTime() - MAX_AUTOMATIC_WINDOW_DAYS * DAY_MS
    )
  )
  return joined < lastDays ? joined : lastDays
}

/**
 * After an automatic run that threw before its run could finish (recovery, start-up, the
 * window's read): the next fetch moved up to the retry (retryFailedFetchAt, 15 minutes, doubled
 * per failed automatic run before it) as for a run that failed, instead of the slot the run claimed — a whole interval, or the next
 * weekday slot, away. A failure to write it is logged; the claimed slot then stays.
 */
async function scheduleRetryAfterError(
  container: MedusaContainer,
  service: LineGiftModuleService,
  shopId: string
): Promise<void> {
  try {
    const fresh = (await service.retrieveLineGiftShop(shopId)) as DueShop
    const stored = fresh.next_fetch_at ? new Date(fresh.next_fetch_at) : null
    await service.updateLineGiftShops({
      id: shopId,
      next_fetch_at: retryFailedFetchAt(
        fetchSettingsOf(fresh),
        new Date(),
        stored,
        // This failure left no run record: the failed ones before it, plus this one.
        (await automaticFailuresInARow(service, shopId)) + 1
      ),
    })
  } catch (e) {
    logWarn(
      container,
      `LINE Gift automatic import of shop ${shopId}: its retry could not be scheduled (${safeErrorMessage(e)}); next fetch at the claimed slot`
    )
  }
}

/** Logs a warning through Medusa's logger, when one is registered. */
function logWarn(container: MedusaContainer, message: string) {
  try {
    container
      .resolve<{ warn: (message: string) => void }>("logger")
      .warn(message)
  } catch {
    // no logger registered (unit contexts)
  }
}
