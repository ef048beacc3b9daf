/**
 * The LINE Gift sandbox, over real HTTP (in-process server on an ephemeral loopback port).
 * Covers the seeded data, the protocol of shared/line-gift-api.md (OAuth, refresh rotation,
 * order search, delivery, items), every fault switch, the control API and the call log.
 */
import * as http from "node:http"
import axios, { type AxiosInstance, type AxiosResponse } from "axios"
import { createSandbox, type Sandbox, type SandboxOrder } from "../../sandbox"
import { CATALOGUE } from "../../sandbox/catalogue"

const DAY = 86400
/** 2026-11-29 12:00 JST. */
const NOW = Date.UTC(2026, 10, 29, 3, 0, 0)
const CLIENT = {
  client_id: "sandbox-client-id",
  client_secret: "sandbox-client-secret",
}
const REDIRECT = "http://localhost:9000/app/line-gift/callback"

let clock = NOW
let sandbox: Sandbox
let base: string
const agent = new http.Agent({ keepAlive: false })
const api: AxiosInstance = axios.create({
  validateStatus: () => true,
  maxRedirects: 0,
  httpAgent: agent,
})

const search = (
  token: string | undefined,
  params: Record<string, unknown> = {}
) =>
  api.get(`${base}/shop/api/1/order/search`, {
    params: token === undefined ? params : { access_token: token, ...params },
  })
const deliver = (token: string, id: string, body: unknown) =>
  api.post(
    `${base}/shop/api/1/order/${encodeURIComponent(id)}/delivery`,
    body,
    {
      params: { access_token: token },
    }
  )
const form = (o: Record<string, string>) => new URLSearchParams(o)
const ageDays = (o: SandboxOrder) =>
  (Math.floor(clock / 1000) - (o.bought_on as number)) / DAY

beforeAll(async () => {
  sandbox = createSandbox({ now: () => clock })
  base = await sandbox.listen()
})

afterAll(async () => {
  await sandbox.close()
  agent.destroy()
})

beforeEach(() => {
  clock = NOW
  sandbox.reset()
})

describe("listen / close", () => {
  it("listens on loopback with an ephemeral port and refuses other hosts", async () => {
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(sandbox.url).toBe(base)
    const other = createSandbox()
    await expect(other.listen(0, "0.0.0.0")).rejects.toThrow(/loopback/)
    const url = await other.listen()
    expect(url).not.toBe(base)
    await other.close()
    expect(other.url).toBe("")
    await expect(api.get(`${url}/__sandbox/calls`)).rejects.toThrow()
  })
})

describe("seeded orders", () => {
  it("is deterministic for a seed and clock, and differs for another seed", () => {
    const a = createSandbox({ now: () => NOW })
    const b = createSandbox({ now: () => NOW })
    const c = createSandbox({ now: () => NOW, seed: 7 })
    expect(a.orders).toHaveLength(300)
    expect(b.orders).toEqual(a.orders)
    expect(JSON.stringify(b.orders)).toBe(JSON.stringify(a.orders))
    expect(c.orders).not.toEqual(a.orders)
    expect(
      createSandbox({ now: () => NOW, orderCount: 40 }).orders
    ).toHaveLength(40)
  })

  it("has every status, ≥20 payment orders of the last 7 days and a few accepted late", () => {
    const orders = sandbox.orders
    const statuses = new Set(orders.map((o) => o.status))
    for (const s of [
      "cvs",
      "gift_message_wait",
      "gift_message_send",
      "payment",
      "received",
      "cancel",
    ]) {
      expect(statuses).toContain(s)
    }
    expect(
      orders.filter((o) => o.status === "payment" && ageDays(o) < 7).length
    ).toBeGreaterThanOrEqual(20)
    const late = orders.filter(
      (o) => o.status === "payment" && ageDays(o) >= 8 && ageDays(o) <= 20
    )
    expect(late.length).toBeGreaterThanOrEqual(2)
    const cancelled =
      orders.filter((o) => o.status === "cancel").length / orders.length
    expect(cancelled).toBeGreaterThanOrEqual(0.05)
    expect(cancelled).toBeLessThanOrEqual(0.08)
    // the last 2 days are mostly not shipped yet; older orders mostly shipped
    const recent = orders.filter((o) => ageDays(o) < 2)
    const preShip = recent.filter((o) =>
      ["cvs", "gift_message_wait", "gift_message_send", "payment"].includes(
        o.status
      )
    )
    expect(preShip.length / recent.length).toBeGreaterThan(0.6)
    const old = orders.filter((o) => ageDays(o) > 20)
    expect(
      old.filter((o) => o.status === "received").length / old.length
    ).toBeGreaterThan(0.85)
  })

  it("has unique numeric ids, times within 90 days and a non-chronological listing", () => {
    const orders = sandbox.orders
    const ids = orders.map((o) => o.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const id of ids) expect(id).toMatch(/^\d{10}$/)
    const nowSec = Math.floor(NOW / 1000)
    for (const o of orders) {
      const bought = o.bought_on as number
      expect(bought).toBeGreaterThan(nowSec - 90 * DAY)
      expect(bought).toBeLessThanOrEqual(nowSec)
      for (const k of ["payed_on", "received_on", "delivered_on"]) {
        if (o[k] !== undefined) {
          expect(o[k] as number).toBeGreaterThanOrEqual(bought)
          expect(o[k] as number).toBeLessThanOrEqual(nowSec)
        }
      }
    }
    const byTime = [...orders].sort(
      (a, b) => (a.bought_on as number) - (b.bought_on as number)
    )
    expect(byTime.map((o) => o.id)).not.toEqual(ids)
    // ids count up with purchase time
    expect(byTime.map((o) => o.id)).toEqual([...ids].sort())
  })

  it("gives each status the fields LINE Gift sends", () => {
    for (const o of sandbox.orders) {
      const bought = o.bought_on as number
      const address = o.address as Record<string, string>
      expect(o.shipping_fee).toBe("")
      expect(Number.isInteger(o.selling_price)).toBe(true)
      expect(o.fee).toBe(Math.floor((o.selling_price as number) * 0.1))
      expect((o.item as Record<string, string>).code).toMatch(/^LG-/)
      if (o.status === "cvs") {
        expect(o.payed_on).toBeUndefined()
        expect(o.payment_deadline).toBe(bought + 3 * DAY)
      } else if (o.status !== "cancel") {
        expect(o.payed_on).toEqual(expect.any(Number))
        expect(o.receive_deadline).toBe(bought + 14 * DAY)
      }
      if (
        ["cvs", "gift_message_wait", "gift_message_send"].includes(o.status)
      ) {
        expect(Object.keys(address).filter((k) => k !== "from_name")).toEqual(
          []
        )
      }
      if (o.status === "payment" || o.status === "received") {
        expect(address).toEqual(
          expect.objectContaining({
            first_name: expect.any(String),
            last_name: expect.any(String),
            pref: expect.any(String),
            city: expect.any(String),
            address: expect.any(String),
          })
        )
        expect(address.zip).toMatch(/^\d{3}-\d{4}$/)
        expect(address.tel).toMatch(/^0[789]00000\d{4}$/)
        expect(address.tel_hyphen).toBe(
          `${address.tel.slice(0, 3)}-0000-${address.tel.slice(7)}`
        )
        expect(o.delivery_deadline).toBe((o.received_on as number) + 5 * DAY)
      }
      if (o.status === "received") {
        expect(o.delivery_code).toMatch(/^\d{12}$/)
        expect(["ヤマト運輸", "佐川急便", "日本郵便"]).toContain(
          o.delivery_agent
        )
        expect(o.shipment_date).toMatch(/^\d{4}\/\d{2}\/\d{2}$/)
        expect(o.delivered_on).toEqual(expect.any(Number))
      }
    }
  })

  it("prices match the catalogue, with a few discounted multi-quantity totals and missing SKUs", () => {
    let discounted = 0
    for (const o of sandbox.orders) {
      const item = CATALOGUE.find(
        (i) => i.id === (o.item as { id: string }).id
      )!
      expect(item).toBeDefined()
      const v = o.variation as { id: string; code: string } | undefined
      if (item.variations.length) expect(v).toBeDefined()
      else expect(v).toBeUndefined()
      const unit = v
        ? item.variations.find((x) => x.id === v.id)!.price
        : item.price
      const qty = o.stock_count as number
      expect([1, 2, 3]).toContain(qty)
      if (o.selling_price !== unit * qty) {
        discounted++
        expect(qty).toBeGreaterThan(1)
        expect((o.selling_price as number) % qty).not.toBe(0)
      }
    }
    expect(discounted).toBeGreaterThanOrEqual(1)
    const missing = sandbox.orders.filter(
      (o) => (o.item as { code: string }).code === "LG-OLD-99"
    )
    expect(missing.length).toBeGreaterThanOrEqual(1)
    expect(missing.length / sandbox.orders.length).toBeLessThan(0.06)
    expect(missing.some((o) => o.status === "payment" && ageDays(o) < 7)).toBe(
      true
    )
  })
})

