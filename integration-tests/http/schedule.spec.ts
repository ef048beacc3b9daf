/**
 * Fetching on the merchant's schedule, end to end (Medusa app on PostgreSQL, plugin from src/,
 * sandbox over HTTP): next fetch computed on settings change, the tick's due imports (one run
 * however many callers), manual ranges and the async mode, gifts accepted after the window,
 * cancellations after import, provisional import.
 *
 * The sandbox starts EMPTY (orderCount 0): each test adds the few orders it needs, so imports
 * stay small and every expectation is exact.
 */
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createOrderFulfillmentWorkflow } from "@medusajs/medusa/core-flows"
import { seededAdminSuite } from "../helpers/suite"
import {
  SECOND_APP_SHOP,
  createShop,
  sandboxForSuite,
} from "../helpers/line-gift"
import { LINE_GIFT_MODULE } from "../../src/modules/line-gift"
import { runDueLineGiftImports } from "../../src/workflows/import/run-due-imports"
import { CANCELLED_AFTER_FULFILMENT } from "../../src/workflows/import/run-import"
import { tokyoTime } from "../../src/lib/schedule"

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

jest.setTimeout(240_000)

const sandbox = sandboxForSuite({ orderCount: 0 })
const DAY = 86400
const nowSec = () => Math.floor(Date.now() / 1000)

const TOWEL = {
  item: { id: "300103", code: "LG-TOWEL-03", name: "今治タオル ギフトセット" },
  variation: { id: "900131", code: "LG-TOWEL-03-WH", name: "ホワイト" },
  stock_count: 1,
  selling_price: 3850,
}
const ADDRESS = {
  from_name: "山田 花子",
  first_name: "太郎",
  last_name: "試験",
  zip: "150-0001",
  tel: "0312345678",
  tel_hyphen: "03-1234-5678",
  pref: "東京都",
  city: "渋谷区神宮前",
  address: "1-2-3 テストビル101",
}

