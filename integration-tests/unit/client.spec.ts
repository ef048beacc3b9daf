/**
 * The LINE Gift client against the local sandbox (real HTTP on loopback, no mocks).
 * Every test also checks, after it ran, that no logged line and no error carries a token,
 * an authorization code or the client secret.
 */
import {
  CATALOGUE,
  createSandbox,
  SANDBOX_DEFAULT_CLIENT,
  type Sandbox,
} from "../../sandbox"
import {
  DEFAULT_ACCESS_TOKEN_TTL_SEC,
  DEFAULT_REFRESH_TOKEN_TTL_SEC,
  isLineGiftApiError,
  LineGiftApiError,
  LineGiftClient,
  LineGiftHttpOptions,
  LineGiftLogger,
  LineGiftOrderPage,
  LineGiftTokenStore,
  parseLineGiftOrder,
  resolveLineGiftEndpoints,
  TokenSet,
} from "../../src/lib/line-gift"

const DAY_MS = 24 * 3600 * 1000
const CLIENT_SECRET = SANDBOX_DEFAULT_CLIENT.clientSecret

/** In-memory token store with the contract's lock + re-read semantics. */
class MemoryTokenStore implements LineGiftTokenStore {
  accessToken: string | null
  refreshToken: string | null
  refreshes = 0
  saved: TokenSet[] = []
  private lock: Promise<unknown> = Promise.resolve()

  constructor(pair: {
    access_token: string | null
    refresh_token: string | null
  }) {
    this.accessToken = pair.access_token
    this.refreshToken = pair.refresh_token
  }

  async getAccessToken() {
    return this.accessToken
  }

  refreshAccessToken(
    stale: string | null,
    doRefresh: (rt: string) => Promise<TokenSet>
  ) {
    const task = this.lock.then(async () => {
      // re-read under the lock: someone refreshed meanwhile → use theirs
      if (this.accessToken && this.accessToken !== stale)
        return this.accessToken
      this.refreshes += 1
      const set = await doRefresh(this.refreshToken ?? "")
      this.saved.push(set)
      this.accessToken = set.accessToken
      if (set.refreshToken) this.refreshToken = set.refreshToken
      return set.accessToken
    })
    this.lock = task.catch(() => undefined)
    return task
  }
}

/** A store WITHOUT lock/re-read (what the contract forbids), to show the rotation test can fail. */
class NaiveTokenStore extends MemoryTokenStore {
  refreshAccessToken(
    _stale: string | null,
    doRefresh: (rt: string) => Promise<TokenSet>
  ) {
    const rt = this.refreshToken ?? ""
    return doRefresh(rt).then((set) => {
      this.accessToken = set.accessToken
      if (set.refreshToken) this.refreshToken = set.refreshToken
      return set.accessToken
    })
  }
}

let sb: Sandbox
let url: string
let logLines: string[] = []
let thrown: unknown[] = []
let secrets = new Set<string>()

const logger: LineGiftLogger = {
  debug: (m) => logLines.push(`debug ${m}`),
  info: (m) => logLines.push(`info ${m}`),
  warn: (m) => logLines.push(`warn ${m}`),
  error: (m) => logLines.push(`error ${m}`),
}

function tokens() {
  const pair = sb.issueTokens()
  secrets.add(pair.access_token).add(pair.refresh_token)
  return pair
}

function makeClient(
  opts: {
    store?: LineGiftTokenStore | null
    http?: LineGiftHttpOptions
    now?: () => number
    clientSecret?: string
  } = {}
) {
  return new LineGiftClient({
    endpoints: resolveLineGiftEndpoints({ baseUrl: url }),
    clientId: SANDBOX_DEFAULT_CLIENT.clientId,
    clientSecret: opts.clientSecret ?? CLIENT_SECRET,
    tokenStore:
      opts.store === null
        ? undefined
        : (opts.store ?? new MemoryTokenStore(tokens())),
    http: {
      baseDelayMs: 10,
      maxDelayMs: 40,
      pageDelayMs: 0,
      timeoutMs: 3000,
      ...opts.http,
    },
    logger,
    now: opts.now,
  })
}