describe("order search", () => {
  it("answers 401 without, or with an unknown, access token", async () => {
    for (const token of [undefined, "nope"]) {
      const res = await search(token)
      expect(res.status).toBe(401)
      expect(res.data).toEqual({ code: 401, reason: "invalid access_token" })
    }
  })

  it("pages (per_page capped at 100, total_pages, past the end) without losing or repeating orders", async () => {
    const { access_token } = sandbox.issueTokens()
    const seen: string[] = []
    for (let page = 1; page <= 3; page++) {
      const res = await search(access_token, { page, per_page: 1000 })
      expect(res.status).toBe(200)
      expect(res.data.paging).toEqual({ total_pages: 3, total_entries: 300 })
      expect(res.data.orders).toHaveLength(100)
      seen.push(...res.data.orders.map((o: SandboxOrder) => o.id))
    }
    expect(new Set(seen).size).toBe(300)
    expect(new Set(seen)).toEqual(new Set(sandbox.orders.map((o) => o.id)))
    const past = await search(access_token, { page: 4 })
    expect(past.data.orders).toEqual([])
    const small = await search(access_token, { page: 2, per_page: 7 })
    expect(small.data.paging).toEqual({ total_pages: 43, total_entries: 300 })
    expect(small.data.orders.map((o: SandboxOrder) => o.id)).toEqual(
      sandbox.orders.slice(7, 14).map((o) => o.id)
    )
    const bad = await search(access_token, { page: 0 })
    expect(bad.status).toBe(400)
  })

  it("serves only orders bought in the last 90 days, and live state", async () => {
    const { access_token } = sandbox.issueTokens()
    const old = sandbox.addOrder({
      bought_on: Math.floor(NOW / 1000) - 91 * DAY,
      status: "received",
    })
    const fresh = sandbox.addOrder({ user_name: "テスト追加" })
    const res = await search(access_token)
    const pages = [
      res.data.orders,
      (await search(access_token, { page: 2 })).data.orders,
      (await search(access_token, { page: 3 })).data.orders,
      (await search(access_token, { page: 4 })).data.orders,
    ].flat()
    expect(res.data.paging.total_entries).toBe(301)
    const ids = pages.map((o: SandboxOrder) => o.id)
    expect(ids).toContain(fresh.id)
    expect(ids).not.toContain(old.id)
    expect(pages.find((o: SandboxOrder) => o.id === fresh.id)).toEqual(fresh)
  })

  it("takes the orders host token only as a query parameter", async () => {
    const { access_token } = sandbox.issueTokens()
    const res = await api.get(`${base}/shop/api/1/order/search`, {
      headers: { Authorization: `Bearer ${access_token}` },
    })
    expect(res.status).toBe(401)
  })
})

