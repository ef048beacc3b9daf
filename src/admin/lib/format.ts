/**
 * Dates for the merchant: LINE Gift lives in Japan time (Asia/Tokyo, UTC+9 all year, no DST),
 * so every instant is shown in Japan time, in the admin's language.
 */

const JST_OFFSET_MS = 9 * 3600 * 1000
const DAY_MS = 24 * 3600 * 1000

/** "2026/11/29 09:30" (ja) or "Nov 29, 2026, 09:30" (en), Japan time; "-" for none. */
export function formatJst(iso: string | null | undefined, language: string): string {
  if (!iso) return "-"
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return "-"
  return new Intl.DateTimeFormat(language.startsWith("ja") ? "ja-JP" : "en-GB", {
    timeZone: "Asia/Tokyo",
    dateStyle: "medium",
    timeStyle: "short",
    hourCycle: "h23",
  }).format(date)
}

/** Whole days from now until `iso` (negative when past), or null. */
export function daysUntil(iso: string | null | undefined, now = Date.now()): number | null {
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
