/**
 * Schedule arithmetic of automatic fetches (src/lib/schedule.ts) with a fake clock: every
 * call gets its `now`. Times are written in Japan time with tokyoTime(...) and compared as
 * instants.
 */
import {
  hourInWindow,
  isDue,
  MAX_SCHEDULES,
  nextFetchAt,
  retryFailedFetchAt,
  scheduleCronPattern,
  tokyoHour,
  tokyoTime,
  type FetchSettings,
} from "../../src/lib/schedule"
import { AdminUpdateLineGiftShop } from "../../src/api/admin/line-gift/validators"

const jst = tokyoTime
const iso = (d: Date | null) => (d ? d.toISOString() : null)

const interval = (
  minutes: number,
  window?: [number, number]
): FetchSettings => ({
  auto_fetch_mode: "interval",
  fetch_interval_minutes: minutes,
  fetch_window_start_hour: window?.[0] ?? null,
  fetch_window_end_hour: window?.[1] ?? null,
})

const schedule = (...entries: Array<[number[], string]>): FetchSettings => ({
  auto_fetch_mode: "schedule",
  fetch_schedules: entries.map(([weekdays, time]) => ({ weekdays, time })),
})

describe("tokyo time helpers", () => {
  it("reads the hour in Japan time whatever the process time zone", () => {
    expect(jst(2026, 11, 29, 9, 30).toISOString()).toBe(
      "2026-11-29T00:30:00.000Z"
    )
    expect(tokyoHour(new Date("2026-11-29T15:00:00Z"))).toBe(0)
    expect(tokyoHour(new Date("2026-11-29T14:59:59Z"))).toBe(23)
  })

  it("knows windows, including one that crosses midnight", () => {
    expect([7, 8, 16, 17].map((h) => hourInWindow(h, 8, 17))).toEqual([
      false,
      true,
      true,
      false,
    ])
    expect(
      [21, 22, 23, 0, 5, 6, 12].map((h) => hourInWindow(h, 22, 6))
    ).toEqual([false, true, true, true, true, false, false])
  })
})

describe("nextFetchAt — off", () => {
  it("is null when automatic fetch is off", () => {
    expect(
      nextFetchAt({ auto_fetch_mode: "off" }, null, jst(2026, 11, 29, 9))
    ).toBeNull()
    expect(
      isDue(
        { auto_fetch_mode: "off" },
        { next_fetch_at: jst(2026, 1, 1) },
        jst(2026, 11, 29)
      )
    ).toBe(false)
  })
})

describe("nextFetchAt — interval", () => {
  it("is due at once when never fetched, then every N minutes after the last run", () => {
    const now = jst(2026, 11, 30, 10, 0)
    expect(iso(nextFetchAt(interval(30), null, now))).toBe(iso(now))
    expect(iso(nextFetchAt(interval(30), jst(2026, 11, 30, 9, 50), now))).toBe(
      iso(jst(2026, 11, 30, 10, 20))
    )
    expect(
      iso(nextFetchAt(interval(1440), jst(2026, 11, 30, 9, 50), now))
    ).toBe(iso(jst(2026, 12, 1, 9, 50)))
  })

  it("inside the hour window keeps the interval", () => {
    const next = nextFetchAt(
      interval(30, [8, 17]),
      jst(2026, 11, 30, 12, 0),
      jst(2026, 11, 30, 12, 5)
    )
    expect(iso(next)).toBe(iso(jst(2026, 11, 30, 12, 30)))
  })

  it("outside the hour window waits for the window's next start (8–17 時)", () => {
    // Last run 16:50 → 17:20 is outside → tomorrow 08:00.
    const next = nextFetchAt(
      interval(30, [8, 17]),
      jst(2026, 11, 30, 16, 50),
      jst(2026, 11, 30, 16, 55)
    )
    expect(iso(next)).toBe(iso(jst(2026, 12, 1, 8, 0)))
    // Before the window opens on the same day → 08:00 today.
    const early = nextFetchAt(
      interval(30, [8, 17]),
      null,
      jst(2026, 11, 30, 6, 10)
    )
    expect(iso(early)).toBe(iso(jst(2026, 11, 30, 8, 0)))
    // 16:59 is still inside (end exclusive at 17:00).
    expect(
      iso(
        nextFetchAt(
          interval(5, [8, 17]),
          jst(2026, 11, 30, 16, 54),
          jst(2026, 11, 30, 16, 55)
        )
      )
    ).toBe(iso(jst(2026, 11, 30, 16, 59)))
  })

  it("handles a window that crosses midnight (22–6 時)", () => {
    const s = interval(60, [22, 6])
    // 23:30 + 60 → 00:30 next day: inside.
    expect(
      iso(nextFetchAt(s, jst(2026, 11, 30, 23, 30), jst(2026, 11, 30, 23, 31)))
    ).toBe(iso(jst(2026, 12, 1, 0, 30)))
    // 05:30 + 60 → 06:30: outside → 22:00 the same day.
    expect(
      iso(nextFetchAt(s, jst(2026, 12, 1, 5, 30), jst(2026, 12, 1, 5, 31)))
    ).toBe(iso(jst(2026, 12, 1, 22, 0)))
  })

  it("catches up with ONE run after downtime, not a burst", () => {
    const s = interval(10)
    const last = jst(2026, 11, 30, 1, 0)
    const backAt = jst(2026, 11, 30, 9, 3) // 8 hours down: 48 slots missed
    expect(
      isDue(
        s,
        { next_fetch_at: jst(2026, 11, 30, 1, 10), last_fetched_at: last },
        backAt
      )
    ).toBe(true)
    // The one catch-up run starts at 09:03; its successor is 10 minutes after it, not a missed slot.
    const next = nextFetchAt(s, backAt, backAt)
    expect(iso(next)).toBe(iso(jst(2026, 11, 30, 9, 13)))
    // Ticks of the following minutes are not due.
    for (let m = 4; m < 13; m++) {
      expect(isDue(s, { next_fetch_at: next }, jst(2026, 11, 30, 9, m))).toBe(
        false
      )
    }
    expect(isDue(s, { next_fetch_at: next }, jst(2026, 11, 30, 9, 13))).toBe(
      true
    )
    // Overdue from the last run: never earlier than now.
    expect(iso(nextFetchAt(s, last, backAt))).toBe(iso(backAt))
  })

  it("a run longer than the interval does not stack: the next one is after it ends", () => {
    const s = interval(5)
    const started = jst(2026, 11, 30, 10, 0)
    const finished = jst(2026, 11, 30, 10, 17) // a 17-minute import
    expect(iso(nextFetchAt(s, finished, finished))).toBe(
      iso(jst(2026, 11, 30, 10, 22))
    )
    // Claimed at start: while it runs, ticks are not due.
    const claimed = nextFetchAt(s, started, started)!
    expect(isDue(s, { next_fetch_at: claimed }, jst(2026, 11, 30, 10, 4))).toBe(
      false
    )
  })
})

