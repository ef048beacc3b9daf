/**
 * Pure parts of "the admin tells the truth": reason codes (server), their texts in both
 * languages (admin), the widget's Japan-time input and one date format, duplicate schedules.
 */
import {
  FAILURE_REASON_CODES,
  classifyFailureReason,
  withRunReasonCodes,
} from "../../src/lib/failure-reasons"
import { REASON_CODES, reasonKey } from "../../src/admin/lib/reasons"
import { SHIPPED_OUTSIDE_MEDUSA } from "../../src/workflows/import/run/update-known"
import {
  formatJst,
  formatJstDate,
  parseJstInput,
} from "../../src/admin/lib/format"
import { hasDuplicateSchedules } from "../../src/admin/components/shop-form"
import en from "../../src/admin/i18n/json/en.json"
import ja from "../../src/admin/i18n/json/ja.json"

describe("failure reason codes", () => {
  it.each([
    ["malformed order: stock_count: must be at least 1", "malformed_order"],
    ["bought_on: is required to apply the date window", "bought_on_missing"],
    ["Some variant does not have the required inventory", "out_of_stock"],
    [
      "LINE Gift order_search failed: connect ECONNREFUSED 127.0.0.1:1",
      "line_gift_unreachable",
    ],
    [
      "LINE Gift order_search failed: HTTP 503 (server error) after 4 attempts",
      "line_gift_error",
    ],
    [
      "status_not_importable: LINE Gift status is now cancel; not imported",
      "status_not_importable",
    ],
    [
      "cancelled on LINE Gift after fulfilment: the Medusa order was not cancelled; check",
      "cancelled_after_fulfilment",
    ],
    [SHIPPED_OUTSIDE_MEDUSA, "shipped_outside_medusa"],
    ["something nobody foresaw", "unknown"],
    ["", "unknown"],
  ])("%s → %s", (reason, code) => {
    expect(classifyFailureReason(reason)).toBe(code)
  })

  it("adds codes to a run's errors and its error", () => {
    const run = withRunReasonCodes({
      errors: [
        {
          line_gift_order_id: "1",
          reason: "malformed order: item: is required",
        },
      ],
      error: "LINE Gift order_search failed: timeout of 10000ms exceeded",
    })
    expect(run.errors).toEqual([
      {
        line_gift_order_id: "1",
        reason: "malformed order: item: is required",
        code: "malformed_order",
      },
    ])
    expect(run.error_code).toBe("line_gift_unreachable")
  })

  it("every server code has a text in English and Japanese, and the admin knows every code", () => {
    expect([...REASON_CODES].sort()).toEqual([...FAILURE_REASON_CODES].sort())
    for (const code of FAILURE_REASON_CODES) {
      const key = reasonKey(code).split(".")
      const pick = (d: any) => key.reduce((o, k) => o?.[k], d)
      expect([code, typeof pick(en)]).toEqual([code, "string"])
      expect([code, typeof pick(ja)]).toEqual([code, "string"])
      expect(pick(ja)).not.toMatch(/^[ -~\s]*$/) // a Japanese label is not plain ASCII
    }
    expect(reasonKey("no_such_code")).toBe("adminTruth.reasons.unknown")
  })
})

describe("Japan-time input and dates", () => {
  it.each([
    ["2026/12/01 09:30", "2026-12-01T09:30"],
    ["2026-12-01T09:30", "2026-12-01T09:30"],
    ["２０２６／１２／０１　９:３０", "2026-12-01T09:30"],
    ["2026/12/1", "2026-12-01"],
    ["", ""],
    ["  ", ""],
    ["2026/13/01 09:30", null],
    ["2026/02/30", null],
    ["2026/12/01 24:00", null],
    ["12/01/2026", null],
  ])("parseJstInput(%j) → %j", (text, expected) => {
    expect(parseJstInput(text)).toBe(expected)
  })

  it("one date format: a ship date reads like the other dates (2026/12/01 in ja)", () => {
    expect(formatJstDate("2026-12-01", "ja")).toBe("2026/12/01")
    expect(formatJst("2026-12-01T00:30:00Z", "ja")).toBe("2026/12/01 09:30")
    expect(
      formatJst("2026-12-01T00:30:00Z", "ja").startsWith(
        formatJstDate("2026-12-01", "ja")
      )
    ).toBe(true)
    expect(formatJstDate("2026-12-01", "en")).toBe("1 Dec 2026")
    expect(formatJstDate(null, "ja")).toBe("-")
  })
})

describe("schedules", () => {
  it("two schedules with the same weekdays (any order) and time are duplicates", () => {
    expect(
      hasDuplicateSchedules([
        { weekdays: [1, 3], time: "09:00" },
        { weekdays: [3, 1], time: "09:00" },
      ])
    ).toBe(true)
    expect(
      hasDuplicateSchedules([
        { weekdays: [1, 3], time: "09:00" },
        { weekdays: [1, 3], time: "09:01" },
      ])
    ).toBe(false)
  })
})
