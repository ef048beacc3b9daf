/**
 * Pure logic, no database: LINE Gift order validation (schemas), mapping to Medusa order
 * input, yen splitting, secret encryption and the OAuth state.
 */
import {
  parseLineGiftOrder,
  type LineGiftOrder,
} from "../../src/lib/line-gift/schemas"
import {
  LineGiftMappingError,
  lineGiftSku,
  mapLineGiftOrder,
  splitTotal,
  type MappingContext,
} from "../../src/lib/mapping"
import {
  EncryptionKeyError,
  decryptSecret,
  encryptSecret,
  parseEncryptionKey,
} from "../../src/lib/crypto"
import {
  OAuthStateError,
  createOAuthState,
  stateSigningKey,
  verifyOAuthState,
} from "../../src/lib/oauth-state"

const raw = (over: Record<string, unknown> = {}) => ({
  id: "5000000123",
  status: "payment",
  user_name: "ギフト太郎",
  selling_price: 7700,
  fee: 770,
  item: { id: "300103", code: "LG-TOWEL-03", name: "今治タオル ギフトセット" },
  variation: { id: "900131", code: "LG-TOWEL-03-WH", name: "ホワイト" },
  stock_count: 2,
  shipping_fee: "",
  bought_on: 1764300000,
  payed_on: 1764300060,
  delivered_on: null,
  received_on: 1764310000,
  payment_deadline: 1764559200,
  delivery_deadline: 1764742000,
  receive_deadline: 1765509600,
  address: {
    from_name: "見本 一郎",
    first_name: "花子",
    last_name: "山田",
    zip: "100-0001",
    tel: "09000001234",
    tel_hyphen: "090-0000-1234",
    pref: "東京都",
    city: "サンプル市",
    address: "見本町1-2-3 テストハイツ101",
  },
  some_future_field: { kept: true },
  ...over,
})

const parse = (over: Record<string, unknown> = {}): LineGiftOrder => {
  const r = parseLineGiftOrder(raw(over))
  if (!r.ok) throw new Error(r.reason)
  return r.order
}

const ctx = (over: Partial<MappingContext> = {}): MappingContext => ({
  shopId: "lgshop_1",
  regionId: "reg_jp",
  salesChannelId: "sc_1",
  currencyCode: "jpy",
  email: "gift@example.invalid",
  shippingOptionId: "so_1",
  variantsBySku: new Map([
    [
      "LG-TOWEL-03-WH",
      {
        id: "variant_wh",
        sku: "LG-TOWEL-03-WH",
        title: "ホワイト",
        product_title: "今治タオル",
        manage_inventory: true,
      },
    ],
    [
      "LG-COFFEE-02",
      {
        id: "variant_coffee",
        sku: "LG-COFFEE-02",
        title: "標準",
        product_title: "コーヒー",
        manage_inventory: true,
      },
    ],
  ]),
  ...over,
})

describe("parseLineGiftOrder", () => {
  it("accepts numbers sent as strings, numeric ids, blanks as absent, and keeps unknown fields", () => {
    const r = parseLineGiftOrder(
      raw({
        id: 5000000123,
        selling_price: "7700",
        stock_count: " 2 ",
        fee: null,
      })
    )
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.order.id).toBe("5000000123")
    expect(r.order.selling_price).toBe(7700)
    expect(r.order.stock_count).toBe(2)
    expect(r.order.fee).toBeUndefined()
    expect(r.order.shipping_fee).toBeUndefined()
    expect(r.order.delivered_on).toBeUndefined()
    expect((r.order as any).some_future_field).toEqual({ kept: true })
  })

  it("treats an empty address and an absent variation as absent", () => {
    const order = parse({
      address: {},
      variation: undefined,
      status: "gift_message_send",
    })
    expect(order.variation).toBeUndefined()
    expect(order.address).toEqual({})
    expect(parse({ address: [] }).address).toBeUndefined()
    expect(parse({ address: "" }).address).toBeUndefined()
  })

  it("rejects what cannot be used, naming each field, and still reports the id", () => {
    const r = parseLineGiftOrder(raw({ selling_price: "abc", status: "" }))
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.id).toBe("5000000123")
    expect(r.reason).toContain("selling_price")
    expect(r.reason).toContain("status")
    expect(r.reason).not.toContain("山田")

    const noId = parseLineGiftOrder(raw({ id: undefined }))
    expect(noId.ok).toBe(false)
    if (!noId.ok) {
      expect(noId.id).toBeUndefined()
      expect(noId.reason).toMatch(/^id: /)
    }
    expect(parseLineGiftOrder(null)).toEqual({
      ok: false,
      reason: "order: is not an object",
      raw: null,
      repaired: [],
    })
    expect(parseLineGiftOrder(raw({ stock_count: -1 })).ok).toBe(false)
    expect(parseLineGiftOrder(raw({ fee: 12.5 })).ok).toBe(false)
  })
})

