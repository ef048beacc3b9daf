/**
 * LINE Gift orders as they really come (issue 9), unit level: lossless ids over HTTP from the
 * sandbox, plausibility reasons naming field and value, unknown statuses, postcodes, loose SKU
 * keys, gift details; paging that never ends (issue 15 item 2).
 */
import { createSandbox, type Sandbox } from "../../sandbox"
import {
  LineGiftClient,
  parseLineGiftJson,
} from "../../src/lib/line-gift/client"
import { resolveLineGiftEndpoints } from "../../src/lib/line-gift/endpoints"
import {
  isKnownLineGiftStatus,
  parseLineGiftOrder,
  tokenResponseSchema,
} from "../../src/lib/line-gift/schemas"
import {
  giftDetails,
  hasShippableAddress,
  looseSkuKey,
  mapLineGiftOrder,
  markOutOfStock,
  normalizePostalCode,
} from "../../src/lib/mapping"
import {
  countCode,
  emptySkippedReasons,
  MAX_STATUS_CODES,
} from "../../src/workflows/import/run-summary"

const BIG_A = "12345678901234567890"
const BIG_B = "12345678901234567891"

const base = (over: Record<string, unknown> = {}) => ({
  id: "5000000123",
  status: "payment",
  selling_price: 7700,
  item: { id: "300103", code: "LG-TOWEL-03", name: "今治タオル" },
  variation: { id: "900131", code: "LG-TOWEL-03-WH", name: "ホワイト" },
  stock_count: 2,
  bought_on: 1764300000,
  address: {
    zip: "1000001",
    pref: "東京都",
    city: "千代田区",
    address: "千代田1-1",
    last_name: "見本",
  },
  ...over,
})

const reasonOf = (over: Record<string, unknown>) => {
  const r = parseLineGiftOrder(base(over))
  if (r.ok) throw new Error("expected a refusal")
  return r.reason
}

describe("ids beyond 2^53 (issue 9 item 1)", () => {
  it("parses bare JSON numbers losslessly: …890 and …891 stay two ids, as text", () => {
    const body = parseLineGiftJson(
      `{"orders":[{"id":${BIG_A},"status":"payment","item":{"id":${BIG_A}},"variation":{"id":${BIG_B}}},{"id":${BIG_B},"status":"payment"}],"paging":{"total_pages":1}}`
    ) as any
    expect(body.orders.map((o: any) => o.id)).toEqual([BIG_A, BIG_B])
    const [a, b] = body.orders.map((o: any) => parseLineGiftOrder(o))
    expect(a.ok && a.order.id).toBe(BIG_A)
    expect(a.ok && a.order.item?.id).toBe(BIG_A)
    expect(a.ok && a.order.variation?.id).toBe(BIG_B)
    expect(b.ok && b.order.id).toBe(BIG_B)
    expect(parseLineGiftJson('{"n":7700,"f":12.5}') as any).toEqual({
      n: 7700,
      f: 12.5,
    })
  })

  it("refuses an amount that is not a safe integer, naming field and value", () => {
    const body = parseLineGiftJson(`{"selling_price":9007199254740993}`) as any
    expect(reasonOf(body)).toBe(
      'selling_price: is too large to be exact (beyond 2^53) (got "9007199254740993")'
    )
    expect(reasonOf({ fee: 1e300 })).toMatch(/^fee: is too large .*1e\+300/)
  })

  it("refuses an id already rounded by someone else's float64", () => {
    expect(reasonOf({ id: 12345678901234567000 })).toMatch(
      /^id: is a number whose digits were lost/
    )
  })

  it("reads ids from the sandbox's bare-number answer and pushes to the exact id", async () => {
    const sb: Sandbox = createSandbox({ orderCount: 3 })
    try {
      const url = await sb.listen(0)
      sb.addOrder({
        id: BIG_A,
        status: "payment",
        item: { id: BIG_A, code: "LG-X", name: "x" },
      })
      sb.addOrder({ id: BIG_B, status: "payment" })
      sb.setFaults({ bareNumberIds: true })
      const tokens = sb.issueTokens()
      const client = new LineGiftClient({
        endpoints: resolveLineGiftEndpoints({ baseUrl: url }),
        clientId: "sandbox-client-id",
        clientSecret: "sandbox-client-secret",
        tokenStore: {
          getAccessToken: async () => tokens.access_token,
          refreshAccessToken: async () => tokens.access_token,
        },
        http: { pageDelayMs: 0, maxRetries: 0 },
      })
      const page = await client.searchOrders({ page: 1 })
      const ids = page.orders.map((o: any) => o.id)
      expect(ids).toEqual(expect.arrayContaining([BIG_A, BIG_B]))
      expect(
        (page.orders.find((o: any) => o.id === BIG_A) as any).item.id
      ).toBe(BIG_A)
      await client.updateDelivery(BIG_A, {
        deliveryCode: "123412341234",
        deliveryAgent: "ヤマト運輸",
      })
      const delivery = sb.calls.filter((c) => c.kind === "delivery")
      expect(delivery.map((c) => c.path)).toEqual([
        `/shop/api/1/order/${BIG_A}/delivery`,
      ])
      expect(sb.getOrder(BIG_A)!.status).toBe("received")
      expect(sb.getOrder(BIG_B)!.status).toBe("payment")
    } finally {
      await sb.close()
    }
  })

  it("the sandbox control API keeps big ids sent as bare numbers", async () => {
    const sb = createSandbox({ orderCount: 1 })
    try {
      const url = await sb.listen(0)
      const res = await fetch(`${url}/__sandbox/orders`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: `{"id":${BIG_B},"status":"payment"}`,
      })
      expect(res.status).toBe(200)
      expect(sb.getOrder(BIG_B)).toBeDefined()
    } finally {
      await sb.close()
    }
  })
})

