/**
 * The sync history's run drawer and the import toast, rendered with the admin's real
 * translations (en, ja): skipped orders listed once, every counted reason visible; a run whose
 * only errors are attention notes says "needs attention", never "partly failed, 0 failed".
 */
import { createElement } from "react"
import { renderToStaticMarkup } from "react-dom/server"
import i18next from "i18next"
import { I18nextProvider, initReactI18next } from "react-i18next"
import resources from "../../src/admin/i18n"
import { RunDetails } from "../../src/admin/components/history/run-drawer"
import { reasonDetail } from "../../src/admin/lib/reasons"
import type { LineGiftRun } from "../../src/admin/lib/types"
import { SHIPPED_OUTSIDE_MEDUSA } from "../../src/workflows/import/run/update-known"

const toast = { error: jest.fn(), warning: jest.fn(), success: jest.fn() }
jest.mock("@medusajs/ui", () => ({
  ...jest.requireActual("@medusajs/ui"),
  toast: {
    error: (...a: unknown[]) => toast.error(...a),
    warning: (...a: unknown[]) => toast.warning(...a),
    success: (...a: unknown[]) => toast.success(...a),
  },
}))
// After the mock: run-toasts takes the mocked toast.
import { announceImportRun } from "../../src/admin/lib/run-toasts"

async function i18nFor(lng: "en" | "ja") {
  const i18n = i18next.createInstance()
  await i18n.use(initReactI18next).init({
    resources,
    lng,
    fallbackLng: "en",
    ns: ["line-gift"],
    defaultNS: "line-gift",
    interpolation: { escapeValue: false },
  })
  return i18n
}

/** The drawer's HTML for `run` in `lng`. */
async function drawerHtml(run: LineGiftRun, lng: "en" | "ja") {
  return renderToStaticMarkup(
    createElement(
      I18nextProvider,
      { i18n: await i18nFor(lng) },
      createElement(RunDetails, { run, shopName: new Map() })
    )
  )
}

/** The drawer's text for `run` in `lng` (tags stripped, one space between blocks). */
async function drawerText(run: LineGiftRun, lng: "en" | "ja") {
  return (await drawerHtml(run, lng))
    .replace(/<[^>]+>/g, " ")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
}

const occurrences = (text: string, part: string) => text.split(part).length - 1

const BASE: LineGiftRun = {
  id: "run_1",
  shop_id: "shop_1",
  kind: "import",
  trigger: "manual",
  state: "succeeded",
  window_from: "2026-12-01T00:00:00.000Z",
  window_to: "2026-12-02T00:00:00.000Z",
  started_at: "2026-12-02T00:00:00.000Z",
  finished_at: "2026-12-02T00:00:05.000Z",
  pages_read: 1,
  seen_count: 10,
  created_count: 1,
  already_imported_count: 0,
  skipped_count: 7,
  failed_count: 0,
  errors: [],
  error: null,
}

/** Seven skipped orders, counted in both breakdowns as RunSummary.skip() counts them. */
const SKIPPING: LineGiftRun = {
  ...BASE,
  skip_reasons: {
    after_window: 1,
    before_window: 2,
    already_imported: 1,
    "status:received": 1,
    "status:hold": 1,
    "not_importable:cvs": 1,
  },
  ...({
    skipped_reasons: {
      status: { received: 1 },
      unknown_status: { hold: 1 },
      not_importable: { cvs: 1 },
      window: 3,
      imported_earlier: 1,
      repeated: 1,
      flagged: {
        out_of_stock: {
          count: 1,
          orders: [{ line_gift_order_id: "8000000001", sku: "LG-X" }],
        },
      },
      read_stopped: null,
      errors_omitted: 0,
    },
  } as object),
}

describe("run drawer: skipped orders", () => {
  it.each(["en", "ja"] as const)(
    "are listed once, in the import panel's words, every counted reason visible (%s)",
    async (lng) => {
      const text = await drawerText(SKIPPING, lng)
      const skips = (resources as any)[lng]["line-gift"].adminTruth.skips
      const line = (key: string, vars: Record<string, string | number>) =>
        Object.entries(vars).reduce(
          (s: string, [k, v]) => s.replace(`{{${k}}}`, String(v)),
          skips[key] as string
        )
      // Every reason, once.
      for (const expected of [
        line("after_window", { count: 1 }),
        line("before_window", { count: 2 }),
        line("already_imported", { count: 1 }),
        line("unknown_status", { count: 1, status: "hold" }),
        line("not_importable", {
          count: 1,
          status: (resources as any)[lng]["line-gift"].statuses.cvs,
        }),
        line("status", {
          count: 1,
          status: (resources as any)[lng]["line-gift"].statuses.received,
        }),
      ])
        expect([expected, occurrences(text, expected)]).toEqual([expected, 1])
      // The status code LINE Gift added later is named once (not again in other words).
      expect(occurrences(text, "hold")).toBe(1)
      const html = await drawerHtml(SKIPPING, lng)
      expect(occurrences(html, 'data-testid="line-gift-skip-reasons"')).toBe(1)
      expect(occurrences(html, "data-skip-reason=")).toBe(6)
      // The run's other notes stay: repeated across pages, flagged with the order and SKU.
      expect(text).toContain("8000000001 (LG-X)")
      expect(text).toMatch(lng === "en" ? /Sent again on a later page/ : /重複/)
    }
  )
})

