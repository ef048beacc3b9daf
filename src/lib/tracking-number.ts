/**
 * Tracking numbers (伝票番号 / お問い合わせ番号) as merchants type them → the value LINE Gift
 * gets, and whether that value can be a number of the chosen carrier. Pure: no database, no
 * HTTP; unit tests in integration-tests/unit/tracking-number.spec.ts.
 *
 * Normalisation (always): NFKC folds full-width digits, letters and hyphens as a Japanese IME
 * types them (`１２３４−５６７８` → `1234-5678`); the dash look-alikes (ー − ‐ – — ― ｰ) become
 * `-`; letters are upper-cased. For a carrier whose numbers are plain digits, spaces and
 * hyphens are then removed (`4455-6677-8899` → `445566778899`); printed slips group the
 * digits, the carriers' tracking pages take them without separators.
 *
 * Formats (sources, checked 2026-12; none of the carriers publishes a formal specification):
 * - ヤマト運輸 (宅急便), 佐川急便, and 日本郵便's ゆうパック: 12 digits — the carriers' tracking
 *   pages ask for the 12-digit number; summarised e.g. at https://syokutyu-arekore.com/entry305.html
 *   ("佐川急便、ヤマト運輸、ゆうパックは12桁").
 * - 日本郵便: its tracking page (trackings.post.japanpost.jp) takes お問い合わせ番号 of 11–13
 *   characters: 11–13 digits (ゆうパック, ゆうパケット, 書留, レターパック, クリックポスト), or an
 *   international-style UPU S10 number, 2 letters + 9 digits + 2 letters (e.g. `EF719215461JP`,
 *   https://yubin.2-d.jp/y4/34.html).
 * - 西濃運輸 and 福山通運: 10–12 digits (their お問合せ番号 pages; the project's issue 10 gives
 *   the same range).
 * Check digits are NOT verified: they are not published for every carrier and service, and a
 * false refusal would stop a real shipment.
 * Carriers not listed (a name the merchant typed into the map) are normalised, not checked.
 */

/** The outcome of checking a tracking number. */
export type TrackingNumberCheck =
  | { ok: true; value: string }
  | {
      ok: false
      /** The normalised value (what would have been sent). */
      value: string
      /** The carrier's format as a short English phrase, e.g. "12 digits". */
      expected: string
      /** The format's id (CarrierFormat.id) for translated texts. */
      format: string
      /** Machine code for the admin's translated text. */
      code: "invalid_tracking_number"
    }

/** One carrier's known tracking-number formats. */
export type CarrierFormat = {
  /** Id of the format, for translated texts: "digits_12", "digits_10_12", "japan_post". */
  id: string
  /** true: only digits are valid, so spaces and hyphens are separators and are removed. */
  digitsOnly: boolean
  /** Patterns a normalised number must match (one of). */
  patterns: RegExp[]
  /** English phrase naming the format (shown in held reasons). */
  expected: string
}

/** Formats of the carriers the plugin offers (LINE_GIFT_CARRIERS), keyed by the carrier name. */
export const CARRIER_FORMATS: Readonly<Record<string, CarrierFormat>> = {
  ヤマト運輸: {
    id: "digits_12",
    digitsOnly: true,
    patterns: [/^\d{12}$/],
    expected: "12 digits",
  },
  佐川急便: {
    id: "digits_12",
    digitsOnly: true,
    patterns: [/^\d{12}$/],
    expected: "12 digits",
  },
  日本郵便: {
    id: "japan_post",
    digitsOnly: false,
    patterns: [/^\d{11,13}$/, /^[A-Z]{2}\d{9}[A-Z]{2}$/],
    expected:
      "11–13 digits, or 2 letters + 9 digits + 2 letters (e.g. EF123456789JP)",
  },
  西濃運輸: {
    id: "digits_10_12",
    digitsOnly: true,
    patterns: [/^\d{10,12}$/],
    expected: "10–12 digits",
  },
  福山通運: {
    id: "digits_10_12",
    digitsOnly: true,
    patterns: [/^\d{10,12}$/],
    expected: "10–12 digits",
  },
}

const DASHES =
  /[\u30fc\u2212\u2010\u2011\u2012\u2013\u2014\u2015\uff70\ufe63\uff0d]/g

/**
 * The tracking number as it should be sent: NFKC (full-width → ASCII), dash look-alikes → `-`,
 * upper-case, trimmed, inner runs of spaces collapsed to one; with `digitsOnly` every space and
 * hyphen removed. @returns "" for blank input.
 */
export function normalizeTrackingNumber(
  raw: string | null | undefined,
  digitsOnly = false
): string {
  if (typeof raw !== "string") return ""
  let v = raw
    .normalize("NFKC")
    .replace(DASHES, "-")
    .toUpperCase()
    .trim()
    .replace(/\s+/g, " ")
  if (digitsOnly) v = v.replace(/[\s-]/g, "")
  return v
}

/**
 * Normalises `raw` for `carrier` and checks it against the carrier's known formats
 * (CARRIER_FORMATS). A carrier without a known format (or none yet) only gets normalised;
 * letters, digits, hyphens and spaces are then all accepted.
 * Examples: ("１２３４ ５６７８ ９０１２", "ヤマト運輸") → ok "123456789012";
 * ("4455-6677-889", "佐川急便") → not ok, expected "12 digits".
 */
export function checkTrackingNumber(
  raw: string | null | undefined,
  carrier: string | null | undefined
): TrackingNumberCheck {
  const format = carrier ? CARRIER_FORMATS[carrier.trim()] : undefined
  const value = normalizeTrackingNumber(raw, format?.digitsOnly ?? false)
  if (!format) return { ok: true, value }
  const compact = format.digitsOnly ? value : value.replace(/[\s-]/g, "")
  if (format.patterns.some((p) => p.test(compact)))
    return { ok: true, value: compact }
  return {
    ok: false,
    value,
    expected: format.expected,
    format: format.id,
    code: "invalid_tracking_number",
  }
}