describe("nextFetchAt — weekday schedules", () => {
  // 2026-11-30 is a Monday.
  it("takes the earliest slot among entries, strictly after now", () => {
    const s = schedule([[1, 3, 5], "09:00"], [[1], "13:30"], [[0, 6], "10:00"])
    expect(iso(nextFetchAt(s, null, jst(2026, 11, 30, 8, 0)))).toBe(
      iso(jst(2026, 11, 30, 9, 0))
    )
    expect(iso(nextFetchAt(s, null, jst(2026, 11, 30, 9, 0)))).toBe(
      iso(jst(2026, 11, 30, 13, 30))
    )
    expect(iso(nextFetchAt(s, null, jst(2026, 11, 30, 14, 0)))).toBe(
      iso(jst(2026, 12, 2, 9, 0))
    )
    // Friday after 09:00 → Saturday 10:00.
    expect(iso(nextFetchAt(s, null, jst(2026, 12, 4, 9, 1)))).toBe(
      iso(jst(2026, 12, 5, 10, 0))
    )
  })

  it("uses Japan time across the UTC date line (Monday 08:00 JST is Sunday in UTC)", () => {
    const s = schedule([[1], "08:00"])
    const next = nextFetchAt(s, null, jst(2026, 11, 29, 12, 0))! // Sunday noon JST
    expect(next.toISOString()).toBe("2026-11-29T23:00:00.000Z")
    expect(next.getUTCDay()).toBe(0)
  })

  it("is DST-free: the same wall-clock slot across US and EU DST changes", () => {
    const s = schedule([[0, 1, 2, 3, 4, 5, 6], "09:00"])
    for (const [y, m, d] of [
      [2026, 3, 7],
      [2026, 3, 8],
      [2026, 3, 28],
      [2026, 3, 29],
      [2026, 10, 24],
      [2026, 10, 25],
      [2026, 10, 31],
      [2026, 11, 1],
    ]) {
      const next = nextFetchAt(s, null, jst(y, m, d, 8, 59))!
      expect(next.toISOString()).toBe(jst(y, m, d, 9, 0).toISOString())
      expect(next.getUTCHours()).toBe(0)
    }
  })

  it("catches up once after downtime across several missed slots", () => {
    const s = schedule(
      [[0, 1, 2, 3, 4, 5, 6], "09:00"],
      [[0, 1, 2, 3, 4, 5, 6], "15:00"]
    )
    const stored = jst(2026, 11, 30, 9, 0)
    const backAt = jst(2026, 12, 2, 11, 0) // missed 5 slots
    expect(isDue(s, { next_fetch_at: stored }, backAt)).toBe(true)
    const next = nextFetchAt(s, backAt, backAt)
    expect(iso(next)).toBe(iso(jst(2026, 12, 2, 15, 0)))
    expect(isDue(s, { next_fetch_at: next }, jst(2026, 12, 2, 11, 1))).toBe(
      false
    )
  })

  it("accepts 10 entries and refuses an 11th (also refused by the admin API)", () => {
    const ten = schedule(
      ...Array.from(
        { length: MAX_SCHEDULES },
        (_, i) => [[i % 7], `0${i}:15`] as [number[], string]
      )
    )
    expect(iso(nextFetchAt(ten, null, jst(2026, 11, 30, 0, 0)))).toBe(
      iso(jst(2026, 11, 30, 1, 15))
    )
    const eleven = {
      ...ten,
      fetch_schedules: [
        ...ten.fetch_schedules!,
        { weekdays: [1], time: "23:00" },
      ],
    }
    expect(() => nextFetchAt(eleven, null, jst(2026, 11, 30))).toThrow(
      RangeError
    )

    const api = AdminUpdateLineGiftShop.safeParse({
      fetch_schedules: eleven.fetch_schedules,
    })
    expect(api.success).toBe(false)
    expect(JSON.stringify(api.error!.issues)).toContain("at most 10 schedules")
    const empty = AdminUpdateLineGiftShop.safeParse({
      fetch_schedules: [{ weekdays: [], time: "09:00" }],
    })
    expect(JSON.stringify(empty.error!.issues)).toContain(
      "choose at least one weekday"
    )
    const badHour = AdminUpdateLineGiftShop.safeParse({
      fetch_window_start_hour: 24,
      fetch_window_end_hour: 3,
    })
    expect(JSON.stringify(badHour.error!.issues)).toContain(
      "must be an hour 0–23"
    )
  })

  it("makes cron patterns and refuses malformed entries", () => {
    expect(scheduleCronPattern({ weekdays: [5, 1, 1], time: "07:05" })).toBe(
      "5 7 * * 1,5"
    )
    expect(() => scheduleCronPattern({ weekdays: [], time: "07:05" })).toThrow(
      RangeError
    )
    expect(() => scheduleCronPattern({ weekdays: [7], time: "07:05" })).toThrow(
      RangeError
    )
    expect(() => scheduleCronPattern({ weekdays: [1], time: "24:00" })).toThrow(
      RangeError
    )
  })

  it("with no entries schedules nothing", () => {
    expect(nextFetchAt(schedule(), null, jst(2026, 11, 30))).toBeNull()
    expect(isDue(schedule(), {}, jst(2026, 11, 30))).toBe(false)
  })
})

