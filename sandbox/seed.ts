/**
 * Deterministic seeded orders for the LINE Gift sandbox.
 *
 * Everything here is a pure function of a numeric seed and a clock value (`nowSec`, Unix
 * seconds): two sandboxes created with the same seed and clock serve byte-identical orders.
 * Amounts are JPY integers (tax and shipping included), times are Unix seconds, ship dates
 * are Asia/Tokyo calendar dates ("YYYY/MM/DD").
 *
 * People and places are obviously fictional (山田 花子, 見本 太郎, サンプル市, 見本町1-2-3
 * テストハイツ101, phone numbers with "0000" in them); prefectures are real.
 */
import {
  CATALOGUE,
  type CatalogueItem,
  type CatalogueVariation,
} from "./catalogue"

/**
 * A raw LINE Gift order exactly as the sandbox serves it (see shared/line-gift-api.md,
 * "Orders"): `id` (numeric string) and `status` always, plus `user_name`, `selling_price`
 * (JPY int), `fee` (JPY int), `item {id, code, name}`, `variation {id, code, name}` (absent
 * for items without variations), `stock_count`, `shipping_fee` (""), the Unix-second times
 * `bought_on`, `payed_on`, `payment_deadline`, `receive_deadline`, `received_on` (when the
 * recipient accepted the gift and entered the address), `delivery_deadline`, `delivered_on`,
 * the shipment fields `delivery_code`, `delivery_agent`, `shipment_date` ("YYYY/MM/DD", JST),
 * and `address` (`{}` until the recipient accepts).
 */
export type SandboxOrder = Record<string, unknown> & {
  id: string
  status: string
}

/** The six LINE Gift status codes, in lifecycle order (cancel last). */
export const SANDBOX_ORDER_STATUSES = [
  "cvs",
  "gift_message_wait",
  "gift_message_send",
  "payment",
  "received",
  "cancel",
] as const

/** One LINE Gift status code, e.g. `payment` (発送待ち). */
export type SandboxOrderStatus = (typeof SANDBOX_ORDER_STATUSES)[number]

/** Default PRNG seed of the sandbox. */
export const DEFAULT_SEED = 20261129
/** Default number of seeded orders. */
export const DEFAULT_ORDER_COUNT = 300
/** Id of the oldest seeded order; later orders count up from it ("5000000001", …). */
export const FIRST_ORDER_ID = 5000000001
/** Carriers used on seeded shipped orders. */
export const SANDBOX_CARRIERS = ["ヤマト運輸", "佐川急便", "日本郵便"] as const

/** Seconds in a day. */
export const DAY_SEC = 86400
/** LINE Gift serves roughly the last three months of orders: 90 days, in seconds. */
export const ORDER_WINDOW_SEC = 90 * DAY_SEC

/** A PRNG: returns floats uniformly distributed in [0, 1). */
export type Rng = () => number

/**
 * mulberry32: a tiny deterministic 32-bit PRNG. Same seed → same sequence of floats in [0, 1).
 * Not cryptographic (tokens use crypto.randomBytes, never this).
 */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0
  return function next(): number {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const JST_DATE = new Intl.DateTimeFormat("en-US", {
  timeZone: "Asia/Tokyo",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
})

/**
 * The Asia/Tokyo calendar date of a Unix-second instant as "YYYY/MM/DD" (LINE Gift's
 * `shipment_date` format), whatever the process time zone is.
 */
export function jstDate(unixSec: number): string {
  const parts = JST_DATE.formatToParts(new Date(unixSec * 1000))
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? ""
  return `${get("year")}/${get("month")}/${get("day")}`
}

// ---------------------------------------------------------------------------------------
// small PRNG helpers

/** Integer in [min, max] (both inclusive). */
function int(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1))
}

function pick<T>(rng: Rng, list: readonly T[]): T {
  return list[Math.floor(rng() * list.length)]
}

/** Picks a key by weight (weights need not sum to 1). */
function weighted<T>(rng: Rng, table: ReadonlyArray<readonly [T, number]>): T {
  const total = table.reduce((s, [, w]) => s + w, 0)
  let r = rng() * total
  for (const [value, w] of table) {
    r -= w
    if (r < 0) return value
  }
  return table[table.length - 1][0]
}

/** A Unix second in [a, b); when b <= a, b (callers pass b <= now, so the result never passes now). */
function between(rng: Rng, a: number, b: number): number {
  if (b <= a) return Math.floor(b)
  return Math.floor(a + (b - a) * rng())
}