/** Awaits a call that must fail; returns the LineGiftApiError. */
async function failure(p: Promise<unknown>): Promise<LineGiftApiError> {
  try {
    await p
  } catch (e) {
    thrown.push(e)
    expect(isLineGiftApiError(e)).toBe(true)
    return e as LineGiftApiError
  }
  throw new Error("expected the call to fail, it succeeded")
}

const callsOf = (kind: string) => sb.calls.filter((c) => c.kind === kind)

function ordersWithin90Days(): string[] {
  const from = Math.floor(Date.now() / 1000) - 90 * 24 * 3600
  return sb.orders
    .filter(
      (o) => typeof o.bought_on !== "number" || (o.bought_on as number) >= from
    )
    .map((o) => o.id)
}

async function collect(
  client: LineGiftClient,
  args?: { perPage?: number; maxPages?: number }
) {
  const pages: LineGiftOrderPage[] = []
  for await (const page of client.iterateOrderPages(args)) pages.push(page)
  return pages
}

beforeAll(async () => {
  sb = createSandbox()
  url = await sb.listen(0)
})

afterAll(async () => {
  await sb.close()
})

beforeEach(() => {
  sb.reset()
  logLines = []
  thrown = []
  secrets = new Set([CLIENT_SECRET])
})

afterEach(() => {
  // Every token that went over the wire, plus the secret, must be absent from logs and errors.
  for (const c of sb.calls) {
    for (const v of [
      c.query.access_token,
      c.body?.refresh_token,
      c.body?.code,
      c.body?.client_secret,
    ]) {
      if (typeof v === "string" && v) secrets.add(v)
    }
  }
  const texts = [
    ...logLines,
    ...thrown.flatMap((e) => [
      String((e as Error).message),
      String((e as Error).stack),
      JSON.stringify(e),
    ]),
  ]
  for (const text of texts) {
    for (const secret of secrets) {
      if (text.includes(secret)) {
        throw new Error(
          `a secret leaked into a log line or error: ${text.slice(0, 120)}`
        )
      }
    }
  }
  for (const e of thrown) {
    expect((e as { config?: unknown }).config).toBeUndefined()
    expect((e as { cause?: unknown }).cause).toBeUndefined()
  }
})