describe("OAuth authorization code flow", () => {
  const authorizeUrl = (extra: Record<string, string> = {}) =>
    `${base}/oauth2/authorize?${new URLSearchParams({
      response_type: "code",
      client_id: CLIENT.client_id,
      redirect_uri: REDIRECT,
      state: "st-123",
      ...extra,
    })}`

  /** Submits the page's form like a browser would (hidden fields + the clicked button). */
  async function submit(
    html: string,
    decision: string
  ): Promise<AxiosResponse> {
    const action = /<form method="post" action="([^"]+)"/.exec(html)![1]
    const fields: Record<string, string> = {}
    for (const m of html.matchAll(
      /<input type="hidden" name="([^"]+)" value="([^"]*)">/g
    )) {
      fields[m[1]] = m[2].replace(/&amp;/g, "&").replace(/&quot;/g, '"')
    }
    return api.post(`${base}${action}`, form({ ...fields, decision }))
  }

  it("shows a Japanese approval page, approves with a code, exchanges it, and the token works", async () => {
    const page = await api.get(authorizeUrl(), { responseType: "text" })
    expect(page.status).toBe(200)
    expect(page.headers["content-type"]).toMatch(/text\/html/)
    const html = page.data as string
    expect(html).toContain("LINEギフト サンドボックス — アプリ連携の承認")
    expect(html).toContain("許可する")
    expect(html).toContain("拒否する")
    expect(html).toContain('id="approve"')
    expect(html).toContain('id="deny"')
    expect(html).toContain(CLIENT.client_id)
    expect(html).toMatch(/sandbox/i)

    const redirect = await submit(html, "approve")
    expect(redirect.status).toBe(302)
    const location = new URL(redirect.headers.location)
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT)
    expect(location.searchParams.get("state")).toBe("st-123")
    const code = location.searchParams.get("code")!
    expect(code).toBeTruthy()

    const exchange = () =>
      api.post(
        `${base}/api/v1/oauth2/token`,
        form({
          grant_type: "authorization_code",
          code,
          redirect_uri: REDIRECT,
          ...CLIENT,
        })
      )
    const tokens = await exchange()
    expect(tokens.status).toBe(200)
    expect(tokens.data).toEqual({
      access_token: expect.any(String),
      refresh_token: expect.any(String),
      expires_in: 60 * DAY,
      refresh_token_expires_in: 90 * DAY,
    })
    expect(tokens.data.access_token).not.toBe(tokens.data.refresh_token)
    const res = await search(tokens.data.access_token)
    expect(res.status).toBe(200)
    expect(res.data.orders).toHaveLength(100)

    // codes are single-use
    const again = await exchange()
    expect(again.status).toBe(400)
    expect(again.data.code).toBe(400)
    expect(again.data.reason).toMatch(/^invalid_grant/)
  })

  it("redirects with error=access_denied when denied", async () => {
    const html = (await api.get(authorizeUrl(), { responseType: "text" })).data
    const res = await submit(html, "deny")
    expect(res.status).toBe(302)
    const location = new URL(res.headers.location)
    expect(location.searchParams.get("error")).toBe("access_denied")
    expect(location.searchParams.get("state")).toBe("st-123")
    expect(location.searchParams.get("code")).toBeNull()
  })

  it("rejects an unknown client, a missing redirect_uri and response_type other than code with a 400 page", async () => {
    for (const url of [
      authorizeUrl({ client_id: "someone-else" }),
      `${base}/oauth2/authorize?response_type=code&client_id=${CLIENT.client_id}`,
      authorizeUrl({ response_type: "token" }),
    ]) {
      const res = await api.get(url, { responseType: "text" })
      expect(res.status).toBe(400)
      expect(res.headers["content-type"]).toMatch(/text\/html/)
      expect(res.data).not.toContain('id="approve"')
    }
  })

  it("checks client credentials, redirect_uri, grant_type and code expiry on the exchange", async () => {
    const code = async () => {
      const html = (await api.get(authorizeUrl(), { responseType: "text" }))
        .data
      return new URL(
        (await submit(html, "approve")).headers.location
      ).searchParams.get("code")!
    }
    const post = (body: Record<string, string>) =>
      api.post(`${base}/api/v1/oauth2/token`, body)

    const c1 = await code()
    const wrongSecret = await post({
      grant_type: "authorization_code",
      code: c1,
      redirect_uri: REDIRECT,
      client_id: CLIENT.client_id,
      client_secret: "x",
    })
    expect(wrongSecret.status).toBe(401)
    expect(wrongSecret.data).toEqual({ code: 401, reason: "invalid_client" })
    const wrongRedirect = await post({
      grant_type: "authorization_code",
      code: c1,
      redirect_uri: "http://localhost:9000/other",
      ...CLIENT,
    })
    expect(wrongRedirect.status).toBe(400)
    expect(wrongRedirect.data.reason).toMatch(/^invalid_grant/)
    const wrongGrant = await post({
      grant_type: "password",
      code: c1,
      redirect_uri: REDIRECT,
      ...CLIENT,
    })
    expect(wrongGrant.status).toBe(400)
    // JSON bodies are accepted too, and the failed attempts did not burn the code
    const ok = await post({
      grant_type: "authorization_code",
      code: c1,
      redirect_uri: REDIRECT,
      ...CLIENT,
    })
    expect(ok.status).toBe(200)

    const c2 = await code()
    clock += 11 * 60 * 1000
    const expired = await post({
      grant_type: "authorization_code",
      code: c2,
      redirect_uri: REDIRECT,
      ...CLIENT,
    })
    expect(expired.status).toBe(400)
    expect(expired.data.reason).toMatch(/^invalid_grant.*expired/)
  })

  it("autoApprove redirects at once; includeExpiresIn=false omits the lifetimes", async () => {
    const other = createSandbox({
      autoApprove: true,
      includeExpiresIn: false,
      orderCount: 5,
    })
    const url = await other.listen()
    try {
      const res = await api.get(
        `${url}/oauth2/authorize?${new URLSearchParams({ response_type: "code", client_id: CLIENT.client_id, redirect_uri: REDIRECT, state: "s" })}`
      )
      expect(res.status).toBe(302)
      const code = new URL(res.headers.location).searchParams.get("code")!
      const tokens = await api.post(
        `${url}/api/v1/oauth2/token`,
        form({
          grant_type: "authorization_code",
          code,
          redirect_uri: REDIRECT,
          ...CLIENT,
        })
      )
      expect(tokens.status).toBe(200)
      expect(Object.keys(tokens.data).sort()).toEqual([
        "access_token",
        "refresh_token",
      ])
    } finally {
      await other.close()
    }
  })
})