describe("statuses LINE Gift adds later (issue 9 item 2)", () => {
  it("parses an unknown status as itself; it is not a known one", () => {
    const r = parseLineGiftOrder(base({ status: "hold" }))
    expect(r.ok && r.order.status).toBe("hold")
    expect(isKnownLineGiftStatus("hold")).toBe(false)
    expect(isKnownLineGiftStatus("payment")).toBe(true)
  })

  it("counts codes by name, bounded", () => {
    const reasons = emptySkippedReasons()
    countCode(reasons.unknown_status, "hold")
    countCode(reasons.unknown_status, "hold")
    for (let i = 0; i < MAX_STATUS_CODES + 5; i++)
      countCode(reasons.unknown_status, `x${i}`)
    expect(reasons.unknown_status.hold).toBe(2)
    expect(Object.keys(reasons.unknown_status).length).toBe(
      MAX_STATUS_CODES + 1
    )
    expect(reasons.unknown_status["(other)"]).toBe(6)
  })
})

describe("blank addresses (issue 9 item 3)", () => {
  it.each([
    [{}],
    [{ zip: " ", pref: "　", city: "", address: "\t" }],
    [undefined],
    [{ last_name: "見本" }],
  ])("%j is no address to ship to", (address) => {
    const r = parseLineGiftOrder(base({ address }))
    expect(r.ok).toBe(true)
    if (r.ok) expect(hasShippableAddress(r.order)).toBe(false)
  })
  it("a real address is one", () => {
    const r = parseLineGiftOrder(base())
    expect(r.ok && hasShippableAddress(r.order)).toBe(true)
  })
})

describe("implausible values name field and value (issue 9 item 4)", () => {
  it.each([
    [
      { bought_on: 1796000000000 },
      "bought_on: is not a plausible time in Unix seconds (2000–2100; milliseconds?) (got 1796000000000)",
    ],
    [
      { payed_on: 12 },
      "payed_on: is not a plausible time in Unix seconds (2000–2100; milliseconds?) (got 12)",
    ],
    [{ selling_price: -500 }, "selling_price: must not be negative (got -500)"],
    [
      { selling_price: 7700.5 },
      "selling_price: must be whole yen (got 7700.5)",
    ],
    [{ fee: "12.5" }, 'fee: must be whole yen (got "12.5")'],
    [{ stock_count: 0 }, "stock_count: must be at least 1 (got 0)"],
    [{ stock_count: "0" }, 'stock_count: must be at least 1 (got "0")'],
  ])("%j → %s", (over, reason) => {
    expect(reasonOf(over)).toBe(reason)
  })
})