describe("order search and paging", () => {
  it("reads every page: as many orders as the sandbox has within 90 days", async () => {
    const client = makeClient()
    const expected = ordersWithin90Days()
    expect(expected.length).toBeGreaterThan(100)
    const pages = await collect(client, { perPage: 50 })
    const ids = pages.flatMap((p) =>
      p.orders.map((o) => (o as { id: string }).id)
    )
    expect(ids.length).toBe(expected.length)
    expect(new Set(ids)).toEqual(new Set(expected))
    expect(pages.length).toBe(Math.ceil(expected.length / 50))
    expect(pages.map((p) => p.page)).toEqual(pages.map((_, i) => i + 1))
    expect(pages[0].totalPages).toBe(pages.length)
    expect(pages[0].totalEntries).toBe(expected.length)
    const searches = callsOf("order_search")
    expect(searches.length).toBe(pages.length)
    expect(
      searches.every((c) => c.query.per_page === "50" && c.status === 200)
    ).toBe(true)
    expect(
      logLines.some((l) =>
        l.startsWith("debug LINE Gift order_search: HTTP 200")
      )
    ).toBe(true)
  })

  it("accepts paging numbers sent as strings", async () => {
    sb.setFaults({ stringPaging: true })
    const client = makeClient()
    const first = await client.searchOrders({ page: 1 })
    expect(typeof first.totalPages).toBe("number")
    expect(first.totalPages).toBe(Math.ceil(ordersWithin90Days().length / 100))
    expect(first.totalEntries).toBe(ordersWithin90Days().length)
    const pages = await collect(client)
    expect(pages.flatMap((p) => p.orders).length).toBe(
      ordersWithin90Days().length
    )
  })

  it("caps per_page at 100", async () => {
    const client = makeClient()
    const page = await client.searchOrders({ page: 1, perPage: 500 })
    expect(callsOf("order_search")[0].query.per_page).toBe("100")
    expect(page.orders.length).toBe(100)
  })

  it("waits pageDelayMs between pages and honours maxPages", async () => {
    const client = makeClient({ http: { pageDelayMs: 150 } })
    const pages = await collect(client, { maxPages: 2 })
    expect(pages.length).toBe(2)
    const [a, b] = callsOf("order_search")
    expect(b.at - a.at).toBeGreaterThanOrEqual(140)
  })

  it("stops at an empty page even if total_pages says more", async () => {
    const client = makeClient()
    const spy = jest.spyOn(client, "searchOrders")
    spy.mockResolvedValueOnce({
      orders: [{ id: "1" }],
      page: 1,
      totalPages: 5,
      totalEntries: 5,
    })
    spy.mockResolvedValueOnce({
      orders: [],
      page: 2,
      totalPages: 5,
      totalEntries: 5,
    })
    const pages = await collect(client)
    expect(pages.length).toBe(2)
    expect(spy).toHaveBeenCalledTimes(2)
  })

  it("keeps malformed orders as unknown so the caller can skip them one by one", async () => {
    sb.setFaults({ malformedOrders: true })
    const page = await makeClient().searchOrders({ page: 1 })
    const parsed = page.orders.map(parseLineGiftOrder)
    // No id and price "abc" are refused; an unknown status is not malformed (issue 9 item 2).
    const bad = parsed.filter((p) => !p.ok)
    expect(bad.length).toBe(2)
    expect(parsed.filter((p) => p.ok).length).toBe(page.orders.length - 2)
  })

  it("rejects a page below 1 without calling LINE Gift", async () => {
    await expect(makeClient().searchOrders({ page: 0 })).rejects.toThrow(
      RangeError
    )
    expect(callsOf("order_search").length).toBe(0)
  })
})

describe("body-level errors in HTTP 200", () => {
  it("does not retry code 404", async () => {
    sb.setFaults({
      bodyError: { count: 5, code: 404, reason: "no such shop", on: "orders" },
    })
    const err = await failure(makeClient().searchOrders({ page: 1 }))
    expect(err.kind).toBe("not_found")
    expect(err.httpStatus).toBe(200)
    expect(err.code).toBe(404)
    expect(err.reason).toBe("no such shop")
    expect(err.retryable).toBe(false)
    expect(err.endpoint).toBe("order_search")
    expect(err.message).toContain("LINE Gift order_search failed")
    expect(callsOf("order_search").length).toBe(1)
  })

  it("does not retry code 409", async () => {
    sb.setFaults({ bodyError: { count: 5, code: 409, on: "orders" } })
    const err = await failure(makeClient().searchOrders({ page: 1 }))
    expect(err.kind).toBe("conflict")
    expect(callsOf("order_search").length).toBe(1)
  })

  it("retries code 503 and then succeeds", async () => {
    sb.setFaults({ bodyError: { count: 2, code: 503, on: "orders" } })
    const page = await makeClient().searchOrders({ page: 1 })
    expect(page.orders.length).toBe(100)
    expect(callsOf("order_search").map((c) => c.status)).toEqual([
      200, 200, 200,
    ])
    expect(
      logLines.filter((l) =>
        l.startsWith("warn LINE Gift order_search: attempt")
      ).length
    ).toBe(2)
  })
})