// ---------------------------------------------------------------------------------------
// fictional people and places

const BUYER_NAMES = [
  "ギフト太郎",
  "ギフト花子",
  "サンプル次郎",
  "テスト三郎",
  "見本さくら",
  "ためし一郎",
  "ダミー桃子",
  "試験ユーザー",
  "サンプル結衣",
  "テスト健太",
  "見本ゆうこ",
  "ギフト好きの見本",
] as const
const LAST_NAMES = ["山田", "見本", "試験", "例題", "仮名", "架空"] as const
const FIRST_NAMES = [
  "花子",
  "太郎",
  "次郎",
  "三郎",
  "桜子",
  "一郎",
  "梅子",
  "四郎",
] as const
const PREFECTURES = [
  ["東京都", "100"],
  ["大阪府", "530"],
  ["北海道", "060"],
  ["福岡県", "810"],
  ["沖縄県", "900"],
  ["愛知県", "450"],
  ["宮城県", "980"],
  ["広島県", "730"],
  ["京都府", "600"],
  ["神奈川県", "220"],
] as const
const CITIES = [
  "サンプル市",
  "見本市",
  "テスト市中央区",
  "架空郡ダミー町",
  "例題市北区",
  "試験村",
] as const
const TOWNS = [
  "見本町",
  "サンプル台",
  "テスト通り",
  "ダミー本町",
  "例題ヶ丘",
] as const
const BUILDINGS = [
  "テストハイツ",
  "サンプルマンション",
  "見本コーポ",
  "ダミーレジデンス",
] as const

/** A full recipient address (fictional). */
function fullAddress(rng: Rng, fromName: string): Record<string, string> {
  const [pref, zipPrefix] = pick(rng, PREFECTURES)
  const mobile = pick(rng, ["090", "080", "070"] as const)
  const last4 = String(int(rng, 1000, 9999))
  const street = `${pick(rng, TOWNS)}${int(rng, 1, 9)}-${int(rng, 1, 30)}-${int(rng, 1, 20)}`
  const building =
    rng() < 0.55
      ? ` ${pick(rng, BUILDINGS)}${int(rng, 1, 9)}0${int(rng, 1, 9)}`
      : ""
  return {
    from_name: fromName,
    first_name: pick(rng, FIRST_NAMES),
    last_name: pick(rng, LAST_NAMES),
    zip: `${zipPrefix}-${String(int(rng, 1, 99)).padStart(4, "0")}`,
    tel: `${mobile}0000${last4}`,
    tel_hyphen: `${mobile}-0000-${last4}`,
    pref,
    city: pick(rng, CITIES),
    address: `${street}${building}`,
  }
}

/** A 12-digit tracking number (伝票番号). */
function trackingNumber(rng: Rng): string {
  let s = String(int(rng, 1, 9))
  for (let i = 0; i < 11; i++) s += String(int(rng, 0, 9))
  return s
}

// ---------------------------------------------------------------------------------------
// one order

/**
 * What `buildOrder` should create. `boughtOn` is Unix seconds; `item`/`variation`,
 * `quantity` and `discount` pin the product (otherwise picked at random: ~3 % the catalogue
 * item marked `missing_from_medusa`).
 */
export type OrderSpec = {
  status: SandboxOrderStatus
  boughtOn: number
  item?: CatalogueItem
  variation?: CatalogueVariation
  quantity?: number
  /** true: a multi-quantity order whose total does not divide by the quantity. */
  discount?: boolean
}

/** The product of an order: catalogue item, variation (if any), quantity, total in JPY. */
type Product = {
  item: CatalogueItem
  variation?: CatalogueVariation
  quantity: number
  sellingPrice: number
}

/** Picks (or takes from `spec`) the product, and prices it; ~5 % of multi-quantity orders get a non-divisible discount. */
function pickProduct(rng: Rng, spec: OrderSpec): Product {
  const sellable = CATALOGUE.filter((i) => !i.missing_from_medusa)
  const missing = CATALOGUE.filter((i) => i.missing_from_medusa)
  const roll = rng()
  const item =
    spec.item ??
    (roll < 0.025 && missing.length ? pick(rng, missing) : pick(rng, sellable))
  const variation =
    spec.variation ??
    (item.variations.length ? pick(rng, item.variations) : undefined)
  const quantity =
    spec.quantity ??
    weighted(rng, [
      [1, 86],
      [2, 10],
      [3, 4],
    ] as const)
  const unit = variation?.price ?? item.price
  let sellingPrice = unit * quantity
  const discountRoll = rng()
  if (quantity > 1 && (spec.discount ?? discountRoll < 0.05)) {
    let discount = 100
    while ((sellingPrice - discount) % quantity === 0) discount += 1
    sellingPrice -= discount
  }
  return { item, variation, quantity, sellingPrice }
}

