/**
 * A clock time as merchants type it → "HH:MM" (24 h). Pure (the admin uses it too).
 *
 * Accepts full-width digits and colon (９：００), spaces around or inside, and a one-digit hour
 * (9:00 → 09:00), by Unicode NFKC then padding. Anything else is returned normalised but
 * otherwise as typed, for the caller's own check (e.g. /^([01]\d|2[0-3]):[0-5]\d$/) to refuse
 * with its message: "24:00", "9時", "0900" stay invalid.
 * @param value the typed text
 * @returns "HH:MM" when it reads as one, else the NFKC-normalised text without spaces
 */
export function normalizeClockTime(value: string): string {
  const text = value.normalize("NFKC").replace(/\s+/g, "")
  const m = /^(\d{1,2}):(\d{2})$/.exec(text)
  return m ? `${m[1].padStart(2, "0")}:${m[2]}` : text
}

/** Whether `value` (already normalised) is a clock time "HH:MM", 00:00–23:59. */
export function isClockTime(value: string): boolean {
  return /^([01]\d|2[0-3]):[0-5]\d$/.test(value)
}
