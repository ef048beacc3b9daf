/**
 * Text PostgreSQL can store. LINE Gift's JSON may carry characters PostgreSQL refuses:
 * - NUL (U+0000): refused in `text` ("invalid byte sequence for encoding UTF8: 0x00") and in
 *   `jsonb` (`\u0000`: "unsupported Unicode escape sequence");
 * - an unpaired UTF-16 surrogate (U+D800–U+DFFF alone): JSON.stringify writes it as a
 *   `\udXXX` escape, which `jsonb` refuses ("invalid input syntax for type json"); in `text`
 *   the driver's UTF-8 encoding silently turns it into U+FFFD.
 *
 * Decision: each such character is REPLACED with U+FFFD (�, the Unicode replacement
 * character), not removed, in values and in object keys alike: the damage stays visible where
 * the text is shown, and nothing else of the text moves. An order whose text holds U+FFFD is
 * flagged `text_repaired` (mapping.ts), so a person sees it. Valid surrogate pairs (emoji)
 * and all other text (full-width, kana, kanji) are kept exactly.
 */

/** U+FFFD, what every character PostgreSQL cannot store becomes. */
export const REPLACEMENT_CHARACTER = "\uFFFD"

/** A NUL or any surrogate (quick test: most text has neither). */
// eslint-disable-next-line no-control-regex -- NUL is the character PostgreSQL refuses
const SUSPECT = /[\u0000\ud800-\udfff]/
/** A NUL, a high surrogate not followed by a low one, or a low one not preceded by a high one. */
const UNSTORABLE =
  // eslint-disable-next-line no-control-regex -- NUL is the character PostgreSQL refuses
  /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

/**
 * `text` with every NUL (U+0000) and every unpaired surrogate replaced by U+FFFD.
 * @returns the same string when there was nothing to replace. Never throws.
 */
export function storableText(text: string): string {
  if (!SUSPECT.test(text)) return text
  return text.replace(UNSTORABLE, REPLACEMENT_CHARACTER)
}

/** Result of storableJson: the storable value and where it was repaired. */
export type StorableJson<T> = {
  /** The value with every string and key storable; the input itself when nothing changed. */
  value: T
  /**
   * Paths of the repaired strings and keys, e.g. `user_name`, `address.city`, `items[2]`,
   * `memo�` (a key; its repaired form). Paths name fields, never values.
   */
  repaired: string[]
}

/**
 * Makes a JSON-like value (as parsed from LINE Gift: objects, arrays, strings, numbers,
 * booleans, null, and the lossless parser's values) storable in PostgreSQL text and jsonb:
 * storableText on every string value and every object key, at any depth.
 * Objects and arrays that need no change are returned as they are (no copy); changed ones are
 * copied (the input is never mutated). A repaired key that collides with an existing key gets
 * further U+FFFD appended, so no member is lost. Non-plain objects (class instances such as
 * lossless numbers) are kept as they are.
 * @returns `{ value, repaired }`; never throws.
 */
export function storableJson<T>(value: T): StorableJson<T> {
  const repaired: string[] = []
  return { value: repair(value, "", repaired) as T, repaired }
}

function repair(v: unknown, path: string, repaired: string[]): unknown {
  if (typeof v === "string") {
    const fixed = storableText(v)
    if (fixed !== v) repaired.push(path || "(value)")
    return fixed
  }
  if (Array.isArray(v)) {
    let out: unknown[] | null = null
    v.forEach((item, i) => {
      const fixed = repair(item, `${path}[${i}]`, repaired)
      if (fixed !== item) (out ??= v.slice())[i] = fixed
    })
    return out ?? v
  }
  if (isPlainObject(v)) return repairObject(v, path, repaired)
  return v
}

function repairObject(
  v: Record<string, unknown>,
  path: string,
  repaired: string[]
): Record<string, unknown> {
  let changed = false
  const kept: Array<[string, unknown]> = []
  const renamed: Array<[string, unknown]> = []
  for (const [key, item] of Object.entries(v)) {
    const fixedKey = storableText(key)
    const at = path ? `${path}.${fixedKey}` : fixedKey
    if (fixedKey !== key) repaired.push(at)
    const fixed = repair(item, at, repaired)
    if (fixed !== item || fixedKey !== key) changed = true
    ;(fixedKey === key ? kept : renamed).push([fixedKey, fixed])
  }
  if (!changed) return v
  // Keys sent storable keep their name; a repaired key that now equals another gets more U+FFFD.
  const out: Record<string, unknown> = Object.fromEntries(kept)
  for (const [key, item] of renamed) {
    let k = key
    while (Object.prototype.hasOwnProperty.call(out, k)) {
      k += REPLACEMENT_CHARACTER
    }
    out[k] = item
  }
  return out
}

/**
 * Whether any string or key of a JSON-like value holds U+FFFD (repaired by storableJson, or
 * sent so): text of it was lost before it reached us.
 */
export function holdsReplacementCharacter(v: unknown): boolean {
  if (typeof v === "string") return v.includes(REPLACEMENT_CHARACTER)
  if (Array.isArray(v)) return v.some(holdsReplacementCharacter)
  if (isPlainObject(v)) {
    return Object.entries(v).some(
      ([key, item]) =>
        key.includes(REPLACEMENT_CHARACTER) || holdsReplacementCharacter(item)
    )
  }
  return false
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== "object") return false
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}