/** Where an order is in its life: cancelled when (if at all), paid, accepted, paid at a convenience store. */
type Lifecycle = {
  cancelKind?: "unpaid" | "before_accept" | "after_accept"
  paid: boolean
  accepted: boolean
  viaCvs: boolean
}

function lifecycle(rng: Rng, status: SandboxOrderStatus): Lifecycle {
  const cancelKind: Lifecycle["cancelKind"] =
    status === "cancel"
      ? weighted(rng, [
          ["unpaid", 3],
          ["before_accept", 4],
          ["after_accept", 3],
        ] as const)
      : undefined
  const paid = status !== "cvs" && cancelKind !== "unpaid"
  const accepted =
    status === "payment" ||
    status === "received" ||
    cancelKind === "after_accept"
  const viaCvs = !paid || rng() < 0.08
  return { cancelKind, paid, accepted, viaCvs }
}

/** The order's first fields: buyer, price, fee (10 %), item, variation, quantity, times so far. */
function orderHead(
  id: string,
  status: SandboxOrderStatus,
  buyer: string,
  product: Product,
  boughtOn: number
): SandboxOrder {
  const { item, variation, quantity, sellingPrice } = product
  const order: SandboxOrder = { id, status }
  order.user_name = buyer
  order.selling_price = sellingPrice
  order.fee = Math.floor(sellingPrice * 0.1)
  order.item = { id: item.id, code: item.code, name: item.name }
  if (variation)
    order.variation = {
      id: variation.id,
      code: variation.sku,
      name: variation.name,
    }
  order.stock_count = quantity
  order.shipping_fee = ""
  order.bought_on = boughtOn
  return order
}

/** Payment time and deadlines (Unix seconds); returns `payed_on` when paid. */
function addPayment(
  rng: Rng,
  order: SandboxOrder,
  life: Lifecycle,
  boughtOn: number,
  nowSec: number
): number | undefined {
  let payedOn: number | undefined
  if (life.paid) {
    payedOn = life.viaCvs
      ? between(rng, boughtOn + 3600, Math.min(boughtOn + 3 * DAY_SEC, nowSec))
      : Math.min(boughtOn + int(rng, 30, 900), nowSec)
    order.payed_on = payedOn
  }
  if (life.viaCvs) order.payment_deadline = boughtOn + 3 * DAY_SEC
  if (life.paid) order.receive_deadline = boughtOn + 14 * DAY_SEC
  return payedOn
}

/** Acceptance by the recipient (received_on, delivery_deadline, address) and, if shipped, the shipment. */
function addAcceptance(
  rng: Rng,
  order: SandboxOrder,
  when: { boughtOn: number; payedOn: number; nowSec: number },
  fromName: string
): Record<string, string> {
  const { boughtOn, payedOn, nowSec } = when
  let acceptedOn: number
  if (order.status === "payment") {
    // accepted recently (orders of the last days) or late (older orders still waiting)
    acceptedOn = between(
      rng,
      Math.max(payedOn, nowSec - 5 * DAY_SEC),
      Math.min(boughtOn + 14 * DAY_SEC, nowSec)
    )
  } else {
    acceptedOn = between(rng, payedOn, Math.min(payedOn + 2 * DAY_SEC, nowSec))
  }
  order.received_on = acceptedOn
  order.delivery_deadline = acceptedOn + 5 * DAY_SEC
  const address = fullAddress(rng, fromName)
  if (order.status === "received") {
    const deliveredOn = between(
      rng,
      Math.min(acceptedOn + 1800, nowSec),
      Math.min(acceptedOn + 2 * DAY_SEC, nowSec)
    )
    order.delivered_on = deliveredOn
    order.delivery_code = trackingNumber(rng)
    order.delivery_agent = pick(rng, SANDBOX_CARRIERS)
    order.shipment_date = jstDate(deliveredOn)
  }
  return address
}

