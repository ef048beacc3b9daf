/**
 * Pure parts of "the admin tells the truth": reason codes (server), their texts in both
 * languages (admin), the widget's Japan-time input and one date format, duplicate schedules.
 */
import {
  FAILURE_REASON_CODES,
  classifyFailureReason,
  runOutcome,
  withRunReasonCodes,
} from "../../src/lib/failure-reasons"
import { REASON_CODES, reasonKey } from "../../src/admin/lib/reasons"
import {
  CANCELLED_AFTER_FULFILMENT,
  PARTIAL_ADDRESS_ARRIVED,
  SHIPPED_OUTSIDE_MEDUSA,
} from "../../src/workflows/import/run/update-known"
import { importSummaryKey } from "../../src/admin/lib/run-outcome"
import { RUN_TONES, toneColor } from "../../src/admin/lib/status-colors"
import { EXPORT_REASON_CODES } from "../../src/lib/carrier"
import {
  LINE_GIFT_ORDER_LIST_DAYS,
  formatJst,
  formatJstDate,
  orderListStartAfter,
  parseJstInput,
} from "../../src/admin/lib/format"
import { createElement } from "react"
import { renderToStaticMarkup } from "react-dom/server"
import { JstDateTimeInput } from "../../src/admin/components/orders-widget/jst-input"
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
    [PARTIAL_ADDRESS_ARRIVED, "partial_address_arrived"],
    ["something nobody foresaw", "unknown"],
    ["", "unknown"],
  ])("%s → %s", (reason, code) => {
    expect(classifyFailureReason(reason)).toBe(code)
  })

  it("adds codes to a run's errors and its error", () => {
    const run = withRunReasonCodes({
      kind: "import",
      state: "partial",
      failed_count: 1,
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
    expect(run.outcome).toBe("partial")
    expect(run.attention_count).toBe(0)
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

describe("run outcome: attention notes are not failures", () => {
  const note = (reason: string, id = "8000000021") => ({
    line_gift_order_id: id,
    reason,
  })
  const partial = {
    kind: "import",
    state: "partial",
    failed_count: 0,
    skipped_reasons: { errors_omitted: 0, read_stopped: null },
  }

  it.each([
    SHIPPED_OUTSIDE_MEDUSA,
    CANCELLED_AFTER_FULFILMENT,
    PARTIAL_ADDRESS_ARRIVED,
  ])(
    "a partial import whose only errors are attention notes needs attention (%s)",
    (reason) => {
      expect(
        runOutcome({ ...partial, errors: [note(reason), note(reason, "2")] })
      ).toEqual({ outcome: "needs_attention", attention_count: 2 })
      // The API answer says it too; the stored state stays `partial`.
      const shown = withRunReasonCodes({ ...partial, errors: [note(reason)] })
      expect([shown.state, shown.outcome, shown.attention_count]).toEqual([
        "partial",
        "needs_attention",
        1,
      ])
    }
  )

  it("stays partial when an order failed, another error was recorded, errors went unlisted or reading stopped", () => {
    const attention = note(SHIPPED_OUTSIDE_MEDUSA)
    expect(
      runOutcome({
        ...partial,
        failed_count: 1,
        errors: [attention, note("malformed order: item: is required", "2")],
      })
    ).toEqual({ outcome: "partial", attention_count: 1 })
    expect(
      runOutcome({
        ...partial,
        errors: [attention, note("shipment check failed: database down", "2")],
      }).outcome
    ).toBe("partial")
    expect(
      runOutcome({
        ...partial,
        errors: [attention],
        skipped_reasons: { errors_omitted: 3 },
      }).outcome
    ).toBe("partial")
    expect(
      runOutcome({
        ...partial,
        errors: [attention, note("LINE Gift stopped answering", "")],
        skipped_reasons: { read_stopped: "LINE Gift stopped answering" },
      }).outcome
    ).toBe("partial")
    // An export run in which a shipment failed stays partial.
    expect(
      runOutcome({
        ...partial,
        kind: "export",
        failed_count: 1,
        errors: [attention],
      }).outcome
    ).toBe("partial")
    expect(
      runOutcome({ kind: "import", state: "succeeded", errors: [] })
    ).toEqual({ outcome: "succeeded", attention_count: 0 })
  })

  it("an export run that only held shipments (0 failed) is not shown as failed", () => {
    const held = {
      kind: "export",
      state: "partial",
      failed_count: 0,
      skipped_count: 1,
      errors: [
        note(
          "waiting for the recipient's address (LINE Gift status gift_message_wait); sent by itself once the order is 発送待ち (payment)"
        ),
      ],
    }
    const { outcome } = runOutcome(held)
    expect(outcome).toBe("needs_attention")
    expect(withRunReasonCodes(held).state).toBe("partial") // stored state kept
    expect(RUN_TONES[outcome]).not.toBe("failed")
    expect(toneColor(RUN_TONES[outcome])).not.toBe("red")
    expect((en as any).runState[outcome]).not.toMatch(/fail/i)
    expect((ja as any).runState[outcome]).not.toMatch(/失敗/)
  })

  it("the import panel's result line names the attention count instead of '0 failed'", () => {
    expect(importSummaryKey({ failed_count: 0, attention_count: 0 })).toBe(
      "widget.summary"
    )
    expect(importSummaryKey({ failed_count: 0, attention_count: 1 })).toBe(
      "widget.summaryAttention"
    )
    expect(importSummaryKey({ failed_count: 2, attention_count: 1 })).toBe(
      "widget.summaryAll"
    )
    for (const key of [
      "widget.summary",
      "widget.summaryAttention",
      "widget.summaryAll",
    ]) {
      const [a, b] = key.split(".")
      for (const lang of [en, ja] as any[])
        expect([key, typeof lang[a][b]]).toEqual([key, "string"])
    }
    expect((en as any).widget.summaryAttention).not.toMatch(/failed/)
    expect((ja as any).widget.summaryAttention).not.toMatch(/失敗/)
  })
})

describe("export hold reasons", () => {
  it.each([...EXPORT_REASON_CODES])("%s has a ja and an en text", (code) => {
    for (const lang of [en, ja] as any[])
      expect([code, typeof lang.shipments.reasons[code]]).toEqual([
        code,
        "string",
      ])
  })

  it("a deleted shop's hold is said in the admin's language", () => {
    expect(EXPORT_REASON_CODES).toContain("shop_deleted")
    expect((ja as any).shipments.reasons.shop_deleted).toMatch(/削除.*伝票番号/)
    expect((en as any).shipments.reasons.shop_deleted).toMatch(
      /deleted in Medusa/
    )
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

  it.each([
    ["en", en, 20],
    ["ja", ja, 12],
  ] as const)(
    "the import window's placeholders fit the half-width field (%s); the hint says an empty end means the click",
    (_lang, texts: any, most) => {
      const w = texts.adminTruth.importWindow
      // The field is ~200 px wide at 1024 px (two columns): about 20 Latin or 12 Japanese
      // characters of the small input's font; a longer placeholder is cut off.
      for (const key of ["fromPlaceholder", "toPlaceholder"])
        expect([key, [...w[key]].length <= most]).toEqual([key, true])
      expect(w.format).toMatch(/Import|取込/)
    }
  )

  describe("a `from` older than LINE Gift's order list (about 90 days)", () => {
    // 2026-12-02 09:00 Japan time; 90 days before: 2026-09-03 09:00 Japan time.
    const now = new Date("2026-12-02T00:00:00Z")
    const listStart = "2026-09-03T00:00:00.000Z"

    it.each([
      ["2026-09-03T08:59", listStart],
      ["2026-09-03", listStart], // a date alone: that day's 00:00
      ["2025-12-01T00:00", listStart],
      ["2026-09-03T09:00", null],
      ["2026-09-04", null],
      ["2026-12-01T09:30", null],
      ["", null],
      [null, null],
      ["not a date", null],
    ])("orderListStartAfter(%j) → %j", (from, expected) => {
      expect(LINE_GIFT_ORDER_LIST_DAYS).toBe(90)
      expect(orderListStartAfter(from, now)?.toISOString() ?? null).toBe(
        expected
      )
    })

    it.each([
      ["en", en, /about 90 days \(to around 3 Sept? 2026\)/],
      ["ja", ja, /約90日前\(2026\/09\/03頃\)/],
    ] as const)(
      "is said under the field, as a warning the run allows (%s)",
      (lang, texts: any, expected) => {
        const start = orderListStartAfter("2026-08-01", now)!
        const warning = texts.adminTruth.importWindow.beyondOrderList
          .replace("{{days}}", String(LINE_GIFT_ORDER_LIST_DAYS))
          .replace("{{date}}", formatJstDate(start.toISOString(), lang))
        const html = renderToStaticMarkup(
          createElement(JstDateTimeInput, {
            id: "lg-import-from",
            label: "From",
            value: "2026/08/01",
            onChange: () => undefined,
            placeholder: "",
            describedBy: "lg-import-format",
            warning,
          })
        )
        expect(html).toMatch(expected)
        expect(html).toContain('data-testid="lg-import-from-warning"')
        expect(html).toContain(
          'aria-describedby="lg-import-format lg-import-from-warning"'
        )
        // A warning, not an error: the field is not marked invalid.
        expect(html).not.toContain("aria-invalid")
      }
    )
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