describe("refresh tokens", () => {
  const refresh = (refresh_token: string, extra: Record<string, string> = {}) =>
    api.post(
      `${base}/api/v1/oauth2/token/refresh`,
      form({ grant_type: "refresh_token", ...CLIENT, refresh_token, ...extra })
    )

  it("rotate: the old refresh token and the old access token die", async () => {
    const first = sandbox.issueTokens()
    const res = await refresh(first.refresh_token)
    expect(res.status).toBe(200)
    expect(res.data.access_token).not.toBe(first.access_token)
    expect(res.data.refresh_token).not.toBe(first.refresh_token)
    expect(res.data.expires_in).toBe(60 * DAY)

    const reuse = await refresh(first.refresh_token)
    expect(reuse.status).toBe(400)
    expect(reuse.data.code).toBe(400)
    expect(reuse.data.reason).toMatch(/^invalid_grant/)
    expect((await search(first.access_token)).status).toBe(401)
    expect((await search(res.data.access_token)).status).toBe(200)

    const third = await refresh(res.data.refresh_token)
    expect(third.status).toBe(200)
    expect((await search(res.data.access_token)).status).toBe(401)
    expect((await search(third.data.access_token)).status).toBe(200)
  })

  it("rejects wrong client credentials, a wrong grant_type and unknown tokens", async () => {
    const pair = sandbox.issueTokens()
    const bad = await refresh(pair.refresh_token, { client_secret: "wrong" })
    expect(bad.status).toBe(401)
    expect(bad.data).toEqual({ code: 401, reason: "invalid_client" })
    const grant = await refresh(pair.refresh_token, {
      grant_type: "authorization_code",
    })
    expect(grant.status).toBe(400)
    const unknown = await refresh("not-a-token")
    expect(unknown.status).toBe(400)
    expect(unknown.data.reason).toMatch(/^invalid_grant/)
    // none of the failures used the token up
    expect((await refresh(pair.refresh_token)).status).toBe(200)
  })

  it("expire: access tokens after 60 days, refresh tokens after 90 days", async () => {
    const pair = sandbox.issueTokens()
    clock += 59 * DAY * 1000
    expect((await search(pair.access_token)).status).toBe(200)
    clock += 2 * DAY * 1000
    expect((await search(pair.access_token)).status).toBe(401)
    clock += 30 * DAY * 1000
    const res = await refresh(pair.refresh_token)
    expect(res.status).toBe(400)
    expect(res.data.reason).toMatch(/^invalid_grant.*expired/)
  })
})

describe("delivery", () => {
  /** 2026-11-29 16:30 UTC = 2026-11-30 01:30 JST: the ship date must be the JST one. */
  const LATE = Date.UTC(2026, 10, 29, 16, 30, 0)
  const payment = () => sandbox.orders.find((o) => o.status === "payment")!

  it("ships a payment order: received, with delivered_on now and shipment_date in JST", async () => {
    const { access_token } = sandbox.issueTokens()
    const order = payment()
    clock = LATE
    const res = await deliver(access_token, order.id, {
      delivery_code: "123456789012",
      delivery_agent: "ヤマト運輸",
    })
    expect(res.status).toBe(200)
    expect(res.data).toEqual({ code: 200 })
    const after = sandbox.getOrder(order.id)!
    expect(after.status).toBe("received")
    expect(after.delivery_code).toBe("123456789012")
    expect(after.delivery_agent).toBe("ヤマト運輸")
    expect(after.delivered_on).toBe(Math.floor(LATE / 1000))
    expect(after.shipment_date).toBe("2026/11/30")
  })

  it("is a no-op with the same values, and corrects other values keeping the dates", async () => {
    const { access_token } = sandbox.issueTokens()
    const order = payment()
    await deliver(access_token, order.id, {
      delivery_code: "111122223333",
      delivery_agent: "佐川急便",
    })
    const snapshot = JSON.parse(JSON.stringify(sandbox.getOrder(order.id)))
    clock += 3 * DAY * 1000
    const same = await deliver(access_token, order.id, {
      delivery_code: "111122223333",
      delivery_agent: "佐川急便",
    })
    expect(same.data).toEqual({ code: 200 })
    expect(sandbox.getOrder(order.id)).toEqual(snapshot)
    // form-encoded works too
    const fix = await deliver(
      access_token,
      order.id,
      form({ delivery_code: "999988887777", delivery_agent: "日本郵便" })
    )
    expect(fix.data).toEqual({ code: 200 })
    expect(sandbox.getOrder(order.id)).toEqual({
      ...snapshot,
      delivery_code: "999988887777",
      delivery_agent: "日本郵便",
    })
  })

  it("answers body-level 409 for other statuses and 404 for unknown orders", async () => {
    const { access_token } = sandbox.issueTokens()
    for (const status of ["cancel", "gift_message_send", "cvs"]) {
      const order = sandbox.orders.find((o) => o.status === status)!
      const before = JSON.stringify(order)
      const res = await deliver(access_token, order.id, {
        delivery_code: "1",
        delivery_agent: "ヤマト運輸",
      })
      expect(res.status).toBe(200)
      expect(res.data).toEqual({
        code: 409,
        reason: `order status is ${status}: shipment cannot be registered`,
      })
      expect(JSON.stringify(sandbox.getOrder(order.id))).toBe(before)
    }
    const unknown = await deliver(access_token, "4999999999", {
      delivery_code: "1",
      delivery_agent: "ヤマト運輸",
    })
    expect(unknown.status).toBe(200)
    expect(unknown.data).toEqual({ code: 404, reason: "order not found" })
  })

  it("requires both fields and a valid token", async () => {
    const { access_token } = sandbox.issueTokens()
    const order = payment()
    const noCode = await deliver(access_token, order.id, {
      delivery_agent: "ヤマト運輸",
    })
    expect(noCode.data).toEqual({
      code: 400,
      reason: "delivery_code is required",
    })
    const noAgent = await deliver(access_token, order.id, {
      delivery_code: "123",
    })
    expect(noAgent.data).toEqual({
      code: 400,
      reason: "delivery_agent is required",
    })
    const noToken = await deliver("nope", order.id, {
      delivery_code: "1",
      delivery_agent: "x",
    })
    expect(noToken.status).toBe(401)
    expect(sandbox.getOrder(order.id)!.status).toBe("payment")
  })
})

