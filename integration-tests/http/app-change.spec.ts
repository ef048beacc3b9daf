/**
 * A shop's LINE Gift app changes (another client_id) on the settings page, against a real
 * Medusa + PostgreSQL and the sandbox:
 * - the tokens the old app issued (access, refresh, expiries) and its pending authorisation
 *   are deleted, and the shop shows "not connected" (detail, list) until it is authorised
 *   again — not "connected" until the first refresh fails;
 * - a new client_secret alone (the same app's secret rotated), or the same client_id typed
 *   with spaces, keeps the tokens;
 * - a refresh in flight with the old app when the client_id changes cannot put the old app's
 *   tokens back (token lock + compare-and-set on token_version).
 */
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { adminHeaders } from "../helpers/admin"
import {
  sandboxForSuite,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
} from "../helpers/line-gift"
import { LINE_GIFT_MODULE } from "../../src/modules/line-gift"
import type LineGiftModuleService from "../../src/modules/line-gift/service"
import { TokenVersionConflictError } from "../../src/modules/line-gift/service"
import {
  getLineGiftClient,
  ShopTokenStore,
} from "../../src/workflows/helpers/line-gift-client"

jest.setTimeout(300_000)

const DAY = 86400_000
const sandbox = sandboxForSuite()
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

medusaIntegrationTestRunner({
  inApp: true,
  testSuite: ({ api, getContainer }) => {
    let headers: { headers: Record<string, string> }
    let shopId: string
    const service = () =>
      getContainer().resolve(LINE_GIFT_MODULE) as LineGiftModuleService
    const saveSettings = (body: Record<string, unknown>) =>
      api
        .post(`/admin/line-gift/shops/${shopId}`, body, headers)
        .catch((e: { response: unknown }) => e.response)
    const stored = () => service().retrieveLineGiftShop(shopId)
    const listed = async () =>
      (await api.get("/admin/line-gift/shops", headers)).data.shops.find(
        (s: { id: string }) => s.id === shopId
      )

    beforeAll(async () => {
      headers = await adminHeaders(getContainer(), api)
      const shop = await service().createShop({
        name: "アプリ変更テスト店",
        client_id: SANDBOX_CLIENT_ID,
        client_secret: SANDBOX_CLIENT_SECRET,
      })
      shopId = shop.id
    })

    beforeEach(async () => {
      sandbox.reset()
      ;(service().getOptions() as { http?: Record<string, number> }).http = {
        pageDelayMs: 0,
        timeoutMs: 5000,
        maxRetries: 0,
        baseDelayMs: 20,
        maxDelayMs: 50,
      }
      await service().updateShop(shopId, {
        api_enabled: true,
        client_id: SANDBOX_CLIENT_ID,
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

    it("another client_id: the old app's tokens and pending authorisation are deleted, the shop shows not connected", async () => {
      const pending = await api.post(
        `/admin/line-gift/shops/${shopId}/oauth/authorize`,
        {},
        headers
      )
      const oldState = new URL(pending.data.authorize_url).searchParams.get(
        "state"
      )!
      const before = await stored()
      expect(before.oauth_state_nonce).toEqual(expect.any(String))
      expect((await listed()).connection_state).toBe("connected")

      const res = await saveSettings({
        client_id: "  another-line-gift-app  ",
        client_secret: "another-app-secret",
      })
      expect(res.status).toBe(200)
      // What the admin caches from the save answer, and what it reads again.
      for (const shop of [
        res.data.shop,
        (await api.get(`/admin/line-gift/shops/${shopId}`, headers)).data.shop,
        await listed(),
      ]) {
        expect(shop).toMatchObject({
          client_id: "another-line-gift-app",
          client_secret_set: true,
          access_token_set: false,
          access_token_expires_at: null,
          refresh_token_set: false,
          refresh_token_expires_at: null,
          connection_state: "not_connected",
          connection_problem: null,
        })
      }
      const after = await stored()
      expect(after).toMatchObject({
        access_token_encrypted: null,
        access_token_expires_at: null,
        refresh_token_encrypted: null,
        refresh_token_expires_at: null,
        oauth_state_nonce: null,
        oauth_state_expires_at: null,
      })
      expect(after.token_version).toBe(before.token_version + 1)
      const creds = await service().getShopCredentials(shopId)
      expect(creds).toMatchObject({
        clientId: "another-line-gift-app",
        clientSecret: "another-app-secret",
        accessToken: null,
        refreshToken: null,
      })

      // The authorisation started with the old app is no longer pending.
      const late = await api.get(
        `/line-gift/oauth/callback?code=some-code&state=${encodeURIComponent(oldState)}`,
        { maxRedirects: 0, validateStatus: () => true }
      )
      expect(late.headers.location).toContain("oauth=error")
      expect(sandbox.calls.filter((c) => c.kind === "token")).toHaveLength(0)
      expect((await stored()).refresh_token_encrypted).toBeNull()
    })

    it("clearing the client_id deletes the tokens too", async () => {
      const res = await saveSettings({ client_id: null, api_enabled: false })
      expect(res.status).toBe(200)
      expect(res.data.shop).toMatchObject({
        client_id: null,
        refresh_token_set: false,
        access_token_set: false,
        connection_state: "not_connected",
      })
    })

    it("a new client_secret alone, or the same client_id typed with spaces, keeps the tokens", async () => {
      const before = await service().getShopCredentials(shopId)
      const res = await saveSettings({
        client_id: `  ${SANDBOX_CLIENT_ID} `,
        client_secret: "rotated-secret-of-the-same-app",
      })
      expect(res.status).toBe(200)
      expect(res.data.shop).toMatchObject({
        refresh_token_set: true,
        access_token_set: true,
        connection_state: "connected",
      })
      const after = await service().getShopCredentials(shopId)
      expect(after.clientSecret).toBe("rotated-secret-of-the-same-app")
      expect(after.refreshToken).toBe(before.refreshToken)
      expect(after.accessToken).toBe(before.accessToken)
      expect(after.tokenVersion).toBe(before.tokenVersion)

      // The whole settings body the admin sends on every save, client_id unchanged.
      const whole = await saveSettings({
        name: "アプリ変更テスト店",
        api_enabled: true,
        client_id: SANDBOX_CLIENT_ID,
        fetch_days: 7,
        auto_fetch_mode: "off",
      })
      expect(whole.status).toBe(200)
      expect(whole.data.shop.connection_state).toBe("connected")
      expect((await service().getShopCredentials(shopId)).refreshToken).toBe(
        before.refreshToken
      )
    })

    it("a refresh in flight with the old app when the client_id changes cannot put the old app's tokens back", async () => {
      const creds = await service().getShopCredentials(shopId)
      const client = await getLineGiftClient(getContainer(), shopId)
      const tokenStore = new ShopTokenStore(getContainer(), shopId)
      let saved = false
      const refreshing = tokenStore
        .refreshAccessToken(creds.accessToken, async (rt) => {
          const pair = await client.refreshTokens(rt)
          // Slow: LINE Gift's answer "arrives" after the settings were saved (or after 2 s,
          // when the save is — correctly — waiting for this refresh's token lock).
          const deadline = Date.now() + 2000
          while (!saved && Date.now() < deadline) await sleep(20)
          return pair
        })
        .then(
          () => "stored" as const,
          (e: unknown) => e
        )
      const deadline = Date.now() + 30_000
      while (
        !sandbox.calls.some((c) => c.kind === "refresh" && c.status === 200)
      ) {
        if (Date.now() > deadline) throw new Error("the refresh never ran")
        await sleep(20)
      }
      const res = await saveSettings({ client_id: "another-line-gift-app" })
      saved = true
      expect(res.status).toBe(200)
      const outcome = await refreshing
      // Either the save waited for the refresh (lock) and then deleted its pair, or the
      // refresh's save lost its compare-and-set: never a stored old-app pair.
      if (outcome !== "stored") {
        expect(outcome).toBeInstanceOf(TokenVersionConflictError)
      }
      const after = await service().getShopCredentials(shopId)
      expect(after.refreshToken).toBeNull()
      expect(after.accessToken).toBeNull()
      expect(
        (await service().retrievePublicShop(shopId)).connection_state
      ).toBe("not_connected")
    })
  },
})
