/**
 * The first real connection (issue 11) and tokens that never race (issue 15 items 3, 5b),
 * against a real Medusa + PostgreSQL and the sandbox:
 * - every token write under the shop's token lock and by compare-and-set on token_version:
 *   a slow refresh racing the OAuth callback leaves the callback's pair;
 * - no clear client_secret in what the workflow engine stores;
 * - the honest state after invalid_grant (shop, list, one notification, imports say why);
 * - the keep-alive over a year on a fake clock: never lapses, never two refreshes at once;
 * - the connection check against the "other shapes" (moved path, JSON-only shipment call,
 *   body error on refresh), naming the failing call and the option to change;
 * - manual credentials (pasted refresh token, pasted authorization code);
 * - notifications: one per condition and shop until it clears.
 */
import axios from "axios"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { adminHeaders } from "../helpers/admin"
import {
  connectShop,
  sandboxForSuite,
  SANDBOX_CLIENT_ID,
} from "../helpers/line-gift"
import { seedDemoStore, type SeededStore } from "../../scripts/lib/seed-store"
import { LINE_GIFT_MODULE } from "../../src/modules/line-gift"
import type LineGiftModuleService from "../../src/modules/line-gift/service"
import { TokenVersionConflictError } from "../../src/modules/line-gift/service"
import {
  getLineGiftClient,
  ShopTokenStore,
} from "../../src/workflows/helpers/line-gift-client"
import { refreshLineGiftAccessTokenWorkflow } from "../../src/workflows/tokens/workflows"
import { runTokenKeepAlive } from "../../src/workflows/tokens/keep-alive"
import { runLineGiftImport } from "../../src/workflows/import/run-import"
import { evaluateLineGiftAlerts } from "../../src/workflows/notifications/alerts"
import { outcomeOfError } from "../../src/workflows/export/steps/send-delivery"

jest.setTimeout(300_000)

const DAY = 86400_000
let clockOffset = 0
const clock = () => Date.now() + clockOffset
const sandbox = sandboxForSuite({ now: clock })

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
async function waitFor(
  predicate: () => boolean,
  what: string,
  timeoutMs = 30_000
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(20)
  }
}

