/**
 * Dates for the merchant: LINE Gift lives in Japan time (Asia/Tokyo, UTC+9 all year, no DST),
 * so every instant is shown in Japan time, in the admin's language.
 */

const JST_OFFSET_MS = 9 * 3600 * 1000
const DAY_MS = 24 * 3600 * 1000

/** "2026/11/29 09:30" (ja) or "Nov 29, 2026, 09:30" (en), Japan time; "-" for none. */
export function formatJst(
  iso: string | null | undefined,
  language: string
): string {
  if (!iso) return "-"
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return "-"
  if (language.startsWith("ja")) {
    // Spelled out: ja-JP's "short" time is "9:30" in some ICU versions, "09:30" in others.
    return new Intl.DateTimeFormat("ja-JP", {
      timeZone: "Asia/Tokyo",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).format(date)
  }
  return new Intl.DateTimeFormat("en-GB", {
    timeZone: "Asia/Tokyo",
    dateStyle: "medium",
    timeStyle: "short",
    hourCycle: "h23",
  }).format(date)
}

/** Whole days from now until `iso` (negative when past), or null. */
export function daysUntil(
  iso: string | null | undefined,
  now = Date.now()
): number | null {
  if (!iso) return null
  const t = new Date(iso).getTime()
  if (Number.isNaN(t)) return null
  return Math.floor((t - now) / DAY_MS)
}

/** A "YYYY-MM-DDTHH:MM" wall-clock value in Japan time, for `<input type="datetime-local">`. */
export function toJstLocalInput(date: Date): string {
  return new Date(date.getTime() + JST_OFFSET_MS).toISOString().slice(0, 16)
}

/** Yen, e.g. "¥2,980". */
export function formatYen(amount: number | null | undefined): string {
  if (amount === null || amount === undefined) return "-"
  return `¥${Number(amount).toLocaleString("ja-JP")}`
}

/**
 * A calendar date ("2026-12-01", or an instant) in the admin's language, Japan time:
 * "2026/12/01" (ja) or "1 Dec 2026" (en) — the same form as formatJst's date part. "-" for none.
 */
export function formatJstDate(
  value: string | null | undefined,
  language: string
): string {
  if (!value) return "-"
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value.trim())
  const date = new Date(dateOnly ? `${value.trim()}T12:00:00+09:00` : value)
  if (Number.isNaN(date.getTime())) return value
  return new Intl.DateTimeFormat(
    language.startsWith("ja") ? "ja-JP" : "en-GB",
    {
      timeZone: "Asia/Tokyo",
      ...(language.startsWith("ja")
        ? { year: "numeric", month: "2-digit", day: "2-digit" }
        : { dateStyle: "medium" }),
    } as Intl.DateTimeFormatOptions
  ).format(date)
}

/**
 * The text a merchant types for a Japan-time instant, "2026/12/01 09:30" (also accepted:
 * "-" instead of "/", "T" instead of the space, a date alone, full-width digits), as the API's
 * "YYYY-MM-DDTHH:MM" (offset-less = Japan time). A date alone is sent as the date
 * (the API reads a date-only `to` as the end of that day).
 * @returns the API value, "" for an empty input, or null when the text is not a valid date-time.
 */
export function parseJstInput(text: string): string | null {
  const s = text.normalize("NFKC").trim()
  if (!s) return ""
  const m =
    /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?:[ T]+(\d{1,2}):(\d{2}))?$/.exec(s)
  if (!m) return null
  const [, y, mo, d, h, mi] = m
  const pad = (v: string) => v.padStart(2, "0")
  const date = `${y}-${pad(mo)}-${pad(d)}`
  const check = new Date(`${date}T00:00:00Z`)
  if (
    Number.isNaN(check.getTime()) ||
    check.toISOString().slice(0, 10) !== date
  )
    return null
  if (h === undefined) return date
  if (Number(h) > 23 || Number(mi) > 59) return null
  return `${date}T${pad(h)}:${mi}`
}

/** An instant as the widget's input shows it: "2026/12/01 09:30" (Japan time). */
export function toJstInputText(date: Date): string {
  return toJstLocalInput(date).replace("T", " ").replace(/-/g, "/")
}

/**
 * How far back LINE Gift's order search reaches, days: it returns roughly the last three
 * months of orders and has no date filter (shared/line-gift-api.md, "Orders (observed)"), so
 * an import cannot find orders bought earlier than this.
 */
export const LINE_GIFT_ORDER_LIST_DAYS = 90

/**
 * The instant a `from` value of the import form stands for: parseJstInput's "YYYY-MM-DD"
 * (the start of that day) or "YYYY-MM-DDTHH:MM", Japan time. Null for "" or anything else.
 */
export function jstInputInstant(value: string | null | undefined): Date | null {
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}))?$/.exec(value ?? "")
  if (!m) return null
  const date = new Date(`${m[1]}T${m[2] ?? "00:00"}:00+09:00`)
  return Number.isNaN(date.getTime()) ? null : date
}

/**
 * The oldest purchase time LINE Gift's order list still returns, about: `now` minus
 * LINE_GIFT_ORDER_LIST_DAYS — when a typed `from` (parseJstInput's value) lies before it, else
 * null (also for "" and invalid text). The import still runs; it only cannot find older orders.
 */
export function orderListStartAfter(
  from: string | null | undefined,
  now: Date
): Date | null {
  const instant = jstInputInstant(from)
  if (!instant) return null
  const start = new Date(now.getTime() - LINE_GIFT_ORDER_LIST_DAYS * DAY_MS)
  return instant < start ? start : null
}