describe("splitTotal", () => {
  it.each([
    [7700, 2, [{ quantity: 2, unit_price: 3850 }]],
    [
      1000,
      3,
      [
        { quantity: 2, unit_price: 333 },
        { quantity: 1, unit_price: 334 },
      ],
    ],
    [
      11450,
      3,
      [
        { quantity: 1, unit_price: 3816 },
        { quantity: 2, unit_price: 3817 },
      ],
    ],
    [
      5,
      7,
      [
        { quantity: 2, unit_price: 0 },
        { quantity: 5, unit_price: 1 },
      ],
    ],
    [0, 1, [{ quantity: 1, unit_price: 0 }]],
  ])(
    "splits ¥%i over %i in whole yen summing exactly",
    (total, qty, expected) => {
      const parts = splitTotal(total, qty)
      expect(parts).toEqual(expected)
      expect(parts.reduce((n, p) => n + p.quantity * p.unit_price, 0)).toBe(
        total
      )
      expect(parts.reduce((n, p) => n + p.quantity, 0)).toBe(qty)
    }
  )
})

describe("mapLineGiftOrder", () => {
  it("maps every field of a ready-to-ship order", () => {
    const mapped = mapLineGiftOrder(parse(), ctx())
    expect(mapped.flags).toEqual([])
    expect(mapped.sku).toBe("LG-TOWEL-03-WH")
    expect(mapped.variant?.id).toBe("variant_wh")
    expect(mapped.quantity).toBe(2)
    expect(mapped.input).toEqual({
      region_id: "reg_jp",
      sales_channel_id: "sc_1",
      email: "gift@example.invalid",
      currency_code: "jpy",
      items: [
        {
          variant_id: "variant_wh",
          title: "今治タオル ギフトセット",
          subtitle: "ホワイト",
          quantity: 2,
          unit_price: 3850,
          is_tax_inclusive: true,
          metadata: {
            line_gift_item_id: "300103",
            line_gift_item_code: "LG-TOWEL-03",
            line_gift_variation_id: "900131",
            line_gift_variation_code: "LG-TOWEL-03-WH",
          },
        },
      ],
      shipping_address: {
        first_name: "花子",
        last_name: "山田",
        postal_code: "100-0001",
        province: "東京都",
        city: "サンプル市",
        address_1: "見本町1-2-3 テストハイツ101",
        phone: "090-0000-1234",
        country_code: "jp",
      },
      shipping_methods: [
        {
          name: "LINEギフト配送",
          amount: 0,
          is_tax_inclusive: true,
          shipping_option_id: "so_1",
          data: {},
        },
      ],
      no_notification: true,
      metadata: {
        line_gift: {
          shop_id: "lgshop_1",
          order_id: "5000000123",
          status: "payment",
          buyer_name: "ギフト太郎",
          sender_name: "見本 一郎",
          selling_price: 7700,
          fee: 770,
          shipping_fee: null,
          item_id: "300103",
          item_code: "LG-TOWEL-03",
          variation_id: "900131",
          variation_code: "LG-TOWEL-03-WH",
          sku: "LG-TOWEL-03-WH",
          gift: { extra: { some_future_field: { kept: true } } },
          bought_at: new Date(1764300000 * 1000).toISOString(),
          paid_at: new Date(1764300060 * 1000).toISOString(),
          payment_deadline: new Date(1764559200 * 1000).toISOString(),
          delivery_deadline: new Date(1764742000 * 1000).toISOString(),
          receive_deadline: new Date(1765509600 * 1000).toISOString(),
          flags: [],
        },
      },
    })
  })

  it("uses item.code as the SKU when there is no variation, and tel when tel_hyphen is absent", () => {
    const order = parse({
      item: {
        id: "300102",
        code: "LG-COFFEE-02",
        name: "ドリップコーヒー ギフトセット",
      },
      variation: undefined,
      stock_count: 1,
      selling_price: 3240,
      address: { ...raw().address, tel_hyphen: undefined },
    })
    expect(lineGiftSku(order)).toBe("LG-COFFEE-02")
    const mapped = mapLineGiftOrder(order, ctx())
    expect(mapped.input.items[0]).toMatchObject({
      variant_id: "variant_coffee",
      quantity: 1,
      unit_price: 3240,
    })
    expect(mapped.input.items[0].subtitle).toBe("標準")
    expect(mapped.input.shipping_address?.phone).toBe("09000001234")
  })

  it("makes a flagged custom line for an unknown SKU", () => {
    const mapped = mapLineGiftOrder(
      parse({ variation: { code: "NOPE-1", name: "旧" } }),
      ctx()
    )
    expect(mapped.flags).toEqual(["unknown_sku"])
    expect(mapped.variant).toBeNull()
    expect(mapped.input.items[0].variant_id).toBeUndefined()
    expect(mapped.input.items[0].metadata.line_gift_unknown_sku).toBe("NOPE-1")
  })

  it("splits an uneven total and keeps shipping_fee out of the items", () => {
    const mapped = mapLineGiftOrder(
      parse({ stock_count: 3, selling_price: 11450 }),
      ctx()
    )
    expect(mapped.flags).toEqual(["price_split"])
    expect(mapped.input.items.map((i) => [i.quantity, i.unit_price])).toEqual([
      [1, 3816],
      [2, 3817],
    ])
    const withShipping = mapLineGiftOrder(
      parse({ stock_count: 1, selling_price: 4500, shipping_fee: 650 }),
      ctx()
    )
    expect(withShipping.input.items[0].unit_price).toBe(3850)
    expect(withShipping.input.shipping_methods[0].amount).toBe(650)
  })

  it("omits the address while the recipient has not entered it", () => {
    const mapped = mapLineGiftOrder(
      parse({ address: { from_name: "見本 一郎" } }),
      ctx()
    )
    expect(mapped.input.shipping_address).toBeUndefined()
    expect((mapped.input.metadata.line_gift as any).sender_name).toBe(
      "見本 一郎"
    )
    expect(
      mapLineGiftOrder(parse({ address: undefined }), ctx()).input
        .shipping_address
    ).toBeUndefined()
  })

  it("omits the sales channel and shipping option when the shop has none", () => {
    const mapped = mapLineGiftOrder(
      parse(),
      ctx({ salesChannelId: null, shippingOptionId: null })
    )
    expect(mapped.input.sales_channel_id).toBeUndefined()
    expect(mapped.input.shipping_methods[0].shipping_option_id).toBeUndefined()
  })

  it.each([
    [{ item: undefined }, /^item: /],
    [{ selling_price: undefined }, /^selling_price: /],
    [{ stock_count: undefined }, /^stock_count: is required/],
    [{ selling_price: 100, shipping_fee: 500 }, /^shipping_fee: /],
  ])(
    "refuses an unusable order %j with a reason naming the field",
    (over, reason) => {
      expect(() => mapLineGiftOrder(parse(over), ctx())).toThrow(
        LineGiftMappingError
      )
      expect(() => mapLineGiftOrder(parse(over), ctx())).toThrow(reason)
    }
  )
})