const ATTENTION_ONLY: LineGiftRun = {
  ...BASE,
  state: "partial",
  outcome: "needs_attention",
  attention_count: 1,
  created_count: 0,
  skipped_count: 0,
  errors: [
    {
      line_gift_order_id: "8000000021",
      reason: SHIPPED_OUTSIDE_MEDUSA,
      code: "shipped_outside_medusa",
    },
  ],
}

describe("run drawer and toast: a run whose only errors are attention notes", () => {
  it.each([
    ["en", "Needs attention", "Partly failed"],
    ["ja", "要確認", "一部失敗"],
  ] as const)(
    "says it needs attention, with the count, not partly failed (%s)",
    async (lng, attention, partial) => {
      const text = await drawerText(ATTENTION_ONLY, lng)
      const html = await drawerHtml(ATTENTION_ONLY, lng)
      expect(text).not.toContain(partial)
      // The state badge, the count row, the mark on the order's note.
      expect(html).toMatch(
        new RegExp(`data-run-state="needs_attention">.*?${attention}</span>`)
      )
      expect(text).toContain(`${attention} 1`)
      expect(html).toMatch(
        new RegExp(`data-attention="true"[^>]*>${attention}<`)
      )
    }
  )

  it.each([
    ["en", "1 order needs your attention"],
    ["ja", "1件の注文に確認が必要です"],
  ] as const)(
    "ends with a warning toast naming the orders to look at, not '0 failed' (%s)",
    async (lng, expected) => {
      toast.warning.mockClear()
      const i18n = await i18nFor(lng)
      announceImportRun(i18n.t as any, ATTENTION_ONLY)
      expect(toast.warning).toHaveBeenCalledTimes(1)
      const message = String(toast.warning.mock.calls[0][0])
      expect(message).toContain(expected)
      expect(message).not.toMatch(/0 failed|失敗/)
    }
  )

  it("a partial run without failed orders (e.g. reading stopped) does not say '0 failed' either", async () => {
    toast.warning.mockClear()
    const i18n = await i18nFor("en")
    announceImportRun(i18n.t as any, {
      ...BASE,
      state: "partial",
      outcome: "partial",
      error: null,
    })
    expect(String(toast.warning.mock.calls[0][0])).not.toContain("0 failed")
  })
})

describe("run drawer: a reason's technical text only when it adds information", () => {
  it.each(["en", "ja"] as const)(
    "an attention note is said once, in the admin's words, without its fixed technical sentence (%s)",
    async (lng) => {
      const text = await drawerText(ATTENTION_ONLY, lng)
      const said = (resources as any)[lng]["line-gift"].adminTruth.reasons
        .shipped_outside_medusa as string
      expect(occurrences(text, said)).toBe(1)
      expect(text).not.toContain(SHIPPED_OUTSIDE_MEDUSA)
      expect(text).not.toContain("shipped on LINE Gift (received)")
    }
  )

  it("a failure's technical text that names the field and value stays under the sentence", async () => {
    const technical = "malformed order: stock_count: must be at least 1"
    const html = await drawerHtml(
      {
        ...BASE,
        state: "partial",
        failed_count: 1,
        errors: [
          {
            line_gift_order_id: "8000000022",
            reason: technical,
            code: "malformed_order",
          },
        ],
      },
      "en"
    )
    expect(occurrences(html, technical)).toBe(1)
    expect(html).toMatch(/font-mono[^>]*title="Detail"[^>]*>malformed order/)
  })

  it.each([
    [
      "shipped_outside_medusa",
      SHIPPED_OUTSIDE_MEDUSA,
      "Shipped on LINE Gift…",
      "",
    ],
    ["unknown", "Could not be imported", "Could not be imported.", ""],
    ["unknown", "  ", "Could not be imported.", ""],
    ["unknown", null, "Could not be imported.", ""],
    [
      "line_gift_error",
      "LINE Gift order_search failed: HTTP 503",
      "LINE Gift answered with an error.",
      "LINE Gift order_search failed: HTTP 503",
    ],
  ])(
    "reasonDetail(%j, %j) under %j → %j",
    (code, technical, text, expected) => {
      expect(reasonDetail(code, technical, text)).toBe(expected)
    }
  )
})