medusaIntegrationTestRunner({
  inApp: true,
  testSuite: ({ api, getContainer }) => {
    const { headers, connectedShop } = seededAdminSuite({
      api,
      getContainer,
      sandbox,
    })
    const importNow = async (
      shopId: string,
      body: Record<string, unknown> = {}
    ) =>
      (await api.post(`/admin/line-gift/shops/${shopId}/import`, body, headers))
        .data
    const service = () => getContainer().resolve(LINE_GIFT_MODULE) as any
    const record = async (shopId: string, lineGiftOrderId: string) =>
      (
        await service().listLineGiftOrders({
          shop_id: shopId,
          line_gift_order_id: lineGiftOrderId,
        })
      )[0]
    const medusaOrder = async (orderId: string) => {
      const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
      const { data } = await query.graph({
        entity: "order",
        fields: [
          "id",
          "status",
          "metadata",
          "shipping_address.*",
          "items.*",
          "line_gift_order.*",
        ],
        filters: { id: orderId },
      })
      return data[0] as any
    }
    const reservationsOf = async (order: any) =>
      getContainer()
        .resolve(Modules.INVENTORY)
        .listReservationItems({
          line_item_id: order.items.map((i: any) => i.id),
        })
    /** A connected shop fetching daily (interval 1,440 minutes) whose fetch was due a minute ago. */
    const dailyShopDueNow = async () => {
      const shop = await connectedShop({
        auto_fetch_mode: "interval",
        fetch_interval_minutes: 1440,
      })
      await service().updateLineGiftShops({
        id: shop.id,
        next_fetch_at: new Date(Date.now() - 60_000),
      })
      return shop
    }
    const ordersCount = async () =>
      (await api.get(`/admin/orders?limit=1&fields=id`, headers)).data
        .count as number

    it("computes and returns the next fetch when schedule settings change (Japan time)", async () => {
      const shop = await createShop(api, headers)
      expect(shop.next_fetch_at).toBeNull()

      const before = Date.now()
      const interval = (
        await api.post(
          `/admin/line-gift/shops/${shop.id}`,
          { auto_fetch_mode: "interval", fetch_interval_minutes: 60 },
          headers
        )
      ).data.shop
      // Never fetched: due at once.
      const next = new Date(interval.next_fetch_at).getTime()
      expect(next).toBeGreaterThanOrEqual(before - 1000)
      expect(next).toBeLessThanOrEqual(Date.now() + 1000)

      // Compared with the clock read BEFORE the save: the server picks the slot strictly after
      // its own clock, which may be exactly 03:07:00 JST while a read after the answer is later.
      const beforeSchedule = Date.now()
      const scheduled = (
        await api.post(
          `/admin/line-gift/shops/${shop.id}`,
          {
            auto_fetch_mode: "schedule",
            fetch_schedules: [
              { weekdays: [0, 1, 2, 3, 4, 5, 6], time: "03:07" },
            ],
          },
          headers
        )
      ).data.shop
      const at = new Date(scheduled.next_fetch_at)
      // 03:07 JST = 18:07 UTC the day before.
      expect([at.getUTCHours(), at.getUTCMinutes()]).toEqual([18, 7])
      expect(at.getTime()).toBeGreaterThan(beforeSchedule)
      expect(at.getTime()).toBeLessThanOrEqual(Date.now() + DAY * 1000)
      expect(
        (await api.get(`/admin/line-gift/shops/${shop.id}`, headers)).data.shop
          .next_fetch_at
      ).toBe(scheduled.next_fetch_at)

      // An unrelated edit keeps it; turning auto fetch off clears it.
      const renamed = (
        await api.post(
          `/admin/line-gift/shops/${shop.id}`,
          { name: "改名" },
          headers
        )
      ).data.shop
      expect(renamed.next_fetch_at).toBe(scheduled.next_fetch_at)
      const off = (
        await api.post(
          `/admin/line-gift/shops/${shop.id}`,
          { auto_fetch_mode: "off" },
          headers
        )
      ).data.shop
      expect(off.next_fetch_at).toBeNull()

      const bad = await api
        .post(
          `/admin/line-gift/shops/${shop.id}`,
          {
            fetch_schedules: Array.from({ length: 11 }, () => ({
              weekdays: [1],
              time: "09:00",
            })),
          },
          headers
        )
        .catch((e: any) => e.response)
      expect(bad.status).toBe(400)
      // Medusa's body validator words size limits itself ("too big, expected at most: '10'").
      expect(bad.data.message).toMatch(/fetch_schedules.*at most.*10/)
    })

    it("the tick runs a due shop once — even when several ticks/processes ask at once — and moves its next fetch", async () => {
      const shop = await connectedShop({
        auto_fetch_mode: "interval",
        fetch_interval_minutes: 30,
        fetch_days: 7,
      })
      const inWindow = sandbox.addOrder({
        ...TOWEL,
        status: "payment",
        bought_on: nowSec() - 3 * DAY,
      })
      sandbox.addOrder({
        ...TOWEL,
        status: "payment",
        bought_on: nowSec() - 9 * DAY,
      })
      // Not due yet: nothing runs.
      await service().updateLineGiftShops({
        id: shop.id,
        next_fetch_at: new Date(Date.now() + 600_000),
      })
      expect(await runDueLineGiftImports(getContainer(), new Date())).toEqual(
        []
      )

      await service().updateLineGiftShops({
        id: shop.id,
        next_fetch_at: new Date(Date.now() - 3 * 3600_000),
      })
      const now = new Date()
      const outcomes = (
        await Promise.all([
          runDueLineGiftImports(getContainer(), now),
          runDueLineGiftImports(getContainer(), now),
          runDueLineGiftImports(getContainer(), now),
        ])
      ).flat()
      const ran = outcomes.filter((o) => o.outcome === "ran")
      expect(ran).toHaveLength(1)
      expect(
        outcomes.every((o) => ["ran", "busy", "not_due"].includes(o.outcome))
      ).toBe(true)
      expect(ran[0].run).toMatchObject({
        trigger: "automatic",
        state: "succeeded",
        created_count: 1,
      })
      // Automatic window: the shop's fetch_days (7), so the 9-day-old order is not imported.
      expect((await record(shop.id, inWindow.id)).state).toBe("imported")
      expect(await ordersCount()).toBe(1)

      const after = (
        await api.get(`/admin/line-gift/shops/${shop.id}`, headers)
      ).data.shop
      expect(new Date(after.last_fetched_at).getTime()).toBeGreaterThanOrEqual(
        now.getTime()
      )
      expect(new Date(after.next_fetch_at).getTime()).toBe(
        new Date(after.last_fetched_at).getTime() + 30 * 60_000
      )
      // Three hours of missed slots were ONE catch-up run.
      const runs = (
        await api.get(`/admin/line-gift/runs?shop_id=${shop.id}`, headers)
      ).data
      expect(
        runs.runs.filter((r: any) => r.trigger === "automatic")
      ).toHaveLength(1)
      expect(await runDueLineGiftImports(getContainer(), new Date())).toEqual(
        []
      )
    })

    it("a shop whose stored schedule cannot be read does not stop the other shops' fetches", async () => {
      // Its own LINE Gift app: the admin refuses two live shops on one.
      const broken = await connectedShop({ fetch_days: 7, ...SECOND_APP_SHOP })
      // Written around the admin API (which refuses it): 11 weekday schedules, none computed yet.
      await service().updateLineGiftShops({
        id: broken.id,
        auto_fetch_mode: "schedule",
        fetch_schedules: Array.from({ length: 11 }, () => ({
          weekdays: [1],
          time: "09:00",
        })),
        next_fetch_at: null,
      })
      const good = await connectedShop({
        auto_fetch_mode: "interval",
        fetch_interval_minutes: 30,
        fetch_days: 7,
      })
      await service().updateLineGiftShops({
        id: good.id,
        next_fetch_at: new Date(Date.now() - 60_000),
      })
      const order = sandbox.addOrder({
        ...TOWEL,
        status: "payment",
        bought_on: nowSec() - 3600,
      })

      const outcomes = await runDueLineGiftImports(getContainer(), new Date())
      expect(outcomes.find((o) => o.shop_id === good.id)).toMatchObject({
        outcome: "ran",
        run: { state: "succeeded" },
      })
      expect(outcomes.find((o) => o.shop_id === broken.id)).toMatchObject({
        outcome: "error",
        error: expect.stringMatching(/fetch settings cannot be read/),
      })
      expect((await record(good.id, order.id)).state).toBe("imported")
    })

    it("a tick inside the hour window runs; outside it does not", async () => {
      // A one-hour window that does not hold the real clock's Japan hour (a shop saved inside
      // its window is due at once): it starts two hours after the current JST hour.
      const hourNow = new Date(Date.now() + 9 * 3600_000).getUTCHours()
      const start = (hourNow + 2) % 24
      const shop = await connectedShop({
        auto_fetch_mode: "interval",
        fetch_interval_minutes: 60,
        fetch_window_start_hour: start,
        fetch_window_end_hour: (start + 1) % 24,
      })
      const stored = new Date(
        (await service().retrieveLineGiftShop(shop.id)).next_fetch_at
      )
      const d = new Date(stored.getTime() + 9 * 3600_000) // its JST calendar day
      const day = [
        d.getUTCFullYear(),
        d.getUTCMonth() + 1,
        d.getUTCDate(),
      ] as const
      const windowStart = tokyoTime(...day, start, 0)
      expect(stored.toISOString()).toBe(windowStart.toISOString())
      expect(
        await runDueLineGiftImports(
          getContainer(),
          new Date(windowStart.getTime() - 60_000)
        )
      ).toEqual([])
      const [outcome] = await runDueLineGiftImports(
        getContainer(),
        new Date(windowStart.getTime() + 30 * 60_000)
      )
      expect(outcome.outcome).toBe("ran")
      // The next one is the next day's window (start + 30 min + 60 min is outside).
      const next = new Date(
        (await service().retrieveLineGiftShop(shop.id)).next_fetch_at
      )
      expect(next.getTime()).toBeGreaterThanOrEqual(
        windowStart.getTime() + DAY * 1000
      )
      expect(new Date(next.getTime() + 9 * 3600_000).getUTCHours()).toBe(start)
    })

    it("manual import: default last 24 hours, explicit from–to in Japan time to the minute", async () => {
      const shop = await connectedShop()
      const recent = sandbox.addOrder({
        ...TOWEL,
        status: "payment",
        bought_on: nowSec() - 3600,
      })
      const older = sandbox.addOrder({
        ...TOWEL,
        status: "payment",
        bought_on: nowSec() - 2 * DAY,
      })

      const first = await importNow(shop.id)
      expect(first.orders.map((o: any) => o.line_gift_order_id)).toEqual([
        recent.id,
      ])
      expect(first.run.created_count).toBe(1)

      // The exact minute of `older` (Japan time, no offset) bounds the window on both sides.
      const jst = new Date((older.bought_on as number) * 1000 + 9 * 3600_000)
        .toISOString()
        .slice(0, 16)
      const minuteLater = new Date(
        (older.bought_on as number) * 1000 + 9 * 3600_000 + 60_000
      )
        .toISOString()
        .slice(0, 16)
      const none = await importNow(shop.id, {
        from: minuteLater,
        to: minuteLater,
      })
      expect(none.run.created_count).toBe(0)
      const second = await importNow(shop.id, { from: jst, to: minuteLater })
      expect(second.orders.map((o: any) => o.line_gift_order_id)).toEqual([
        older.id,
      ])
    })

    it("wait: false answers 202 with the running run, whose progress can be polled to the end", async () => {
      const shop = await connectedShop()
      for (let i = 0; i < 3; i++) {
        sandbox.addOrder({
          ...TOWEL,
          status: "payment",
          bought_on: nowSec() - 600,
        })
      }
      // LINE Gift answers each order page slowly, so the run is still going for the second call
      // (the bulk import itself takes well under a second).
      sandbox.setFaults({ delayMs: 1500, delayOn: "orders" })
      const res = await api.post(
        `/admin/line-gift/shops/${shop.id}/import`,
        { wait: false },
        headers
      )
      expect(res.status).toBe(202)
      expect(res.data.run).toMatchObject({
        state: "running",
        trigger: "manual",
        created_count: 0,
      })
      expect(res.data.orders).toBeUndefined()

      // While it runs, a second import of the shop is refused.
      const second = await api
        .post(
          `/admin/line-gift/shops/${shop.id}/import`,
          { wait: false },
          headers
        )
        .catch((e: any) => e.response)
      expect(second.status).toBe(400)
      expect(second.data.message).toContain("already running")

      let run: any
      for (let i = 0; i < 120; i++) {
        run = (
          await api.get(`/admin/line-gift/runs/${res.data.run.id}`, headers)
        ).data.run
        if (run.state !== "running") break
        await new Promise((r) => setTimeout(r, 500))
      }
      expect(run).toMatchObject({
        state: "succeeded",
        pages_read: 1,
        seen_count: 3,
        created_count: 3,
      })
      expect(await ordersCount()).toBe(3)
    })

    it("imports a gift accepted after it left the window: bought 10 days ago, accepted today, window 7 days", async () => {
      const shop = await connectedShop({ fetch_days: 7 })
      const gift = sandbox.addOrder({
        ...TOWEL,
        status: "gift_message_send",
        address: {},
        bought_on: nowSec() - 10 * DAY,
      })
      const days = (n: number) =>
        new Date(Date.now() - n * DAY * 1000).toISOString()

      // Nine days ago the 7-day window covered it: that run saw it waiting for the recipient.
      const old = await importNow(shop.id, { from: days(11), to: days(9.5) })
      expect(old.run.created_count).toBe(0)
      expect(await record(shop.id, gift.id)).toMatchObject({
        state: "seen",
        line_gift_status: "gift_message_send",
      })
      // Control: as old, already payable, but never seen while inside a window.
      const control = sandbox.addOrder({
        ...TOWEL,
        status: "payment",
        bought_on: nowSec() - 10 * DAY,
      })

      // Today the recipient accepted and entered the address.
      sandbox.updateOrder(gift.id, {
        status: "payment",
        address: ADDRESS,
        received_on: nowSec(),
      })
      const today = await importNow(shop.id, {
        from: days(7),
        to: new Date().toISOString(),
      })
      expect(today.orders.map((o: any) => o.line_gift_order_id)).toEqual([
        gift.id,
      ])
      const order = await medusaOrder(today.orders[0].order_id)
      expect(order.shipping_address).toMatchObject({
        postal_code: ADDRESS.zip,
        province: ADDRESS.pref,
      })
      expect(order.line_gift_order).toMatchObject({
        state: "imported",
        line_gift_status: "payment",
      })
      // An order never seen while in the window stays outside it (the window still applies).
      expect(await record(shop.id, control.id)).toBeUndefined()
    })

    it("a gift cancelled on LINE Gift cancels its unfulfilled Medusa order and releases the stock", async () => {
      const shop = await connectedShop()
      const gift = sandbox.addOrder({
        ...TOWEL,
        status: "payment",
        bought_on: nowSec() - 600,
      })
      const first = await importNow(shop.id)
      const orderId = first.orders[0].order_id
      const before = await medusaOrder(orderId)
      const reserved = await reservationsOf(before)
      expect(reserved.map((r: any) => Number(r.quantity))).toEqual([1])

      sandbox.updateOrder(gift.id, { status: "cancel" })
      const second = await importNow(shop.id)
      expect(second.run.state).toBe("succeeded")
      const after = await medusaOrder(orderId)
      expect(after.status).toBe("canceled")
      expect(await reservationsOf(after)).toHaveLength(0)
      expect(await record(shop.id, gift.id)).toMatchObject({
        line_gift_status: "cancel",
        attention_reason: null,
      })

      // Seen again: nothing more happens.
      const third = await importNow(shop.id)
      expect(third.run.errors).toEqual([])
    })

    it("a gift cancelled after fulfilment is flagged for a person and listed in the run's errors", async () => {
      const shop = await connectedShop()
      const gift = sandbox.addOrder({
        ...TOWEL,
        status: "payment",
        bought_on: nowSec() - 600,
      })
      const orderId = (await importNow(shop.id)).orders[0].order_id
      const order = await medusaOrder(orderId)
      await createOrderFulfillmentWorkflow(getContainer()).run({
        input: {
          order_id: orderId,
          items: order.items.map((i: any) => ({
            id: i.id,
            quantity: Number(i.quantity),
          })),
        },
      })

      sandbox.updateOrder(gift.id, { status: "cancel" })
      const run = (await importNow(shop.id)).run
      expect(run.state).toBe("partial")
      expect(run.errors).toEqual([
        { line_gift_order_id: gift.id, reason: CANCELLED_AFTER_FULFILMENT },
      ])
      expect((await medusaOrder(orderId)).status).not.toBe("canceled")
      expect(await record(shop.id, gift.id)).toMatchObject({
        line_gift_status: "cancel",
        attention_reason: CANCELLED_AFTER_FULFILMENT,
      })
    })

    it("provisional import: a waiting gift reserves stock, gets its address later, or is cancelled and released", async () => {
      const shop = await connectedShop({ provisional_import: true })
      const waiting = sandbox.addOrder({
        ...TOWEL,
        status: "gift_message_send",
        address: { from_name: "山田 花子" },
        bought_on: nowSec() - 600,
      })
      const dropped = sandbox.addOrder({
        ...TOWEL,
        status: "gift_message_wait",
        address: {},
        bought_on: nowSec() - 600,
      })

      const first = await importNow(shop.id)
      expect(first.run.created_count).toBe(2)
      const byId = new Map<string, any>(
        first.orders.map((o: any) => [o.line_gift_order_id, o])
      )
      for (const o of first.orders) {
        expect(o.flags).toContain("provisional")
      }
      const waitingOrder = await medusaOrder(byId.get(waiting.id).order_id)
      expect(waitingOrder.shipping_address).toMatchObject({
        country_code: "jp",
        postal_code: null,
      })
      expect(waitingOrder.line_gift_order).toMatchObject({
        provisional: true,
        state: "imported",
      })
      expect(waitingOrder.metadata.line_gift.provisional).toBe(true)
      expect(await reservationsOf(waitingOrder)).toHaveLength(1)

      // The recipient accepts and enters the address; the other gift is cancelled.
      sandbox.updateOrder(waiting.id, { status: "payment", address: ADDRESS })
      sandbox.updateOrder(dropped.id, { status: "cancel" })
      const second = await importNow(shop.id)
      expect(second.run.errors).toEqual([])
      expect(second.run.created_count).toBe(0)

      const completed = await medusaOrder(byId.get(waiting.id).order_id)
      expect(completed.shipping_address).toMatchObject({
        postal_code: ADDRESS.zip,
        province: ADDRESS.pref,
        city: ADDRESS.city,
        address_1: ADDRESS.address,
        last_name: ADDRESS.last_name,
        country_code: "jp",
      })
      expect(completed.line_gift_order).toMatchObject({
        provisional: false,
        line_gift_status: "payment",
      })
      expect(completed.line_gift_order.flags).not.toContain("provisional")
      expect(completed.metadata.line_gift).toMatchObject({
        provisional: false,
        status: "payment",
      })
      expect(await reservationsOf(completed)).toHaveLength(1)

      const cancelled = await medusaOrder(byId.get(dropped.id).order_id)
      expect(cancelled.status).toBe("canceled")
      expect(await reservationsOf(cancelled)).toHaveLength(0)
    })

    it("without provisional import, waiting gifts are only tracked (seen), not imported", async () => {
      const shop = await connectedShop()
      const waiting = sandbox.addOrder({
        ...TOWEL,
        status: "gift_message_send",
        address: {},
        bought_on: nowSec() - 600,
      })
      const result = await importNow(shop.id)
      expect(result.run.created_count).toBe(0)
      expect(await record(shop.id, waiting.id)).toMatchObject({
        state: "seen",
        provisional: false,
      })
      expect(await ordersCount()).toBe(0)
    })

    it("automatic windows join up: an order bought between two daily runs with fetch_days 1 is imported", async () => {
      // Daily fetch of the last day: each run's window ends at its clock, the next one starts a
      // day before ITS clock — which is later than the previous window's end by the run's length
      // and the tick's delay (next fetch = the run's END + 24 h).
      const shop = await connectedShop({
        auto_fetch_mode: "interval",
        fetch_interval_minutes: 1440,
        fetch_days: 1,
      })
      const first = new Date(Date.now() - DAY * 1000 - 10 * 60_000)
      await service().updateLineGiftShops({
        id: shop.id,
        next_fetch_at: new Date(first.getTime() - 60_000),
      })
      const [run1] = await runDueLineGiftImports(getContainer(), first)
      expect(run1.outcome).toBe("ran")
      // Bought a minute after the first window ended (it was not there yet, or LINE Gift's
      // list had not caught up): the first run skips it as after its window.
      const between = sandbox.addOrder({
        ...TOWEL,
        status: "payment",
        bought_on: Math.floor(first.getTime() / 1000) + 60,
      })
      const second = new Date(first.getTime() + DAY * 1000 + 2 * 60_000)
      await service().updateLineGiftShops({
        id: shop.id,
        next_fetch_at: new Date(second.getTime() - 60_000),
      })
      const [run2] = await runDueLineGiftImports(getContainer(), second)
      expect(run2.outcome).toBe("ran")
      expect((await record(shop.id, between.id))?.state).toBe("imported")
      expect(
        new Date((run2.run as any).window_from).getTime()
      ).toBeLessThanOrEqual(first.getTime())
    })

    it("a manual import of a past range does not use up the automatic fetch that is due", async () => {
      const shop = await connectedShop({
        auto_fetch_mode: "interval",
        fetch_interval_minutes: 1440,
      })
      const due = new Date(Date.now() - 60_000)
      await service().updateLineGiftShops({ id: shop.id, next_fetch_at: due })
      const fresh = sandbox.addOrder({
        ...TOWEL,
        status: "payment",
        bought_on: nowSec() - 600,
      })
      // Last week's orders, imported by hand while the automatic fetch was due.
      const weekAgo = new Date(Date.now() - 7 * DAY * 1000 + 9 * 3600_000)
        .toISOString()
        .slice(0, 10)
      const manual = await importNow(shop.id, { from: weekAgo, to: weekAgo })
      expect(manual.run.created_count).toBe(0)
      expect(
        new Date(
          (await service().retrieveLineGiftShop(shop.id)).next_fetch_at
        ).getTime()
      ).toBeLessThanOrEqual(due.getTime())
      const [auto] = await runDueLineGiftImports(getContainer(), new Date())
      expect(auto?.outcome).toBe("ran")
      expect((await record(shop.id, fresh.id))?.state).toBe("imported")
    })

    it("an automatic fetch that fails is tried again soon (15, then 30 minutes), not a whole interval (or weekday slot) later", async () => {
      const shop = await dailyShopDueNow()
      const order = sandbox.addOrder({
        ...TOWEL,
        status: "payment",
        bought_on: nowSec() - 600,
      })
      sandbox.setFaults({
        bodyError: { count: 2, code: 404, reason: "not found", on: "orders" },
      })
      const [failed] = await runDueLineGiftImports(getContainer(), new Date())
      expect(failed.run).toMatchObject({ state: "failed" })
      const first = new Date(
        (await service().retrieveLineGiftShop(shop.id)).next_fetch_at
      )
      expect(first.getTime()).toBeLessThanOrEqual(Date.now() + 15 * 60_000)
      expect(first.getTime()).toBeGreaterThan(Date.now())
      // Failing again: the wait doubles (30 minutes), still well before tomorrow's fetch.
      const [again] = await runDueLineGiftImports(
        getContainer(),
        new Date(first.getTime() + 1000)
      )
      expect(again.run).toMatchObject({ state: "failed" })
      const next = new Date(
        (await service().retrieveLineGiftShop(shop.id)).next_fetch_at
      )
      expect(next.getTime()).toBeGreaterThan(Date.now() + 16 * 60_000)
      expect(next.getTime()).toBeLessThanOrEqual(Date.now() + 30 * 60_000)
      // The retry imports the order (LINE Gift answers again).
      const [retry] = await runDueLineGiftImports(
        getContainer(),
        new Date(next.getTime() + 1000)
      )
      expect(retry.outcome).toBe("ran")
      expect((await record(shop.id, order.id))?.state).toBe("imported")
    })

    it("an automatic run that throws before it can finish is tried again soon too", async () => {
      const shop = await dailyShopDueNow()
      // The window's read of earlier runs fails once, after the slot was claimed.
      const spy = jest
        .spyOn(service(), "listLineGiftSyncRuns")
        .mockRejectedValueOnce(new Error("connection terminated unexpectedly"))
      try {
        const [failed] = await runDueLineGiftImports(getContainer(), new Date())
        expect(failed).toMatchObject({ outcome: "error" })
      } finally {
        spy.mockRestore()
      }
      const next = new Date(
        (await service().retrieveLineGiftShop(shop.id)).next_fetch_at
      )
      expect(next.getTime()).toBeLessThanOrEqual(Date.now() + 15 * 60_000)
      expect(next.getTime()).toBeGreaterThan(Date.now())
    })

    it("saving the settings form unchanged in its schedule keeps a due fetch (the admin sends every field)", async () => {
      const shop = await connectedShop({
        auto_fetch_mode: "schedule",
        fetch_schedules: [{ weekdays: [0, 1, 2, 3, 4, 5, 6], time: "09:00" }],
      })
      // The 09:00 slot came while the shop was busy (a manual import held its lock): due.
      const due = new Date(Date.now() - 60_000)
      await service().updateLineGiftShops({ id: shop.id, next_fetch_at: due })
      const stored = (
        await api.get(`/admin/line-gift/shops/${shop.id}`, headers)
      ).data.shop
      // The settings page saves a carrier change with the whole form (bodyFromForm).
      const saved = (
        await api.post(
          `/admin/line-gift/shops/${shop.id}`,
          {
            name: stored.name,
            api_enabled: stored.api_enabled,
            auto_fetch_mode: stored.auto_fetch_mode,
            fetch_interval_minutes: stored.fetch_interval_minutes,
            fetch_window_start_hour: stored.fetch_window_start_hour,
            fetch_window_end_hour: stored.fetch_window_end_hour,
            fetch_schedules: stored.fetch_schedules,
            default_carrier: "ヤマト運輸",
          },
          headers
        )
      ).data.shop
      expect(new Date(saved.next_fetch_at).getTime()).toBe(due.getTime())
      // A real schedule change still moves it (past the clock read before the save: a read after
      // it is later than the slot when the save lands on Monday 10:00:00 JST).
      const beforeMove = Date.now()
      const moved = (
        await api.post(
          `/admin/line-gift/shops/${shop.id}`,
          { fetch_schedules: [{ weekdays: [1], time: "10:00" }] },
          headers
        )
      ).data.shop
      expect(new Date(moved.next_fetch_at).getTime()).toBeGreaterThan(
        beforeMove
      )
    })
  },
})
