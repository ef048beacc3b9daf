/**
 * Repairing a shop's connection from the admin, as a merchant making their first real
 * connection does it, against a real Medusa + PostgreSQL and the sandbox:
 * - a pasted code / refresh token LINE Gift refuses, and a refresh that fails, answer with
 *   LINE Gift's reason and the next step (not "An unknown error occurred.");
 * - a pasted refresh token that LINE Gift does not rotate is the one stored;
 * - a token answer whose lifetimes are not plausible seconds never loses the rotated pair and
 *   never shows an expiry a century away;
 * - a rotated pair whose first save fails is saved on a retry, not lost;
 * - the Redirect URI to register in the LINE Gift app is shown before the first authorisation;
 * - pasted values as chat apps, PDFs and address bars give them (invisible characters, quotes,
 *   the whole redirect address) are used cleaned; what cannot be a credential is refused
 *   naming the field, never echoing the value, before LINE Gift is called;
 * - a refusal of LINE Gift's names its standard OAuth error as the answer's reason `code`.
 */
import axios from "axios"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { adminHeaders } from "../helpers/admin"
import {
  sandboxForSuite,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
} from "../helpers/line-gift"
import { LINE_GIFT_MODULE } from "../../src/modules/line-gift"
import type LineGiftModuleService from "../../src/modules/line-gift/service"

jest.setTimeout(300_000)

const DAY = 86400_000
const sandbox = sandboxForSuite()

