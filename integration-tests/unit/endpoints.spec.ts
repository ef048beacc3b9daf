import {
  DEFAULT_LINE_GIFT_ENDPOINTS,
  fillLineGiftPath,
  lineGiftUrl,
  resolveLineGiftEndpoints,
} from "../../src/lib/line-gift/endpoints"

describe("resolveLineGiftEndpoints", () => {
  it("returns the production defaults without overrides", () => {
    const e = resolveLineGiftEndpoints()
    expect(e).toEqual(DEFAULT_LINE_GIFT_ENDPOINTS)
    expect(e.ordersBaseUrl).toBe("https://shop-mall.line.me")
    expect(e.shopBaseUrl).toBe("https://gift-shop-cms.line.biz")
    expect(e.paths.refresh).toBe("/api/v1/oauth2/token/refresh")
    expect(e.paths.orderSearch).toBe("/shop/api/1/order/search")
  })

  it("uses baseUrl for both hosts and strips trailing slashes", () => {
    const e = resolveLineGiftEndpoints({ baseUrl: "http://127.0.0.1:4567///" })
    expect(e.ordersBaseUrl).toBe("http://127.0.0.1:4567")
    expect(e.shopBaseUrl).toBe("http://127.0.0.1:4567")
  })

  it("lets per-host options win over baseUrl and keeps a path prefix", () => {
    const e = resolveLineGiftEndpoints({
      baseUrl: "http://localhost:1",
      shopBaseUrl: "https://proxy.example/line-gift/",
    })
    expect(e.ordersBaseUrl).toBe("http://localhost:1")
    expect(e.shopBaseUrl).toBe("https://proxy.example/line-gift")
  })

  it("overrides single paths and keeps the others", () => {
    const e = resolveLineGiftEndpoints({
      paths: { delivery: "shop/api/2/order/{id}/ship/" },
    })
    expect(e.paths.delivery).toBe("/shop/api/2/order/{id}/ship")
    expect(e.paths.token).toBe(DEFAULT_LINE_GIFT_ENDPOINTS.paths.token)
  })

  it.each([
    [{ baseUrl: "not a url" }, /"baseUrl" is not a valid URL/],
    [
      { ordersBaseUrl: "ftp://x.example" },
      /"ordersBaseUrl" must use http or https/,
    ],
    [
      { shopBaseUrl: "https://x.example/?a=1" },
      /"shopBaseUrl" must not contain a query/,
    ],
    [
      { shopBaseUrl: "https://u:p@x.example" },
      /"shopBaseUrl" must not contain credentials/,
    ],
    [
      { paths: { delivery: "/order/delivery" } },
      /"paths.delivery" must contain the placeholder "\{id\}"/,
    ],
    [
      { paths: { item: "/shops/{shop_id}/items" } },
      /"paths.item" must contain the placeholder "\{item_id\}"/,
    ],
    [
      { paths: { token: "https://evil.example/token" } },
      /"paths.token" must be a path/,
    ],
    [{ paths: { token: "/token?x=1" } }, /"paths.token" must not contain/],
    [{ paths: { tokn: "/x" } as never }, /"paths.tokn" is unknown/],
  ])("rejects %j with an error naming the option", (overrides, message) => {
    expect(() => resolveLineGiftEndpoints(overrides)).toThrow(message)
  })

  it("does not let callers mutate the defaults", () => {
    const e = resolveLineGiftEndpoints()
    e.paths.token = "/changed"
    expect(DEFAULT_LINE_GIFT_ENDPOINTS.paths.token).toBe("/api/v1/oauth2/token")
  })
})

describe("shipmentCall option (issue 11 item 6)", () => {
  it("defaults to today's body: form, delivery_code, delivery_agent", () => {
    expect(resolveLineGiftEndpoints().shipmentCall).toEqual({
      encoding: "form",
      fields: {
        deliveryCode: "delivery_code",
        deliveryAgent: "delivery_agent",
      },
    })
  })

  it("takes json and other field names, keeping the unnamed default", () => {
    expect(
      resolveLineGiftEndpoints({
        shipmentCall: {
          encoding: "json",
          fields: { deliveryAgent: "carrier" },
        },
      }).shipmentCall
    ).toEqual({
      encoding: "json",
      fields: { deliveryCode: "delivery_code", deliveryAgent: "carrier" },
    })
  })

  it.each([
    [{ encoding: "xml" }, /"shipmentCall.encoding" must be "form" or "json"/],
    [
      { fields: { trackingNo: "x" } },
      /"shipmentCall.fields.trackingNo" is unknown/,
    ],
    [
      { fields: { deliveryCode: "a b" } },
      /"shipmentCall.fields.deliveryCode" must be a field name/,
    ],
    [{ fields: { deliveryCode: "x", deliveryAgent: "x" } }, /must differ/],
  ])("rejects %j naming the option", (shipmentCall, message) => {
    expect(() => resolveLineGiftEndpoints({ shipmentCall } as never)).toThrow(
      message
    )
  })
})

describe("fillLineGiftPath / lineGiftUrl", () => {
  it("fills ids of LINE Gift's shape, big ones digit for digit", () => {
    expect(
      fillLineGiftPath("/order/{id}/delivery", { id: "12345678901234567890" })
    ).toBe("/order/12345678901234567890/delivery")
    expect(
      fillLineGiftPath("/order/{id}/delivery", { id: "MALFORMED-PRICE_2" })
    ).toBe("/order/MALFORMED-PRICE_2/delivery")
    expect(
      fillLineGiftPath("/shops/{shop_id}/items/{item_id}", {
        shop_id: 12,
        item_id: "300101",
      })
    ).toBe("/shops/12/items/300101")
  })

  it("refuses any value that could change the path (dots, slashes, encodings, unsafe numbers)", () => {
    for (const id of [
      "..",
      ".",
      "a.b",
      "A/1 ?#",
      "a/b",
      "..%2F..",
      "%2e%2e",
      "a\\b",
      "１２３",
      "a b",
      "x".repeat(65),
    ]) {
      expect(() =>
        fillLineGiftPath("/shop/api/1/order/{id}/delivery", { id })
      ).toThrow(RangeError)
    }
    expect(() =>
      fillLineGiftPath("/shops/{shop_id}/items/{item_id}", {
        shop_id: "..",
        item_id: "1",
      })
    ).toThrow(/shop_id/)
    expect(() =>
      fillLineGiftPath("/shops/{shop_id}/items/{item_id}", {
        shop_id: "1",
        item_id: "../2",
      })
    ).toThrow(/item_id/)
    expect(() => fillLineGiftPath("/order/{id}", { id: 1.5 })).toThrow(
      RangeError
    )
    expect(() => fillLineGiftPath("/order/{id}", { id: 2 ** 60 })).toThrow(
      RangeError
    )
  })

  it("refuses a missing or empty value", () => {
    expect(() => fillLineGiftPath("/order/{id}", {})).toThrow(
      /needs a value for "\{id\}"/
    )
    expect(() => fillLineGiftPath("/order/{id}", { id: " " })).toThrow(/\{id\}/)
  })

  it("joins base and path", () => {
    expect(lineGiftUrl("http://h:1/p/", "/a")).toBe("http://h:1/p/a")
    expect(lineGiftUrl("http://h:1", "a")).toBe("http://h:1/a")
  })
})