describe("401 and token refresh", () => {
  it("refreshes exactly once on HTTP 401 and the call succeeds", async () => {
    const store = new MemoryTokenStore(tokens())
    const oldRefresh = store.refreshToken
    sb.expireAccessTokens()
    const page = await makeClient({ store }).searchOrders({ page: 1 })
    expect(page.orders.length).toBe(100)
    expect(callsOf("refresh").length).toBe(1)
    expect(callsOf("order_search").map((c) => c.status)).toEqual([401, 200])
    expect(store.refreshToken).not.toBe(oldRefresh) // rotated and persisted
    expect(store.saved[0].accessTokenExpiresAt.getTime()).toBeGreaterThan(
      Date.now() + 59 * DAY_MS
    )
    const refresh = callsOf("refresh")[0]
    expect(refresh.body).toMatchObject({
      grant_type: "refresh_token",
      client_id: SANDBOX_DEFAULT_CLIENT.clientId,
      refresh_token: oldRefresh,
    })
  })

  it("treats a body-level 401 in HTTP 200 the same way", async () => {
    sb.setFaults({ expiredAsBodyError: true })
    const store = new MemoryTokenStore(tokens())
    sb.expireAccessTokens()
    const page = await makeClient({ store }).searchOrders({ page: 1 })
    expect(page.orders.length).toBe(100)
    expect(callsOf("refresh").length).toBe(1)
    expect(callsOf("order_search").length).toBe(2)
  })

  it("rotation: two concurrent searches on an expired token cause ONE refresh and both succeed", async () => {
    const store = new MemoryTokenStore(tokens())
    const client = makeClient({ store })
    sb.expireAccessTokens()
    const [a, b] = await Promise.all([
      client.searchOrders({ page: 1 }),
      client.searchOrders({ page: 2 }),
    ])
    expect(a.orders.length).toBe(100)
    expect(b.orders.length).toBe(100)
    expect(callsOf("refresh").length).toBe(1)
    expect(store.refreshes).toBe(1)
  })

  it("(control) the same race with a store that does not re-read loses the shop", async () => {
    const store = new NaiveTokenStore(tokens())
    const client = makeClient({ store })
    sb.expireAccessTokens()
    const results = await Promise.allSettled([
      client.searchOrders({ page: 1 }),
      client.searchOrders({ page: 2 }),
    ])
    expect(callsOf("refresh").length).toBe(2)
    const rejected = results.filter(
      (r) => r.status === "rejected"
    ) as PromiseRejectedResult[]
    expect(rejected.length).toBe(1)
    thrown.push(rejected[0].reason)
    expect(rejected[0].reason.kind).toBe("invalid_grant")
  })

  it("throws invalid_grant when the stored refresh token is dead", async () => {
    const pair = tokens()
    const client = makeClient({ store: null })
    await client.refreshTokens(pair.refresh_token) // rotates: the stored pair is now dead
    const store = new MemoryTokenStore(pair)
    const err = await failure(makeClient({ store }).searchOrders({ page: 1 }))
    expect(err.kind).toBe("invalid_grant")
    expect(err.endpoint).toBe("refresh")
    expect(err.retryable).toBe(false)
    expect(err.message).toMatch(/re-authorise/)
    expect(err.message).toMatch(/single-use/)
    expect(callsOf("refresh").length).toBe(2)
  })

  it("refreshes before the call when the store has no access token", async () => {
    const pair = tokens()
    const store = new MemoryTokenStore({
      access_token: null,
      refresh_token: pair.refresh_token,
    })
    await makeClient({ store }).searchOrders({ page: 1 })
    expect(sb.calls.map((c) => c.kind)).toEqual(["refresh", "order_search"])
  })

  it("throws auth when the token is rejected again after the refresh (no loop)", async () => {
    const store: LineGiftTokenStore = {
      getAccessToken: async () => "bogus-access-token-1",
      refreshAccessToken: async () => "bogus-access-token-2",
    }
    secrets.add("bogus-access-token-1").add("bogus-access-token-2")
    const err = await failure(makeClient({ store }).searchOrders({ page: 1 }))
    expect(err.kind).toBe("auth")
    expect(err.message).toMatch(/again right after a token refresh/)
    expect(callsOf("order_search").length).toBe(2)
  })

  it("throws auth without a token store, without calling LINE Gift", async () => {
    const err = await failure(
      makeClient({ store: null }).searchOrders({ page: 1 })
    )
    expect(err.kind).toBe("auth")
    expect(sb.calls.length).toBe(0)
  })

  it("reports rejected client credentials as auth without echoing the secret", async () => {
    const wrong = "definitely-wrong-secret"
    secrets.add(wrong)
    const client = makeClient({ store: null, clientSecret: wrong })
    const err = await failure(client.refreshTokens(tokens().refresh_token))
    expect(err.kind).toBe("auth")
    expect(err.httpStatus).toBe(401)
    expect(err.message).toMatch(/client ID and client secret/)
  })

  it("computes expiry from expires_in", async () => {
    const now = Date.UTC(2026, 0, 1)
    const set = await makeClient({ store: null, now: () => now }).refreshTokens(
      tokens().refresh_token
    )
    expect(set.accessTokenExpiresAt.getTime()).toBe(now + 60 * DAY_MS)
    expect(set.refreshTokenExpiresAt?.getTime()).toBe(now + 90 * DAY_MS)
    secrets.add(set.accessToken).add(set.refreshToken!)
  })
})

