/**
 * Ten shops due in the same tick on one worker, one of them behind a slow LINE Gift
 * (issue 13.4): the tick (runDueLineGiftImports, what the fetch-tick job runs) imports every
 * shop exactly once, and the slow shop does not hold the others — they all finish while the
 * slow shop's order search is still held. A Medusa app on PostgreSQL, the plugin from src/,
 * the sandbox over HTTP behind the bench's slow proxy (scripts/bench/slow-proxy.ts), which
 * holds the slow shop's calls until the test opens the gate (at most HOLD_MS, under the client's
 * per-attempt timeout, raised here so a loaded machine cannot turn the hold into a timeout):
 * the verdict is an ordering, not a timing — if the tick ran the shops one after another, the
 * fast ones could not finish while the slow one is held.
 */
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { createSandbox } from "../../sandbox"
import { seedDemoStore, type SeededStore } from "../../scripts/lib/seed-store"
import { startSlowProxy, type SlowProxy } from "../../scripts/bench/slow-proxy"
import { LINE_GIFT_MODULE } from "../../src/modules/line-gift"
import type LineGiftModuleService from "../../src/modules/line-gift/service"
import { runDueLineGiftImports } from "../../src/workflows/import/run-due-imports"

// The app's own fetch-tick job (every minute, on the minute, with the real clock) would race
// these tests: a shop left due by a test is run by the job whenever a minute starts between
// making it due and the test's own runDueLineGiftImports(…, now), which then finds it done
// (outcome missing or "not_due") and its next fetch moved. The tests run the tick themselves,
// with the clock they choose; the job's schedule and name stay as they are.
jest.mock("../../src/jobs/fetch-tick", () => ({
  ...jest.requireActual("../../src/jobs/fetch-tick"),
  __esModule: true,
  default: async () => undefined,
}))

jest.setTimeout(600_000)

const SHOPS = 10
const ORDERS = 3
/** Longest the proxy holds the slow shop's call; the client's per-attempt timeout is above it. */
const HOLD_MS = 240_000
/** Longest the test polls for the fast shops (then the assertions below fail). */
const GATE_FALLBACK_MS = HOLD_MS - 10_000

const sandbox = createSandbox({ orderCount: 0 })
let proxy: SlowProxy
// Before Medusa boots (this beforeAll is registered first): the plugin talks to the proxy.
beforeAll(async () => {
  const sandboxUrl = await sandbox.listen(0)
  proxy = await startSlowProxy(sandboxUrl, { maxHoldMs: HOLD_MS })
  process.env.LINE_GIFT_SANDBOX_URL = proxy.url
  process.env.LINE_GIFT_HTTP_TIMEOUT_MS = String(HOLD_MS + 60_000)
  process.env.LINE_GIFT_PAGE_DELAY_MS = "0"
})
afterAll(async () => {
  await proxy?.close()
  await sandbox.close()
})

medusaIntegrationTestRunner({
  inApp: true,
  testSuite: ({ getContainer }) => {
    let store: SeededStore

    beforeAll(async () => {
      store = await seedDemoStore(getContainer())
    })

    it("ten due shops, one slow: each imports once, the fast ones finish before the slow one", async () => {
      const service: LineGiftModuleService =
        getContainer().resolve(LINE_GIFT_MODULE)
      const nowSec = Math.floor(Date.now() / 1000)
      for (let i = 0; i < ORDERS; i++)
        sandbox.addOrder({ status: "payment", bought_on: nowSec - 3600 })

      const shops: Array<{ id: string; token: string }> = []
      for (let i = 0; i < SHOPS; i++) {
        const shop = await service.createShop({
          name: `同時取込 ${i + 1}号店`,
          // Ten LINE Gift shops, ten apps: shops of one app import an order once between them.
          client_id: `sandbox-client-id-${i + 1}`,
          client_secret: "sandbox-client-secret",
          region_id: store.region_id,
          sales_channel_id: store.sales_channel_id,
          shipping_option_id: store.shipping_option_id,
        })
        const tokens = sandbox.issueTokens()
        await service.saveTokens(shop.id, {
          accessToken: tokens.access_token,
          accessTokenExpiresAt: new Date(Date.now() + 30 * 86400_000),
          refreshToken: tokens.refresh_token,
          refreshTokenExpiresAt: new Date(Date.now() + 80 * 86400_000),
        })
        await service.updateLineGiftShops({
          id: shop.id,
          auto_fetch_mode: "interval",
          fetch_interval_minutes: 30,
          fetch_days: 7,
          next_fetch_at: new Date(Date.now() - 3600_000),
        })
        shops.push({ id: shop.id, token: tokens.access_token })
      }
      // The slow shop is the one the tick lists first: one-after-the-other would stall all.
      const listed = (await service.listLineGiftShops(
        { auto_fetch_mode: ["interval", "schedule"], api_enabled: true },
        { select: ["id"] }
      )) as Array<{ id: string }>
      const slow = shops.find((s) => s.id === listed[0].id)!
      const fast = shops.filter((s) => s !== slow)
      proxy.slowTokens.add(slow.token)

      const finishedRun = async (shopId: string) =>
        (
          (await service.listLineGiftSyncRuns({
            shop_id: shopId,
            kind: "import",
          })) as Array<{ finished_at: Date | null }>
        ).some((r) => !!r.finished_at)
      // The gate: the slow shop's LINE Gift answers once every fast shop's run has finished
      // (or, if that never happens, after GATE_FALLBACK_MS — then the assertions below fail).
      let fastDoneWhileSlowHeld = false
      proxy.holdUntil = (async () => {
        const deadline = Date.now() + GATE_FALLBACK_MS
        while (Date.now() < deadline) {
          const done = await Promise.all(fast.map((s) => finishedRun(s.id)))
          if (done.every(Boolean)) {
            fastDoneWhileSlowHeld = !(await finishedRun(slow.id))
            return
          }
          await new Promise((r) => setTimeout(r, 200))
        }
      })()

      const outcomes = await runDueLineGiftImports(getContainer(), new Date())

      expect(proxy.delayed()).toBeGreaterThan(0)
      expect(fastDoneWhileSlowHeld).toBe(true)
      expect(outcomes).toHaveLength(SHOPS)
      for (const shop of shops) {
        const mine = outcomes.filter((o) => o.shop_id === shop.id)
        expect(mine).toHaveLength(1)
        expect(mine[0]).toMatchObject({
          outcome: "ran",
          run: {
            trigger: "automatic",
            state: "succeeded",
            created_count: ORDERS,
          },
        })
        const runs = await service.listLineGiftSyncRuns({
          shop_id: shop.id,
          kind: "import",
        })
        expect(runs).toHaveLength(1)
        const records = (await service.listLineGiftOrders(
          { shop_id: shop.id },
          { select: ["state"] }
        )) as Array<{ state: string }>
        expect(records.map((r) => r.state)).toEqual(
          Array(ORDERS).fill("imported")
        )
      }
      // Finish order from the runs themselves: every fast shop before the slow one.
      const finishedAt = (id: string) =>
        new Date(
          (outcomes.find((o) => o.shop_id === id)!.run as { finished_at: Date })
            .finished_at
        ).getTime()
      for (const shop of fast)
        expect(finishedAt(shop.id)).toBeLessThan(finishedAt(slow.id))

      // Nothing is due any more: a second tick runs nothing.
      proxy.slowTokens.clear()
      expect(await runDueLineGiftImports(getContainer(), new Date())).toEqual(
        []
      )
    })
  },
})
