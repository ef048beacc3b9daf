/**
 * Pure mapping of one LINE Gift order to the input of Medusa's createOrderWorkflow.
 * No database, no HTTP: unit tests call it directly.
 *
 * LINE Gift facts used (shared/line-gift-api.md, "Orders (observed)"):
 * - one order is one product (item, optional variation) with a quantity (`stock_count`);
 * - `selling_price` is the whole order's JPY total, tax included, shipping included;
 *   `shipping_fee` is usually empty;
 * - the SKU is `variation.code`, else `item.code`;
 * - the recipient's address is empty until the recipient accepts the gift.
 */
import {
  KNOWN_LINE_GIFT_ORDER_FIELDS,
  type LineGiftOrder,
} from "./line-gift/schemas"
import { holdsReplacementCharacter } from "./storable-text"

/** A Medusa variant found for a LINE Gift SKU. */
export type VariantMatch = {
  id: string
  sku: string
  title: string | null
  product_title: string | null
  manage_inventory: boolean
  /**
   * How the variant was found: `exact` (SKU equal), `mapping` (the merchant's SKU mapping) or
   * `loose` (equal after looseSkuKey: whitespace, width, case — a unique match). Default exact.
   */
  matched?: "exact" | "mapping" | "loose"
}

/** Where and how the order is created in Medusa. */
export type MappingContext = {
  shopId: string
  regionId: string
  salesChannelId: string | null
  /** ISO 4217 lower case; LINE Gift is JPY only. */
  currencyCode: string
  /** Placeholder customer email (LINE Gift gives none). */
  email: string
  shippingOptionId?: string | null
  /** Variants by SKU (only the SKUs present in Medusa). */
  variantsBySku: Map<string, VariantMatch>
}

/**
 * Flags the import sets on a record / order for a person to see:
 * - `unknown_sku`: no variant for the SKU (custom line item);
 * - `price_split`: the total did not divide by the quantity (two lines, one yen apart);
 * - `sku_loose_match`: the SKU matched a variant only after looseSkuKey (metadata says which);
 * - `out_of_stock`: imported although stock was short; no reservation (metadata names the SKU);
 * - `no_address`: a ready-to-ship order without the recipient's address (not shippable yet);
 * - `partial_address`: a ready-to-ship order whose address lacks a part (ADDRESS_PARTS):
 *   imported with what LINE Gift sent, completed when LINE Gift sends the whole address.
 * - `text_repaired`: some text of the order holds U+FFFD — characters PostgreSQL cannot store
 *   (NUL, a broken surrogate) replaced when it was parsed (parseLineGiftOrder), or sent so:
 *   part of a name, address or other text is lost and a person should check it.
 */
export type ImportFlag =
  | "unknown_sku"
  | "price_split"
  | "sku_loose_match"
  | "out_of_stock"
  | "no_address"
  | "partial_address"
  | "text_repaired"

/**
 * The flag of an order imported provisionally — without its final address, the record marked
 * `provisional` until the whole address arrives: `provisional` (a gift waiting for its
 * recipient), `no_address`, `partial_address` (see ImportFlag).
 */
export type ProvisionalFlag = "provisional" | "no_address" | "partial_address"

/** Line item input of createOrderWorkflow, as we fill it. */
export type MappedLineItem = {
  variant_id?: string
  title: string
  subtitle?: string
  quantity: number
  /** JPY integer, tax included. */
  unit_price: number
  is_tax_inclusive: true
  metadata: Record<string, unknown>
}

/** Input of createOrderWorkflow for one LINE Gift order (the fields we use). */
export type MappedOrderInput = {
  region_id: string
  sales_channel_id?: string
  email: string
  currency_code: string
  items: MappedLineItem[]
  shipping_address?: {
    first_name?: string
    last_name?: string
    postal_code?: string
    province?: string
    city?: string
    address_1?: string
    phone?: string
    country_code: "jp"
  }
  shipping_methods: Array<{
    name: string
    amount: number
    is_tax_inclusive: true
    shipping_option_id?: string
    data: Record<string, unknown>
  }>
  no_notification: true
  metadata: Record<string, unknown>
}

