/**
 * Sandbox behaviours for LINE Gift data as it really comes (issues 9 and 15): ids beyond 2^53
 * sent as bare JSON numbers, a search that ignores `page` and lies about `total_pages`, and a
 * lossless reading of request bodies. Wired into routes/orders.ts and http.ts with a line or two each.
 */
import {
  LosslessNumber,
  isSafeNumber,
  parse as losslessParse,
  stringify as losslessStringify,
} from "lossless-json"

/** Order fields holding ids that `bareNumberIds` sends as bare JSON numbers when all digits. */
const ID_PATHS: ReadonlyArray<readonly string[]> = [
  ["id"],
  ["item", "id"],
  ["variation", "id"],
]

/**
 * A copy of `order` whose digit-only ids (order id, item id, variation id) are bare JSON
 * numbers once serialised with `stringifyLossless` — exactly as LINE Gift sends them
 * (`{"id":12345678901234567890}`), digit for digit whatever their size.
 */
export function withBareNumberIds(
  order: Record<string, unknown>
): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...order }
  for (const path of ID_PATHS) {
    let holder: Record<string, unknown> = copy
    for (const key of path.slice(0, -1)) {
      const inner = holder[key]
      if (!inner || typeof inner !== "object" || Array.isArray(inner)) {
        holder = {}
        break
      }
      holder[key] = { ...(inner as Record<string, unknown>) }
      holder = holder[key] as Record<string, unknown>
    }
    const last = path[path.length - 1]
    const value = holder[last]
    if (typeof value === "string" && /^[1-9]\d*$/.test(value))
      holder[last] = new LosslessNumber(value)
  }
  return copy
}

/** JSON text of a body that may hold LosslessNumber values (raw digits, never rounded). */
export function stringifyLossless(body: unknown): string {
  return losslessStringify(body) ?? "null"
}

/**
 * JSON.parse without rounding: numbers a float64 holds exactly stay numbers, any other
 * (ids beyond 2^53) becomes its exact digit text. Used for request bodies (control API).
 * @throws SyntaxError on invalid JSON (as JSON.parse).
 */
export function parseJsonLossless(text: string): unknown {
  return losslessParse(text, null, (v) => (isSafeNumber(v) ? Number(v) : v))
}

/**
 * `repeatingPage`: the answer a misbehaving LINE Gift (or proxy) gives for any page — page 1's
 * orders again, with a huge `total_pages` and `total_entries` (issue 15 item 2).
 */
export function repeatingPageAnswer(
  list: Array<Record<string, unknown>>,
  perPage: number
) {
  return {
    orders: list.slice(0, perPage),
    paging: { total_pages: 1_000_000, total_entries: 100_000_000 },
  }
}