describe("refused personal data and secrets: the reason names the field and type, never the value", () => {
  it.each([
    [{ user_name: ["山田 花子"] }, "user_name: must be text (got an array)"],
    [
      { address: { tel: ["090-1234-5678"] } },
      "address.tel: must be text (got an array)",
    ],
    [
      { address: { last_name: { kanji: "山田" } } },
      "address.last_name: must be text (got an object)",
    ],
    [
      { address: { address: true } },
      "address.address: must be text (got true)",
    ],
    [
      { address: { zip: 2 ** 70 } },
      "address.zip: is a number beyond 2^53 whose digits were lost",
    ],
  ])("%j → %s", (over, reason) => {
    expect(reasonOf(over)).toBe(reason)
  })

  it("a product code refused still shows its value (not personal)", () => {
    expect(reasonOf({ item: { code: ["LG-1"] } })).toBe(
      'item.code: must be text (got ["LG-1"])'
    )
  })

  it("a token answer with a refresh token that is not text does not show the token", () => {
    const r = tokenResponseSchema.safeParse({
      access_token: "a",
      refresh_token: { secret: "rt-very-secret" },
    })
    expect(r.success).toBe(false)
    expect(JSON.stringify(r.error?.issues)).not.toContain("rt-very-secret")
  })
})

describe("gift details and unknown fields (issue 9 item 7)", () => {
  it("maps the fields seen in merchants' data and keeps every unknown field", () => {
    const r = parseLineGiftOrder(
      base({
        is_delivery_by_hand: 1,
        delivery_by_hand_deadline: 1765000000,
        pre_order_delivery_start: "2026-12-20",
        delivery_date: "2026-12-24",
        delivery_time: "14-16",
        noshi: { type: "御歳暮", name: "見本" },
        wrapping: true,
        message: "いつもありがとう",
      })
    )
    if (!r.ok) throw new Error(r.reason)
    const gift = giftDetails(r.order)
    expect(gift).toEqual({
      is_delivery_by_hand: true,
      delivery_by_hand_deadline: new Date(1765000000 * 1000).toISOString(),
      pre_order_delivery_start: "2026-12-20",
      extra: {
        delivery_date: "2026-12-24",
        delivery_time: "14-16",
        noshi: { type: "御歳暮", name: "見本" },
        wrapping: true,
        message: "いつもありがとう",
      },
    })
    const mapped = mapLineGiftOrder(r.order, {
      shopId: "s",
      regionId: "r",
      salesChannelId: null,
      currencyCode: "jpy",
      email: "e@example.invalid",
      variantsBySku: new Map(),
    })
    expect((mapped.input.metadata.line_gift as any).gift).toEqual(gift)
  })
})

describe("postcodes: one format (issue 9 item 8)", () => {
  it.each([
    ["1000001", "100-0001"],
    ["100-0001", "100-0001"],
    ["１００－０００１", "100-0001"],
    ["１０００００１", "100-0001"],
    ["〒100-0001", "100-0001"],
    ["100 0001", "100-0001"],
    ["100ー0001", "100-0001"],
    [" 1000001 ", "100-0001"],
    ["12345", "12345"],
    ["", undefined],
  ])("%j → %j", (input, expected) => {
    expect(normalizePostalCode(input)).toBe(expected)
  })

  it("mapping writes NNN-NNNN for an unhyphenated zip", () => {
    const r = parseLineGiftOrder(base())
    if (!r.ok) throw new Error(r.reason)
    const mapped = mapLineGiftOrder(r.order, {
      shopId: "s",
      regionId: "r",
      salesChannelId: null,
      currencyCode: "jpy",
      email: "e@example.invalid",
      variantsBySku: new Map(),
    })
    expect(mapped.input.shipping_address?.postal_code).toBe("100-0001")
  })
})