describe("items (shop admin host)", () => {
  it("lists items and returns one item, with the token as Bearer or query", async () => {
    const { access_token } = sandbox.issueTokens()
    const list = await api.get(`${base}/api/v1/shops/123/items`, {
      params: { page: 1, per_page: 100 },
      headers: { Authorization: `Bearer ${access_token}` },
    })
    expect(list.status).toBe(200)
    expect(list.data.total_count).toBe(CATALOGUE.length)
    expect(list.data.items).toHaveLength(CATALOGUE.length)
    expect(list.data.items[0]).toEqual({
      id: "300101",
      code: "LG-SWEETS-01",
      name: "抹茶バウムクーヘン",
      status: "sale",
    })

    const one = await api.get(`${base}/api/v1/shops/any-shop/items/300103`, {
      params: { access_token },
    })
    expect(one.status).toBe(200)
    expect(one.data.code).toBe(200)
    expect(one.data.item).toEqual(
      expect.objectContaining({
        id: "300103",
        code: "LG-TOWEL-03",
        status: "sale",
        price: 3850,
      })
    )
    expect(
      one.data.item.variations.map((v: { code: string }) => v.code)
    ).toEqual(["LG-TOWEL-03-WH", "LG-TOWEL-03-BL", "LG-TOWEL-03-PK"])
    for (const v of one.data.item.variations) {
      expect(v).toEqual({
        code: expect.any(String),
        name_main: expect.any(String),
        name_sub: expect.any(String),
        stock_count: expect.any(Number),
        status: "sale",
      })
    }

    const unknown = await api.get(`${base}/api/v1/shops/1/items/999`, {
      params: { access_token },
    })
    expect(unknown.status).toBe(200)
    expect(unknown.data).toEqual({ code: 404, reason: "item not found" })
    const none = await api.get(`${base}/api/v1/shops/1/items`)
    expect(none.status).toBe(401)
    const wrongBearer = await api.get(`${base}/api/v1/shops/1/items`, {
      headers: { Authorization: "Bearer nope" },
    })
    expect(wrongBearer.status).toBe(401)
  })
})