/** Result of `mapLineGiftOrder`. */
export type MappedOrder = {
  input: MappedOrderInput
  flags: ImportFlag[]
  /** The SKU looked up (variation.code, else item.code), or null when the order has none. */
  sku: string | null
  /** The matched variant, when managed inventory must be reserved for it. */
  variant: VariantMatch | null
  quantity: number
}

/** Thrown for an order we cannot turn into a Medusa order; the message names the field. */
export class LineGiftMappingError extends Error {
  constructor(message: string) {
    super(message)
    this.name = "LineGiftMappingError"
  }
}

/** Name of the shipping method on imported orders (shown in the admin). */
export const LINE_GIFT_SHIPPING_METHOD_NAME = "LINEギフト配送"

/** The SKU of a LINE Gift order: `variation.code`, else `item.code`, else null. */
export function lineGiftSku(order: LineGiftOrder): string | null {
  return order.variation?.code ?? order.item?.code ?? null
}

/**
 * Splits a JPY total over a quantity in whole yen: at most two lines, the second one yen
 * dearer, so that the sum is exactly the total (3 × for ¥1,000 → 2 × ¥333 + 1 × ¥334).
 * @returns `[{quantity, unit_price}]` (one entry when the total divides evenly)
 */
export function splitTotal(
  total: number,
  quantity: number
): Array<{ quantity: number; unit_price: number }> {
  const unit = Math.floor(total / quantity)
  const remainder = total - unit * quantity
  if (remainder === 0) {
    return [{ quantity, unit_price: unit }]
  }
  return [
    { quantity: quantity - remainder, unit_price: unit },
    { quantity: remainder, unit_price: unit + 1 },
  ]
}

/** Dash-like characters people type in Japanese postal codes and phone numbers. */
const DASHES = /[\u2010-\u2015\u2212\u30fc\uff70]/g

/**
 * Normalises a postal code or phone number as recipients type them: full-width digits and
 * hyphens (１５０－０００１), other dashes (‐ ― − ー) and spaces (full- or half-width)
 * → ASCII "150-0001" (Unicode NFKC, then dashes → "-", spaces removed).
 * Only for these number fields: names and address lines are kept exactly as sent (emoji,
 * half-width katakana and all), since they are what the recipient wrote.
 * @returns the normalised text, or undefined for undefined / blank
 */
export function normalizeNumberText(
  value: string | undefined
): string | undefined {
  if (value === undefined) {
    return undefined
  }
  const normalized = value
    .normalize("NFKC")
    .replace(DASHES, "-")
    .replace(/\s+/g, "")
  return normalized || undefined
}

/**
 * A Japanese postal code in the one format used everywhere: "NNN-NNNN". Accepts what people
 * type — 1000001, 100-0001, １００－０００１, "〒100 0001", other dashes — and returns
 * "100-0001" whenever exactly seven digits remain. Anything else (not a valid Japanese postcode)
 * is returned normalised (normalizeNumberText) but otherwise as sent.
 * @returns "NNN-NNNN", the normalised text, or undefined for undefined / blank
 */
export function normalizePostalCode(
  value: string | undefined
): string | undefined {
  const text = normalizeNumberText(value)
  if (text === undefined) return undefined
  const digits = text.replace(/^〒/, "").replace(/-/g, "")
  return /^\d{7}$/.test(digits)
    ? `${digits.slice(0, 3)}-${digits.slice(3)}`
    : text
}

/**
 * The key under which two SKUs are "the same but for invisible details": Unicode NFKC
 * (full-width → half-width letters, digits, hyphens and spaces), surrounding whitespace
 * removed, upper case. `" ｌｇ-towel-03-wh\u3000"` (ending in an ideographic space) and
 * `"LG-TOWEL-03-WH"` share a key.
 * Used only when no variant has the exact SKU, and only for a unique match.
 */
export function looseSkuKey(sku: string): string {
  return sku.normalize("NFKC").replace(DASHES, "-").trim().toUpperCase()
}

