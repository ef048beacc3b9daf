/**
 * The admin's pure parts, without a browser: translations complete in both languages and in
 * step with the server's status labels, API errors split onto form fields, and the shop form's
 * checks and body.
 */
import fs from "fs"
import path from "path"
import {
  LINE_GIFT_ORDER_STATUSES,
  LINE_GIFT_STATUS_LABELS,
} from "../../src/lib/line-gift/schemas"
import en from "../../src/admin/i18n/json/en.json"
import ja from "../../src/admin/i18n/json/ja.json"
import resources, { LINE_GIFT_I18N_NS } from "../../src/admin/i18n"
import { parseApiError } from "../../src/admin/lib/errors"
import i18next from "i18next"
import { AdminApiError } from "../../src/admin/lib/sdk"
import { oauthErrorOf, tokenErrorText } from "../../src/admin/lib/oauth-reasons"
import { OAUTH_ERROR_CODES } from "../../src/lib/oauth-errors"
import {
  bodyFromForm,
  formFromShop,
  storedFormOf,
  validateShopForm,
  SHOP_FORM_FIELDS,
} from "../../src/admin/components/shop-form"
import {
  LINE_GIFT_STATUSES,
  type LineGiftShop,
} from "../../src/admin/lib/types"
import { LineGiftShop as LineGiftShopModel } from "../../src/modules/line-gift/models/shop"
import { hourInWindow } from "../../src/lib/schedule"

const ADMIN_DIR = path.join(__dirname, "..", "..", "src", "admin")

function flatten(
  obj: Record<string, unknown>,
  prefix = ""
): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(obj)) {
    if (v && typeof v === "object")
      Object.assign(
        out,
        flatten(v as Record<string, unknown>, `${prefix}${k}.`)
      )
    else out[`${prefix}${k}`] = String(v)
  }
  return out
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) return sourceFiles(p)
    return /\.tsx?$/.test(e.name) ? [p] : []
  })
}