describe("faults", () => {
  it("bodyError answers HTTP 200 with the code, `count` times, only on its target", async () => {
    const { access_token } = sandbox.issueTokens()
    sandbox.setFaults({
      bodyError: { count: 2, code: 503, reason: "maintenance", on: "orders" },
    })
    const order = sandbox.orders.find((o) => o.status === "payment")!
    const delivery = await deliver(access_token, order.id, {
      delivery_code: "1",
      delivery_agent: "ヤマト運輸",
    })
    expect(delivery.data).toEqual({ code: 200 })
    for (let i = 0; i < 2; i++) {
      const res = await search(access_token)
      expect(res.status).toBe(200)
      expect(res.data).toEqual({ code: 503, reason: "maintenance" })
    }
    const after = await search(access_token)
    expect(after.data.orders).toHaveLength(100)
  })

  it("bodyError on delivery does not process the call", async () => {
    const { access_token } = sandbox.issueTokens()
    const order = sandbox.orders.find((o) => o.status === "payment")!
    sandbox.setFaults({ bodyError: { count: 1, code: 401, on: "delivery" } })
    const res = await deliver(access_token, order.id, {
      delivery_code: "1",
      delivery_agent: "ヤマト運輸",
    })
    expect(res.data.code).toBe(401)
    expect(sandbox.getOrder(order.id)!.status).toBe("payment")
  })

  it("httpError answers that status with a JSON body, then disarms", async () => {
    const { access_token } = sandbox.issueTokens()
    sandbox.setFaults({ httpError: { count: 1, status: 502 } })
    const res = await search(access_token)
    expect(res.status).toBe(502)
    expect(res.data.code).toBe(502)
    expect((await search(access_token)).status).toBe(200)
  })

  it("rateLimit answers 429 with Retry-After", async () => {
    const { access_token, refresh_token } = sandbox.issueTokens()
    sandbox.setFaults({
      rateLimit: { count: 1, retryAfterSec: 7, on: "token" },
    })
    expect((await search(access_token)).status).toBe(200)
    const res = await api.post(
      `${base}/api/v1/oauth2/token/refresh`,
      form({ grant_type: "refresh_token", ...CLIENT, refresh_token })
    )
    expect(res.status).toBe(429)
    expect(res.headers["retry-after"]).toBe("7")
    // the rate-limited refresh did not consume the refresh token
    const ok = await api.post(
      `${base}/api/v1/oauth2/token/refresh`,
      form({ grant_type: "refresh_token", ...CLIENT, refresh_token })
    )
    expect(ok.status).toBe(200)
  })

  it("truncatedJson cuts the JSON body in half", async () => {
    const { access_token } = sandbox.issueTokens()
    const full = await api.get(`${base}/shop/api/1/order/search`, {
      params: { access_token },
      responseType: "text",
      transformResponse: (d) => d,
    })
    sandbox.setFaults({ truncatedJson: { count: 1 } })
    const cut = await api.get(`${base}/shop/api/1/order/search`, {
      params: { access_token },
      responseType: "text",
      transformResponse: (d) => d,
    })
    expect(cut.status).toBe(200)
    expect(() => JSON.parse(cut.data)).toThrow()
    expect(cut.data.length).toBe(Math.floor(full.data.length / 2))
    expect(full.data.startsWith(cut.data)).toBe(true)
    expect((await search(access_token)).data.orders).toHaveLength(100)
  })

  it("delayMs slows matching calls only", async () => {
    const { access_token } = sandbox.issueTokens()
    sandbox.setFaults({ delayMs: 200, delayOn: "orders" })
    const timedOut = api.get(`${base}/shop/api/1/order/search`, {
      params: { access_token },
      timeout: 50,
    })
    await expect(timedOut).rejects.toMatchObject({ code: "ECONNABORTED" })
    const t0 = Date.now()
    expect((await search(access_token)).status).toBe(200)
    expect(Date.now() - t0).toBeGreaterThanOrEqual(180)
    const t1 = Date.now()
    expect(
      (
        await api.get(`${base}/api/v1/shops/1/items`, {
          params: { access_token },
        })
      ).status
    ).toBe(200)
    expect(Date.now() - t1).toBeLessThan(150)
  })

  it("malformedOrders adds three broken orders to page 1", async () => {
    const { access_token } = sandbox.issueTokens()
    sandbox.setFaults({ malformedOrders: true })
    const res = await search(access_token)
    expect(res.data.paging.total_entries).toBe(303)
    const orders = res.data.orders as Array<Record<string, unknown>>
    expect(orders.filter((o) => o.id === undefined)).toHaveLength(1)
    expect(orders.find((o) => o.id === "MALFORMED-PRICE")!.selling_price).toBe(
      "abc"
    )
    expect(orders.find((o) => o.id === "MALFORMED-STATUS")!.status).toBe(
      "shipped_somehow"
    )
    expect(orders.find((o) => o.id === undefined)!.status).toBe("payment")
    expect(orders.find((o) => o.id === undefined)!.bought_on).toBe(
      Math.floor(NOW / 1000)
    )
    const page2 = await search(access_token, { page: 2 })
    expect(
      page2.data.orders.some(
        (o: Record<string, unknown>) =>
          String(o.id).startsWith("MALFORMED") || o.id === undefined
      )
    ).toBe(false)
  })

  it("stringPaging sends paging numbers as strings", async () => {
    const { access_token } = sandbox.issueTokens()
    sandbox.setFaults({ stringPaging: true })
    const res = await search(access_token)
    expect(res.data.paging).toEqual({ total_pages: "3", total_entries: "300" })
  })

  it("outage destroys the socket without an answer; control still works", async () => {
    const { access_token } = sandbox.issueTokens()
    sandbox.setFaults({ outage: true })
    const err = await search(access_token).then(
      () => undefined,
      (e) => e
    )
    expect(err).toBeDefined()
    expect(err.response).toBeUndefined()
    expect(["ECONNRESET", "EPIPE", "ERR_BAD_RESPONSE"]).toContain(err.code)
    const calls = await api.get(`${base}/__sandbox/calls`)
    expect(calls.status).toBe(200)
    expect(
      calls.data.find((c: { kind: string }) => c.kind === "order_search").status
    ).toBe(0)
    const page = await api.get(
      `${base}/oauth2/authorize?response_type=code&client_id=${CLIENT.client_id}&redirect_uri=${REDIRECT}`
    )
    expect(page.status).toBe(200)
    sandbox.clearFaults()
    expect((await search(access_token)).status).toBe(200)
  })

  it("expireAccessTokens makes every issued access token 401; new ones work", async () => {
    const a = sandbox.issueTokens()
    const b = sandbox.issueTokens()
    sandbox.expireAccessTokens()
    expect((await search(a.access_token)).status).toBe(401)
    expect((await search(b.access_token)).status).toBe(401)
    expect((await search(sandbox.issueTokens().access_token)).status).toBe(200)
  })

  it("expiredAsBodyError answers an expired token with HTTP 200 {code:401}", async () => {
    const a = sandbox.issueTokens()
    sandbox.expireAccessTokens()
    sandbox.setFaults({ expiredAsBodyError: true })
    const res = await search(a.access_token)
    expect(res.status).toBe(200)
    expect(res.data).toEqual({ code: 401, reason: "invalid access_token" })
    const items = await api.get(`${base}/api/v1/shops/1/items`, {
      headers: { Authorization: `Bearer ${a.access_token}` },
    })
    expect(items.status).toBe(200)
    expect(items.data.code).toBe(401)
  })

  it("never hits control endpoints; setFaults validates and merges", async () => {
    sandbox.setFaults({ httpError: { count: 5, status: 500 } })
    expect(
      (await api.get(`${base}/__sandbox/orders/${sandbox.orders[0].id}`)).status
    ).toBe(200)
    expect(() =>
      sandbox.setFaults({ httpError: { count: 1, status: 200 } })
    ).toThrow()
    expect(() =>
      sandbox.setFaults({ delayOn: "everything" as never })
    ).toThrow()
    sandbox.setFaults({ stringPaging: true })
    const faults = (await api.get(`${base}/__sandbox/faults`)).data
    expect(faults).toEqual({
      httpError: { count: 5, status: 500 },
      stringPaging: true,
    })
  })
})

