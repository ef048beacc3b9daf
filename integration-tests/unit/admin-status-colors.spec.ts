/**
 * The admin's status badges speak one colour language (src/admin/lib/status-colors.ts): what
 * needs the merchant (orange) never looks like what is only under way or waiting by itself
 * (blue), nor like a failure (red) — two badges never differ by their word alone when one
 * asks for action and the other does not.
 */
import { createElement, type ReactElement } from "react"
import { renderToStaticMarkup } from "react-dom/server"
import i18next from "i18next"
import { I18nextProvider, initReactI18next } from "react-i18next"
import resources from "../../src/admin/i18n"
import {
  ExportStateBadge,
  RecordStateBadge,
  RunStateBadge,
} from "../../src/admin/components/badges"
import {
  RECORD_TONES,
  RUN_TONES,
  TONE_COLORS,
  exportTone,
  lineGiftStatusTone,
} from "../../src/admin/lib/status-colors"

async function html(el: ReactElement) {
  const i18n = i18next.createInstance()
  await i18n.use(initReactI18next).init({
    resources,
    lng: "en",
    ns: ["line-gift"],
    defaultNS: "line-gift",
  })
  return renderToStaticMarkup(createElement(I18nextProvider, { i18n }, el))
}

/** The tag colour StatusBadge's dot is painted with (bg-ui-tag-<colour>-icon; grey is "neutral"). */
const dotColor = (markup: string) =>
  /bg-ui-tag-(\w+)-icon/.exec(markup)?.[1] ?? null

describe("status colours: one mapping by what the merchant has to do", () => {
  it("gives each tone its own colour", () => {
    const colors = Object.values(TONE_COLORS)
    expect(new Set(colors).size).toBe(colors.length)
  })

  it("runs: needs attention is an action; partly failed and failed are failures", () => {
    expect(RUN_TONES).toEqual({
      running: "underway",
      succeeded: "done",
      needs_attention: "action",
      partial: "failed",
      failed: "failed",
    })
    expect(RECORD_TONES).toEqual({
      seen: "idle",
      importing: "underway",
      imported: "done",
      failed: "failed",
    })
  })

  it.each([
    [{ state: "pending" }, "underway"],
    [{ state: "sent" }, "done"],
    [{ state: "failed" }, "failed"],
    [{ state: "held", reasons: [{ code: "awaiting_address" }] }, "underway"],
    [{ state: "held", reasons: [{ code: "no_tracking_number" }] }, "action"],
    [
      {
        state: "held",
        reasons: [{ code: "awaiting_address" }, { code: "no_carrier" }],
      },
      "action",
    ],
    [{ state: "held", reasons: [] }, "action"],
    [{ state: "held" }, "action"],
    [{ state: "sent", sent_fulfillment_cancelled: true }, "action"],
  ] as const)("exportTone(%j) → %s", (ex, tone) => {
    expect(exportTone(ex as Parameters<typeof exportTone>[0])).toBe(tone)
  })

  it("LINE Gift's own status: shipped done, cancelled red, the others under way", () => {
    expect(lineGiftStatusTone("received")).toBe("done")
    expect(lineGiftStatusTone("cancel")).toBe("failed")
    expect(lineGiftStatusTone("payment")).toBe("underway")
    expect(lineGiftStatusTone(null)).toBe("underway")
  })
})

describe("status badges as rendered", () => {
  it("'Needs attention' and 'Partly failed' are not the same orange", async () => {
    const attention = dotColor(
      await html(createElement(RunStateBadge, { state: "needs_attention" }))
    )
    const partial = dotColor(
      await html(createElement(RunStateBadge, { state: "partial" }))
    )
    expect(attention).toBe("orange")
    expect(partial).toBe("red")
  })

  it("a shipment held for the recipient's address (sent by itself) does not look like one held for the merchant", async () => {
    const waiting = dotColor(
      await html(
        createElement(ExportStateBadge, {
          state: "held",
          reasons: [{ code: "awaiting_address" }],
        })
      )
    )
    const action = dotColor(
      await html(
        createElement(ExportStateBadge, {
          state: "held",
          reasons: [{ code: "no_tracking_number" }],
        })
      )
    )
    const pending = dotColor(
      await html(createElement(ExportStateBadge, { state: "pending" }))
    )
    expect([waiting, action, pending]).toEqual(["blue", "orange", "blue"])
  })

  it("order records: failed red, imported green, seen grey", async () => {
    const of = async (state: string) =>
      dotColor(await html(createElement(RecordStateBadge, { state })))
    expect([
      await of("failed"),
      await of("imported"),
      await of("seen"),
    ]).toEqual(["red", "green", "neutral"])
  })
})
