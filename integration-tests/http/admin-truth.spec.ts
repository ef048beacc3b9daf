/**
 * The admin API tells the truth (issue 9 item 9, issue 16 items 2, 3, 6): retry says when it
 * failed again and why, and reads the order again from LINE Gift; the orders list refuses
 * filters it does not know; a date-only `to` is the end of that day (Japan time); skipped
 * orders are counted per reason; the shop list carries each shop's last run.
 */
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { seededAdminSuite } from "../helpers/suite"
import { createShop, sandboxForSuite } from "../helpers/line-gift"

jest.setTimeout(240_000)

const sandbox = sandboxForSuite()

/** "YYYY-MM-DD" of an instant in Japan time. */
const jstDate = (ms: number) =>
  new Date(ms + 9 * 3600_000).toISOString().slice(0, 10)

medusaIntegrationTestRunner({
  inApp: true,
  testSuite: ({ api, getContainer }) => {
    const { headers, connectedShop } = seededAdminSuite({
      api,
      getContainer,
      sandbox,
    })
    const importNow = async (shopId: string, body: Record<string, unknown>) =>
      (await api.post(`/admin/line-gift/shops/${shopId}/import`, body, headers))
        .data
    const recent = () => ({
      from: new Date(Date.now() - 120_000).toISOString(),
    })
    const failedRecords = async (shopId: string) =>
      (
        await api.get(
          `/admin/line-gift/orders?state=failed&shop_id=${shopId}`,
          headers
        )
      ).data.orders

    it("retry reads the order again from LINE Gift; a failure again is a 422 naming the reason", async () => {
      const shop = await connectedShop()
      const bad = sandbox.addOrder({ status: "payment", stock_count: 0 })
      const run = (await importNow(shop.id, recent())).run
      expect(run.failed_count).toBe(1)
      const [record] = await failedRecords(shop.id)
      expect(record).toMatchObject({
        line_gift_order_id: bad.id,
        failure_code: "malformed_order",
      })
      expect(record.failure_reason).toContain("stock_count")

      // Unchanged on LINE Gift: failed again, said so with the reason and its code.
      const again = await api
        .post(`/admin/line-gift/orders/${record.id}/retry`, {}, headers)
        .catch((e: any) => e.response)
      expect(again.status).toBe(422)
      expect(again.data).toMatchObject({
        type: "retry_failed",
        outcome: "failed",
        reason_code: "malformed_order",
        source: "line_gift",
        source_note: null,
        record: { state: "failed" },
      })
      expect(again.data.message).toMatch(/^Retry failed again: .*stock_count/)
      expect(again.data.record.raw).toBeUndefined()

      // Corrected on LINE Gift: the retry reads it anew and imports it (not the stored copy).
      sandbox.updateOrder(bad.id, { stock_count: 1 })
      const ok = await api.post(
        `/admin/line-gift/orders/${record.id}/retry`,
        {},
        headers
      )
      expect(ok.status).toBe(200)
      expect(ok.data).toMatchObject({
        outcome: "imported",
        source: "line_gift",
        record: { state: "imported", failure_reason: null },
      })
    })

    it("retry finds the order again on LINE Gift when its id arrives with spaces around it", async () => {
      const shop = await connectedShop()
      const id = String(987654000 + Math.floor(Math.random() * 1000))
      sandbox.addOrder({ id: ` ${id} `, status: "payment", stock_count: 0 })
      await importNow(shop.id, recent())
      const [record] = await failedRecords(shop.id)
      expect(record.line_gift_order_id).toBe(id)

      sandbox.updateOrder(` ${id} `, { stock_count: 1 })
      const ok = await api
        .post(`/admin/line-gift/orders/${record.id}/retry`, {}, headers)
        .catch((e: any) => e.response)
      expect(ok.data).toMatchObject({
        source: "line_gift",
        source_note: null,
        outcome: "imported",
        record: { state: "imported" },
      })
      expect(ok.status).toBe(200)
    })

    it("retry says when it re-used the stored copy because LINE Gift could not be read", async () => {
      const shop = await connectedShop()
      sandbox.addOrder({ status: "payment", stock_count: 0 })
      await importNow(shop.id, recent())
      const [record] = await failedRecords(shop.id)
      sandbox.setFaults({
        bodyError: {
          count: 1,
          code: 403,
          reason: "csrf_token_not_found",
          on: "orders",
        },
      })
      const res = await api
        .post(`/admin/line-gift/orders/${record.id}/retry`, {}, headers)
        .catch((e: any) => e.response)
      expect(res.status).toBe(422)
      expect(res.data).toMatchObject({
        source: "stored",
        source_note: "unreachable",
        outcome: "failed",
      })
      expect(res.data.source_error).toMatch(/LINE Gift/)
    })

    it("GET /admin/line-gift/orders filters by line_gift_order_id and refuses unknown filters", async () => {
      const shop = await connectedShop()
      const a = sandbox.addOrder({ status: "payment" })
      sandbox.addOrder({ status: "payment" })
      await importNow(shop.id, recent())

      const one = (
        await api.get(
          `/admin/line-gift/orders?shop_id=${shop.id}&line_gift_order_id=${a.id}`,
          headers
        )
      ).data
      expect(one.count).toBe(1)
      expect(one.orders.map((o: any) => o.line_gift_order_id)).toEqual([a.id])

      const unknown = await api
        .get(
          `/admin/line-gift/orders?shop_id=${shop.id}&order_id=${a.id}`,
          headers
        )
        .catch((e: any) => e.response)
      expect(unknown.status).toBe(400)
      expect(unknown.data.message).toContain("order_id")
    })

    it("a date-only to is the end of that day in Japan time: from = to = today imports today's orders", async () => {
      const shop = await connectedShop()
      const order = sandbox.addOrder({ status: "payment" })
      // The Japan day the order was bought (bought now): read from the order itself, not from a
      // clock read before adding it, which names the day before when JST midnight falls between.
      const today = jstDate((order.bought_on as number) * 1000)
      const result = await importNow(shop.id, { from: today, to: today })
      expect(result.orders.map((o: any) => o.line_gift_order_id)).toContain(
        order.id
      )
      expect(new Date(result.run.window_to).toISOString()).toBe(
        new Date(`${today}T23:59:59.999+09:00`).toISOString()
      )
    })

    it("counts every skipped order under a reason: after the window, before it, by status", async () => {
      const shop = await connectedShop()
      const now = Math.floor(Date.now() / 1000)
      sandbox.addOrder({ status: "payment", bought_on: now - 30 })
      sandbox.addOrder({ status: "payment", bought_on: now - 3600 * 5 })
      sandbox.addOrder({ status: "received", bought_on: now - 3600 * 2 })
      const to = new Date((now - 3600) * 1000).toISOString()
      const from = new Date((now - 3600 * 3) * 1000).toISOString()
      const { run } = await importNow(shop.id, { from, to })
      expect(run.skip_reasons).toMatchObject({
        after_window: expect.any(Number),
        "status:received": expect.any(Number),
      })
      expect(run.skip_reasons.after_window).toBeGreaterThanOrEqual(1)
      expect(run.skip_reasons.before_window).toBeGreaterThanOrEqual(1)
      const sum = Object.values(
        run.skip_reasons as Record<string, number>
      ).reduce((a, b) => a + b, 0)
      expect(sum).toBe(run.skipped_count)

      // Without `to`, the window ends when the request arrives: the newest order is imported.
      const { orders } = await importNow(shop.id, { from })
      expect(orders.length).toBeGreaterThanOrEqual(1)
    })

    it("refuses two identical fetch schedules with a message naming the field", async () => {
      const shop = await createShop(api, headers)
      const same = { weekdays: [1, 3], time: "09:00" }
      const res = await api
        .post(
          `/admin/line-gift/shops/${shop.id}`,
          { fetch_schedules: [same, { weekdays: [3, 1], time: "09:00" }] },
          headers
        )
        .catch((e: any) => e.response)
      expect(res.status).toBe(400)
      expect(res.data.message).toContain(
        "fetch_schedules: two schedules have the same weekdays and time"
      )
      const ok = await api.post(
        `/admin/line-gift/shops/${shop.id}`,
        { fetch_schedules: [same, { weekdays: [1, 3], time: "10:00" }] },
        headers
      )
      expect(ok.status).toBe(200)
    })

    it("the shop list shows each shop's last import run, also when it partly failed", async () => {
      const shop = await connectedShop()
      sandbox.addOrder({ status: "payment", stock_count: 0 })
      const { run } = await importNow(shop.id, recent())
      expect(run.state).toBe("partial")
      const { shops } = (await api.get("/admin/line-gift/shops", headers)).data
      const listed = shops.find((s: any) => s.id === shop.id)
      expect(listed.last_runs.import).toMatchObject({
        id: run.id,
        state: "partial",
        failed_count: 1,
      })
      expect(listed.last_runs.export).toBeNull()
      expect(listed.client_secret).toBeUndefined()

      const { run: detail } = (
        await api.get(`/admin/line-gift/runs/${run.id}`, headers)
      ).data
      expect(detail.errors[0]).toMatchObject({ code: "malformed_order" })
    })
  },
})