describe("control API", () => {
  it("reads, clears and filters through /__sandbox endpoints", async () => {
    const ctl = `${base}/__sandbox`
    // faults merge
    expect(
      (await api.post(`${ctl}/faults`, { stringPaging: true })).status
    ).toBe(200)
    const merged = await api.post(`${ctl}/faults`, {
      bodyError: { count: 1, code: 500 },
    })
    expect(merged.data).toEqual({
      stringPaging: true,
      bodyError: { count: 1, code: 500 },
    })
    expect((await api.post(`${ctl}/faults`, { bogus: 1 })).status).toBe(400)
    expect((await api.delete(`${ctl}/faults`)).data).toEqual({})

    // tokens + expiry
    const pair = (await api.post(`${ctl}/tokens`)).data
    expect(pair).toEqual({
      access_token: expect.any(String),
      refresh_token: expect.any(String),
    })
    expect((await search(pair.access_token)).status).toBe(200)
    expect((await api.post(`${ctl}/expire-access-tokens`)).status).toBe(200)
    expect((await search(pair.access_token)).status).toBe(401)

    // orders
    const all = await api.get(`${ctl}/orders`)
    expect(all.data).toHaveLength(300)
    const created = await api.post(`${ctl}/orders`, {
      user_name: "テスト追加",
      stock_count: 2,
    })
    expect(created.status).toBe(200)
    expect(created.data).toEqual(
      expect.objectContaining({
        status: "payment",
        user_name: "テスト追加",
        stock_count: 2,
        bought_on: Math.floor(NOW / 1000),
      })
    )
    expect(created.data.address.last_name).toEqual(expect.any(String))
    expect(Number(created.data.id)).toBeGreaterThanOrEqual(5000000301)
    expect((await api.get(`${ctl}/orders/${created.data.id}`)).data).toEqual(
      created.data
    )
    const patched = await api.patch(`${ctl}/orders/${created.data.id}`, {
      status: "cancel",
    })
    expect(patched.data.status).toBe("cancel")
    expect(sandbox.getOrder(created.data.id)!.status).toBe("cancel")
    expect((await api.get(`${ctl}/orders/1`)).status).toBe(404)
    expect((await api.patch(`${ctl}/orders/1`, { status: "x" })).status).toBe(
      404
    )
    expect(
      (await api.post(`${ctl}/orders`, { id: created.data.id })).status
    ).toBe(400)

    // calls log
    const calls = (await api.get(`${ctl}/calls`)).data
    expect(calls.at(-1)).toEqual(
      expect.objectContaining({
        method: "GET",
        path: "/__sandbox/calls",
        kind: "control",
        status: 200,
      })
    )
    expect(
      calls
        .filter((c: { kind: string }) => c.kind === "order_search")
        .map((c: { status: number }) => c.status)
    ).toEqual([200, 401])
    expect((await api.delete(`${ctl}/calls`)).status).toBe(200)
    expect(sandbox.calls).toHaveLength(0)

    // reset
    sandbox.setFaults({ outage: true })
    expect((await api.post(`${ctl}/reset`)).status).toBe(200)
    expect(sandbox.orders).toHaveLength(300)
    expect(sandbox.getOrder(created.data.id)).toBeUndefined()
    expect((await search(pair.access_token)).status).toBe(401)
    expect((await api.get(`${ctl}/faults`)).data).toEqual({})
    expect((await api.get(`${ctl}/nothing`)).status).toBe(404)
  })

  it("updateOrder and addOrder work programmatically", () => {
    expect(() => sandbox.updateOrder("nope", { status: "cancel" })).toThrow()
    const o = sandbox.addOrder({ status: "gift_message_send" })
    expect(o.address).not.toHaveProperty("first_name")
    expect(o.payed_on).toEqual(expect.any(Number))
    const updated = sandbox.updateOrder(o.id, {
      status: "payment",
      user_name: undefined,
    })
    expect(updated).toBe(sandbox.getOrder(o.id))
    expect(updated.status).toBe("payment")
    expect(updated).not.toHaveProperty("user_name")
    expect(() => sandbox.addOrder({ id: o.id })).toThrow()
  })
})

describe("call log", () => {
  it("records method, path, query, parsed body, kind and status of every call", async () => {
    const { access_token, refresh_token } = sandbox.issueTokens()
    sandbox.clearCalls()
    await search(access_token, { page: 2 })
    await search(undefined)
    // the refresh kills `access_token`: the calls below use the new one
    const fresh = (
      await api.post(
        `${base}/api/v1/oauth2/token/refresh`,
        form({ grant_type: "refresh_token", ...CLIENT, refresh_token })
      )
    ).data.access_token
    await api.post(`${base}/api/v1/oauth2/token`, {
      grant_type: "authorization_code",
      code: "x",
      redirect_uri: REDIRECT,
      ...CLIENT,
    })
    await deliver(fresh, "4999999999", {
      delivery_code: "1",
      delivery_agent: "佐川急便",
    })
    await api.get(`${base}/api/v1/shops/1/items`, {
      params: { access_token: fresh },
    })
    await api.get(`${base}/api/v1/shops/1/items/300101`, {
      headers: { Authorization: `Bearer ${fresh}` },
    })
    await api.get(
      `${base}/oauth2/authorize?response_type=code&client_id=x&redirect_uri=${REDIRECT}`
    )
    await api.get(`${base}/no/such/path`)
    const calls = sandbox.calls
    expect(calls.map((c) => [c.kind, c.status])).toEqual([
      ["order_search", 200],
      ["order_search", 401],
      ["refresh", 200],
      ["token", 400],
      ["delivery", 200],
      ["items", 200],
      ["item", 200],
      ["authorize", 400],
      ["unknown", 404],
    ])
    expect(calls[0]).toEqual({
      method: "GET",
      path: "/shop/api/1/order/search",
      query: { access_token, page: "2" },
      body: null,
      status: 200,
      kind: "order_search",
      at: NOW,
    })
    expect(calls[2].body).toEqual({
      grant_type: "refresh_token",
      ...CLIENT,
      refresh_token,
    })
    expect(calls[4].body).toEqual({
      delivery_code: "1",
      delivery_agent: "佐川急便",
    })
    expect(calls[8].path).toBe("/no/such/path")
  })
})

