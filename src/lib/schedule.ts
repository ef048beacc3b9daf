/**
 * Pure schedule arithmetic of automatic fetches, in Asia/Tokyo (UTC+9 all year, no DST).
 * No database, no clock of its own: every function takes `now`, so tests use a fake clock.
 *
 * Cron and time-zone arithmetic is croner's (weekday schedules and hour-window starts are cron
 * patterns evaluated with `timezone: "Asia/Tokyo"`); only "which hour is it in Tokyo" is read
 * with Intl.
 *
 * How the tick uses it (src/workflows/import/run-due-imports.ts): the shop stores
 * `next_fetch_at`. A tick whose `now` is at or past it runs ONE import and stores the next
 * instant strictly after the run's start — so hours of downtime (many missed slots) give one
 * catch-up run, not a burst, and a run that lasts longer than the interval never stacks
 * (its successor is computed from the clock, and the shop's import lock refuses a second one).
 * An automatic run that fails is tried again FAILED_FETCH_RETRY_MINUTES later (retryFailedFetchAt).
 */
import { Cron } from "croner"
import { DEFAULT_FETCH_INTERVAL_MINUTES } from "./shop-defaults"

/** The merchants' time zone. */
export const FETCH_TIME_ZONE = "Asia/Tokyo"
/** Limit of weekday schedules per shop (the admin API validates it; schedule.ts re-checks). */
export const MAX_SCHEDULES = 10

/** One weekday schedule: weekdays 0=Sunday … 6=Saturday, time "HH:MM" (Asia/Tokyo). */
export type FetchScheduleEntry = { weekdays: number[]; time: string }

/** The shop settings the schedule depends on (the shop record's columns). */
export type FetchSettings = {
  auto_fetch_mode: "off" | "interval" | "schedule" | null | undefined
  /** Minutes between fetches in `interval` mode (5–1440). */
  fetch_interval_minutes?: number | null
  /** Optional hour window of `interval` mode, 0–23, Asia/Tokyo, end exclusive, may cross midnight. */
  fetch_window_start_hour?: number | null
  fetch_window_end_hour?: number | null
  /** `schedule` mode entries (at most MAX_SCHEDULES). */
  fetch_schedules?: FetchScheduleEntry[] | null
}

/** What the schedule knows of past and planned fetches. */
export type FetchState = {
  /** Stored next due instant (null: not computed yet, e.g. right after the migration). */
  next_fetch_at?: Date | string | null
  /** When the last import run finished (any trigger). */
  last_fetched_at?: Date | string | null
}

/** The stored columns `fetchSettingsOf` reads (a LINE Gift shop record fits). */
export type StoredFetchSettings = {
  auto_fetch_mode?: string | null
  fetch_interval_minutes?: number | null
  fetch_window_start_hour?: number | null
  fetch_window_end_hour?: number | null
  /** JSON column: an array of FetchScheduleEntry (anything else counts as none). */
  fetch_schedules?: unknown
}

const FETCH_MODES = ["off", "interval", "schedule"] as const

/**
 * The shop's auto-fetch settings (the columns schedule.ts reads). A missing mode, or one that
 * is none of off/interval/schedule (the column's enum forbids it), is `off`.
 */
export function fetchSettingsOf(shop: StoredFetchSettings): FetchSettings {
  return {
    auto_fetch_mode:
      FETCH_MODES.find((m) => m === shop.auto_fetch_mode) ?? "off",
    fetch_interval_minutes: shop.fetch_interval_minutes,
    fetch_window_start_hour: shop.fetch_window_start_hour,
    fetch_window_end_hour: shop.fetch_window_end_hour,
    fetch_schedules: Array.isArray(shop.fetch_schedules)
      ? (shop.fetch_schedules as FetchScheduleEntry[])
      : [],
  }
}

const MINUTE_MS = 60_000

const hourFormat = new Intl.DateTimeFormat("en-GB", {
  timeZone: FETCH_TIME_ZONE,
  hour: "2-digit",
  hourCycle: "h23",
})

/** The hour (0–23) of an instant in Asia/Tokyo. */
export function tokyoHour(at: Date): number {
  return Number(hourFormat.format(at))
}

/** True when `hour` lies in [start, end) — a window with start > end crosses midnight. */
export function hourInWindow(
  hour: number,
  start: number,
  end: number
): boolean {
  return start < end ? hour >= start && hour < end : hour >= start || hour < end
}

function toDate(value: Date | string | null | undefined): Date | null {
  if (value === null || value === undefined) {
    return null
  }
  const d = value instanceof Date ? value : new Date(value)
  return Number.isNaN(d.getTime()) ? null : d
}

function hasWindow(s: FetchSettings): s is FetchSettings & {
  fetch_window_start_hour: number
  fetch_window_end_hour: number
} {
  return (
    typeof s.fetch_window_start_hour === "number" &&
    typeof s.fetch_window_end_hour === "number" &&
    s.fetch_window_start_hour !== s.fetch_window_end_hour
  )
}

/** Cron pattern (minute hour * * weekdays) of one schedule entry. @throws RangeError when malformed */
export function scheduleCronPattern(entry: FetchScheduleEntry): string {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(entry?.time ?? "")
  const days = Array.isArray(entry?.weekdays) ? entry.weekdays : []
  if (
    !m ||
    !days.length ||
    days.some((d) => !Number.isInteger(d) || d < 0 || d > 6)
  ) {
    throw new RangeError(
      'a fetch schedule needs weekdays 0–6 (at least one) and a time "HH:MM"'
    )
  }
  return `${Number(m[2])} ${Number(m[1])} * * ${[...new Set(days)].sort().join(",")}`
}