/**
 * Builds one realistic order in `spec.status`, bought at `spec.boughtOn`, with every time
 * clamped to `nowSec` (Unix seconds). Consumes values from `rng` in a fixed order, so the
 * result is deterministic for a given rng state.
 */
export function buildOrder(
  rng: Rng,
  id: string,
  spec: OrderSpec,
  nowSec: number
): SandboxOrder {
  const { status } = spec
  const boughtOn = Math.min(Math.floor(spec.boughtOn), nowSec)
  const product = pickProduct(rng, spec)
  const life = lifecycle(rng, status)

  const buyer = pick(rng, BUYER_NAMES)
  const fromName =
    rng() < 0.6 ? buyer : `${pick(rng, LAST_NAMES)} ${pick(rng, FIRST_NAMES)}`

  const order = orderHead(id, status, buyer, product, boughtOn)
  const payedOn = addPayment(rng, order, life, boughtOn, nowSec)

  let address: Record<string, string> = {}
  if (life.accepted && payedOn !== undefined) {
    address = addAcceptance(rng, order, { boughtOn, payedOn, nowSec }, fromName)
  } else if (
    status === "gift_message_send" ||
    life.cancelKind === "before_accept"
  ) {
    if (rng() < 0.5) address = { from_name: fromName }
  }
  order.address = address
  return order
}

// ---------------------------------------------------------------------------------------
// the whole seeded set

/**
 * Status of a randomly placed order, by its age in days (realistic distribution). Cancelled
 * orders are placed separately (a fixed ~6 % of the set), so this never returns "cancel".
 */
function statusForAge(rng: Rng, ageDays: number): SandboxOrderStatus {
  if (ageDays < 0.5)
    return weighted(rng, [
      ["cvs", 15],
      ["gift_message_wait", 30],
      ["gift_message_send", 30],
      ["payment", 22],
      ["received", 3],
    ] as const)
  if (ageDays < 2)
    return weighted(rng, [
      ["cvs", 8],
      ["gift_message_wait", 10],
      ["gift_message_send", 25],
      ["payment", 32],
      ["received", 25],
    ] as const)
  if (ageDays < 3)
    return weighted(rng, [
      ["cvs", 4],
      ["gift_message_send", 12],
      ["payment", 22],
      ["received", 62],
    ] as const)
  if (ageDays < 7)
    return weighted(rng, [
      ["gift_message_send", 6],
      ["payment", 13],
      ["received", 81],
    ] as const)
  if (ageDays < 14)
    return weighted(rng, [
      ["gift_message_send", 2],
      ["payment", 3],
      ["received", 95],
    ] as const)
  if (ageDays < 20)
    return weighted(rng, [
      ["payment", 2],
      ["received", 98],
    ] as const)
  return "received"
}

type Placed = { spec: OrderSpec; seq: number }

/**
 * Seeds `count` orders bought over the 90 days before `nowSec` (Unix seconds), in every
 * status, and returns them in a deterministic but NOT chronological order (shuffled by
 * `seed`). Ids are numeric strings counting up with purchase time from "5000000001".
 *
 * Guarantees (for count >= 100; scaled down for smaller sets): one order of each status,
 * at least 22 `payment` orders bought in the last 7 days (the first of them uses the item
 * missing from Medusa, the second has quantity 3 and a discounted, non-divisible total), and
 * 4 `payment` orders bought 8–20 days ago (accepted late). Roughly 3 % of orders use the
 * `missing_from_medusa` item; 6 % are cancelled.
 */
