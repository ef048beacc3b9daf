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
 * - what we cannot use is rejected with a message that names the field (`parseLineGiftOrder`).
 */
import { z } from "@medusajs/framework/zod"

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

const isBlank = (v: unknown) => v === undefined || v === null || v === ""

/** Optional free text: absent, null and "" become undefined; numbers become strings. */
const optionalText = z.preprocess(
  (v) => (isBlank(v) ? undefined : typeof v === "number" ? String(v) : v),
  z.string().optional()
)

/** Required opaque id: a non-empty string, or a number turned into its decimal string. */
const opaqueId = z.preprocess(
  (v) => (typeof v === "number" && Number.isFinite(v) ? String(v) : v),
  z.string().trim().min(1, "must not be empty")
)

/**
 * Optional non-negative integer (JPY amounts, counts, Unix seconds). Accepts numbers and
 * digit strings ("2980", " 2980 "); absent, null and "" become undefined. Anything else
 * (e.g. "abc", 12.5, -1) is rejected.
 */
const optionalInt = z.preprocess((v) => {
  if (isBlank(v)) return undefined
  if (typeof v === "string" && /^\s*-?\d+\s*$/.test(v)) return Number(v.trim())
  return v
}, z.number().int("must be an integer").nonnegative("must not be negative").optional())

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
    from_name: optionalText,
    first_name: optionalText,
    last_name: optionalText,
    zip: optionalText,
    tel: optionalText,
    tel_hyphen: optionalText,
    pref: optionalText,
    city: optionalText,
    address: optionalText,
  })
  .passthrough()

/**
 * One LINE Gift order (one product with a quantity; there is no items array).
 * Amounts are JPY integers; times are Unix seconds. `status` must be a known code.
 */
export const lineGiftOrderSchema = z
  .object({
    id: opaqueId,
    status: z.enum(LINE_GIFT_ORDER_STATUSES, {
      error: (issue) =>
        issue.input === undefined
          ? "is required"
          : `is not a known status (${LINE_GIFT_ORDER_STATUSES.join(", ")})`,
    }),
    user_name: optionalText,
    selling_price: optionalInt,
    fee: optionalInt,
    item: z.preprocess((v) => (isBlank(v) ? undefined : v), productRefSchema.optional()),
    variation: z.preprocess(
      (v) => (isBlank(v) ? undefined : v),
      productRefSchema.optional()
    ),
    stock_count: optionalInt,
    shipping_fee: optionalInt,
    bought_on: optionalInt,
    payed_on: optionalInt,
    delivered_on: optionalInt,
    received_on: optionalInt,
    payment_deadline: optionalInt,
    delivery_deadline: optionalInt,
    receive_deadline: optionalInt,
    delivery_code: optionalText,
    delivery_agent: optionalText,
    shipment_date: optionalText,
    address: z.preprocess(
      // LINE Gift sends an empty value until the recipient accepts; arrays seen as "{}" too.
      (v) => (isBlank(v) || (Array.isArray(v) && v.length === 0) ? undefined : v),
      lineGiftAddressSchema.optional()
    ),
  })
  .passthrough()

/** A LINE Gift order after validation (see `lineGiftOrderSchema`). */
export type LineGiftOrder = z.infer<typeof lineGiftOrderSchema>
/** A recipient address after validation. */
export type LineGiftAddress = z.infer<typeof lineGiftAddressSchema>

/** Result of `parseLineGiftOrder`: the order, or a reason naming the offending field(s). */
export type ParsedLineGiftOrder =
  | { ok: true; order: LineGiftOrder }
  | { ok: false; reason: string; id?: string }

/** Formats zod issues as `field.path: message; …` so a merchant can see what was wrong. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((i) => `${i.path.length ? i.path.join(".") : "(root)"}: ${i.message}`)
    .join("; ")
}

/**
 * Validates one raw order from the search endpoint. Never throws.
 * @returns `{ok: true, order}` or `{ok: false, reason, id?}` where `reason` names each bad
 *   field (e.g. `selling_price: must be an integer`) and `id` is the order id when readable.
 */
export function parseLineGiftOrder(raw: unknown): ParsedLineGiftOrder {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    return { ok: false, reason: "order: is not an object" }
  }
  const result = lineGiftOrderSchema.safeParse(raw)
  if (result.success) {
    return { ok: true, order: result.data }
  }
  const rawId = (raw as Record<string, unknown>).id
  const id =
    typeof rawId === "string" && rawId.trim()
      ? rawId.trim()
      : typeof rawId === "number"
        ? String(rawId)
        : undefined
  return { ok: false, reason: describeZodError(result.error), id }
}

/** Paging numbers; they may arrive as strings (observed). */
const pagingInt = z.preprocess(
  (v) => (typeof v === "string" && /^\s*\d+\s*$/.test(v) ? Number(v.trim()) : v),
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

/**
 * Token endpoint answer (refresh and code exchange share it).
 * `refresh_token` may be absent (keep the old one); `expires_in` is read when present
 * (seconds), otherwise the documented lifetimes apply (access 60 days, refresh 90 days).
 */
export const tokenResponseSchema = z
  .object({
    access_token: z.string().min(1, "must not be empty"),
    refresh_token: optionalText,
    expires_in: optionalInt,
    refresh_token_expires_in: optionalInt,
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
    id: opaqueId,
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
    items: z.array(z.object({ id: opaqueId }).passthrough()),
    total_count: pagingInt.optional(),
  })
  .passthrough()