medusaIntegrationTestRunner({
  inApp: true,
  testSuite: ({ api, getContainer }) => {
    let headers: { headers: Record<string, string> }
    let store: SeededStore
    let shopId: string
    const service = () =>
      getContainer().resolve(LINE_GIFT_MODULE) as LineGiftModuleService
    const options = () => service().getOptions() as any

    beforeAll(async () => {
      store = await seedDemoStore(getContainer())
      headers = await adminHeaders(getContainer(), api)
      const shop = await service().createShop({
        name: "接続テスト店",
        client_id: SANDBOX_CLIENT_ID,
        client_secret: "sandbox-client-secret",
        region_id: store.region_id,
        sales_channel_id: store.sales_channel_id,
        shipping_option_id: store.shipping_option_id,
      })
      shopId = shop.id
    })

    beforeEach(async () => {
      clockOffset = 0
      sandbox.reset()
      const opts = options()
      opts.http = {
        pageDelayMs: 0,
        timeoutMs: 2000,
        maxRetries: 1,
        baseDelayMs: 20,
        maxDelayMs: 50,
      }
      delete opts.paths
      delete opts.shipmentCall
      const pair = sandbox.issueTokens()
      await service().saveTokens(shopId, {
        accessToken: pair.access_token,
        accessTokenExpiresAt: new Date(Date.now() + 30 * DAY),
        refreshToken: pair.refresh_token,
        refreshTokenExpiresAt: new Date(Date.now() + 90 * DAY),
      })
    })

    const refreshCalls = () => sandbox.calls.filter((c) => c.kind === "refresh")
    const getShop = async () =>
      (await api.get(`/admin/line-gift/shops/${shopId}`, headers)).data.shop
    const feed = async (condition?: string) => {
      const list = (await getContainer()
        .resolve(Modules.NOTIFICATION)
        .listNotifications(
          { channel: "feed" } as any,
          { take: null } as any
        )) as any[]
      return list.filter(
        (n) =>
          n.data?.line_gift_shop_id === shopId &&
          (!condition || n.data?.line_gift_condition === condition)
      )
    }

    describe("token writes never race (issue 15 item 3)", () => {
      it("a slow refresh racing the OAuth callback: the callback's pair is the one stored, and it works", async () => {
        // A LINE Gift that revokes old grants on re-authorisation: the refresh's pair dies.
        sandbox.setShapes({ revokeOnReauthorize: true })
        const creds = await service().getShopCredentials(shopId)
        const client = await getLineGiftClient(getContainer(), shopId)
        const tokenStore = new ShopTokenStore(getContainer(), shopId)
        let callbackDone = false
        const refreshing = tokenStore.refreshAccessToken(
          creds.accessToken,
          async (rt) => {
            const pair = await client.refreshTokens(rt)
            // Slow: the answer "arrives" only after the callback finished (or 3 s, when the
            // callback is — correctly — waiting for this refresh's lock).
            const deadline = Date.now() + 3000
            while (!callbackDone && Date.now() < deadline) await sleep(20)
            return pair
          }
        )
        await waitFor(
          () => refreshCalls().some((c) => c.status === 200),
          "the refresh reaching LINE Gift"
        )
        const location = await connectShop(api, headers, shopId)
        callbackDone = true
        expect(location).toContain("oauth=success")
        await refreshing
        // The stored pair is the callback's (the refresh's was revoked by the re-authorisation).
        const fresh = await getLineGiftClient(getContainer(), shopId)
        const page = await fresh.searchOrders({ page: 1, perPage: 1 })
        expect(page.orders.length).toBe(1)
        const before = refreshCalls().length
        await refreshLineGiftAccessTokenWorkflow(getContainer()).run({
          input: { shop_id: shopId },
        })
        expect(
          refreshCalls()
            .slice(before)
            .map((c) => c.status)
        ).toEqual([200])
        expect((await getShop()).connection_state).toBe("connected")
      })

      it("a token write against a version that moved on is refused and changes nothing", async () => {
        const before = await service().getShopCredentials(shopId)
        const pair = sandbox.issueTokens()
        await expect(
          service().saveTokensIfVersion(
            shopId,
            before.tokenVersion - 1,
            {
              accessToken: pair.access_token,
              accessTokenExpiresAt: new Date(Date.now() + DAY),
              refreshToken: pair.refresh_token,
              refreshTokenExpiresAt: new Date(Date.now() + DAY),
            },
            "refresh"
          )
        ).rejects.toBeInstanceOf(TokenVersionConflictError)
        const after = await service().getShopCredentials(shopId)
        expect(after.accessToken).toBe(before.accessToken)
        expect(after.refreshToken).toBe(before.refreshToken)
        expect(after.tokenVersion).toBe(before.tokenVersion)
      })
    })

    describe("secrets out of workflow inputs (issue 15 item 5b)", () => {
      it("creating and updating a shop stores no clear client_secret where the workflow engine keeps executions", async () => {
        const pg = getContainer().resolve(
          ContainerRegistrationKeys.PG_CONNECTION
        ) as any
        // Capture every row the workflow engine writes, while it writes it.
        await pg.raw(
          `CREATE TABLE lg_wf_audit (workflow_id text, content text)`
        )
        await pg.raw(`CREATE FUNCTION lg_wf_audit_fn() RETURNS trigger AS $$
          BEGIN INSERT INTO lg_wf_audit VALUES (NEW.workflow_id, COALESCE(NEW.context::text, '') || COALESCE(NEW.execution::text, '')); RETURN NEW; END $$ LANGUAGE plpgsql`)
        await pg.raw(`CREATE TRIGGER lg_wf_audit_trg AFTER INSERT OR UPDATE ON workflow_execution
          FOR EACH ROW EXECUTE FUNCTION lg_wf_audit_fn()`)
        const created = await api.post(
          "/admin/line-gift/shops",
          {
            name: "秘密テスト店",
            client_id: "x",
            client_secret: "clear-secret-on-create-4711",
          },
          headers
        )
        await api.post(
          `/admin/line-gift/shops/${created.data.shop.id}`,
          { client_secret: "clear-secret-on-update-4712" },
          headers
        )
        const { rows } = await pg.raw(
          `SELECT workflow_id, content FROM lg_wf_audit`
        )
        const ours = rows.filter((r: any) =>
          /line-gift-shop/.test(r.workflow_id)
        )
        expect(ours.map((r: any) => r.workflow_id)).toEqual(
          expect.arrayContaining([
            "create-line-gift-shop",
            "update-line-gift-shop",
          ])
        )
        for (const r of ours) {
          expect(r.content).not.toContain("clear-secret-on-create-4711")
          expect(r.content).not.toContain("clear-secret-on-update-4712")
        }
        // …and the secret is stored (sealed) and usable.
        const creds = await service().getShopCredentials(created.data.shop.id)
        expect(creds.clientSecret).toBe("clear-secret-on-update-4712")
      })
    })

    describe("honest connection state after invalid_grant (issue 11 item 4)", () => {
      it("shows needs re-authorisation in the shop and the list, notifies once, stops imports saying why, and clears on new credentials", async () => {
        sandbox.setFaults({
          bodyError: {
            count: 1,
            code: 400,
            reason: "invalid_grant: refresh_token expired",
            on: "token",
          },
        })
        const outcome = await refreshLineGiftAccessTokenWorkflow(getContainer())
          .run({ input: { shop_id: shopId } })
          .then(
            () => null,
            (e: { message?: string }) => e
          )
        // (the workflow engine rethrows a plain object carrying the message)
        expect(outcome?.message).toMatch(/invalid_grant/)
        const shop = await getShop()
        expect(shop.connection_state).toBe("needs_reauthorization")
        expect(shop.connection_problem).toMatch(/invalid_grant/)
        const list = (await api.get(`/admin/line-gift/shops`, headers)).data
          .shops
        expect(list.find((s: any) => s.id === shopId).connection_state).toBe(
          "needs_reauthorization"
        )
        expect(await feed("token_rejected")).toHaveLength(1)

        // Never sent to LINE Gift again; no second notification.
        const calls = refreshCalls().length
        sandbox.expireAccessTokens()
        sandbox.addOrder({})
        const result = await runLineGiftImport(getContainer(), {
          shop_id: shopId,
          from: new Date(Date.now() - 5 * 60_000),
          to: new Date(Date.now() + 60_000),
          statuses: ["payment"],
        })
        expect(result.run.state).toBe("failed")
        expect(result.run.error).toMatch(/needs re-authorisation/)
        expect(refreshCalls().length).toBe(calls)
        // A shipment push of that shop says why it stops, and stays to be retried (not failed).
        const pushError = await (
          await getLineGiftClient(getContainer(), shopId)
        )
          .updateDelivery(
            sandbox.orders.find((o) => o.status === "payment")!.id,
            { deliveryCode: "1", deliveryAgent: "x" }
          )
          .then(
            () => null,
            (e: Error) => e
          )
        const pushOutcome = outcomeOfError(pushError, "1")
        expect(pushOutcome.status).toBe("retry")
        expect(pushOutcome.message).toMatch(/needs re-authorisation/)
        await evaluateLineGiftAlerts(getContainer())
        expect(await feed("token_rejected")).toHaveLength(1)

        // A pasted refresh token repairs it (proved by one refresh), and the alert clears.
        const pasted = sandbox.issueTokens().refresh_token
        const { data } = await api.post(
          `/admin/line-gift/shops/${shopId}/credentials`,
          { refresh_token: pasted },
          headers
        )
        expect(data.shop.connection_state).toBe("connected")
        expect(JSON.stringify(data)).not.toContain(pasted)
        const last = refreshCalls().at(-1)!
        expect(last.status).toBe(200)
        expect(last.body?.refresh_token).toBe(pasted)
        const meta = ((await service().retrieveLineGiftShop(shopId)) as any)
          .metadata
        expect(meta.line_gift_alerts?.token_rejected).toBeUndefined()
      })
    })

    describe("keep-alive (issue 11 item 3)", () => {
      it("rotates the tokens for a year on a fake clock without lapsing and never refreshes twice at once", async () => {
        const refreshedDays: number[] = []
        for (let day = 1; day <= 365; day++) {
          clockOffset = day * DAY
          const before = refreshCalls().length
          // Two instances ticking at the same moment.
          const results = await Promise.all([
            runTokenKeepAlive(getContainer(), { now: clock }),
            runTokenKeepAlive(getContainer(), { now: clock }),
          ])
          const made = refreshCalls().slice(before)
          expect(made.every((c) => c.status === 200)).toBe(true)
          expect(made.length).toBeLessThanOrEqual(1)
          if (made.length) refreshedDays.push(day)
          for (const r of results.flat()) expect(r.outcome).not.toBe("failed")
          const creds = await service().getShopCredentials(shopId)
          expect(creds.accessTokenExpiresAt!.getTime()).toBeGreaterThan(clock())
          expect(creds.refreshTokenExpiresAt!.getTime()).toBeGreaterThan(
            clock()
          )
          if (day % 30 === 0) {
            // The stored access token works at LINE Gift without any refresh.
            const calls = refreshCalls().length
            const client = await getLineGiftClient(getContainer(), shopId, {
              now: clock,
            })
            await client.searchOrders({ page: 1, perPage: 1 })
            expect(refreshCalls().length).toBe(calls)
          }
        }
        // At least weekly.
        const gaps = refreshedDays.map(
          (d, i) => d - (i ? refreshedDays[i - 1] : 0)
        )
        expect(Math.max(...gaps)).toBeLessThanOrEqual(7)
        expect((await getShop()).connection_state).toBe("connected")
      })
    })

    describe("connection check (issue 11 items 1, 6)", () => {
      const check = async (body: Record<string, unknown> = {}) =>
        (
          await api.post(
            `/admin/line-gift/shops/${shopId}/connection-check`,
            body,
            headers
          )
        ).data.check

      it("passes against the documented shapes, shows the shipment call's choice, and holds no secret", async () => {
        sandbox.expireAccessTokens()
        await service().updateLineGiftShops({
          id: shopId,
          access_token_expires_at: new Date(Date.now() - 1000),
        } as any)
        const report = await check({
          line_gift_shop_id: "1001",
          probe_shipment: true,
        })
        expect(report.ok).toBe(true)
        expect(report.entries.map((e: any) => [e.step, e.verdict])).toEqual([
          ["refresh", "ok"],
          ["order_search", "ok"],
          ["items", "ok"],
          ["shipment_probe", "probe_ok"],
        ])
        const search = report.entries[1].call
        expect(search.path).toBe("/shop/api/1/order/search")
        expect(search.httpStatus).toBe(200)
        expect(search.parsed).toBe(true)
        expect(search.topLevelKeys).toEqual(
          expect.arrayContaining(["orders", "paging"])
        )
        expect(report.options.shipment_call).toEqual({
          encoding: "form",
          fields: {
            deliveryCode: "delivery_code",
            deliveryAgent: "delivery_agent",
          },
        })
        const text = JSON.stringify(report)
        const creds = await service().getShopCredentials(shopId)
        for (const secret of [
          creds.accessToken!,
          creds.refreshToken!,
          creds.clientSecret,
        ]) {
          expect(text).not.toContain(secret)
        }
        expect(text).not.toMatch(/access_token=|Bearer /)
        // Nothing was shipped by the probe.
        expect(sandbox.orders.filter((o) => o.id === "0")).toHaveLength(0)
      })

      it("a moved order search path: names the call and the option paths.orderSearch; the option fixes it", async () => {
        sandbox.setShapes({
          movedPaths: { order_search: "/shop/api/2/order/search" },
        })
        let report = await check()
        const failing = report.entries.find(
          (e: any) => !e.ok && e.verdict !== "needs_shop_id"
        )
        expect(failing.step).toBe("order_search")
        expect(failing.call.path).toBe("/shop/api/1/order/search")
        expect(failing.call.httpStatus).toBe(404)
        expect(failing.verdict).toBe("path_not_found")
        expect(failing.option).toBe("paths.orderSearch")
        expect(failing.next_step).toContain("paths.orderSearch")
        options().paths = { orderSearch: "/shop/api/2/order/search" }
        report = await check()
        expect(
          report.entries.find((e: any) => e.step === "order_search").verdict
        ).toBe("ok")
      })

      it("a body error on refresh: names the refresh call and says to get a new refresh token", async () => {
        await service().updateLineGiftShops({
          id: shopId,
          access_token_expires_at: new Date(Date.now() - 1000),
        } as any)
        sandbox.setFaults({
          bodyError: {
            count: 1,
            code: 400,
            reason: "invalid_grant: refresh_token revoked",
            on: "token",
          },
        })
        const report = await check()
        const refresh = report.entries[0]
        expect(refresh.step).toBe("refresh")
        expect(refresh.call.path).toBe("/api/v1/oauth2/token/refresh")
        expect(refresh.call.httpStatus).toBe(200)
        expect(refresh.call.bodyError).toEqual({
          code: 400,
          reason: "invalid_grant: refresh_token revoked",
        })
        expect(refresh.verdict).toBe("invalid_grant")
        expect(refresh.next_step).toMatch(/new one/)
        expect(
          report.entries
            .slice(1)
            .every((e: any) => e.verdict === "skipped_after_failure")
        ).toBe(true)
        expect(report.connection_state).toBe("needs_reauthorization")
      })

      it("a shipment call that wants JSON: the probe names shipmentCall.encoding; the option fixes it and exports use it", async () => {
        sandbox.setShapes({ deliveryBody: "json" })
        let report = await check({ probe_shipment: true })
        const probe = report.entries.find(
          (e: any) => e.step === "shipment_probe"
        )
        expect(probe.call.bodyEncoding).toBe("form")
        expect(probe.verdict).toBe("body_rejected")
        expect(probe.option).toBe("shipmentCall.encoding")
        options().shipmentCall = { encoding: "json" }
        report = await check({ probe_shipment: true })
        expect(report.options.shipment_call.encoding).toBe("json")
        const fixed = report.entries.find(
          (e: any) => e.step === "shipment_probe"
        )
        expect([fixed.call.bodyEncoding, fixed.verdict]).toEqual([
          "json",
          "probe_ok",
        ])
        // The real shipment call uses the option too.
        const order = sandbox.addOrder({})
        const client = await getLineGiftClient(getContainer(), shopId)
        await client.updateDelivery(order.id, {
          deliveryCode: "123456789012",
          deliveryAgent: "ヤマト運輸",
        })
        expect(sandbox.getOrder(order.id)!.status).toBe("received")
      })
    })

    describe("manual credentials (issue 11 item 2)", () => {
      it("a pasted authorization code is exchanged and stored; a dead one is refused and changes nothing", async () => {
        const redirect = `${(service().getOptions().backendUrl ?? "http://localhost:9000").replace(/\/+$/, "")}/line-gift/oauth/callback`
        const approved = await axios.post(
          `${sandbox.url}/oauth2/authorize`,
          new URLSearchParams({
            response_type: "code",
            client_id: SANDBOX_CLIENT_ID,
            redirect_uri: redirect,
            state: "",
            decision: "approve",
          }).toString(),
          {
            headers: { "content-type": "application/x-www-form-urlencoded" },
            maxRedirects: 0,
            validateStatus: (s) => s === 302,
          }
        )
        const code = new URL(approved.headers.location).searchParams.get(
          "code"
        )!
        const before = await service().getShopCredentials(shopId)
        const { data } = await api.post(
          `/admin/line-gift/shops/${shopId}/credentials`,
          { authorization_code: code },
          headers
        )
        expect(data.shop.connection_state).toBe("connected")
        const after = await service().getShopCredentials(shopId)
        expect(after.tokenVersion).toBe(before.tokenVersion + 1)
        expect(after.refreshToken).not.toBe(before.refreshToken)
        // Used twice: refused, nothing changed.
        const again = await api
          .post(
            `/admin/line-gift/shops/${shopId}/credentials`,
            { authorization_code: code },
            headers
          )
          .catch((e: any) => e.response)
        expect(again.status).toBeGreaterThanOrEqual(400)
        expect((await service().getShopCredentials(shopId)).tokenVersion).toBe(
          after.tokenVersion
        )
      })
    })

    describe("notifications (issue 11 item 5)", () => {
      it("three failed automatic imports in a row and a shipment held for 6 hours: one notification each until they clear", async () => {
        const runs = service()
        for (let i = 0; i < 3; i++) {
          await runs.createLineGiftSyncRuns({
            shop_id: shopId,
            kind: "import",
            trigger: "automatic",
            state: "failed",
            started_at: new Date(Date.now() - (10 - i) * 60_000),
            error: "LINE Gift order_search failed: HTTP 503",
          } as any)
        }
        await runs.createLineGiftExports({
          shop_id: shopId,
          line_gift_order_id: "900001",
          order_id: "order_x",
          state: "held",
          last_error: "no tracking number",
        } as any)
        const later = new Date(Date.now() + 7 * 3600_000)
        await evaluateLineGiftAlerts(getContainer(), later)
        await evaluateLineGiftAlerts(getContainer(), later)
        expect(await feed("import_failures")).toHaveLength(1)
        expect(await feed("exports_stuck")).toHaveLength(1)
        expect((await feed("import_failures"))[0].data.title).toContain(
          "接続テスト店"
        )

        // A successful automatic import clears the condition; a new streak notifies again.
        await runs.createLineGiftSyncRuns({
          shop_id: shopId,
          kind: "import",
          trigger: "automatic",
          state: "succeeded",
          started_at: new Date(),
        } as any)
        await evaluateLineGiftAlerts(getContainer(), later)
        const meta = ((await service().retrieveLineGiftShop(shopId)) as any)
          .metadata
        expect(meta.line_gift_alerts.import_failures).toBeUndefined()
        expect(meta.line_gift_alerts.exports_stuck).toBeDefined()
        expect(await feed("import_failures")).toHaveLength(1)
      })
    })
  },
})