describe("authorization-code flow (sandbox without expires_in)", () => {
  let sb2: Sandbox
  let url2: string
  beforeAll(async () => {
    sb2 = createSandbox({ autoApprove: true, includeExpiresIn: false })
    url2 = await sb2.listen(0)
  })
  afterAll(async () => {
    await sb2.close()
  })

  it("builds the authorize URL, exchanges the code once, applies default lifetimes", async () => {
    const now = Date.UTC(2026, 0, 1)
    const client = new LineGiftClient({
      endpoints: resolveLineGiftEndpoints({ baseUrl: url2 }),
      clientId: SANDBOX_DEFAULT_CLIENT.clientId,
      clientSecret: CLIENT_SECRET,
      http: { baseDelayMs: 10 },
      logger,
      now: () => now,
    })
    const redirectUri = "http://localhost:9000/app/line-gift/callback"
    const authorize = new URL(
      client.buildAuthorizeUrl({ redirectUri, state: "st-1" })
    )
    expect(authorize.pathname).toBe("/oauth2/authorize")
    expect(Object.fromEntries(authorize.searchParams)).toEqual({
      response_type: "code",
      client_id: SANDBOX_DEFAULT_CLIENT.clientId,
      redirect_uri: redirectUri,
      state: "st-1",
    })
    const res = await fetch(authorize, { redirect: "manual" })
    const back = new URL(res.headers.get("location")!)
    expect(back.searchParams.get("state")).toBe("st-1")
    const code = back.searchParams.get("code")!
    secrets.add(code)

    const set = await client.exchangeAuthorizationCode({ code, redirectUri })
    secrets.add(set.accessToken).add(set.refreshToken!)
    expect(set.accessTokenExpiresAt.getTime()).toBe(
      now + DEFAULT_ACCESS_TOKEN_TTL_SEC * 1000
    )
    expect(set.refreshTokenExpiresAt?.getTime()).toBe(
      now + DEFAULT_REFRESH_TOKEN_TTL_SEC * 1000
    )

    const again = await failure(
      client.exchangeAuthorizationCode({ code, redirectUri })
    )
    expect(again.kind).toBe("invalid_grant")
    expect(again.endpoint).toBe("token")
    expect(again.message).not.toContain(code)
  })
})