/** Whether LINE Gift sent a recipient address to ship to (postcode, prefecture, city or street). */
export function hasShippableAddress(
  order: Pick<LineGiftOrder, "address">
): boolean {
  const a = order.address
  const present = (v: unknown) => typeof v === "string" && v.trim() !== ""
  return !!(
    a &&
    (present(a.zip) || present(a.pref) || present(a.city) || present(a.address))
  )
}

/** The parts of a recipient address a parcel in Japan needs: postcode, prefecture, city, street. */
export const ADDRESS_PARTS = ["zip", "pref", "city", "address"] as const

/**
 * Whether LINE Gift sent the whole recipient address: every part of ADDRESS_PARTS non-blank.
 * An order imported without it is flagged (`no_address` / `partial_address` / `provisional`)
 * and its address is filled in once this holds (see classifyOrder, updateKnownOrder).
 */
export function hasCompleteAddress(
  order: Pick<LineGiftOrder, "address">
): boolean {
  const a = order.address as Record<string, unknown> | undefined
  return (
    !!a &&
    ADDRESS_PARTS.every((k) => typeof a[k] === "string" && a[k].trim() !== "")
  )
}

/**
 * Gift details of an order for the merchant (order metadata `line_gift.gift`):
 * - the fields seen in merchants' data (shared/line-gift-api.md): `is_delivery_by_hand`
 *   (boolean), `delivery_by_hand_deadline` and `pre_order_delivery_start` (a Unix-seconds
 *   number becomes an ISO date-time; text is kept as sent);
 * - `extra`: every other top-level field the plugin does not know (a requested delivery
 *   date/time, のし, wrapping or a message, if LINE Gift sends them), value as sent.
 * Null members are omitted; `extra` is {} when there is none.
 */
export function giftDetails(order: LineGiftOrder): {
  is_delivery_by_hand?: boolean
  delivery_by_hand_deadline?: string
  pre_order_delivery_start?: string
  extra: Record<string, unknown>
} {
  const raw = order as Record<string, unknown>
  const out: ReturnType<typeof giftDetails> = { extra: {} }
  const flag = raw.is_delivery_by_hand
  if (flag !== undefined && flag !== null && flag !== "") {
    out.is_delivery_by_hand =
      flag === true || flag === 1 || flag === "1" || flag === "true"
  }
  for (const key of [
    "delivery_by_hand_deadline",
    "pre_order_delivery_start",
  ] as const) {
    const v = raw[key]
    if (v === undefined || v === null || v === "") continue
    const n =
      typeof v === "number"
        ? v
        : typeof v === "string" && /^\d{9,10}$/.test(v.trim())
          ? Number(v)
          : NaN
    out[key] = Number.isInteger(n)
      ? new Date(n * 1000).toISOString()
      : String(v)
  }
  for (const [key, value] of Object.entries(raw)) {
    if (!KNOWN_LINE_GIFT_ORDER_FIELDS.has(key) && value !== undefined)
      out.extra[key] = value
  }
  return out
}

/** Unix seconds → ISO string (UTC), or undefined. */
const iso = (unixSeconds: number | undefined) =>
  unixSeconds === undefined
    ? undefined
    : new Date(unixSeconds * 1000).toISOString()

/** An order that passed `checkOrderTotals`: item, total and quantity present. */
type CheckedOrder = LineGiftOrder & {
  item: NonNullable<LineGiftOrder["item"]>
  selling_price: number
}

/** The amounts of an order (JPY integers): quantity, shipping, items total (= total − shipping). */
type OrderAmounts = { quantity: number; shipping: number; itemsTotal: number }

/**
 * Stage 1: the fields without which there is no order, and the amounts (JPY).
 * @throws LineGiftMappingError naming the field (item, selling_price, stock_count,
 *   shipping_fee above the total).
 */