describe("loose SKU keys (issue 9 item 6)", () => {
  it("equal for whitespace, width and case; different otherwise", () => {
    expect(looseSkuKey("LG-TOWEL-03-WH ")).toBe("LG-TOWEL-03-WH")
    expect(looseSkuKey("ＬＧ－ＴＯＷＥＬ－０３－ＷＨ")).toBe("LG-TOWEL-03-WH")
    expect(looseSkuKey("　lg-towel-03-wh")).toBe("LG-TOWEL-03-WH")
    expect(looseSkuKey("LG-TOWEL-03-W H")).not.toBe("LG-TOWEL-03-WH")
  })

  it("a loose match is flagged and noted in metadata", () => {
    const r = parseLineGiftOrder(
      base({ variation: { id: "1", code: "LG-TOWEL-03-WH ", name: "w" } })
    )
    if (!r.ok) throw new Error(r.reason)
    const mapped = mapLineGiftOrder(r.order, {
      shopId: "s",
      regionId: "r",
      salesChannelId: null,
      currencyCode: "jpy",
      email: "e@example.invalid",
      variantsBySku: new Map([
        [
          "LG-TOWEL-03-WH ",
          {
            id: "v1",
            sku: "LG-TOWEL-03-WH",
            title: null,
            product_title: null,
            manage_inventory: true,
            matched: "loose" as const,
          },
        ],
      ]),
    })
    expect(mapped.flags).toEqual(["sku_loose_match"])
    expect((mapped.input.metadata.line_gift as any).sku_loose_match).toEqual({
      code: "LG-TOWEL-03-WH ",
      variant_sku: "LG-TOWEL-03-WH",
    })
    markOutOfStock(mapped)
    expect(mapped.flags).toEqual(["sku_loose_match", "out_of_stock"])
    expect((mapped.input.metadata.line_gift as any).out_of_stock).toEqual({
      sku: "LG-TOWEL-03-WH",
      quantity: 2,
    })
    expect(
      mapped.input.items.every((i: any) => i.allow_backorder === true)
    ).toBe(true)
  })
})

describe("paging that never ends (issue 15 item 2)", () => {
  let sb: Sandbox
  let client: LineGiftClient
  beforeEach(async () => {
    sb = createSandbox({ orderCount: 250 })
    const url = await sb.listen(0)
    const tokens = sb.issueTokens()
    client = new LineGiftClient({
      endpoints: resolveLineGiftEndpoints({ baseUrl: url }),
      clientId: "sandbox-client-id",
      clientSecret: "sandbox-client-secret",
      tokenStore: {
        getAccessToken: async () => tokens.access_token,
        refreshAccessToken: async () => tokens.access_token,
      },
      http: { pageDelayMs: 0, maxRetries: 0 },
    })
  })
  afterEach(async () => {
    await sb.close()
  })

  it("a page repeating the previous page's orders ends the read with a reason", async () => {
    sb.setFaults({ repeatingPage: true })
    const stops: string[] = []
    const pages = []
    for await (const page of client.iterateOrderPages({
      onStop: (r) => stops.push(r),
    }))
      pages.push(page)
    expect(pages.length).toBe(1)
    expect(pages[0].totalPages).toBe(1_000_000)
    expect(sb.calls.filter((c) => c.kind === "order_search").length).toBe(2)
    expect(stops).toEqual([
      expect.stringMatching(
        /^stopped reading at page 2: it repeats page 1's orders/
      ),
    ])
  })

  it("total_pages beyond total_entries ÷ page size + margin is not believed", async () => {
    const spy = jest.spyOn(client, "searchOrders")
    let n = 0
    spy.mockImplementation(async ({ page }) => ({
      orders: [{ id: `A${page}-${n++}` }, { id: `B${page}` }],
      page,
      totalPages: 1_000_000,
      totalEntries: 4,
    }))
    const stops: string[] = []
    const pages = []
    for await (const page of client.iterateOrderPages({
      onStop: (r) => stops.push(r),
    }))
      pages.push(page)
    expect(pages.length).toBe(4) // 4 entries ÷ 2 per page + 2 pages of margin
    expect(stops).toEqual([
      "stopped after 4 pages: 1000000 pages announced for 4 orders",
    ])
  })

  it("without total_entries, the hard cap ends the read", async () => {
    const spy = jest.spyOn(client, "searchOrders")
    spy.mockImplementation(async ({ page }) => ({
      orders: [{ id: `P${page}` }],
      page,
      totalPages: 1_000_000,
      totalEntries: null,
    }))
    const stops: string[] = []
    let count = 0
    for await (const _ of client.iterateOrderPages({
      maxPages: 7,
      onStop: (r) => stops.push(r),
    }))
      count++
    expect(count).toBe(7)
    expect(stops).toEqual([
      "stopped after 7 pages (the limit of one run) of 1000000 announced",
    ])
  })
})