describe("rate limits, 5xx, timeouts, outages", () => {
  it("429 with Retry-After: 1 waits about a second, then succeeds", async () => {
    sb.setFaults({ rateLimit: { count: 1, retryAfterSec: 1, on: "orders" } })
    const page = await makeClient().searchOrders({ page: 1 })
    expect(page.orders.length).toBe(100)
    const [first, second] = callsOf("order_search")
    expect(first.status).toBe(429)
    expect(second.status).toBe(200)
    expect(second.at - first.at).toBeGreaterThanOrEqual(900)
  })

  it("gives up at once with rate_limited when Retry-After exceeds maxRetryAfterMs", async () => {
    sb.setFaults({ rateLimit: { count: 1, retryAfterSec: 120, on: "orders" } })
    const started = Date.now()
    const err = await failure(
      makeClient({ http: { maxRetryAfterMs: 5000 } }).searchOrders({ page: 1 })
    )
    expect(Date.now() - started).toBeLessThan(1000)
    expect(err.kind).toBe("rate_limited")
    expect(err.retryable).toBe(true)
    expect(err.retryAfterMs).toBe(120_000)
    expect(err.httpStatus).toBe(429)
    expect(err.message).toMatch(/120 s/)
    expect(callsOf("order_search").length).toBe(1)
  })

  it("rides out a 5xx burst shorter than maxRetries", async () => {
    sb.setFaults({ httpError: { count: 2, status: 503, on: "orders" } })
    const page = await makeClient({ http: { maxRetries: 3 } }).searchOrders({
      page: 1,
    })
    expect(page.orders.length).toBe(100)
    expect(callsOf("order_search").map((c) => c.status)).toEqual([
      503, 503, 200,
    ])
  })

  it("throws a retryable server error when the burst outlasts maxRetries", async () => {
    sb.setFaults({ httpError: { count: 10, status: 502, on: "orders" } })
    const err = await failure(
      makeClient({ http: { maxRetries: 2 } }).searchOrders({ page: 1 })
    )
    expect(err.kind).toBe("server")
    expect(err.retryable).toBe(true)
    expect(err.httpStatus).toBe(502)
    expect(err.attempts).toBe(3)
    expect(err.message).toMatch(
      /^LINE Gift order_search failed: .*502.* after 3 attempts/
    )
    expect(callsOf("order_search").length).toBe(3)
  })

  it("times out (per attempt) with kind timeout", async () => {
    sb.setFaults({ delayMs: 400, delayOn: "orders" })
    const err = await failure(
      makeClient({ http: { timeoutMs: 100, maxRetries: 1 } }).searchOrders({
        page: 1,
      })
    )
    expect(err.kind).toBe("timeout")
    expect(err.retryable).toBe(true)
    expect(err.httpStatus).toBeUndefined()
    expect(callsOf("order_search").length).toBe(2)
  })

  it("reports an outage as a retryable network error after the retries", async () => {
    sb.setFaults({ outage: true })
    const err = await failure(
      makeClient({ http: { maxRetries: 2 } }).searchOrders({ page: 1 })
    )
    expect(err.kind).toBe("network")
    expect(err.retryable).toBe(true)
    expect(err.attempts).toBe(3)
    expect(callsOf("order_search").length).toBe(3)
  })

  it("treats truncated JSON as bad_response and does not retry it", async () => {
    sb.setFaults({ truncatedJson: { count: 1, on: "orders" } })
    const err = await failure(makeClient().searchOrders({ page: 1 }))
    expect(err.kind).toBe("bad_response")
    expect(err.retryable).toBe(false)
    expect(err.message).toMatch(/not valid JSON/)
    expect(callsOf("order_search").length).toBe(1)
  })

  it("names the offending field when the envelope does not match", async () => {
    // the item list answers on the order-search path: no `orders`, no `paging`
    const client = new LineGiftClient({
      endpoints: resolveLineGiftEndpoints({
        baseUrl: url,
        paths: { orderSearch: "/api/v1/shops/1/items" },
      }),
      clientId: SANDBOX_DEFAULT_CLIENT.clientId,
      clientSecret: CLIENT_SECRET,
      tokenStore: new MemoryTokenStore(tokens()),
      logger,
    })
    const err = await failure(client.searchOrders({ page: 1 }))
    expect(err.kind).toBe("bad_response")
    expect(err.message).toMatch(/orders:/)
    expect(err.message).toMatch(/paging:/)
  })
})