/** First instant strictly after `after` matching the cron `pattern` in Asia/Tokyo. */
function nextCron(pattern: string, after: Date): Date | null {
  return new Cron(pattern, { timezone: FETCH_TIME_ZONE }).nextRun(after)
}

/**
 * The first instant at or after `at` inside the hour window (`at` itself when inside).
 */
export function nextInWindow(at: Date, start: number, end: number): Date {
  if (hourInWindow(tokyoHour(at), start, end)) {
    return at
  }
  // Next start of the window ("0 start * * *" in Tokyo), strictly after `at - 1 ms`.
  return nextCron(`0 ${start} * * *`, new Date(at.getTime() - 1))!
}

/**
 * When the next automatic fetch is due.
 * - `off`: null.
 * - `interval`: `lastFetchedAt + N minutes`, but never before `now` (a fetch overdue after
 *   downtime is due now, once); with an hour window, moved to the window's next start when it
 *   falls outside. Never fetched: due now (or at the window's start).
 * - `schedule`: the earliest entry slot strictly after `now` (a slot equal to `now` is the one
 *   being served by the run that asks).
 * @param settings the shop's auto-fetch settings
 * @param lastFetchedAt when the last run finished (null: never)
 * @param now the clock
 * @returns an absolute instant, or null when nothing is scheduled
 * @throws RangeError for more than MAX_SCHEDULES entries or a malformed entry (the admin API
 *   refuses them earlier with a merchant-readable message)
 */
export function nextFetchAt(
  settings: FetchSettings,
  lastFetchedAt: Date | string | null | undefined,
  now: Date
): Date | null {
  const mode = settings.auto_fetch_mode ?? "off"
  if (mode === "interval") {
    const minutes = Math.max(
      1,
      Math.floor(
        settings.fetch_interval_minutes ?? DEFAULT_FETCH_INTERVAL_MINUTES
      )
    )
    const last = toDate(lastFetchedAt)
    let at = last ? new Date(last.getTime() + minutes * MINUTE_MS) : now
    if (at < now) {
      at = now
    }
    return hasWindow(settings)
      ? nextInWindow(
          at,
          settings.fetch_window_start_hour,
          settings.fetch_window_end_hour
        )
      : at
  }
  if (mode === "schedule") {
    const entries = settings.fetch_schedules ?? []
    if (entries.length > MAX_SCHEDULES) {
      throw new RangeError(`at most ${MAX_SCHEDULES} fetch schedules`)
    }
    let best: Date | null = null
    for (const entry of entries) {
      const next = nextCron(scheduleCronPattern(entry), now)
      if (next && (!best || next < best)) {
        best = next
      }
    }
    return best
  }
  return null
}

/** Minutes after an automatic fetch that failed before it is tried again (the first time). */
export const FAILED_FETCH_RETRY_MINUTES = 15

/**
 * When to try again after an automatic fetch that failed at `failedAt` (LINE Gift unreachable,
 * an error while reading): FAILED_FETCH_RETRY_MINUTES later, doubled for each earlier failure
 * in a row (15, 30, 60 … minutes: a failure that needs a person — a rejected refresh token —
 * does not fill the history with a failed run every 15 minutes) — in `interval` mode with an
 * hour window, at the window's next start when that falls outside it — or `regular` (the next
 * fetch the run claimed) when that is sooner. Without it a failed fetch waited a whole
 * interval, or until the next weekday slot (a week for a weekly schedule).
 * @param regular the stored next fetch (null: none)
 * @param failuresInARow automatic runs failed in a row, this one included (default 1; ≥ 1)
 * @returns an absolute instant, or null when automatic fetch is off
 */
export function retryFailedFetchAt(
  settings: FetchSettings,
  failedAt: Date,
  regular: Date | null,
  failuresInARow = 1
): Date | null {
  if ((settings.auto_fetch_mode ?? "off") === "off") {
    return null
  }
  const doublings = Math.min(Math.max(Math.floor(failuresInARow), 1) - 1, 16)
  let at = new Date(
    failedAt.getTime() + FAILED_FETCH_RETRY_MINUTES * 2 ** doublings * MINUTE_MS
  )
  if (settings.auto_fetch_mode === "interval" && hasWindow(settings)) {
    at = nextInWindow(
      at,
      settings.fetch_window_start_hour,
      settings.fetch_window_end_hour
    )
  }
  return regular && regular < at ? regular : at
}

/**
 * Whether an automatic fetch is due at `now`: auto fetch is on and the stored `next_fetch_at`
 * (or, when none is stored yet, the computed one) is at or before `now`.
 */
export function isDue(
  settings: FetchSettings,
  state: FetchState,
  now: Date
): boolean {
  if ((settings.auto_fetch_mode ?? "off") === "off") {
    return false
  }
  const next =
    toDate(state.next_fetch_at) ??
    nextFetchAt(settings, state.last_fetched_at, now)
  return next !== null && next.getTime() <= now.getTime()
}

/**
 * Asia/Tokyo wall-clock time → instant (minute precision), e.g. tokyoTime(2026, 11, 29, 9, 30)
 * = 2026-11-29T00:30:00Z. Month is 1–12. Tokyo has no DST, so the offset is always +09:00.
 */
export function tokyoTime(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0
): Date {
  return new Date(Date.UTC(year, month - 1, day, hour - 9, minute))
}
