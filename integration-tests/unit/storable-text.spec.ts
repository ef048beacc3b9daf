/**
 * Text PostgreSQL cannot store (NUL, unpaired surrogates) → U+FFFD, in values and keys at any
 * depth (src/lib/storable-text.ts); the LINE Gift order parse hands over the repaired payload
 * (parseLineGiftOrder) and the mapping flags the order `text_repaired`. No database.
 */
import {
  holdsReplacementCharacter,
  storableJson,
  storableText,
} from "../../src/lib/storable-text"
import { parseLineGiftOrder } from "../../src/lib/line-gift/schemas"
import { mapLineGiftOrder } from "../../src/lib/mapping"

const R = "\uFFFD"

describe("storableText", () => {
  it("replaces NUL wherever it is", () => {
    expect(storableText("見本\u0000")).toBe(`見本${R}`)
    expect(storableText("\u0000a\u0000\u0000b")).toBe(`${R}a${R}${R}b`)
  })

  it("replaces a lone high or low surrogate, at the start, middle or end", () => {
    expect(storableText("\ud800")).toBe(R)
    expect(storableText("a\udbffb")).toBe(`a${R}b`)
    expect(storableText("\udc00千代田区")).toBe(`${R}千代田区`)
    expect(storableText("x\udfff")).toBe(`x${R}`)
    // Two high surrogates: the first is unpaired, the second pairs with the low one.
    expect(storableText("\ud83d\ud83d\ude00")).toBe(`${R}😀`)
    // A reversed pair is two unpaired surrogates.
    expect(storableText("\ude00\ud83d")).toBe(`${R}${R}`)
  })

  it("keeps valid surrogate pairs, full-width, kana, kanji and U+FFFD exactly (same string)", () => {
    for (const text of [
      "見本 一郎🎁",
      "𠮷野家",
      "ＡＢＣ１２３　ｱｲｳ",
      "東京都千代田区千代田1-1",
      "",
      R,
    ]) {
      expect(storableText(text)).toBe(text)
    }
  })
})

describe("storableJson", () => {
  it("repairs values and keys in nested objects and arrays, and says where (no values)", () => {
    const raw = {
      id: "8000000005",
      user_name: "見本\u0000",
      ["memo\u0000"]: { note: ["a\u0000b", "ok", { ["\ud800k"]: "\udc00" }] },
      address: { city: "千代田区", tel: "0900000\u00001234" },
      n: 1,
      b: true,
      z: null,
    }
    const { value, repaired } = storableJson(raw)
    expect(value).toEqual({
      id: "8000000005",
      user_name: `見本${R}`,
      [`memo${R}`]: { note: [`a${R}b`, "ok", { [`${R}k`]: R }] },
      address: { city: "千代田区", tel: `0900000${R}1234` },
      n: 1,
      b: true,
      z: null,
    })
    expect(repaired.sort()).toEqual(
      [
        "user_name",
        `memo${R}`,
        `memo${R}.note[0]`,
        `memo${R}.note[2].${R}k`,
        `memo${R}.note[2].${R}k`,
        "address.tel",
      ].sort()
    )
    // The input is not mutated.
    expect(raw.user_name).toBe("見本\u0000")
    expect(Object.keys(raw)).toContain("memo\u0000")
  })

  it("returns the very same objects when nothing needs repair (no copy)", () => {
    const clean = { a: ["見本🎁", { b: "ＡＢＣ" }], c: 1 }
    const { value, repaired } = storableJson(clean)
    expect(value).toBe(clean)
    expect(repaired).toEqual([])
    const partly = { keep: { x: "ok" }, fix: "\u0000" }
    const out = storableJson(partly).value
    expect(out).not.toBe(partly)
    expect(out.keep).toBe(partly.keep)
  })

  it("loses no member when a repaired key meets an existing one", () => {
    const { value } = storableJson({
      [`a${R}`]: "sent with U+FFFD",
      "a\u0000": "sent with NUL",
      "a\ud800": "sent with a lone surrogate",
    })
    expect(value).toEqual({
      [`a${R}`]: "sent with U+FFFD",
      [`a${R}${R}`]: "sent with NUL",
      [`a${R}${R}${R}`]: "sent with a lone surrogate",
    })
  })

  it("repairs a top-level string or array, and leaves non-plain objects alone", () => {
    expect(storableJson("x\u0000").value).toBe(`x${R}`)
    expect(storableJson(["\ud800", 1]).value).toEqual([R, 1])
    const date = new Date(0)
    expect(storableJson({ d: date }).value.d).toBe(date)
  })

  it("holdsReplacementCharacter finds U+FFFD in values and keys at any depth", () => {
    expect(holdsReplacementCharacter({ a: [{ b: `x${R}` }] })).toBe(true)
    expect(holdsReplacementCharacter({ a: { [`k${R}`]: 1 } })).toBe(true)
    expect(holdsReplacementCharacter({ a: ["見本🎁", 1, null] })).toBe(false)
  })
})

