/**
 * zod schemas for what LINE Gift sends us. The only place (with client.ts) that knows the
 * shape of the LINE Gift protocol.
 *
 * Source of every field: shared/line-gift-api.md ("Orders (observed)", "Credentials").
 * Rules:
 * - unknown extra fields are tolerated and kept (`.passthrough()` / `z.looseObject`), because
 *   the raw payload is stored and later issues may need fields we do not map yet;
 * - numbers may arrive as strings ("100"), ids as numbers: both are normalised;
 * - empty strings / null for optional fields mean "absent";
 * - text PostgreSQL cannot store (NUL, unpaired surrogates) becomes U+FFFD before anything
 *   else, in the whole payload, keys included (`parseLineGiftOrder`, src/lib/storable-text.ts);
 * - what we cannot use is rejected with a message that names the field (`parseLineGiftOrder`).
 */
import { z } from "@medusajs/framework/zod"
import { storableJson } from "../storable-text"
import { LINE_GIFT_PATH_ID } from "./endpoints"

/** LINE Gift order status codes (observed; shared/line-gift-api.md "Statuses"). */
export const LINE_GIFT_ORDER_STATUSES = [
  "cvs",
  "gift_message_wait",
  "gift_message_send",
  "payment",
  "received",
  "cancel",
] as const

/** A LINE Gift order status code, e.g. `payment` (発送待ち, ready to ship). */
export type LineGiftOrderStatus = (typeof LINE_GIFT_ORDER_STATUSES)[number]

/** Japanese / English labels of each status, as shops and vendors use them (for the UI). */
export const LINE_GIFT_STATUS_LABELS: Record<
  LineGiftOrderStatus,
  { ja: string; en: string }
> = {
  cvs: { ja: "コンビニ決済待ち", en: "Awaiting convenience-store payment" },
  gift_message_wait: { ja: "メッセージ作成待ち", en: "Awaiting gift message" },
  gift_message_send: {
    ja: "入金済み・住所入力待ち",
    en: "Paid, awaiting recipient's address",
  },
  payment: { ja: "発送待ち", en: "Ready to ship" },
  received: { ja: "取引完了", en: "Shipped (completed)" },
  cancel: { ja: "キャンセル", en: "Cancelled" },
}

/**
 * The statuses an import may fetch: paid gifts not yet shipped — `gift_message_wait` and
 * `gift_message_send` (waiting for the recipient: always imported provisionally) and `payment`
 * (ready to ship). The others never become Medusa orders: `cvs` (the buyer has not paid),
 * `received` (already shipped on LINE Gift: a new unfulfilled order would invite a second
 * shipment) and `cancel` (cancelled). The import route and the shop settings refuse them; a
 * shop that still stores one has it skipped with the reason `not_importable`.
 */
export const IMPORTABLE_LINE_GIFT_STATUSES = [
  "gift_message_wait",
  "gift_message_send",
  "payment",
] as const

/** A status code an import may fetch (IMPORTABLE_LINE_GIFT_STATUSES). */
export type ImportableLineGiftStatus =
  (typeof IMPORTABLE_LINE_GIFT_STATUSES)[number]

/** Whether a status code may be imported as a Medusa order (IMPORTABLE_LINE_GIFT_STATUSES). */
export function isImportableLineGiftStatus(
  status: unknown
): status is ImportableLineGiftStatus {
  return (
    typeof status === "string" &&
    (IMPORTABLE_LINE_GIFT_STATUSES as readonly string[]).includes(status)
  )
}

/** Whether a status code is one of the observed ones (others are codes LINE Gift added later). */
export function isKnownLineGiftStatus(
  status: unknown
): status is LineGiftOrderStatus {
  return (
    typeof status === "string" &&
    (LINE_GIFT_ORDER_STATUSES as readonly string[]).includes(status)
  )
}

const isBlank = (v: unknown) =>
  v === undefined || v === null || (typeof v === "string" && v.trim() === "")