describe("admin translations", () => {
  const enKeys = flatten(en)
  const jaKeys = flatten(ja)

  it("are registered per language in the plugin's namespace", () => {
    expect(Object.keys(resources).sort()).toEqual(["en", "ja"])
    expect((resources as any).en[LINE_GIFT_I18N_NS]).toBe(en)
    expect((resources as any).ja[LINE_GIFT_I18N_NS]).toBe(ja)
  })

  /** i18next plural suffixes: Japanese has only `_other`, English `_one` and `_other`. */
  const PLURAL = /_(zero|one|two|few|many|other)$/
  const baseKeys = (keys: Record<string, string>) =>
    [...new Set(Object.keys(keys).map((k) => k.replace(PLURAL, "")))].sort()
  /** The Japanese text shown for an English key (a plural form falls back to `_other`). */
  const jaFor = (k: string) => jaKeys[k] ?? jaKeys[k.replace(PLURAL, "_other")]

  it("have the same keys in Japanese and English (plural forms per language), none empty", () => {
    expect(baseKeys(jaKeys)).toEqual(baseKeys(enKeys))
    for (const k of Object.keys({ ...enKeys, ...jaKeys }).filter((k) =>
      PLURAL.test(k)
    )) {
      const other = k.replace(PLURAL, "_other")
      expect([k, other in enKeys, other in jaKeys]).toEqual([k, true, true])
    }
    for (const [k, v] of Object.entries({ ...enKeys, ...jaKeys }))
      expect([k, v.trim().length > 0]).toEqual([k, true])
  })

  it("use the same {{placeholders}} in both languages", () => {
    const vars = (s: string) =>
      (s.match(/\{\{\s*\w+\s*\}\}/g) ?? [])
        .map((m) => m.replace(/\s/g, ""))
        .sort()
    for (const k of Object.keys(enKeys))
      expect([k, vars(jaFor(k))]).toEqual([k, vars(enKeys[k])])
  })

  it('cover every key the admin code reads with t("…")', () => {
    const missing: string[] = []
    for (const file of sourceFiles(ADMIN_DIR)) {
      const src = fs.readFileSync(file, "utf8")
      for (const m of src.matchAll(/\bt\(\s*"([a-zA-Z][\w.]*\.[\w.]+)"/g)) {
        if (!(m[1] in enKeys) && !(`${m[1]}_other` in enKeys))
          missing.push(`${path.relative(ADMIN_DIR, file)}: ${m[1]}`)
      }
      // Keys built at run time: every value of their prefix must exist.
      for (const m of src.matchAll(/\bt\(\s*`([\w.]+)\.\$\{/g)) {
        if (!Object.keys(enKeys).some((k) => k.startsWith(`${m[1]}.`)))
          missing.push(`${file}: ${m[1]}.*`)
      }
    }
    expect(missing).toEqual([])
  })

  it("state the hour window's rule of schedule.ts, with examples it agrees with", () => {
    // End exclusive: 9–17 fetches until 16:59, not at 17:00.
    expect([hourInWindow(9, 9, 17), hourInWindow(16, 9, 17)]).toEqual([
      true,
      true,
    ])
    expect([hourInWindow(8, 9, 17), hourInWindow(17, 9, 17)]).toEqual([
      false,
      false,
    ])
    // A start later than the end crosses midnight: 22–6 fetches 22:00 … 5:59.
    expect([hourInWindow(22, 22, 6), hourInWindow(5, 22, 6)]).toEqual([
      true,
      true,
    ])
    expect([hourInWindow(21, 22, 6), hourInWindow(6, 22, 6)]).toEqual([
      false,
      false,
    ])
    for (const hint of [
      (en as any).autoFetch.windowHint,
      (ja as any).autoFetch.windowHint,
    ]) {
      expect(hint).toMatch(/9:00[–〜]17:00[^]*16:59[^]*17:00/)
      expect(hint).toMatch(/22:00[–〜]6:00[^]*5:59/)
    }
  })

  it("say which list is empty: no shipment needs attention, not 'nothing' under an import marked so", () => {
    // The sync history shows import runs marked "Needs attention" above this (export) list.
    const cases = [
      [en, /^No shipment needs attention\./, /import/],
      [ja, /^対応が必要な出荷はありません。/, /取込/],
    ] as const
    for (const [texts, shipments, imports] of cases) {
      const none = (texts as any).shipments.attention.none as string
      expect(none).toMatch(shipments)
      expect(none).toMatch(imports)
      expect(none).toContain((texts as any).runState.needs_attention)
    }
  })

  it("label LINE Gift statuses exactly as the server's LINE_GIFT_STATUS_LABELS", () => {
    expect([...LINE_GIFT_STATUSES]).toEqual([...LINE_GIFT_ORDER_STATUSES])
    for (const s of LINE_GIFT_ORDER_STATUSES) {
      expect((en as any).statuses[s]).toBe(LINE_GIFT_STATUS_LABELS[s].en)
      expect((ja as any).statuses[s]).toBe(LINE_GIFT_STATUS_LABELS[s].ja)
    }
  })
})

describe("LINE Gift's OAuth refusals in the admin (tokenErrorText)", () => {
  async function tFor(lng: "en" | "ja") {
    const i18n = i18next.createInstance()
    await i18n.init({
      resources,
      lng,
      ns: [LINE_GIFT_I18N_NS],
      defaultNS: LINE_GIFT_I18N_NS,
      interpolation: { escapeValue: false },
    })
    return i18n.t.bind(i18n) as (
      key: string,
      options?: Record<string, unknown>
    ) => string
  }
  const refusal = (code: string | undefined) =>
    new AdminApiError(
      "LINE Gift refresh failed: the refresh token was rejected (invalid_grant). …",
      400,
      code
    )

  it("every standard OAuth error has its explanation and next step in both languages", () => {
    for (const c of OAUTH_ERROR_CODES) {
      for (const lang of [en, ja] as Array<Record<string, any>>) {
        expect([c, typeof lang.oauthReasons[c]?.what]).toEqual([c, "string"])
        expect([c, typeof lang.oauthReasons[c]?.next]).toEqual([c, "string"])
      }
    }
  })

  it("a reason code → the translated explanation and next step, LINE Gift's message as detail (ja, en)", async () => {
    const e = refusal("line_gift_oauth_invalid_grant")
    expect(oauthErrorOf(e)).toBe("invalid_grant")
    expect(tokenErrorText(e, await tFor("ja"))).toBe(
      "認可コードまたはリフレッシュトークンが期限切れか、すでに使用済みです（どちらも一度しか使えません）。 " +
        "「リフレッシュトークン取得」からもう一度認可してください。認可コードを手で貼り付ける場合は、発行された直後に一度だけ貼り付けてください。\n" +
        "LINEギフトの応答: LINE Gift refresh failed: the refresh token was rejected (invalid_grant). …"
    )
    expect(
      tokenErrorText(
        refusal("line_gift_oauth_invalid_client"),
        await tFor("en")
      )
    ).toBe(
      "LINE Gift did not accept the client ID or the client secret. " +
        "Check that client_id / client_secret in the API settings are exactly those shown for the app on LINE Gift, save the right values, then try again.\n" +
        "LINE Gift's answer: LINE Gift refresh failed: the refresh token was rejected (invalid_grant). …"
    )
  })

  it("no code, an unknown code, Medusa's own code, a plain error → today's text (the message alone)", async () => {
    const t = await tFor("ja")
    for (const code of [
      undefined,
      "line_gift_oauth_nonsense",
      "invalid_state_error",
    ]) {
      expect(tokenErrorText(refusal(code), t)).toBe(refusal(code).message)
    }
    expect(tokenErrorText(new Error("Failed to fetch"), t)).toBe(
      "Failed to fetch"
    )
    expect(oauthErrorOf(null)).toBeNull()
  })
})

describe("parseApiError", () => {
  const err = (message: string, status = 400) =>
    Object.assign(new Error(message), { status })

  it("puts 'field.path: message' problems under their top-level field", () => {
    const parsed = parseApiError(
      err(
        'fetch_schedules.0.time: must be a time "HH:MM"; fetch_window_end_hour: set both; foo: bar'
      ),
      SHOP_FORM_FIELDS
    )
    expect(parsed.fields).toEqual({
      fetch_schedules: 'must be a time "HH:MM"',
      fetch_window_end_hour: "set both",
    })
    expect(parsed.general).toEqual(["foo: bar"])
    expect(parsed.status).toBe(400)
  })

  it("understands Medusa's own phrasings that quote the field", () => {
    const parsed = parseApiError(
      err(
        "Invalid request: Value for field 'fetch_days' too big, expected at most: '90'; Unrecognized fields: 'x'"
      ),
      SHOP_FORM_FIELDS
    )
    expect(parsed.fields.fetch_days).toContain("too big")
    expect(parsed.general).toEqual(["Unrecognized fields: 'x'"])
  })
})

describe("shop form", () => {
  const shop: LineGiftShop = {
    id: "lgshop_1",
    name: "店",
    api_enabled: true,
    client_id: "cid",
    client_secret_set: true,
    access_token_set: false,
    access_token_expires_at: null,
    refresh_token_set: false,
    refresh_token_expires_at: null,
    fetch_statuses: ["payment"],
    fetch_days: 7,
    region_id: "reg_1",
    sales_channel_id: null,
    shipping_option_id: null,
    last_fetched_at: null,
    auto_fetch_mode: "interval",
    fetch_interval_minutes: 30,
    fetch_window_start_hour: 22,
    fetch_window_end_hour: 6,
    fetch_schedules: [{ weekdays: [6, 0], time: "09:00" }],
    next_fetch_at: null,
    provisional_import: false,
    export_scope: "fulfilled",
    auto_export: true,
    carrier_map: { so_1: "ヤマト運輸" },
    default_carrier: null,
  }

  /** The column default of the module's model (what a shop created by the API gets). */
  const modelDefault = (column: string): unknown =>
    (
      LineGiftShopModel as unknown as {
        schema: Record<
          string,
          { parse(name: string): { defaultValue?: unknown } }
        >
      }
    ).schema[column].parse(column).defaultValue

  it("starts a new shop's form at the model's defaults (a value the API answer lacks)", () => {
    // A shop as a POST with only the name may come back from an older server: the settings
    // the answer lacks are the ones the model gives a new shop, not the form's own numbers.
    const bare = {
      ...shop,
      fetch_interval_minutes: undefined,
      fetch_days: undefined,
      fetch_statuses: undefined,
    } as unknown as LineGiftShop
    const form = formFromShop(bare)
    expect(form.fetch_interval_minutes).toBe(
      modelDefault("fetch_interval_minutes")
    )
    expect(form.fetch_days).toBe(String(modelDefault("fetch_days")))
    expect(form.fetch_statuses).toEqual(["payment"])
    expect(validateShopForm(form)).toEqual({})
    // Nothing to save on a shop that was just created: stored and edited forms agree.
    expect(storedFormOf(bare)).toEqual(form)
  })

  it("round-trips a shop into the same body (secret left out unless typed)", () => {
    const body = bodyFromForm(formFromShop(shop))
    expect(body).not.toHaveProperty("client_secret")
    expect(body).toMatchObject({
      fetch_window_start_hour: 22,
      fetch_window_end_hour: 6,
      fetch_schedules: [{ weekdays: [0, 6], time: "09:00" }],
      carrier_map: { so_1: "ヤマト運輸" },
      fetch_days: 7,
    })
    expect(
      bodyFromForm({ ...formFromShop(shop), client_secret: " s3 " })
        .client_secret
    ).toBe("s3")
  })

  it("sends the client_id only when it changed (an unchanged save never re-checks it)", () => {
    // A stored client_id the API's pasted-credential check would now refuse.
    const stored = { ...shop, client_id: "old\u200bid" }
    const unchanged = bodyFromForm(formFromShop(stored), stored)
    expect(unchanged).not.toHaveProperty("client_id")
    expect(unchanged).toMatchObject({ name: stored.name })
    expect(
      bodyFromForm({ ...formFromShop(stored), client_id: " new-id " }, stored)
        .client_id
    ).toBe("new-id")
    expect(
      bodyFromForm({ ...formFromShop(stored), client_id: "" }, stored)
    ).toMatchObject({ client_id: null })
    // Without a loaded shop (a new one) it is always sent.
    expect(bodyFromForm(formFromShop(stored))).toHaveProperty("client_id")
  })

  it("refuses what the API would refuse, under the right field", () => {
    const base = formFromShop(shop)
    expect(validateShopForm(base)).toEqual({})
    expect(
      validateShopForm({ ...base, fetch_window_end_hour: "" })
    ).toHaveProperty("fetch_window_end_hour", "errors.windowBoth")
    expect(
      validateShopForm({ ...base, fetch_window_end_hour: "22" })
    ).toHaveProperty("fetch_window_end_hour", "errors.windowEmpty")
    const eleven = Array.from({ length: 11 }, () => ({
      weekdays: [1],
      time: "09:00",
    }))
    expect(
      validateShopForm({ ...base, fetch_schedules: eleven })
    ).toHaveProperty("fetch_schedules", "errors.tooManySchedules")
    expect(
      validateShopForm({
        ...base,
        fetch_schedules: [{ weekdays: [], time: "09:00" }],
      })
    ).toHaveProperty("fetch_schedules", "errors.scheduleWeekdays")
    expect(validateShopForm({ ...base, fetch_days: "0" })).toHaveProperty(
      "fetch_days"
    )
    expect(validateShopForm({ ...base, fetch_statuses: [] })).toHaveProperty(
      "fetch_statuses"
    )
    expect(
      validateShopForm({
        ...base,
        carrier_rows: [
          { key: "so_1", carrier: "a" },
          { key: "so_1", carrier: "b" },
        ],
      })
    ).toHaveProperty("carrier_map", "errors.carrierDuplicate")
  })

  it("takes schedule times as merchants type them (9:00, ９：００) and sends HH:MM", () => {
    const base = formFromShop(shop)
    const typed = {
      ...base,
      auto_fetch_mode: "schedule" as const,
      fetch_schedules: [
        { weekdays: [1], time: "9:00" },
        { weekdays: [2], time: "１８：３０" },
      ],
    }
    expect(validateShopForm(typed)).toEqual({})
    expect(bodyFromForm(typed).fetch_schedules).toEqual([
      { weekdays: [1], time: "09:00" },
      { weekdays: [2], time: "18:30" },
    ])
    for (const time of ["24:00", "9時", "0900", "9:5"])
      expect(
        validateShopForm({
          ...typed,
          fetch_schedules: [{ weekdays: [1], time }],
        })
      ).toHaveProperty("fetch_schedules", "errors.scheduleTime")
    // "9:00" and "09:00" on the same weekdays are the same schedule.
    expect(
      validateShopForm({
        ...typed,
        fetch_schedules: [
          { weekdays: [1], time: "9:00" },
          { weekdays: [1], time: "09:00" },
        ],
      })
    ).toHaveProperty("fetch_schedules", "adminTruth.form.scheduleDuplicate")
  })
})