export function seedOrders(
  seed: number,
  count: number,
  nowSec: number
): SandboxOrder[] {
  const rng = mulberry32(seed)
  const n = Math.max(0, Math.floor(count))
  const ageSec = (minDays: number, maxDays: number) =>
    Math.floor((minDays + (maxDays - minDays) * rng()) * DAY_SEC)

  const missingItem = CATALOGUE.find((i) => i.missing_from_medusa)
  const towel = CATALOGUE.find((i) => i.code === "LG-TOWEL-03") ?? CATALOGUE[0]
  const recentPayments = n >= 100 ? 22 : Math.floor(n * 0.2)
  const latePayments = n >= 100 ? 4 : Math.floor(n * 0.03)

  const forced: Array<
    Omit<OrderSpec, "boughtOn"> & { ageDays: [number, number] }
  > = []
  if (n >= 6) {
    forced.push({ status: "cvs", ageDays: [0.02, 1.5] })
    forced.push({ status: "gift_message_wait", ageDays: [0.01, 0.8] })
    forced.push({ status: "gift_message_send", ageDays: [0.1, 2.5] })
    forced.push({ status: "received", ageDays: [3, 60] })
    forced.push({ status: "cancel", ageDays: [5, 80] })
  }
  // ~6 % cancelled overall, spread over the whole window (one is placed above)
  const cancels = Math.max(0, Math.round(n * 0.06) - 1)
  for (let i = 0; i < recentPayments; i++) {
    const spec: Omit<OrderSpec, "boughtOn"> & { ageDays: [number, number] } = {
      status: "payment",
      ageDays: [0.02, 6.9],
    }
    if (i === 0 && missingItem) spec.item = missingItem
    if (i === 1) {
      spec.item = towel
      spec.quantity = 3
      spec.discount = true
    }
    if (i === 2) {
      spec.item = towel
      spec.quantity = 2
      spec.discount = false
    }
    forced.push(spec)
  }
  for (let i = 0; i < latePayments; i++)
    forced.push({ status: "payment", ageDays: [8, 20] })
  if (n >= 6)
    for (let i = 0; i < cancels; i++)
      forced.push({ status: "cancel", ageDays: [0.2, 89.5] })
  forced.splice(n)

  const placed: Placed[] = []
  for (const f of forced) {
    const { ageDays, ...rest } = f
    placed.push({
      spec: { ...rest, boughtOn: nowSec - ageSec(ageDays[0], ageDays[1]) },
      seq: placed.length,
    })
  }
  while (placed.length < n) {
    // a shop's recent days are busier: ~12 % of the orders fall in the last 3 days
    const age = rng() < 0.12 ? ageSec(0.003, 3) : ageSec(0.003, 89.5)
    const status = statusForAge(rng, age / DAY_SEC)
    placed.push({
      spec: { status, boughtOn: nowSec - age },
      seq: placed.length,
    })
  }

  // ids count up with purchase time, like a real shop's order numbers
  placed.sort((a, b) => a.spec.boughtOn - b.spec.boughtOn || a.seq - b.seq)
  const orders = placed.map((p, i) =>
    buildOrder(rng, String(FIRST_ORDER_ID + i), p.spec, nowSec)
  )

  // deterministic Fisher–Yates shuffle: clients must not rely on the listing order
  for (let i = orders.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1))
    const t = orders[i]
    orders[i] = orders[j]
    orders[j] = t
  }
  return orders
}

/**
 * The three malformed orders of the `malformedOrders` fault, bought at `nowSec`, status
 * `payment`, otherwise realistic: one without `id`, one with id "MALFORMED-PRICE" and
 * `selling_price: "abc"`, one with id "MALFORMED-STATUS" and `status: "shipped_somehow"`.
 */
export function malformedOrders(
  seed: number,
  nowSec: number
): Array<Record<string, unknown>> {
  const rng = mulberry32((seed ^ 0x0bad0bad) >>> 0)
  const noId: Record<string, unknown> = buildOrder(
    rng,
    "MALFORMED-NO-ID",
    { status: "payment", boughtOn: nowSec },
    nowSec
  )
  delete noId.id
  const badPrice = buildOrder(
    rng,
    "MALFORMED-PRICE",
    { status: "payment", boughtOn: nowSec },
    nowSec
  )
  badPrice.selling_price = "abc"
  const badStatus = buildOrder(
    rng,
    "MALFORMED-STATUS",
    { status: "payment", boughtOn: nowSec },
    nowSec
  )
  badStatus.status = "shipped_somehow"
  return [noId, badPrice, badStatus]
}

/**
 * Seeded stock counts of the sandbox catalogue, keyed by SKU (variation SKU, or item code for
 * items without variations): 0–40 for stock-managed ones, 999 for the others.
 */
export function seedItemStock(seed: number): Record<string, number> {
  const rng = mulberry32((seed ^ 0x5eed5eed) >>> 0)
  const stock: Record<string, number> = {}
  for (const item of CATALOGUE) {
    const skus = item.variations.length
      ? item.variations.map((v) => [v.sku, v.manage_inventory] as const)
      : [[item.code, item.manage_inventory] as const]
    for (const [sku, managed] of skus)
      stock[sku] = managed ? int(rng, 0, 40) : 999
  }
  return stock
}