function checkOrderTotals(order: LineGiftOrder): {
  order: CheckedOrder
  amounts: OrderAmounts
} {
  if (!order.item) {
    throw new LineGiftMappingError(
      "item: is required (the product of the order)"
    )
  }
  if (order.selling_price === undefined) {
    throw new LineGiftMappingError(
      "selling_price: is required (the order total in JPY)"
    )
  }
  const quantity = order.stock_count
  if (quantity === undefined) {
    throw new LineGiftMappingError("stock_count: is required (the quantity)")
  }
  if (quantity < 1) {
    throw new LineGiftMappingError("stock_count: must be at least 1")
  }
  const shipping = order.shipping_fee ?? 0
  const itemsTotal = order.selling_price - shipping
  if (itemsTotal < 0) {
    throw new LineGiftMappingError(
      `shipping_fee: ${shipping} exceeds selling_price ${order.selling_price}`
    )
  }
  return {
    order: order as CheckedOrder,
    amounts: { quantity, shipping, itemsTotal },
  }
}

/**
 * Stage 2: the line items — the variant found by SKU (or a custom line, `unknown_sku`), the
 * total split in whole yen (`price_split` when two lines), tax-inclusive prices.
 */
function buildLineItems(
  order: CheckedOrder,
  amounts: OrderAmounts,
  ctx: MappingContext
): {
  items: MappedLineItem[]
  flags: ImportFlag[]
  sku: string | null
  variant: VariantMatch | null
} {
  const flags: ImportFlag[] = []
  const sku = lineGiftSku(order)
  const variant = sku ? (ctx.variantsBySku.get(sku) ?? null) : null
  if (!variant) {
    flags.push("unknown_sku")
  } else if (variant.matched === "loose") {
    flags.push("sku_loose_match")
  }
  const parts = splitTotal(amounts.itemsTotal, amounts.quantity)
  if (parts.length > 1) {
    flags.push("price_split")
  }
  const title =
    order.item.name ?? variant?.product_title ?? sku ?? "LINEギフト商品"
  const subtitle = order.variation?.name ?? variant?.title ?? undefined
  const items: MappedLineItem[] = parts.map((part) => ({
    ...(variant ? { variant_id: variant.id } : {}),
    title,
    ...(subtitle ? { subtitle } : {}),
    quantity: part.quantity,
    unit_price: part.unit_price,
    is_tax_inclusive: true,
    metadata: {
      line_gift_item_id: order.item?.id ?? null,
      line_gift_item_code: order.item?.code ?? null,
      line_gift_variation_id: order.variation?.id ?? null,
      line_gift_variation_code: order.variation?.code ?? null,
      ...(variant ? {} : { line_gift_unknown_sku: sku }),
    },
  }))
  return { items, flags, sku, variant }
}

/** Stage 3: the recipient's address (country JP, normalised postcode and phone), when there is one. */
function buildShippingAddress(
  order: LineGiftOrder
): MappedOrderInput["shipping_address"] {
  const a = order.address
  if (!a || !hasShippableAddress(order)) return undefined
  return {
    first_name: a.first_name,
    last_name: a.last_name,
    postal_code: normalizePostalCode(a.zip),
    province: a.pref,
    city: a.city,
    address_1: a.address,
    phone: normalizeNumberText(a.tel_hyphen ?? a.tel),
    country_code: "jp" as const,
  }
}

/** Stage 4: order metadata `line_gift` — ids, status, names, amounts, deadlines, gift details, flags. */
function buildLineGiftMetadata(
  order: CheckedOrder,
  ctx: MappingContext,
  lines: {
    flags: ImportFlag[]
    sku: string | null
    variant: VariantMatch | null
  }
): Record<string, unknown> {
  const { flags, sku, variant } = lines
  return {
    shop_id: ctx.shopId,
    order_id: order.id,
    status: order.status,
    buyer_name: order.user_name ?? null,
    sender_name: order.address?.from_name ?? null,
    selling_price: order.selling_price,
    fee: order.fee ?? null,
    shipping_fee: order.shipping_fee ?? null,
    item_id: order.item.id ?? null,
    item_code: order.item.code ?? null,
    variation_id: order.variation?.id ?? null,
    variation_code: order.variation?.code ?? null,
    sku,
    ...(variant?.matched === "loose"
      ? { sku_loose_match: { code: sku, variant_sku: variant.sku } }
      : {}),
    gift: giftDetails(order),
    bought_at: iso(order.bought_on) ?? null,
    paid_at: iso(order.payed_on) ?? null,
    payment_deadline: iso(order.payment_deadline) ?? null,
    delivery_deadline: iso(order.delivery_deadline) ?? null,
    receive_deadline: iso(order.receive_deadline) ?? null,
    flags,
  }
}