describe("shipment update", () => {
  const payment = () => sb.orders.find((o) => o.status === "payment")!

  it("ships an order in payment (form body), and repeating is a no-op success", async () => {
    const client = makeClient()
    const order = payment()
    await client.updateDelivery(order.id, {
      deliveryCode: "1234-5678-9012",
      deliveryAgent: "ヤマト運輸",
    })
    const shipped = sb.getOrder(order.id)!
    expect(shipped.status).toBe("received")
    expect(shipped.delivery_code).toBe("1234-5678-9012")
    expect(shipped.delivery_agent).toBe("ヤマト運輸")
    const call = callsOf("delivery")[0]
    expect(call.method).toBe("POST")
    expect(call.body).toEqual({
      delivery_code: "1234-5678-9012",
      delivery_agent: "ヤマト運輸",
    })
    expect(call.query.access_token).toBeTruthy()
    await client.updateDelivery(order.id, {
      deliveryCode: "1234-5678-9012",
      deliveryAgent: "ヤマト運輸",
    })
    expect(callsOf("delivery").length).toBe(2)
  })

  it("reports 409 conflict for a cancelled order, without retrying", async () => {
    const order = sb.orders.find((o) => o.status === "cancel")!
    const err = await failure(
      makeClient().updateDelivery(order.id, {
        deliveryCode: "1",
        deliveryAgent: "佐川急便",
      })
    )
    expect(err.kind).toBe("conflict")
    expect(err.code).toBe(409)
    expect(err.httpStatus).toBe(200)
    expect(err.endpoint).toBe("delivery")
    expect(err.message).not.toContain("佐川急便")
    expect(callsOf("delivery").length).toBe(1)
    expect(sb.getOrder(order.id)!.status).toBe("cancel")
  })

  it("reports not_found for an unknown order", async () => {
    const err = await failure(
      makeClient().updateDelivery("9999999999", {
        deliveryCode: "1",
        deliveryAgent: "日本郵便",
      })
    )
    expect(err.kind).toBe("not_found")
    expect(callsOf("delivery")[0].path).toBe(
      "/shop/api/1/order/9999999999/delivery"
    )
  })

  it("never sends an id that could change the path (dots, slashes, encodings)", async () => {
    for (const id of [
      "..",
      "../..",
      "no/such order",
      "a.b",
      "%2e%2e",
      "1?x=1",
    ]) {
      await expect(
        makeClient().updateDelivery(id, {
          deliveryCode: "1",
          deliveryAgent: "日本郵便",
        })
      ).rejects.toThrow(RangeError)
    }
    expect(callsOf("delivery")).toEqual([])
    expect(sb.calls.filter((c) => c.kind === "unknown")).toEqual([])
  })
})