describe("state file", () => {
  it("keeps tokens and shipped orders across a restart, and ignores a file of another seed", async () => {
    const os = await import("node:os")
    const fs = await import("node:fs")
    const path = await import("node:path")
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lg-sandbox-"))
    const stateFile = path.join(dir, "state.json")
    try {
      const first = createSandbox({ now: () => NOW, stateFile })
      const url1 = await first.listen()
      const { data: pair } = await api.post(`${url1}/__sandbox/tokens`)
      const ready = first.orders.find((o) => o.status === "payment")!
      const shipped = await api.post(
        `${url1}/shop/api/1/order/${ready.id}/delivery`,
        { delivery_code: "123456789012", delivery_agent: "ヤマト運輸" },
        { params: { access_token: pair.access_token } }
      )
      expect(shipped.data).toEqual({ code: 200 })
      await first.close()

      const second = createSandbox({ now: () => NOW, stateFile })
      const url2 = await second.listen()
      const page = await api.get(`${url2}/shop/api/1/order/search`, {
        params: { access_token: pair.access_token },
      })
      expect(page.status).toBe(200)
      expect(second.getOrder(ready.id)).toMatchObject({
        status: "received",
        delivery_code: "123456789012",
        delivery_agent: "ヤマト運輸",
      })
      await second.close()

      const otherSeed = createSandbox({ now: () => NOW, stateFile, seed: 1 })
      expect(otherSeed.getOrder(ready.id)?.delivery_code).not.toBe(
        "123456789012"
      )
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe("other shapes (issue 11: the connection check's counterparts)", () => {
  const payment = () => sandbox.orders.find((o) => o.status === "payment")!

  it("serves a moved order search at its new path; the documented one answers HTTP 404", async () => {
    const { access_token } = sandbox.issueTokens()
    sandbox.setShapes({
      movedPaths: { order_search: "/shop/api/2/order/search" },
    })
    expect((await search(access_token, { per_page: 1 })).status).toBe(404)
    const moved = await api.get(`${base}/shop/api/2/order/search`, {
      params: { access_token, per_page: 1 },
    })
    expect(moved.status).toBe(200)
    expect(moved.data.orders).toHaveLength(1)
    expect(sandbox.calls.at(-1)!.kind).toBe("order_search")
  })

  it("moves a path with placeholders (delivery)", async () => {
    const { access_token } = sandbox.issueTokens()
    sandbox.setShapes({
      movedPaths: { delivery: "/shop/api/2/orders/{id}/ship" },
    })
    const order = payment()
    const res = await api.post(
      `${base}/shop/api/2/orders/${order.id}/ship`,
      form({ delivery_code: "1", delivery_agent: "x" }),
      {
        params: { access_token },
      }
    )
    expect(res.data).toEqual({ code: 200 })
    expect(sandbox.getOrder(order.id)!.status).toBe("received")
  })

  it("a JSON-only shipment call answers 400 to a form body and ships with a JSON one", async () => {
    const { access_token } = sandbox.issueTokens()
    sandbox.setShapes({ deliveryBody: "json" })
    const order = payment()
    const refused = await deliver(
      access_token,
      order.id,
      form({ delivery_code: "1", delivery_agent: "x" })
    )
    expect(refused.status).toBe(400)
    expect(refused.data.reason).toMatch(/application\/json/)
    expect(sandbox.getOrder(order.id)!.status).toBe("payment")
    const ok = await deliver(access_token, order.id, {
      delivery_code: "1",
      delivery_agent: "x",
    })
    expect(ok.data).toEqual({ code: 200 })
  })

  it("revokes earlier grants on a code exchange when asked", async () => {
    const old = sandbox.issueTokens()
    sandbox.setShapes({ revokeOnReauthorize: true })
    const page = await api.get(`${base}/oauth2/authorize`, {
      params: {
        response_type: "code",
        client_id: CLIENT.client_id,
        redirect_uri: REDIRECT,
        state: "s",
      },
    })
    expect(page.status).toBe(200)
    const approved = await api.post(
      `${base}/oauth2/authorize`,
      form({
        response_type: "code",
        client_id: CLIENT.client_id,
        redirect_uri: REDIRECT,
        state: "s",
        decision: "approve",
      })
    )
    const code = new URL(approved.headers.location).searchParams.get("code")!
    const exchanged = await api.post(
      `${base}/api/v1/oauth2/token`,
      form({
        grant_type: "authorization_code",
        code,
        redirect_uri: REDIRECT,
        ...CLIENT,
      })
    )
    expect(exchanged.status).toBe(200)
    expect((await search(old.access_token)).status).toBe(401)
    const refresh = await api.post(
      `${base}/api/v1/oauth2/token/refresh`,
      form({
        grant_type: "refresh_token",
        refresh_token: old.refresh_token,
        ...CLIENT,
      })
    )
    expect(refresh.data.reason).toMatch(/invalid_grant/)
    expect((await search(exchanged.data.access_token)).status).toBe(200)
  })

  it("sets shapes over the control API and refuses unknown ones; reset restores the documented shapes", async () => {
    expect(
      (
        await api.post(`${base}/__sandbox/shapes`, {
          movedPaths: { refresh: "/v2/refresh" },
        })
      ).status
    ).toBe(200)
    expect(
      (await api.post(`${base}/__sandbox/shapes`, { bogus: true })).status
    ).toBe(400)
    sandbox.reset()
    const { access_token } = sandbox.issueTokens()
    expect((await search(access_token)).status).toBe(200)
  })
})
