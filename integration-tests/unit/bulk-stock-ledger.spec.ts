/**
 * The bulk import's stock check: a page takes stock order after order, as if the orders were
 * imported one by one (core createOrderWorkflow refuses an order without the inventory).
 */
import {
  StockLedger,
  prepareLineItem,
  type BulkVariant,
} from "../../src/workflows/import-bulk/utils/line-items"
import {
  chooseReservationLocation,
  planReservations,
} from "../../src/lib/reservation-location"

const variant = (over: Partial<BulkVariant> = {}): BulkVariant => ({
  id: "variant_1",
  sku: "SKU-1",
  title: "ホワイト",
  manage_inventory: true,
  allow_backorder: false,
  product: {
    id: "prod_1",
    title: "タオル",
    handle: "towel",
    discountable: true,
  },
  inventory_items: [
    {
      inventory_item_id: "iitem_1",
      required_quantity: 2,
      inventory: {
        requires_shipping: true,
        location_levels: [
          {
            location_id: "sloc_1",
            raw_stocked_quantity: { value: "10" },
            raw_reserved_quantity: { value: "3" },
          },
          {
            location_id: "sloc_other",
            raw_stocked_quantity: { value: "100" },
            raw_reserved_quantity: { value: "0" },
          },
        ],
      },
    },
  ],
  ...over,
})

describe("StockLedger", () => {
  it("counts only the channel's locations and takes stock order after order", () => {
    const ledger = new StockLedger(["sloc_1"]) // 10 − 3 = 7 available; 2 per unit
    expect(ledger.take([{ variant: variant(), quantity: 2 }])).toEqual({
      ok: true,
    }) // 4 → 3 left
    expect(ledger.take([{ variant: variant(), quantity: 2 }])).toEqual({
      error: "Some variant does not have the required inventory",
    })
    expect(ledger.take([{ variant: variant(), quantity: 1 }])).toEqual({
      ok: true,
    }) // 2 → 1 left
  })

  it("a refused order takes nothing; unmanaged, custom and backorder lines need no stock", () => {
    const ledger = new StockLedger(["sloc_1"])
    expect(
      ledger.take([
        { variant: variant(), quantity: 1 },
        { variant: variant(), quantity: 3 },
      ])
    ).toHaveProperty("error")
    expect(ledger.take([{ variant: variant(), quantity: 3 }])).toEqual({
      ok: true,
    })
    expect(
      ledger.take([
        { variant: variant({ manage_inventory: false }), quantity: 99 },
      ])
    ).toEqual({ ok: true })
    expect(ledger.take([{ variant: undefined, quantity: 99 }])).toEqual({
      ok: true,
    })
    expect(
      ledger.take([
        { variant: variant({ allow_backorder: true }), quantity: 99 },
      ])
    ).toEqual({ ok: true })
  })

  it("refuses managed stock when the sales channel has no stock location", () => {
    expect(
      new StockLedger([]).take([{ variant: variant(), quantity: 1 }])
    ).toHaveProperty("error")
  })
})

describe("prepareLineItem", () => {
  it("snapshots the variant and product as core prepareLineItemData does, with the LINE Gift price", () => {
    const item = prepareLineItem(
      {
        variant_id: "variant_1",
        title: "今治タオル",
        quantity: 2,
        unit_price: 3817,
        is_tax_inclusive: true,
        metadata: { a: 1 },
      },
      variant()
    )
    expect(item).toMatchObject({
      title: "今治タオル",
      subtitle: "ホワイト",
      product_id: "prod_1",
      product_title: "タオル",
      product_handle: "towel",
      variant_id: "variant_1",
      variant_sku: "SKU-1",
      is_discountable: true,
      is_giftcard: false,
      requires_shipping: true,
      unit_price: 3817,
      is_tax_inclusive: true,
      is_custom_price: true,
      metadata: { a: 1 },
    })
  })

  it("a custom line (unknown SKU) has no product and does not require shipping", () => {
    const item = prepareLineItem(
      {
        title: "販売終了品",
        quantity: 1,
        unit_price: 3300,
        is_tax_inclusive: true,
        metadata: {},
      },
      undefined
    )
    expect(item).toMatchObject({
      variant_id: undefined,
      product_id: undefined,
      requires_shipping: false,
      is_giftcard: false,
    })
  })
})