describe("isDue", () => {
  it("compares the stored next fetch with the clock, computing it when none is stored", () => {
    const s = interval(30)
    const now = jst(2026, 11, 30, 10, 0)
    expect(isDue(s, { next_fetch_at: jst(2026, 11, 30, 10, 0) }, now)).toBe(
      true
    )
    expect(isDue(s, { next_fetch_at: jst(2026, 11, 30, 10, 1) }, now)).toBe(
      false
    )
    expect(isDue(s, { next_fetch_at: null, last_fetched_at: null }, now)).toBe(
      true
    )
    expect(
      isDue(
        s,
        { next_fetch_at: null, last_fetched_at: jst(2026, 11, 30, 9, 45) },
        now
      )
    ).toBe(false)
    expect(isDue(s, { next_fetch_at: "2026-11-30T00:59:00.000Z" }, now)).toBe(
      true
    )
  })
})

describe("retryFailedFetchAt", () => {
  it("tries a failed automatic fetch again 15 minutes later, or at the claimed slot when sooner", () => {
    const failedAt = jst(2026, 11, 30, 9, 2)
    // A weekly Monday 09:00 schedule: next week's slot → 09:17 today.
    const weekly = schedule([[1], "09:00"])
    expect(
      iso(retryFailedFetchAt(weekly, failedAt, jst(2026, 12, 7, 9, 0)))
    ).toBe(iso(jst(2026, 11, 30, 9, 17)))
    // Every 5 minutes: the regular slot is sooner.
    expect(
      iso(retryFailedFetchAt(interval(5), failedAt, jst(2026, 11, 30, 9, 7)))
    ).toBe(iso(jst(2026, 11, 30, 9, 7)))
    // Hour window 22–6 (crossing midnight): a retry at 06:10 waits for 22:00.
    expect(
      iso(
        retryFailedFetchAt(
          interval(1440, [22, 6]),
          jst(2026, 11, 30, 5, 55),
          jst(2026, 12, 1, 22, 0)
        )
      )
    ).toBe(iso(jst(2026, 11, 30, 22, 0)))
    expect(retryFailedFetchAt({ auto_fetch_mode: "off" }, failedAt, null)).toBe(
      null
    )
  })

  it("doubles the wait for each failure in a row, never past the claimed slot", () => {
    const failedAt = jst(2026, 11, 30, 9, 2)
    const weekly = schedule([[1], "09:00"])
    const nextWeek = jst(2026, 12, 7, 9, 0)
    const retry = (n: number) =>
      iso(retryFailedFetchAt(weekly, failedAt, nextWeek, n))
    expect(retry(1)).toBe(iso(jst(2026, 11, 30, 9, 17)))
    expect(retry(2)).toBe(iso(jst(2026, 11, 30, 9, 32)))
    expect(retry(3)).toBe(iso(jst(2026, 11, 30, 10, 2)))
    expect(retry(5)).toBe(iso(jst(2026, 11, 30, 13, 2)))
    // 15 × 2^11 minutes is beyond next week's slot: the slot.
    expect(retry(12)).toBe(iso(nextWeek))
  })
})