describe("parseLineGiftOrder with text PostgreSQL cannot store", () => {
  const order = {
    id: "8000000005",
    status: "payment",
    user_name: "見本\u0000",
    item: { id: "300104", code: "LG-SAKE-04", name: "純米吟醸\ud800" },
    stock_count: 1,
    selling_price: 5500,
    bought_on: 1_790_000_000,
    address: {
      first_name: "花子",
      last_name: "見本",
      zip: "1000001",
      tel: "09000001234",
      pref: "東京都",
      city: "千代田区",
      address: "千代田1-1 テスト101\u0000",
    },
    ["extra\u0000"]: "x",
  }

  it("hands over the repaired payload and the repaired order, the fields named", () => {
    const parsed = parseLineGiftOrder(order)
    if (!parsed.ok) throw new Error(parsed.reason)
    expect(parsed.order.user_name).toBe(`見本${R}`)
    expect(parsed.order.item?.name).toBe(`純米吟醸${R}`)
    expect(parsed.order.address?.address).toBe(`千代田1-1 テスト101${R}`)
    expect(parsed.order.address?.tel).toBe("09000001234")
    expect((parsed.raw as any).user_name).toBe(`見本${R}`)
    expect((parsed.raw as any)[`extra${R}`]).toBe("x")
    expect(JSON.stringify(parsed.raw)).not.toMatch(/\\u0000|\\ud[89a-f]/i)
    expect(parsed.repaired.sort()).toEqual(
      ["user_name", "item.name", "address.address", `extra${R}`].sort()
    )
  })

  it("a refused order also hands over a storable payload", () => {
    const parsed = parseLineGiftOrder({ ...order, stock_count: 0 })
    if (parsed.ok) throw new Error("stock_count 0 was accepted")
    expect(parsed.id).toBe("8000000005")
    expect((parsed.raw as any).user_name).toBe(`見本${R}`)
    expect(parseLineGiftOrder("a\u0000")).toMatchObject({
      ok: false,
      raw: `a${R}`,
    })
  })

  it("a clean order's payload is the object LINE Gift sent", () => {
    const { ["extra\u0000"]: _extra, ...rest } = order
    const clean = {
      ...rest,
      user_name: "見本",
      item: { code: "X" },
      address: { ...order.address, address: "千代田1-1" },
    }
    const parsed = parseLineGiftOrder(clean)
    expect(parsed.ok && parsed.raw).toBe(clean)
    expect(parsed.repaired).toEqual([])
  })

  it("the mapping flags an order whose text holds U+FFFD `text_repaired`, not a clean one", () => {
    const ctx = {
      shopId: "lgshop_1",
      regionId: "reg_1",
      salesChannelId: null,
      currencyCode: "jpy",
      email: "line-gift-lgshop_1@example.invalid",
      variantsBySku: new Map(),
    }
    const parsed = parseLineGiftOrder(order)
    if (!parsed.ok) throw new Error(parsed.reason)
    const mapped = mapLineGiftOrder(parsed.order, ctx)
    expect(mapped.flags).toContain("text_repaired")
    expect((mapped.input.metadata.line_gift as any).flags).toContain(
      "text_repaired"
    )
    expect(mapped.input.shipping_address?.address_1).toBe(
      `千代田1-1 テスト101${R}`
    )
    const { ["extra\u0000"]: _extra, ...rest } = order
    const clean = parseLineGiftOrder({
      ...rest,
      user_name: "見本🎁",
      item: { code: "LG-SAKE-04", name: "純米吟醸" },
      address: { ...order.address, address: "千代田1-1" },
    })
    if (!clean.ok) throw new Error(clean.reason)
    expect(mapLineGiftOrder(clean.order, ctx).flags).not.toContain(
      "text_repaired"
    )
  })
})
