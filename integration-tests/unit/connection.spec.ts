/**
 * Pure parts of the connection work (issue 11): when the keep-alive refreshes, and the
 * connection check's verdicts (which call, which option to change).
 */
import {
  keepAliveDue,
  KEEP_ALIVE_MAX_AGE_MS,
} from "../../src/lib/token-keep-alive"
import { verdictOf } from "../../src/workflows/connection/check-connection"
import { LineGiftApiError } from "../../src/lib/line-gift"

const DAY = 86400_000
const T0 = Date.UTC(2026, 11, 1)
const at = (days: number) => new Date(T0 + days * DAY)

describe("keepAliveDue", () => {
  it("is due when never refreshed, and weekly at the latest", () => {
    expect(
      keepAliveDue({
        now: T0,
        refreshedAt: null,
        accessTokenExpiresAt: at(60),
        refreshTokenExpiresAt: at(90),
      }).reason
    ).toBe("never_refreshed")
    const base = {
      refreshedAt: at(0),
      accessTokenExpiresAt: at(60),
      refreshTokenExpiresAt: at(90),
    }
    expect(
      keepAliveDue({ ...base, now: T0 + KEEP_ALIVE_MAX_AGE_MS - 1 }).due
    ).toBe(false)
    expect(
      keepAliveDue({ ...base, now: T0 + KEEP_ALIVE_MAX_AGE_MS }).reason
    ).toBe("weekly")
  })

  it("is due before the weekly mark when a token has less than min(30 days, half its lifetime) left", () => {
    expect(
      keepAliveDue({
        now: T0 + 6 * DAY,
        refreshedAt: at(0),
        accessTokenExpiresAt: at(9),
        refreshTokenExpiresAt: at(90),
      }).reason
    ).toBe("access_expiring")
    expect(
      keepAliveDue({
        now: T0 + 6 * DAY,
        refreshedAt: at(0),
        accessTokenExpiresAt: at(60),
        refreshTokenExpiresAt: at(8),
      }).reason
    ).toBe("refresh_expiring")
    // A 100-day token: the margin is capped at 30 days.
    expect(
      keepAliveDue({
        now: T0 + 6 * DAY,
        refreshedAt: at(0),
        accessTokenExpiresAt: at(100),
        refreshTokenExpiresAt: at(100),
      }).due
    ).toBe(false)
  })

  it("honours short lifetimes from expires_in: refreshes at half-life, not on every tick", () => {
    // 10-day tokens: not due on day 4, due on day 5.5.
    const t = {
      refreshedAt: at(0),
      accessTokenExpiresAt: at(10),
      refreshTokenExpiresAt: at(10),
    }
    expect(keepAliveDue({ ...t, now: T0 + 4 * DAY }).due).toBe(false)
    expect(keepAliveDue({ ...t, now: T0 + 5.5 * DAY }).due).toBe(true)
  })
})

describe("connection check verdicts", () => {
  const err = (
    init: Partial<ConstructorParameters<typeof LineGiftApiError>[0]>
  ) =>
    new LineGiftApiError({
      kind: "server",
      endpoint: "x",
      message: "m",
      ...init,
    } as never)

  it("a path that answers HTTP 404 → the path option of that call", () => {
    expect(
      verdictOf(
        "order_search",
        null,
        err({ kind: "not_found", httpStatus: 404, code: 404 })
      )
    ).toMatchObject({
      ok: false,
      verdict: "path_not_found",
      option: "paths.orderSearch",
    })
    expect(
      verdictOf("refresh", null, err({ kind: "not_found", httpStatus: 404 }))
        .option
    ).toBe("paths.refresh")
  })

  it("invalid_grant → get a new refresh token; client rejected → client_id/secret", () => {
    expect(
      verdictOf(
        "refresh",
        null,
        err({ kind: "invalid_grant", httpStatus: 200, code: 400 })
      ).next_step
    ).toMatch(/new one/)
    expect(
      verdictOf("refresh", null, err({ kind: "auth", httpStatus: 401 })).verdict
    ).toBe("client_rejected")
  })

  it("shipment probe: a refused body → shipmentCall.encoding; 'order not found' in the body → accepted", () => {
    expect(
      verdictOf(
        "delivery",
        null,
        err({ kind: "bad_request", httpStatus: 400, code: 400 }),
        true
      )
    ).toMatchObject({
      verdict: "body_rejected",
      option: "shipmentCall.encoding",
    })
    expect(
      verdictOf(
        "delivery",
        null,
        err({ kind: "not_found", httpStatus: 200, code: 404 }),
        true
      )
    ).toMatchObject({
      ok: true,
      verdict: "probe_ok",
    })
  })

  it("network → the host option", () => {
    expect(
      verdictOf("order_search", null, err({ kind: "network" })).option
    ).toBe("ordersBaseUrl")
    expect(verdictOf("items", null, err({ kind: "network" })).option).toBe(
      "shopBaseUrl"
    )
  })
})
