/**
 * Tracking numbers as merchants type them → what LINE Gift gets, and the per-carrier format
 * check (src/lib/tracking-number.ts). No database.
 */
import {
  CARRIER_FORMATS,
  checkTrackingNumber,
  normalizeTrackingNumber,
} from "../../src/lib/tracking-number"
import { LINE_GIFT_CARRIERS } from "../../src/lib/carrier"

describe("normalizeTrackingNumber", () => {
  it("folds full-width digits, letters, hyphens and spaces (as a Japanese IME types them)", () => {
    expect(normalizeTrackingNumber("１２３４５６７８９０１２")).toBe(
      "123456789012"
    )
    expect(normalizeTrackingNumber("ｅｆ１２３４５６７８９ｊｐ")).toBe(
      "EF123456789JP"
    )
    expect(normalizeTrackingNumber("  1234　5678  ")).toBe("1234 5678")
    expect(normalizeTrackingNumber("1234ー5678−9012")).toBe("1234-5678-9012")
  })

  it("removes spaces and hyphens only for digits-only carriers", () => {
    expect(normalizeTrackingNumber("１２３４－５６７８ ９０１２", true)).toBe(
      "123456789012"
    )
    expect(normalizeTrackingNumber("AB-12", false)).toBe("AB-12")
  })

  it("is empty for blank or missing input", () => {
    expect(normalizeTrackingNumber("   ")).toBe("")
    expect(normalizeTrackingNumber(null)).toBe("")
    expect(normalizeTrackingNumber(undefined, true)).toBe("")
  })
})

describe("checkTrackingNumber", () => {
  it("knows a format for every carrier the plugin offers", () => {
    for (const carrier of LINE_GIFT_CARRIERS)
      expect(CARRIER_FORMATS[carrier]).toBeDefined()
  })

  it.each([
    ["ヤマト運輸", "１２３４５６７８９０１２", "123456789012"],
    ["ヤマト運輸", "1234 5678 9012", "123456789012"],
    ["佐川急便", "1234-5678-9012", "123456789012"],
    ["佐川急便", "１２３４－５６７８－９０１２", "123456789012"],
    ["日本郵便", "1234-5678-901", "12345678901"],
    ["日本郵便", "１２３４ ５６７８ ９０１２ ３", "1234567890123"],
    ["日本郵便", "ｅｆ１２３４５６７８９ｊｐ", "EF123456789JP"],
    ["西濃運輸", "１２３４－５６７８－９０", "1234567890"],
    ["福山通運", "1234 5678 901", "12345678901"],
  ])("%s: %s → %s", (carrier, raw, value) => {
    expect(checkTrackingNumber(raw, carrier)).toEqual({ ok: true, value })
  })

  it.each([
    ["ヤマト運輸", "12345678901", "12 digits"],
    ["ヤマト運輸", "OLD-111", "12 digits"],
    ["佐川急便", "1234567890123", "12 digits"],
    ["日本郵便", "1234567890", "11–13 digits"],
    ["日本郵便", "E123456789JP", "11–13 digits"],
    ["西濃運輸", "123456789", "10–12 digits"],
    ["福山通運", "ABC1234567", "10–12 digits"],
  ])("%s: %s cannot be right", (carrier, raw, expected) => {
    const check = checkTrackingNumber(raw, carrier)
    expect(check.ok).toBe(false)
    if (!check.ok) {
      expect(check.expected).toContain(expected)
      expect(check.code).toBe("invalid_tracking_number")
    }
  })

  it("only normalises for a carrier without a known format", () => {
    expect(checkTrackingNumber("ＡＢ－１２", "自社便")).toEqual({
      ok: true,
      value: "AB-12",
    })
    expect(checkTrackingNumber("x1", null)).toEqual({ ok: true, value: "X1" })
  })
})