describe("secret encryption", () => {
  const key = parseEncryptionKey(Buffer.alloc(32, 3).toString("base64"))

  it("round-trips, uses a fresh IV each time, and hides the plaintext", () => {
    const a = encryptSecret("sandbox-client-secret", key)
    const b = encryptSecret("sandbox-client-secret", key)
    expect(a).not.toBe(b)
    expect(a).toMatch(/^v1:/)
    expect(a).not.toContain("sandbox-client-secret")
    expect(decryptSecret(a, key)).toBe("sandbox-client-secret")
  })

  it("fails clearly with another key or a tampered value", () => {
    const other = parseEncryptionKey("ab".repeat(32))
    const stored = encryptSecret("token", key)
    expect(() => decryptSecret(stored, other)).toThrow(EncryptionKeyError)
    const parts = stored.split(":")
    const data = Buffer.from(parts[3], "base64")
    data[0] ^= 0x01 // one flipped bit of the ciphertext
    const tampered = [...parts.slice(0, 3), data.toString("base64")].join(":")
    expect(() => decryptSecret(tampered, key)).toThrow(/cannot be decrypted/)
  })

  it("refuses a missing or short key with instructions, without echoing it", () => {
    expect(() => parseEncryptionKey(undefined)).toThrow(
      /LINE_GIFT_ENCRYPTION_KEY/
    )
    expect(() => parseEncryptionKey("c2hvcnQta2V5")).toThrow(/32 bytes/)
    try {
      parseEncryptionKey("c2hvcnQta2V5")
    } catch (e) {
      expect((e as Error).message).not.toContain("c2hvcnQta2V5")
    }
  })
})