/** A value as shown in a reason: JSON text, at most 60 characters. */
export function showValue(v: unknown): string {
  let text: string
  try {
    text =
      typeof v === "string"
        ? JSON.stringify(v)
        : (JSON.stringify(v) ?? String(v))
  } catch {
    text = String(v)
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

/**
 * What a refused value was, without the value: "an array", "an object", "true", "a number"…
 * For fields whose value is personal data or a secret (docs/security.md: reasons name the
 * field, never its value).
 */
export function describeType(v: unknown): string {
  if (Array.isArray(v)) return "an array"
  if (v === null) return "null"
  if (typeof v === "boolean") return String(v)
  if (typeof v === "object") return "an object"
  if (typeof v === "number") return "a number"
  return `a ${typeof v}`
}

/**
 * Optional free text: absent, null, "" and whitespace-only become undefined; numbers become
 * strings (unsafe numbers — beyond 2^53 — are refused: their digits are already lost). Other
 * text is kept exactly as sent. A refusal names the value (showValue), or with `withhold`
 * only its type (describeType): for personal data (buyer, recipient) and secrets (tokens).
 */
function textField(opts: { withhold?: boolean } = {}) {
  const shown = (v: unknown) => (opts.withhold ? describeType(v) : showValue(v))
  return z
    .unknown()
    .transform((v, ctx): string | undefined => {
      if (isBlank(v)) return undefined
      if (typeof v === "string") return v
      if (typeof v === "number" && Number.isFinite(v)) {
        if (Number.isInteger(v) && !Number.isSafeInteger(v)) {
          ctx.addIssue({
            code: "custom",
            message: opts.withhold
              ? "is a number beyond 2^53 whose digits were lost"
              : `is a number beyond 2^53 whose digits were lost (got ${v})`,
          })
          return z.NEVER
        }
        return String(v)
      }
      ctx.addIssue({
        code: "custom",
        message: `must be text (got ${shown(v)})`,
      })
      return z.NEVER
    })
    .optional()
}

/** Optional free text whose refused value may be shown (product codes, names of things). */
const optionalText = textField()

/** Optional free text that is personal data or a secret: a refusal shows only its type. */
const withheldText = textField({ withhold: true })

/**
 * Required LINE Gift order id: text (kept as text end to end — ids beyond 2^53 arrive as
 * text from the lossless parser) or a safe integer, of the shape LINE Gift uses
 * (LINE_GIFT_PATH_ID: letters, digits, "-", "_"), since it becomes part of the delivery path.
 */
const lineGiftId = z.unknown().transform((v, ctx): string => {
  if (v === undefined || v === null) {
    ctx.addIssue({ code: "custom", message: "is required" })
    return z.NEVER
  }
  let text: string
  if (typeof v === "number" && Number.isSafeInteger(v)) text = String(v)
  else if (typeof v === "string") text = v.trim()
  else {
    ctx.addIssue({
      code: "custom",
      message:
        typeof v === "number"
          ? `is a number whose digits were lost (got ${v})`
          : `must be text or a whole number (got ${showValue(v)})`,
    })
    return z.NEVER
  }
  if (!text) {
    ctx.addIssue({ code: "custom", message: "must not be empty" })
    return z.NEVER
  }
  if (!LINE_GIFT_PATH_ID.test(text)) {
    ctx.addIssue({
      code: "custom",
      message: `must be 1–64 letters, digits, "-" or "_" as LINE Gift ids are (got ${showValue(text)})`,
    })
    return z.NEVER
  }
  return text
})

/** Lower and upper bound of a plausible LINE Gift time: 2000-01-01 and 2100-01-01 (Unix seconds). */
export const PLAUSIBLE_UNIX_SECONDS = {
  min: 946_684_800,
  max: 4_102_444_800,
} as const

/**
 * Optional whole number ≥ `min` (JPY amounts, counts, Unix seconds): numbers and digit
 * strings (" 2980 "); absent, null and blank become undefined. Refused with a message naming
 * the value: non-integers (12.5, "abc"), values below `min`, numbers beyond 2^53 (the
 * lossless parser hands them over as digit strings), and — for times — values outside
 * PLAUSIBLE_UNIX_SECONDS (e.g. milliseconds).
 */
function wholeNumber(opts: {
  min: number
  what: string
  unixSeconds?: boolean
}) {
  return z
    .unknown()
    .transform((v, ctx): number | undefined => {
      if (isBlank(v)) return undefined
      let n: number | undefined
      if (typeof v === "number") n = v
      else if (typeof v === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(v))
        n = Number(v.trim())
      const bad = (message: string) => {
        ctx.addIssue({
          code: "custom",
          message: `${message} (got ${showValue(v)})`,
        })
        return z.NEVER
      }
      if (n === undefined || !Number.isFinite(n) || !Number.isInteger(n)) {
        return bad(`must be ${opts.what}`)
      }
      if (!Number.isSafeInteger(n))
        return bad("is too large to be exact (beyond 2^53)")
      if (n < opts.min)
        return bad(
          opts.min === 0
            ? "must not be negative"
            : `must be at least ${opts.min}`
        )
      if (
        opts.unixSeconds &&
        (n < PLAUSIBLE_UNIX_SECONDS.min || n > PLAUSIBLE_UNIX_SECONDS.max)
      ) {
        return bad(
          "is not a plausible time in Unix seconds (2000–2100; milliseconds?)"
        )
      }
      return n
    })
    .optional()
}

/** JPY amount: whole yen, ≥ 0. */
const yen = wholeNumber({ min: 0, what: "whole yen" })
/** A Unix time in seconds, 2000–2100. */
const unixSeconds = wholeNumber({
  min: 0,
  what: "Unix seconds",
  unixSeconds: true,
})
/** Quantity: whole number ≥ 1. */
const quantity = wholeNumber({ min: 1, what: "a whole number" })
/** Non-negative whole numbers (item prices, stock counts). */
const optionalInt = wholeNumber({ min: 0, what: "a whole number" })

/** `{id, code, name}` of `item` / `variation`; every member optional. */
const productRefSchema = z
  .object({
    id: optionalText,
    code: optionalText,
    name: optionalText,
  })
  .passthrough()

/** Recipient address as LINE Gift sends it (empty until the recipient enters it). */
export const lineGiftAddressSchema = z
  .object({
    from_name: withheldText,
    first_name: withheldText,
    last_name: withheldText,
    zip: withheldText,
    tel: withheldText,
    tel_hyphen: withheldText,
    pref: withheldText,
    city: withheldText,
    address: withheldText,
  })
  .passthrough()

/**
 * One LINE Gift order (one product with a quantity; there is no items array).
 * Amounts are JPY integers (safe integers, ≥ 0); times are Unix seconds (2000–2100);
 * `stock_count` ≥ 1; ids are text of LINE_GIFT_PATH_ID's shape; `status` is any non-empty code
 * (unknown codes are skipped by the import, not refused). Each refusal names field and value.
 */
export const lineGiftOrderSchema = z
  .object({
    id: lineGiftId,
    // Any non-empty code: codes LINE Gift adds later are not errors (isKnownLineGiftStatus).
    status: z.unknown().transform((v, ctx): string => {
      if (typeof v === "string" && v.trim()) return v.trim()
      ctx.addIssue({
        code: "custom",
        message:
          v === undefined || v === null || v === ""
            ? "is required"
            : `must be a status code (got ${showValue(v)})`,
      })
      return z.NEVER
    }),
    user_name: withheldText,
    selling_price: yen,
    fee: yen,
    item: z.preprocess(
      (v) => (isBlank(v) ? undefined : v),
      productRefSchema.optional()
    ),
    variation: z.preprocess(
      (v) => (isBlank(v) ? undefined : v),
      productRefSchema.optional()
    ),
    stock_count: quantity,
    shipping_fee: yen,
    bought_on: unixSeconds,
    payed_on: unixSeconds,
    delivered_on: unixSeconds,
    received_on: unixSeconds,
    payment_deadline: unixSeconds,
    delivery_deadline: unixSeconds,
    receive_deadline: unixSeconds,
    delivery_code: optionalText,
    delivery_agent: optionalText,
    shipment_date: optionalText,
    address: z.preprocess(
      // LINE Gift sends an empty value until the recipient accepts; arrays seen as "{}" too.
      (v) =>
        isBlank(v) || (Array.isArray(v) && v.length === 0) ? undefined : v,
      lineGiftAddressSchema.optional()
    ),
  })
  .passthrough()

/**
 * Top-level order fields the plugin reads (lineGiftOrderSchema) or knows by name from
 * merchants' data (shared/line-gift-api.md: `is_delivery_by_hand`, `delivery_by_hand_deadline`,
 * `pre_order_delivery_start`). Every other top-level field is "unknown": kept and shown.
 */
export const KNOWN_LINE_GIFT_ORDER_FIELDS: ReadonlySet<string> = new Set([
  ...Object.keys(lineGiftOrderSchema.shape),
  "is_delivery_by_hand",
  "delivery_by_hand_deadline",
  "pre_order_delivery_start",
])

/** A LINE Gift order after validation (see `lineGiftOrderSchema`). */
export type LineGiftOrder = z.infer<typeof lineGiftOrderSchema>
/** A recipient address after validation. */
export type LineGiftAddress = z.infer<typeof lineGiftAddressSchema>

/**
 * Result of `parseLineGiftOrder`: the order, or a reason naming the offending field(s); with
 * both, `raw` — the payload to store — and `repaired` (see parseLineGiftOrder).
 */
export type ParsedLineGiftOrder = (
  | { ok: true; order: LineGiftOrder }
  | { ok: false; reason: string; id?: string }
) & {
  /**
   * The payload as LINE Gift sent it, with every NUL and unpaired surrogate of its values
   * and keys replaced by U+FFFD (storableJson): the one to keep on the record. The input
   * itself when nothing needed repair.
   */
  raw: unknown
  /** Paths of the repaired strings and keys (e.g. `user_name`, `address.city`); no values. */
  repaired: string[]
}

/** Formats zod issues as `field.path: message; …` so a merchant can see what was wrong. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((i) => `${i.path.length ? i.path.join(".") : "(root)"}: ${i.message}`)
    .join("; ")
}

/**
 * The id of a raw LINE Gift order (as the page holds it) the way the import keys its record:
 * text trimmed, or a safe integer as its digits; undefined when missing or not of LINE Gift's
 * id shape (LINE_GIFT_PATH_ID). Shared by the import's parse and the admin retry's look-up, so
 * both find the same order (an id sent as " 123 " is record "123").
 */
export function lineGiftOrderIdOf(raw: unknown): string | undefined {
  if (raw === null || typeof raw !== "object") return undefined
  const rawId = (raw as Record<string, unknown>).id
  const idText =
    typeof rawId === "string"
      ? rawId.trim()
      : typeof rawId === "number" && Number.isSafeInteger(rawId)
        ? String(rawId)
        : ""
  return LINE_GIFT_PATH_ID.test(idText) ? idText : undefined
}

/**
 * Validates one raw order from the search endpoint. Never throws.
 * Text PostgreSQL cannot store (NUL, unpaired UTF-16 surrogates; src/lib/storable-text.ts) is
 * repaired first, in the values and keys of the whole payload: each such character becomes
 * U+FFFD, visible where the text is shown (the mapping flags the order `text_repaired`). The
 * parsed order and `raw` are both built from the repaired payload, so everything the import
 * stores from them is storable; store `raw`, never the input.
 * @returns `{ok: true, order, raw, repaired}` or `{ok: false, reason, id?, raw, repaired}`
 *   where `reason` names each bad field (e.g. `selling_price: must be an integer`) and `id`
 *   is the order id when readable.
 */
export function parseLineGiftOrder(input: unknown): ParsedLineGiftOrder {
  const { value: raw, repaired } = storableJson(input)
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    return { ok: false, reason: "order: is not an object", raw, repaired }
  }
  const result = lineGiftOrderSchema.safeParse(raw)
  if (result.success) {
    return { ok: true, order: result.data, raw, repaired }
  }
  // The id of a refused order is kept only when it is itself valid (it keys the record).
  return {
    ok: false,
    reason: describeZodError(result.error),
    id: lineGiftOrderIdOf(raw),
    raw,
    repaired,
  }
}

/** Paging numbers; they may arrive as strings (observed). */
const pagingInt = z.preprocess(
  (v) =>
    typeof v === "string" && /^\s*\d+\s*$/.test(v) ? Number(v.trim()) : v,
  z.number().int().nonnegative()
)

/**
 * Order search page: `{orders: [...], paging: {total_pages, total_entries}}`.
 * Orders stay `unknown` here: each is validated on its own with `parseLineGiftOrder`, so one
 * malformed order does not lose the page.
 */
export const orderSearchResponseSchema = z
  .object({
    orders: z.array(z.unknown()),
    paging: z
      .object({
        total_pages: pagingInt,
        total_entries: pagingInt.optional(),
      })
      .passthrough(),
  })
  .passthrough()

/** A parsed order search page. */
export type OrderSearchResponse = z.infer<typeof orderSearchResponseSchema>

/** Longest token lifetime taken as seconds: 400 days (LINE Gift's are 60 / 90 days). */
export const MAX_TOKEN_LIFETIME_SEC = 400 * 86400

/**
 * A token lifetime in seconds, or undefined (the caller then assumes LINE Gift's documented
 * lifetime). NEVER refuses: a token answer comes after LINE Gift rotated the refresh token,
 * and a refused answer would lose the only working pair. A number or digit string > 0 is
 * rounded down to whole seconds; anything else — absent, text, ≤ 0, or longer than
 * MAX_TOKEN_LIFETIME_SEC (milliseconds, or an absolute Unix time, would otherwise show an
 * expiry decades away) — is undefined.
 */
const tokenLifetime = z
  .unknown()
  .transform((v): number | undefined => {
    const n =
      typeof v === "number"
        ? v
        : typeof v === "string" && /^\s*\d+(\.\d+)?\s*$/.test(v)
          ? Number(v)
          : NaN
    if (!Number.isFinite(n) || n < 1 || n > MAX_TOKEN_LIFETIME_SEC)
      return undefined
    return Math.floor(n)
  })
  .optional()

/**
 * Token endpoint answer (refresh and code exchange share it).
 * `refresh_token` may be absent (keep the old one); `expires_in` /
 * `refresh_token_expires_in` are read when they are a plausible lifetime in seconds
 * (tokenLifetime), otherwise the documented lifetimes apply (access 60 days, refresh 90 days).
 */
export const tokenResponseSchema = z
  .object({
    access_token: z.string().min(1, "must not be empty"),
    refresh_token: withheldText,
    expires_in: tokenLifetime,
    refresh_token_expires_in: tokenLifetime,
  })
  .passthrough()

/** A parsed token endpoint answer. */
export type TokenResponse = z.infer<typeof tokenResponseSchema>

/** A body-level error (`{"code": 401, "reason": "…"}`), possibly inside an HTTP 200. */
export const bodyErrorSchema = z
  .object({
    code: z.preprocess(
      (v) => (typeof v === "string" && /^\d+$/.test(v) ? Number(v) : v),
      z.number()
    ),
    reason: z.string().optional(),
  })
  .passthrough()

/** Product item (observed): `GET {shop}/api/v1/shops/{shop_id}/items/{item_id}`. */
export const lineGiftItemSchema = z
  .object({
    id: lineGiftId,
    code: optionalText,
    name: optionalText,
    status: optionalText,
    price: optionalInt,
    variations: z
      .array(
        z
          .object({
            code: optionalText,
            name_main: optionalText,
            name_sub: optionalText,
            stock_count: optionalInt,
            status: optionalText,
          })
          .passthrough()
      )
      .optional(),
  })
  .passthrough()

/** A product item after validation. */
export type LineGiftItem = z.infer<typeof lineGiftItemSchema>

/** Items page (observed): `{items: [...], total_count: N}`. */
export const itemListResponseSchema = z
  .object({
    items: z.array(z.object({ id: lineGiftId }).passthrough()),
    total_count: pagingInt.optional(),
  })
  .passthrough()