medusaIntegrationTestRunner({
  inApp: true,
  testSuite: ({ api, getContainer }) => {
    let headers: { headers: Record<string, string> }
    let shopId: string
    const service = () =>
      getContainer().resolve(LINE_GIFT_MODULE) as LineGiftModuleService
    const options = () =>
      service().getOptions() as { http?: Record<string, number> }
    const post = (path: string, body: Record<string, unknown>) =>
      api
        .post(`/admin/line-gift/shops/${shopId}${path}`, body, headers)
        .catch((e: { response: unknown }) => e.response)

    beforeAll(async () => {
      headers = await adminHeaders(getContainer(), api)
      const shop = await service().createShop({
        name: "修復テスト店",
        client_id: SANDBOX_CLIENT_ID,
        client_secret: SANDBOX_CLIENT_SECRET,
      })
      shopId = shop.id
    })

    beforeEach(async () => {
      sandbox.reset()
      options().http = {
        pageDelayMs: 0,
        timeoutMs: 2000,
        maxRetries: 0,
        baseDelayMs: 20,
        maxDelayMs: 50,
      }
      await service().updateShop(shopId, {
        client_secret: SANDBOX_CLIENT_SECRET,
      })
      const pair = sandbox.issueTokens()
      await service().saveTokens(shopId, {
        accessToken: pair.access_token,
        accessTokenExpiresAt: new Date(Date.now() + 30 * DAY),
        refreshToken: pair.refresh_token,
        refreshTokenExpiresAt: new Date(Date.now() + 90 * DAY),
      })
    })

    describe("errors of the token routes are LINE Gift's, with the next step", () => {
      it("a dead pasted code, a dead pasted refresh token, a refused refresh and a wrong client secret each answer 400 with what to do", async () => {
        const code = await post("/credentials", {
          authorization_code: "no-such-code",
        })
        expect(code.status).toBe(400)
        expect(code.data.message).toMatch(
          /authorization code was rejected \(invalid_grant\).*start the authorisation again/
        )

        const pasted = await post("/credentials", {
          refresh_token: "no-such-refresh-token",
        })
        expect(pasted.status).toBe(400)
        expect(pasted.data.message).toMatch(
          /refresh token was rejected \(invalid_grant\)/
        )
        // Nothing stored, nothing marked: the shop's own pair still works.
        expect(
          (await service().retrievePublicShop(shopId)).connection_state
        ).toBe("connected")

        await service().updateShop(shopId, { client_secret: "typo-secret" })
        const wrongSecret = await post("/token/refresh", {})
        expect(wrongSecret.status).toBe(400)
        expect(wrongSecret.data.message).toMatch(
          /check the client ID and client secret/
        )
        await service().updateShop(shopId, {
          client_secret: SANDBOX_CLIENT_SECRET,
        })

        sandbox.setFaults({
          bodyError: {
            count: 5,
            code: 400,
            reason: "invalid_grant: refresh_token revoked",
            on: "token",
          },
        })
        const refused = await post("/token/refresh", {})
        expect(refused.status).toBe(400)
        expect(refused.data.message).toMatch(/re-authorise/)
        expect(refused.data.message).not.toMatch(/unknown error/i)
      })

      it("LINE Gift down during a refresh: says so and that it can be tried again (no secret)", async () => {
        sandbox.setFaults({
          httpError: { count: 5, status: 503, on: "token" },
        })
        const down = await post("/token/refresh", {})
        expect(down.status).toBeGreaterThanOrEqual(500)
        expect(down.data.message).toMatch(/LINE Gift refresh failed: HTTP 503/)
        // "sandbox fault: HTTP 503" names no OAuth error: no reason code.
        expect(down.data.code).toBeUndefined()
        expect(down.data.message).not.toMatch(/unknown error/i)
      })
    })

    describe("pasted values as merchants paste them", () => {
      it("the whole redirect address with invisible characters and quotes: its code is exchanged; a refusal address, a token with a space inside and a full-width secret are refused before LINE Gift", async () => {
        const { redirect_uri } = (
          await api.get("/admin/line-gift/oauth/redirect-uri", headers)
        ).data
        const approved = await axios.post(
          `${sandbox.url}/oauth2/authorize`,
          new URLSearchParams({
            response_type: "code",
            client_id: SANDBOX_CLIENT_ID,
            redirect_uri,
            state: "st-1",
            decision: "approve",
          }).toString(),
          {
            headers: { "content-type": "application/x-www-form-urlencoded" },
            maxRedirects: 0,
            validateStatus: (s) => s === 302,
          }
        )
        const address: string = approved.headers.location
        const code = new URL(address).searchParams.get("code")!
        const before = await service().getShopCredentials(shopId)
        const pasted = await post("/credentials", {
          authorization_code: `\u200B「${address}」\u3000\n`,
        })
        expect(pasted.status).toBe(200)
        expect(pasted.data.shop.connection_state).toBe("connected")
        const exchange = sandbox.calls.filter((c) => c.kind === "token").at(-1)
        expect(exchange?.body?.code).toBe(code)
        expect(exchange?.status).toBe(200)
        expect((await service().getShopCredentials(shopId)).tokenVersion).toBe(
          before.tokenVersion + 1
        )

        const calls = sandbox.calls.length
        const denied = await post("/credentials", {
          authorization_code: `${redirect_uri}?error=access_denied&state=st-2`,
        })
        expect(denied.status).toBe(400)
        expect(denied.data.message).toBe(
          "Invalid request: authorization_code: the pasted address is LINE Gift's refusal (error=access_denied), not a code; start the authorisation again from the LINE Gift settings"
        )
        const token = sandbox.issueTokens().refresh_token
        const spaced = await post("/credentials", {
          refresh_token: `${token.slice(0, 10)} ${token.slice(10)}`,
        })
        expect(spaced.status).toBe(400)
        expect(spaced.data.message).toBe(
          "Invalid request: refresh_token: has a space inside (half-width, full-width or no-break space); paste it exactly as issued, without spaces"
        )
        expect(JSON.stringify(spaced.data)).not.toContain(token.slice(0, 10))
        const fullWidth = await api
          .post(
            `/admin/line-gift/shops/${shopId}`,
            { client_secret: "ｓａｎｄｂｏｘ" },
            headers
          )
          .catch((e: { response: { status: number; data: any } }) => e.response)
        expect(fullWidth.status).toBe(400)
        expect(fullWidth.data.message).toMatch(
          /^Invalid request: client_secret: has full-width \(全角\) letters/
        )
        expect(sandbox.calls.length).toBe(calls)

        // A secret pasted with a BOM, a zero-width space and quotes is stored as issued:
        // LINE Gift accepts it.
        const saved = await api.post(
          `/admin/line-gift/shops/${shopId}`,
          {
            client_id: `\u00A0${SANDBOX_CLIENT_ID}\u200B`,
            client_secret: `\uFEFF"${SANDBOX_CLIENT_SECRET}"\u200B\r\n`,
          },
          headers
        )
        expect(saved.status).toBe(200)
        expect(saved.data.shop.client_id).toBe(SANDBOX_CLIENT_ID)
        const refreshed = await post("/token/refresh", {})
        expect(refreshed.status).toBe(200)
        expect(sandbox.calls.at(-1)?.body?.client_secret).toBe(
          SANDBOX_CLIENT_SECRET
        )
      })
    })

    describe("LINE Gift's OAuth refusals carry a stable reason code", () => {
      it("invalid_grant, invalid_client, invalid_scope, temporarily_unavailable from the sandbox: the answer's code names them, the message is LINE Gift's as before; an error without OAuth code has none", async () => {
        const deadCode = await post("/credentials", {
          authorization_code: "no-such-code",
        })
        expect(deadCode.status).toBe(400)
        expect(deadCode.data.code).toBe("line_gift_oauth_invalid_grant")
        expect(deadCode.data.message).toMatch(/\(invalid_grant\)/)

        const deadRefresh = await post("/credentials", {
          refresh_token: "no-such-refresh-token",
        })
        expect(deadRefresh.data.code).toBe("line_gift_oauth_invalid_grant")

        sandbox.setFaults({
          bodyError: {
            count: 1,
            code: 400,
            reason: "invalid_scope: gift.order is not granted",
            on: "token",
          },
        })
        const scope = await post("/token/refresh", {})
        expect(scope.status).toBe(400)
        expect(scope.data.code).toBe("line_gift_oauth_invalid_scope")
        expect(scope.data.message).toMatch(
          /LINE Gift refresh failed: .*invalid_scope: gift\.order is not granted/
        )

        sandbox.setFaults({
          bodyError: {
            count: 1,
            code: 503,
            reason: "temporarily_unavailable: maintenance",
            on: "token",
          },
        })
        const busy = await post("/token/refresh", {})
        expect(busy.status).toBe(500)
        expect(busy.data.code).toBe("line_gift_oauth_temporarily_unavailable")
        expect(busy.data.message).toMatch(/try again in a few minutes/)

        await service().updateShop(shopId, { client_secret: "typo-secret" })
        const wrongSecret = await post("/token/refresh", {})
        expect(wrongSecret.status).toBe(400)
        expect(wrongSecret.data.code).toBe("line_gift_oauth_invalid_client")
        expect(wrongSecret.data.message).toMatch(
          /invalid_client; check the client ID and client secret/
        )
        expect(wrongSecret.data.message).not.toContain("typo-secret")
      })
    })

    describe("the browser authorisation's refusals carry the same reason code", () => {
      it("LINE Gift's error=access_denied, and a code LINE Gift refuses at the exchange: the admin is sent the reason code beside the reason", async () => {
        const location = async (query: string) => {
          const res = await api.get(`/line-gift/oauth/callback?${query}`, {
            maxRedirects: 0,
            validateStatus: () => true,
          })
          expect(res.status).toBe(302)
          return new URL(res.headers.location).searchParams
        }
        const denied = await location("error=access_denied&state=x")
        expect(denied.get("oauth")).toBe("error")
        expect(denied.get("reason")).toBe("LINE Gift answered: access_denied")
        expect(denied.get("reason_code")).toBe("line_gift_oauth_access_denied")

        const other = await location("error=something_else&state=x")
        expect(other.get("reason_code")).toBeNull()

        const started = await post("/oauth/authorize", {})
        const state = new URL(started.data.authorize_url).searchParams.get(
          "state"
        )!
        const dead = await location(
          `code=no-such-code&state=${encodeURIComponent(state)}`
        )
        expect(dead.get("oauth")).toBe("error")
        expect(dead.get("reason")).toMatch(/\(invalid_grant\)/)
        expect(dead.get("reason_code")).toBe("line_gift_oauth_invalid_grant")
      })
    })

    describe("a LINE Gift that does not rotate refresh tokens", () => {
      it("a pasted refresh token answered without a new refresh_token is the one stored, and keeps working", async () => {
        // A shop that had none yet (first real connection by hand).
        await service().updateLineGiftShops({
          id: shopId,
          refresh_token_encrypted: null,
          refresh_token_expires_at: null,
        } as never)
        sandbox.setShapes({ refreshWithoutRotation: true })
        const own = sandbox.issueTokens().refresh_token
        const res = await post("/credentials", { refresh_token: own })
        expect(res.status).toBe(200)
        expect(res.data.shop.refresh_token_set).toBe(true)
        expect(res.data.shop.connection_state).toBe("connected")
        expect((await service().getShopCredentials(shopId)).refreshToken).toBe(
          own
        )
        // It is usable for the next refresh.
        const again = await post("/token/refresh", {})
        expect(again.status).toBe(200)
      })
    })

    describe("token answers whose lifetimes are not plausible seconds", () => {
      it("lifetimes in milliseconds: the expiries shown are LINE Gift's 60 / 90 days, not a century away", async () => {
        sandbox.setShapes({
          tokenAnswerFields: {
            expires_in: 60 * DAY,
            refresh_token_expires_in: 90 * DAY,
          },
        })
        const res = await post("/token/refresh", {})
        expect(res.status).toBe(200)
        const access = new Date(res.data.shop.access_token_expires_at).getTime()
        const refresh = new Date(
          res.data.shop.refresh_token_expires_at
        ).getTime()
        expect(access).toBeLessThan(Date.now() + 61 * DAY)
        expect(refresh).toBeLessThan(Date.now() + 91 * DAY)
      })

      it("a lifetime LINE Gift sends as a decimal: the rotated pair is saved, not lost (the shop stays connected)", async () => {
        sandbox.setShapes({ tokenAnswerFields: { expires_in: 5183999.5 } })
        const first = await post("/token/refresh", {})
        expect(first.status).toBe(200)
        sandbox.setShapes({})
        const second = await post("/token/refresh", {})
        expect(second.status).toBe(200)
        expect(second.data.shop.connection_state).toBe("connected")
      })
    })

    describe("a rotated pair whose first save fails", () => {
      it("a database hiccup right after LINE Gift rotated: the pair is saved on a second try, and the shop keeps working", async () => {
        const spy = jest
          .spyOn(service(), "saveTokensIfVersion")
          .mockRejectedValueOnce(
            new Error("Connection terminated unexpectedly")
          )
        try {
          const first = await post("/token/refresh", {})
          expect(first.status).toBe(200)
          expect(spy).toHaveBeenCalledTimes(2)
        } finally {
          spy.mockRestore()
        }
        const second = await post("/token/refresh", {})
        expect(second.status).toBe(200)
        expect(second.data.shop.connection_state).toBe("connected")
      })

      it("a pasted refresh token LINE Gift rotated: a failed first save does not lose the new pair", async () => {
        const pasted = sandbox.issueTokens().refresh_token
        const spy = jest
          .spyOn(service(), "saveTokensIfVersion")
          .mockRejectedValueOnce(
            new Error("Connection terminated unexpectedly")
          )
        try {
          const res = await post("/credentials", { refresh_token: pasted })
          expect(res.status).toBe(200)
        } finally {
          spy.mockRestore()
        }
        expect((await post("/token/refresh", {})).status).toBe(200)
      })
    })

    describe("the Redirect URI to register, before the first authorisation", () => {
      it("the admin API shows the URI the authorisation will use, and says when it is the localhost default", async () => {
        const opts = service().getOptions() as { backendUrl?: string }
        const saved = {
          option: opts.backendUrl,
          env: process.env.MEDUSA_BACKEND_URL,
        }
        try {
          opts.backendUrl = "https://shop.example.jp/"
          const shown = (
            await api.get("/admin/line-gift/oauth/redirect-uri", headers)
          ).data
          expect(shown).toEqual({
            redirect_uri: "https://shop.example.jp/line-gift/oauth/callback",
            configured: true,
            local: false,
          })
          const started = await post("/oauth/authorize", {})
          expect(
            new URL(started.data.authorize_url).searchParams.get("redirect_uri")
          ).toBe(shown.redirect_uri)

          delete opts.backendUrl
          delete process.env.MEDUSA_BACKEND_URL
          const fallback = (
            await api.get("/admin/line-gift/oauth/redirect-uri", headers)
          ).data
          expect(fallback).toEqual({
            redirect_uri: "http://localhost:9000/line-gift/oauth/callback",
            configured: false,
            local: true,
          })

          // A config's own `|| "http://localhost:9000"` fallback (this repo's medusa-config
          // has one) is set, yet still this machine: the admin must warn as well.
          for (const [backendUrl, local] of [
            ["http://localhost:9000", true],
            ["http://127.0.0.1:9000/", true],
            ["http://[::1]:9000", true],
            ["https://localhost.shop.example.jp", false],
          ] as const) {
            opts.backendUrl = backendUrl
            expect(
              (await api.get("/admin/line-gift/oauth/redirect-uri", headers))
                .data
            ).toMatchObject({ configured: true, local })
          }
        } finally {
          opts.backendUrl = saved.option
          if (saved.env !== undefined)
            process.env.MEDUSA_BACKEND_URL = saved.env
        }
      })
    })
  },
})