describe("shipment call options and the call transcript (issue 11 items 1, 6)", () => {
  const payment = () => sb.orders.find((o) => o.status === "payment")!
  const clientWith = (shipmentCall: object, onCall?: (c: any) => void) =>
    new LineGiftClient({
      endpoints: resolveLineGiftEndpoints({
        baseUrl: url,
        shipmentCall,
      } as never),
      clientId: SANDBOX_DEFAULT_CLIENT.clientId,
      clientSecret: CLIENT_SECRET,
      tokenStore: new MemoryTokenStore(tokens()),
      http: {
        baseDelayMs: 10,
        maxDelayMs: 40,
        pageDelayMs: 0,
        timeoutMs: 3000,
        maxRetries: 0,
      },
      logger,
      onCall,
    })

  it("sends JSON with the configured field names when the options say so", async () => {
    sb.setShapes({
      deliveryBody: "json",
      deliveryFields: { deliveryCode: "slip_no", deliveryAgent: "carrier" },
    })
    const order = payment()
    await clientWith({
      encoding: "json",
      fields: { deliveryCode: "slip_no", deliveryAgent: "carrier" },
    }).updateDelivery(order.id, {
      deliveryCode: "1234",
      deliveryAgent: "佐川急便",
    })
    expect(callsOf("delivery")[0].body).toEqual({
      slip_no: "1234",
      carrier: "佐川急便",
    })
    expect(sb.getOrder(order.id)!.delivery_code).toBe("1234")
  })

  it("a form body refused by a JSON-only LINE Gift: the error names shipmentCall.encoding", async () => {
    sb.setShapes({ deliveryBody: "json" })
    const err = await failure(
      clientWith({}).updateDelivery(payment().id, {
        deliveryCode: "1",
        deliveryAgent: "日本郵便",
      })
    )
    expect(err.kind).toBe("bad_request")
    expect(err.message).toContain('shipmentCall.encoding (now "form")')
  })

  it("tells onCall what was called and how it answered, without any secret or query string", async () => {
    const seen: any[] = []
    sb.setShapes({ movedPaths: { order_search: "/shop/api/2/order/search" } })
    const client = clientWith({}, (c) => seen.push(c))
    await failure(client.searchOrders({ page: 1, perPage: 1 }))
    await client.listItems("1001", { perPage: 1 })
    expect(
      seen.map((c) => [c.endpoint, c.method, c.path, c.httpStatus, c.errorKind])
    ).toEqual([
      ["order_search", "GET", "/shop/api/1/order/search", 404, "not_found"],
      ["items", "GET", "/api/v1/shops/1001/items", 200, null],
    ])
    expect(seen[1].parsed).toBe(true)
    expect(seen[1].topLevelKeys).toEqual(
      expect.arrayContaining(["items", "total_count"])
    )
    expect(seen[1].host).toBe(new URL(url).host)
    expect(typeof seen[1].durationMs).toBe("number")
    const text = JSON.stringify(seen)
    for (const secret of secrets) expect(text).not.toContain(secret)
    for (const c of sb.calls)
      if (c.query.access_token) expect(text).not.toContain(c.query.access_token)
  })
})

describe("items (shop admin host, Bearer)", () => {
  it("lists items with the token in the Authorization header, not the query", async () => {
    const { items, totalCount } = await makeClient().listItems("shop-1")
    expect(items.length).toBe(CATALOGUE.length)
    expect(totalCount).toBe(CATALOGUE.length)
    expect(items.every((i) => typeof i.id === "string")).toBe(true)
    const call = callsOf("items")[0]
    expect(call.status).toBe(200) // the sandbox only accepts ?access_token or Bearer
    expect(call.query.access_token).toBeUndefined()
    expect(call.query.per_page).toBe("100")
  })

  it("gets one item, and not_found for an unknown one", async () => {
    const client = makeClient()
    const item = await client.getItem("shop-1", CATALOGUE[0].id)
    expect(item.id).toBe(CATALOGUE[0].id)
    expect(item.variations?.length).toBe(CATALOGUE[0].variations.length)
    expect(callsOf("item")[0].query.access_token).toBeUndefined()
    const err = await failure(client.getItem("shop-1", "999999"))
    expect(err.kind).toBe("not_found")
  })

  it("refreshes on 401 for items too", async () => {
    const store = new MemoryTokenStore(tokens())
    sb.expireAccessTokens()
    await makeClient({ store }).listItems("shop-1")
    expect(callsOf("refresh").length).toBe(1)
    expect(callsOf("items").map((c) => c.status)).toEqual([401, 200])
  })
})