describe("OAuth state", () => {
  const signing = stateSigningKey(Buffer.alloc(32, 9))
  const now = 1_800_000_000

  it("verifies its own state and returns shop and nonce", () => {
    const { state, nonce, expiresAt } = createOAuthState(
      "lgshop_1",
      signing,
      now
    )
    expect(verifyOAuthState(state, signing, now + 599)).toEqual({
      shopId: "lgshop_1",
      nonce,
    })
    expect(expiresAt.getTime()).toBe((now + 600) * 1000)
  })

  it("refuses an expired, altered or foreign state", () => {
    const { state } = createOAuthState("lgshop_1", signing, now)
    expect(() => verifyOAuthState(state, signing, now + 601)).toThrow(
      /10 minutes/
    )
    const [payload, sig] = state.split(".")
    const forged = Buffer.from(
      JSON.stringify({ s: "lgshop_2", n: "x", e: now + 600 })
    ).toString("base64url")
    expect(() => verifyOAuthState(`${forged}.${sig}`, signing, now)).toThrow(
      OAuthStateError
    )
    expect(() => verifyOAuthState(`${payload}.${sig}x`, signing, now)).toThrow(
      OAuthStateError
    )
    // The same signature bytes spelled with another last character (its unused bits set).
    const alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    const last = alphabet.indexOf(sig[sig.length - 1])
    const respelled = sig.slice(0, -1) + alphabet[last ^ 1]
    expect(Buffer.from(respelled, "base64url")).toEqual(
      Buffer.from(sig, "base64url")
    )
    expect(() =>
      verifyOAuthState(`${payload}.${respelled}`, signing, now)
    ).toThrow(/signature/)
    expect(() =>
      verifyOAuthState(state, stateSigningKey(Buffer.alloc(32, 1)), now)
    ).toThrow(/signature/)
    expect(() => verifyOAuthState("garbage", signing, now)).toThrow(
      OAuthStateError
    )
  })
})