describe("chooseReservationLocation (Medusa's choice: where the quantity is available)", () => {
  it("skips the channel's first location when it lacks the quantity and another has it", () => {
    const levels = [
      { location_id: "sloc_tokyo", available: 0 },
      { location_id: "sloc_osaka", available: 10 },
    ]
    expect(
      chooseReservationLocation(["sloc_tokyo", "sloc_osaka"], levels, 2)
    ).toBe("sloc_osaka")
    // Enough in both: the channel's first.
    expect(
      chooseReservationLocation(
        ["sloc_tokyo", "sloc_osaka"],
        [{ location_id: "sloc_tokyo", available: 5 }, levels[1]],
        2
      )
    ).toBe("sloc_tokyo")
  })

  it("falls back to a channel location that stocks the item, then to the channel's first; ignores other locations", () => {
    const levels = [
      { location_id: "sloc_other", available: 100 },
      { location_id: "sloc_osaka", available: 1 },
    ]
    expect(
      chooseReservationLocation(["sloc_tokyo", "sloc_osaka"], levels, 2)
    ).toBe("sloc_osaka")
    expect(chooseReservationLocation(["sloc_tokyo"], levels, 2)).toBe(
      "sloc_tokyo"
    )
    expect(chooseReservationLocation([], levels, 2)).toBe("sloc_other")
    expect(chooseReservationLocation([], [], 2)).toBeNull()
  })
})

describe("planReservations (an order's lines, then a page's orders, see what the earlier took)", () => {
  const stock = (tokyo: number, osaka: number) => [
    {
      inventory_item_id: "iitem_1",
      required_quantity: 1,
      levels: [
        { location_id: "sloc_tokyo", available: tokyo },
        { location_id: "sloc_osaka", available: osaka },
      ],
    },
  ]
  const where = (plan: ReturnType<typeof planReservations>) =>
    plan.map((r) => `${r.line_item_id}:${r.quantity}@${r.location_id}`)

  it("a price split (2 × ¥333 + 1 × ¥334) never puts both lines on a location that has 2", () => {
    const lines = [
      {
        line_item_id: "ordli_b",
        quantity: 1,
        unit_price: 334,
        stock: stock(2, 10),
      },
      {
        line_item_id: "ordli_a",
        quantity: 2,
        unit_price: 333,
        stock: stock(2, 10),
      },
    ]
    const expected = ["ordli_a:2@sloc_tokyo", "ordli_b:1@sloc_osaka"]
    expect(
      where(planReservations(lines, ["sloc_tokyo", "sloc_osaka"]))
    ).toEqual(expected)
    // Whatever order the lines are read back in.
    expect(
      where(
        planReservations([...lines].reverse(), ["sloc_tokyo", "sloc_osaka"])
      )
    ).toEqual(expected)
  })

  it("carries availability across orders through a shared map; no reservation where no level is", () => {
    const left = new Map()
    const line = (id: string) => ({
      line_item_id: id,
      quantity: 2,
      unit_price: 1000,
      stock: stock(2, 10),
    })
    expect(
      where(
        planReservations([line("ordli_1")], ["sloc_tokyo", "sloc_osaka"], left)
      )
    ).toEqual(["ordli_1:2@sloc_tokyo"])
    expect(
      where(
        planReservations([line("ordli_2")], ["sloc_tokyo", "sloc_osaka"], left)
      )
    ).toEqual(["ordli_2:2@sloc_osaka"])
    const unstocked = {
      line_item_id: "ordli_3",
      quantity: 1,
      unit_price: 1000,
      stock: [
        { inventory_item_id: "iitem_2", required_quantity: 1, levels: [] },
      ],
    }
    expect(planReservations([unstocked], ["sloc_tokyo"])).toEqual([])
  })
})
