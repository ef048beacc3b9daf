/**
 * Schedule times as merchants type them (src/lib/clock-time.ts), and the API's schedule
 * validator that uses it: full-width digits and colon, a one-digit hour, spaces → "HH:MM".
 * No database.
 */
import { normalizeClockTime } from "../../src/lib/clock-time"
import { FetchSchedule } from "../../src/api/admin/line-gift/validators"

describe("schedule times as typed", () => {
  it("reads 9:00, ９：００ and ' 18 : 30 ' as HH:MM and leaves the rest for the check", () => {
    expect(normalizeClockTime("9:00")).toBe("09:00")
    expect(normalizeClockTime("０９：００")).toBe("09:00")
    expect(normalizeClockTime("９：０５")).toBe("09:05")
    expect(normalizeClockTime(" 18 : 30 ")).toBe("18:30")
    expect(normalizeClockTime("23:59")).toBe("23:59")
    expect(normalizeClockTime("0900")).toBe("0900")
    expect(normalizeClockTime("９時")).toBe("9時")
  })

  it("the API stores what was meant and refuses what is not a time", () => {
    expect(FetchSchedule.parse({ weekdays: [1], time: "９：００" })).toEqual({
      weekdays: [1],
      time: "09:00",
    })
    for (const time of ["24:00", "9時", "0900", "9:5", "12:60"]) {
      const r = FetchSchedule.safeParse({ weekdays: [1], time })
      expect(r.success).toBe(false)
      expect(JSON.stringify(r.error?.issues)).toContain("HH:MM")
    }
  })
})
