/**
 * Ids the bulk import chooses before it writes: newEntityId (src/lib/entity-id.ts) and the
 * rows of an order input that get one (withRowIds).
 */
import { newEntityId } from "../../src/lib/entity-id"
import {
  withRowIds,
  type BulkOrderInput,
  type TaxLineInput,
} from "../../src/workflows/import-bulk/utils/line-items"

/** Crockford base32, ULID's alphabet. */
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

/** Milliseconds encoded in a ULID's first 10 characters. */
const timeOf = (ulid: string) =>
  [...ulid.slice(0, 10)].reduce((t, c) => t * 32 + ALPHABET.indexOf(c), 0)

describe("newEntityId", () => {
  it("makes Medusa's <prefix>_<ULID> with the current time", () => {
    const before = Date.now()
    const id = newEntityId("pay_col")
    const after = Date.now()
    const [prefix, ulid] = [id.slice(0, 8), id.slice(8)]
    expect(prefix).toBe("pay_col_")
    expect(ulid).toMatch(ULID)
    expect(timeOf(ulid)).toBeGreaterThanOrEqual(before)
    expect(timeOf(ulid)).toBeLessThanOrEqual(after)
  })

  it("never repeats over more ids than its random pool holds, and uses every character", () => {
    // 4,096 random bytes per pool, 16 per id: 5,000 ids refill it about 20 times.
    const ids = Array.from({ length: 5000 }, () => newEntityId("ordli"))
    expect(new Set(ids).size).toBe(ids.length)
    const last = new Set(ids.map((id) => id[id.length - 1]))
    const first = new Set(ids.map((id) => id["ordli_".length + 10]))
    expect([...last].sort().join("")).toBe(ALPHABET)
    expect([...first].sort().join("")).toBe(ALPHABET)
  })
})

describe("withRowIds", () => {
  const sharedTax: TaxLineInput = { code: "JP", rate: 10 }
  const order = (): BulkOrderInput =>
    ({
      id: "order_1",
      region_id: "reg_1",
      email: "gift@example.invalid",
      currency_code: "jpy",
      no_notification: true,
      metadata: {},
      shipping_address: { country_code: "jp", postal_code: "1000001" },
      items: [
        {
          title: "タオル",
          quantity: 1,
          unit_price: 3000,
          tax_lines: [sharedTax],
        },
        {
          title: "石鹸",
          quantity: 2,
          unit_price: 500,
          tax_lines: [sharedTax],
        },
      ],
      shipping_methods: [
        {
          name: "配送",
          amount: 0,
          is_tax_inclusive: true,
          data: {},
          tax_lines: [{ code: "JP", rate: 10 }],
        },
      ],
    }) as unknown as BulkOrderInput

  it("gives every row the order module writes from its input an id with its model's prefix", () => {
    let n = 0
    const out = withRowIds(order(), (prefix) => `${prefix}_${++n}`)
    expect(out.id).toBe("order_1")
    expect(out.shipping_address?.id).toMatch(/^ordaddr_\d+$/)
    expect(out.items[0].id).toMatch(/^ordli_\d+$/)
    expect(out.items[1].id).toMatch(/^ordli_\d+$/)
    expect(out.items.map((i) => i.tax_lines[0].id)).toEqual([
      expect.stringMatching(/^ordlitxl_\d+$/),
      expect.stringMatching(/^ordlitxl_\d+$/),
    ])
    // One tax-line object shared by two items still becomes two rows with two ids.
    expect(out.items[0].tax_lines[0].id).not.toBe(out.items[1].tax_lines[0].id)
    expect(out.shipping_methods[0].id).toMatch(/^ordsm_\d+$/)
    expect(out.shipping_methods[0].tax_lines[0].id).toMatch(/^ordsmtxl_\d+$/)
    const ids = [
      out.shipping_address?.id,
      ...out.items.flatMap((i) => [i.id, ...i.tax_lines.map((t) => t.id)]),
      ...out.shipping_methods.flatMap((s) => [
        s.id,
        ...s.tax_lines.map((t) => t.id),
      ]),
    ]
    expect(new Set(ids).size).toBe(ids.length)
  })

  it("changes nothing of its input", () => {
    const input = order()
    const copy = JSON.parse(JSON.stringify(input))
    withRowIds(input, newEntityId)
    expect(input).toEqual(copy)
    expect(sharedTax).toEqual({ code: "JP", rate: 10 })
  })

  it("replaces ids the input carried: two rows never share one", () => {
    const input = order()
    const sameId: TaxLineInput = { id: "ordlitxl_SAME", code: "JP", rate: 10 }
    input.items[0].tax_lines = [sameId]
    input.items[1].tax_lines = [sameId]
    input.items[0].id = "ordli_SAME"
    input.items[1].id = "ordli_SAME"
    const out = withRowIds(input, newEntityId)
    const itemIds = out.items.map((i) => i.id)
    const taxIds = out.items.map((i) => i.tax_lines[0].id)
    expect(new Set(itemIds).size).toBe(2)
    expect(new Set(taxIds).size).toBe(2)
    expect([...itemIds, ...taxIds]).not.toContain("ordli_SAME")
    expect(taxIds).not.toContain("ordlitxl_SAME")
  })

  it("leaves an order without address without one", () => {
    const { shipping_address: _none, ...rest } = order()
    const out = withRowIds(rest as BulkOrderInput, newEntityId)
    expect("shipping_address" in out).toBe(false)
  })
})