/**
 * Maps a validated LINE Gift order to createOrderWorkflow input.
 * - line items: the variant matched by SKU (custom line item flagged `unknown_sku` when none),
 *   at the LINE Gift price, tax-inclusive, split in two lines when the total does not divide
 *   by the quantity (flag `price_split`); items total + shipping = `selling_price` exactly;
 * - shipping address: the recipient (country JP), when LINE Gift has one (hasShippableAddress);
 *   postal code as "NNN-NNNN" (normalizePostalCode), phone normalised to ASCII
 *   (normalizeNumberText); names of any length and emoji kept as sent;
 * - metadata `line_gift`: ids (text), status, buyer and sender names, fee, price, deadlines,
 *   gift details and unknown fields (giftDetails), the loose SKU match when there was one;
 * - flag `text_repaired` when any text or key of the order holds U+FFFD (see ImportFlag).
 * @throws LineGiftMappingError when `item`, `selling_price` or `stock_count` is missing or
 *   unusable, or shipping exceeds the total.
 */
export function mapLineGiftOrder(
  order: LineGiftOrder,
  ctx: MappingContext
): MappedOrder {
  const checked = checkOrderTotals(order)
  const lines = buildLineItems(checked.order, checked.amounts, ctx)
  if (holdsReplacementCharacter(order)) lines.flags.push("text_repaired")
  const shippingAddress = buildShippingAddress(order)
  return {
    input: {
      region_id: ctx.regionId,
      ...(ctx.salesChannelId ? { sales_channel_id: ctx.salesChannelId } : {}),
      email: ctx.email,
      currency_code: ctx.currencyCode,
      items: lines.items,
      ...(shippingAddress ? { shipping_address: shippingAddress } : {}),
      shipping_methods: [
        {
          name: LINE_GIFT_SHIPPING_METHOD_NAME,
          amount: checked.amounts.shipping,
          is_tax_inclusive: true,
          ...(ctx.shippingOptionId
            ? { shipping_option_id: ctx.shippingOptionId }
            : {}),
          data: {},
        },
      ],
      no_notification: true,
      metadata: {
        line_gift: buildLineGiftMetadata(checked.order, ctx, lines),
      },
    },
    flags: lines.flags,
    sku: lines.sku,
    variant: lines.variant,
    quantity: checked.amounts.quantity,
  }
}

/**
 * Whether an order has a price to capture: `selling_price` (JPY) above 0. A ¥0 order (a free
 * gift) gets no payment on either import path nor in crash recovery — Medusa's payment module
 * refuses a capture of 0, and core completes a cart whose total is 0 without one.
 */
export function isPricedLineGiftOrder(
  sellingPrice: number | undefined
): boolean {
  return (sellingPrice ?? 0) > 0
}

/** Core createOrderWorkflow's refusal when stock is short (also the bulk ledger's). */
export const STOCK_SHORT_MESSAGE =
  "Some variant does not have the required inventory"

/**
 * Marks a mapped order as imported although its stock is short (the customer has paid on
 * LINE Gift, so the order must exist): flag `out_of_stock`, metadata
 * `line_gift.out_of_stock = {sku, quantity}`, and every line `allow_backorder` so that core
 * createOrderWorkflow accepts it. The import then makes no reservation for it.
 * Mutates and returns `mapped`.
 */
export function markOutOfStock(mapped: MappedOrder): MappedOrder {
  if (!mapped.flags.includes("out_of_stock")) mapped.flags.push("out_of_stock")
  const meta = mapped.input.metadata.line_gift as Record<string, unknown>
  meta.out_of_stock = {
    sku: mapped.variant?.sku ?? mapped.sku,
    quantity: mapped.quantity,
  }
  meta.flags = mapped.flags
  for (const item of mapped.input.items) {
    ;(item as MappedLineItem & { allow_backorder?: boolean }).allow_backorder =
      true
  }
  return mapped
}
