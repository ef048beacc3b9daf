/**
 * Pure logic of issue 6's hardening, no database: normalisation of what recipients type
 * (full-/half-width digits, dashes, emoji, very long names) and the start-up decision about
 * the encryption key.
 */
import {
  parseLineGiftOrder,
  type LineGiftOrder,
} from "../../src/lib/line-gift/schemas"
import {
  mapLineGiftOrder,
  normalizeNumberText,
  type MappingContext,
} from "../../src/lib/mapping"
import { encryptSecret } from "../../src/lib/crypto"
import { assessEncryptionKey } from "../../src/modules/line-gift/loaders/check-encryption-key"

const order = (
  address: Record<string, unknown>,
  over: Record<string, unknown> = {}
): LineGiftOrder => {
  const r = parseLineGiftOrder({
    id: "5000000999",
    status: "payment",
    selling_price: 3300,
    item: { id: "1", code: "LG-X", name: "品物" },
    stock_count: 1,
    bought_on: 1764300000,
    address,
    ...over,
  })
  if (!r.ok) throw new Error(r.reason)
  return r.order
}

const ctx: MappingContext = {
  shopId: "lgshop_1",
  regionId: "reg_jp",
  salesChannelId: null,
  currencyCode: "jpy",
  email: "gift@example.invalid",
  variantsBySku: new Map(),
}

describe("normalizeNumberText", () => {
  it.each([
    ["１５０－０００１", "150-0001"],
    ["150ー0001", "150-0001"],
    ["１５０ｰ０００１", "150-0001"],
    ["150‐0001", "150-0001"],
    ["150−0001", "150-0001"],
    ["1500001", "1500001"],
    ["０９０　１２３４　５６７８", "09012345678"],
    ["090-1234-5678", "090-1234-5678"],
  ])("%s → %s", (input, expected) => {
    expect(normalizeNumberText(input)).toBe(expected)
  })

  it("keeps undefined and turns blank into undefined", () => {
    expect(normalizeNumberText(undefined)).toBeUndefined()
    expect(normalizeNumberText("　 ")).toBeUndefined()
  })
})

describe("mapping what recipients type", () => {
  it("normalises full-width postal codes and phones, keeps emoji and half-width katakana in names", () => {
    const mapped = mapLineGiftOrder(
      order({
        first_name: "花子🎁",
        last_name: "ﾔﾏﾀﾞ",
        zip: "１００－０００１",
        tel_hyphen: "０９０－００００－１２３４",
        pref: "東京都",
        city: "サンプル市",
        address: "見本町１－２－３ 🏠101",
      }),
      ctx
    )
    expect(mapped.input.shipping_address).toMatchObject({
      first_name: "花子🎁",
      last_name: "ﾔﾏﾀﾞ",
      postal_code: "100-0001",
      phone: "090-0000-1234",
      // The address line is the recipient's own text: kept as sent.
      address_1: "見本町１－２－３ 🏠101",
    })
  })

  it("keeps a 10,000-character name whole (decision: never truncate what the recipient typed)", () => {
    const long = "長".repeat(10_000)
    const mapped = mapLineGiftOrder(
      order({ first_name: long, last_name: "山田", zip: "100-0001" }),
      ctx
    )
    expect(mapped.input.shipping_address!.first_name).toHaveLength(10_000)
  })
})

describe("start-up check of the encryption key", () => {
  const keyA = Buffer.alloc(32, 1).toString("base64")
  const keyB = Buffer.alloc(32, 2).toString("hex")
  const secretUnderA = encryptSecret(
    "sandbox-client-secret",
    Buffer.alloc(32, 1)
  )

  it("starts quietly with a key and no secrets, warns without a key", () => {
    expect(
      assessEncryptionKey({ rawKey: keyA, shopsWithSecrets: 0, sample: null })
    ).toEqual({
      level: "ok",
      message: null,
    })
    const warn = assessEncryptionKey({
      rawKey: undefined,
      shopsWithSecrets: 0,
      sample: null,
    })
    expect(warn.level).toBe("warn")
    expect(warn.message).toContain("LINE_GIFT_ENCRYPTION_KEY")
  })

  it("refuses a missing or malformed key when secrets exist, saying what to do, never echoing the key", () => {
    const missing = assessEncryptionKey({
      rawKey: "",
      shopsWithSecrets: 2,
      sample: secretUnderA,
    })
    expect(missing.level).toBe("refuse")
    expect(missing.message).toContain("2 LINE Gift shop(s)")
    expect(missing.message).toContain("openssl rand -base64 32")
    const malformed = assessEncryptionKey({
      rawKey: "short-key-123",
      shopsWithSecrets: 1,
      sample: secretUnderA,
    })
    expect(malformed.level).toBe("refuse")
    expect(malformed.message).not.toContain("short-key-123")
  })

  it("starts with the right key; refuses a wrong one; warns when only the old key decrypts (rotation pending)", () => {
    expect(
      assessEncryptionKey({
        rawKey: keyA,
        shopsWithSecrets: 1,
        sample: secretUnderA,
      }).level
    ).toBe("ok")
    const wrong = assessEncryptionKey({
      rawKey: keyB,
      shopsWithSecrets: 1,
      sample: secretUnderA,
    })
    expect(wrong.level).toBe("refuse")
    expect(wrong.message).toContain("rotate-key")
    expect(wrong.message).not.toContain(keyB)
    const pending = assessEncryptionKey({
      rawKey: keyB,
      rawOldKey: keyA,
      shopsWithSecrets: 1,
      sample: secretUnderA,
    })
    expect(pending).toMatchObject({ level: "warn" })
    expect(pending.message).toContain("npm run rotate-key")
  })
})
