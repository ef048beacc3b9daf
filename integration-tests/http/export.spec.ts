/**
 * Shipments back to LINE Gift, end to end: a Medusa app on real PostgreSQL, the plugin loaded
 * from src/ (subscribers, routes), the sandbox over HTTP. Orders are imported through the
 * import route, fulfilled with Medusa's own workflow / admin API, and the sandbox is asked
 * what it received.
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
import {
  exportLockKey,
  runLineGiftExportSweep,
} from "../../src/workflows/export/run-export"
import {
  runExport,
  withExportLock,
} from "../../src/workflows/export/run/shared"
import { dueExports } from "../../src/workflows/export/run/sweep"
import { LINE_GIFT_MODULE } from "../../src/modules/line-gift"
import { japanDate } from "../../src/lib/carrier"

jest.setTimeout(240_000)

const sandbox = sandboxForSuite()

/** Polls `read` until `done` holds (the subscriber runs after the fulfilment's workflow). */
async function waitFor<T>(
  read: () => Promise<T>,
  done: (v: T) => boolean,
  what: string,
  timeoutMs = 60_000
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: T = await read()
  while (!done(last)) {
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${what}; last: ${JSON.stringify(last)}`
      )
    }
    await new Promise((r) => setTimeout(r, 200))
    last = await read()
  }
  return last
}

medusaIntegrationTestRunner({
  inApp: true,
  testSuite: ({ api, getContainer }) => {
    const { store, headers, connectedShop } = seededAdminSuite({
      api,
      getContainer,
      sandbox,
      shopDefaults: { default_carrier: "ヤマト運輸" },
    })

    /**
     * Adds `n` fresh 発送待ち orders to the sandbox and imports them (a two-minute window).
     * The item is one without managed inventory: these tests are about shipments, not stock.
     */
    const importFresh = async (shopId: string, n: number) => {
      const added = Array.from({ length: n }, () =>
        sandbox.addOrder({
          status: "payment",
          bought_on: Math.floor(Date.now() / 1000) - 5,
          item: {
            id: "300104",
            code: "LG-SAKE-04",
            name: "純米吟醸 飲み比べセット",
          },
          variation: { id: "900141", code: "LG-SAKE-04-3", name: "3本セット" },
          stock_count: 1,
          selling_price: 5500,
        } as any)
      )
      const { data } = await api.post(
        `/admin/line-gift/shops/${shopId}/import`,
        { from: new Date(Date.now() - 120_000).toISOString() },
        headers
      )
      const byId = new Map<string, any>(
        data.orders.map((o: any) => [o.line_gift_order_id, o])
      )
      return added.map((lg) => {
        const imported = byId.get(lg.id)
        expect(imported).toBeDefined()
        return { lgId: lg.id as string, orderId: imported.order_id as string }
      })
    }

    const orderItems = async (orderId: string) => {
      const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
      const { data } = await query.graph({
        entity: "order",
        fields: ["id", "items.*", "metadata"],
        filters: { id: orderId },
      })
      return data[0] as any
    }

    /** Fulfils the whole order with Medusa's workflow (as a fulfilment provider with labels would). */
    const fulfil = async (orderId: string, trackingNumber?: string) => {
      const order = await orderItems(orderId)
      const { result } = await createOrderFulfillmentWorkflow(
        getContainer()
      ).run({
        input: {
          order_id: orderId,
          items: order.items.map((i: any) => ({
            id: i.id,
            quantity: Number(i.quantity),
          })),
          labels: trackingNumber
            ? [
                {
                  tracking_number: trackingNumber,
                  tracking_url: "",
                  label_url: "",
                },
              ]
            : [],
        },
      })
      return result.id as string
    }

    /** Marks a fulfilment shipped through the admin API, with labels (they replace earlier ones). */
    const ship = async (
      orderId: string,
      fulfillmentId: string,
      trackingNumber: string
    ) => {
      const order = await orderItems(orderId)
      await api.post(
        `/admin/orders/${orderId}/fulfillments/${fulfillmentId}/shipments`,
        {
          items: order.items.map((i: any) => ({
            id: i.id,
            quantity: Number(i.quantity),
          })),
          labels: [
            {
              tracking_number: trackingNumber,
              tracking_url: "",
              label_url: "",
            },
          ],
        },
        headers
      )
    }

    const exportOf = async (orderId: string) => {
      const { data } = await api.get(
        `/admin/line-gift/exports?order_id=${orderId}`,
        headers
      )
      return data.exports[0] as any
    }

    const waitExport = (
      orderId: string,
      done: (e: any) => boolean,
      what: string
    ) =>
      waitFor(
        () => exportOf(orderId),
        (e) => !!e && done(e),
        what
      )

    /** Delivery calls the sandbox answered for one LINE Gift order (outage calls have status 0). */
    const deliveries = (lgId: string) =>
      sandbox.calls.filter(
        (c) =>
          c.kind === "delivery" &&
          c.path.includes(`/order/${lgId}/`) &&
          c.status !== 0
      )

    it("pushes a fulfilment with a tracking number at once: the sandbox order is received with that number and carrier", async () => {
      const shop = await connectedShop()
      const [o] = await importFresh(shop.id, 1)
      await fulfil(o.orderId, "4455-6677-8899") // sent as 445566778899 (ヤマト運輸: 12 digits)

      const row = await waitExport(
        o.orderId,
        (e) => e.state === "sent",
        "export sent"
      )
      // The Japan date of the push itself (the step stamps sent_at and ship_date from one clock
      // read): a date read after waiting for the row names the next day when JST midnight
      // (15:00 UTC) falls between the push and the read. It is today's date, give or take the wait.
      const today = japanDate(new Date(row.sent_at))
      expect(Date.now() - new Date(row.sent_at).getTime()).toBeLessThan(
        5 * 60_000
      )
      expect(row).toMatchObject({
        shop_id: shop.id,
        line_gift_order_id: o.lgId,
        tracking_number: "445566778899",
        carrier: "ヤマト運輸",
        sent_tracking_number: "445566778899",
        sent_carrier: "ヤマト運輸",
        attempts: 1,
        last_error: null,
        ship_date: today,
      })
      expect(row.sent_at).toBeTruthy()

      const lg = sandbox.getOrder(o.lgId) as any
      expect(lg).toMatchObject({
        status: "received",
        delivery_code: "445566778899",
        delivery_agent: "ヤマト運輸",
      })
      expect(deliveries(o.lgId)).toHaveLength(1)

      // The order's metadata is written by the workflow's last step, after the row is `sent`.
      const order = await waitFor(
        () => orderItems(o.orderId),
        (ord: any) => !!ord.metadata?.line_gift?.shipment,
        "shipment metadata"
      )
      expect(order.metadata.line_gift.status).toBe("received")
      expect(order.metadata.line_gift.shipment).toMatchObject({
        tracking_number: "445566778899",
        carrier: "ヤマト運輸",
        ship_date: today,
      })
      // The import's metadata is kept.
      expect(order.metadata.line_gift.order_id).toBe(o.lgId)

      const carriers = (await api.get("/admin/line-gift/carriers", headers))
        .data
      expect(carriers.carriers).toEqual([
        "ヤマト運輸",
        "佐川急便",
        "日本郵便",
        "西濃運輸",
        "福山通運",
      ])
    })

    it('scope "shipped only" waits for the shipment, and sends the labels given at shipment', async () => {
      const shop = await connectedShop({ export_scope: "shipped" })
      const [o] = await importFresh(shop.id, 1)
      const fulfillmentId = await fulfil(o.orderId, "111111111111")

      const held = await waitExport(
        o.orderId,
        (e) => e.state === "held",
        "export held"
      )
      expect(held.last_error).toContain("not shipped yet")
      expect(deliveries(o.lgId)).toHaveLength(0)
      expect((sandbox.getOrder(o.lgId) as any).status).toBe("payment")

      await ship(o.orderId, fulfillmentId, "222222222222")
      const sent = await waitExport(
        o.orderId,
        (e) => e.state === "sent",
        "export sent"
      )
      expect(sent.sent_tracking_number).toBe("222222222222")
      expect(deliveries(o.lgId)).toHaveLength(1)
      expect(sandbox.getOrder(o.lgId)).toMatchObject({
        status: "received",
        delivery_code: "222222222222",
      })
    })

    it("holds an export without carrier, with the reason; after the mapping is fixed the sweep sends it", async () => {
      const shop = await connectedShop({ default_carrier: null })
      const [o] = await importFresh(shop.id, 1)
      await fulfil(o.orderId, "778877887788")

      const held = await waitExport(
        o.orderId,
        (e) => e.state === "held",
        "export held"
      )
      expect(held.last_error).toContain("no carrier")
      expect(held.last_error).toContain(store.shipping_option_id)
      expect(held.carrier).toBeNull()

      await runLineGiftExportSweep(getContainer(), { shop_id: shop.id })
      expect((await exportOf(o.orderId)).state).toBe("held")
      expect(deliveries(o.lgId)).toHaveLength(0)

      await api.post(
        `/admin/line-gift/shops/${shop.id}`,
        { carrier_map: { [store.shipping_option_id]: "佐川急便" } },
        headers
      )
      const result = await runLineGiftExportSweep(getContainer(), {
        shop_id: shop.id,
      })
      expect(result.sent).toBe(1)
      const sent = await exportOf(o.orderId)
      expect(sent).toMatchObject({
        state: "sent",
        carrier: "佐川急便",
        sent_carrier: "佐川急便",
      })
      expect(sandbox.getOrder(o.lgId)).toMatchObject({
        status: "received",
        delivery_code: "778877887788",
        delivery_agent: "佐川急便",
      })
    })

    it("LINE Gift down while three orders are fulfilled: all pending; back up: the sweep delivers each exactly once", async () => {
      const shop = await connectedShop()
      const orders = await importFresh(shop.id, 3)
      sandbox.setFaults({ outage: true })
      for (const [i, o] of orders.entries()) {
        await fulfil(o.orderId, `30000000000${i}`)
      }
      for (const o of orders) {
        const row = await waitExport(
          o.orderId,
          (e) => e.state === "pending" && e.attempts >= 1,
          "export pending after a failed push"
        )
        expect(row.last_error).toContain("network error")
        expect(new Date(row.next_attempt_at).getTime()).toBeGreaterThan(
          Date.now()
        )
        expect(deliveries(o.lgId)).toHaveLength(0)
      }
      // Not due yet: a sweep now sends nothing.
      const early = await runLineGiftExportSweep(getContainer(), {
        shop_id: shop.id,
      })
      expect(early.sent).toBe(0)

      sandbox.clearFaults()
      const later = new Date(Date.now() + 2 * 3600_000)
      // Two sweeps at once: the per-shop lock and the re-read keep each push single.
      const [a, b] = await Promise.all([
        runLineGiftExportSweep(getContainer(), {
          shop_id: shop.id,
          now: later,
        }),
        runLineGiftExportSweep(getContainer(), {
          shop_id: shop.id,
          now: later,
        }),
      ])
      expect(a.sent + b.sent).toBe(3)
      for (const [i, o] of orders.entries()) {
        expect(deliveries(o.lgId)).toHaveLength(1)
        expect(sandbox.getOrder(o.lgId)).toMatchObject({
          status: "received",
          delivery_code: `30000000000${i}`,
        })
        expect(await exportOf(o.orderId)).toMatchObject({
          state: "sent",
          sent_tracking_number: `30000000000${i}`,
        })
      }
      await runLineGiftExportSweep(getContainer(), {
        shop_id: shop.id,
        now: later,
      })
      for (const o of orders) {
        expect(deliveries(o.lgId)).toHaveLength(1)
      }
    })

    it("a tracking number changed after the push is sent once as a correction", async () => {
      const shop = await connectedShop()
      const [o] = await importFresh(shop.id, 1)
      const fulfillmentId = await fulfil(o.orderId, "100000000001")
      await waitExport(o.orderId, (e) => e.state === "sent", "first push")

      await ship(o.orderId, fulfillmentId, "200000000002")
      const corrected = await waitExport(
        o.orderId,
        (e) => e.state === "sent" && e.sent_tracking_number === "200000000002",
        "correction sent"
      )
      expect(corrected.tracking_number).toBe("200000000002")
      expect(deliveries(o.lgId)).toHaveLength(2)
      expect(sandbox.getOrder(o.lgId)).toMatchObject({
        status: "received",
        delivery_code: "200000000002",
      })
      // The order's metadata is written by the workflow's last step, after the row is `sent`.
      const order = await waitFor(
        () => orderItems(o.orderId),
        (ord: any) =>
          ord.metadata?.line_gift?.shipment?.tracking_number === "200000000002",
        "corrected shipment metadata"
      )
      expect(order.metadata.line_gift.shipment.tracking_number).toBe(
        "200000000002"
      )

      // Nothing changed since: neither a sweep nor a manual export sends it again.
      await runLineGiftExportSweep(getContainer(), {
        shop_id: shop.id,
        now: new Date(Date.now() + 3600_000),
      })
      const manual = (
        await api.post(`/admin/line-gift/shops/${shop.id}/export`, {}, headers)
      ).data
      expect(manual.counts).toEqual({
        sent: 0,
        unchanged: 1,
        held: 0,
        failed: 0,
      })
      expect(deliveries(o.lgId)).toHaveLength(2)
    })

    /**
     * Runs `body` while another job holds the shop's export lock, with the events' wait for it
     * scaled down to 1 s (the plugin option; default 120 s).
     */
    const withShopLockBusy = async (
      shopId: string,
      body: () => Promise<void>
    ) => {
      const options = getContainer().resolve(LINE_GIFT_MODULE).getOptions()
      const wait = options.exportEventLockWaitSec
      options.exportEventLockWaitSec = 1
      const locking = getContainer().resolve(Modules.LOCKING)
      let release!: () => void
      let taken!: () => void
      const isTaken = new Promise<void>((r) => (taken = r))
      const job = locking.execute(
        exportLockKey(shopId),
        () =>
          new Promise<void>((r) => {
            release = r
            taken()
          }),
        { timeout: 5 }
      )
      try {
        await isTaken
        await body()
      } finally {
        release()
        await job
        options.exportEventLockWaitSec = wait
      }
    }

    /** Runs one export as the sweep or a manual export does: under the shop's export lock. */
    const runExportLocked = async (
      shopId: string,
      input: Parameters<typeof runExport>[1]
    ) => {
      const locked = await withExportLock(getContainer(), shopId, 30, () =>
        runExport(getContainer(), input)
      )
      expect(locked.ran).toBe(true)
    }

    const exportRuns = async (shopId: string) =>
      (
        await api.get(
          `/admin/line-gift/runs?shop_id=${shopId}&kind=export`,
          headers
        )
      ).data.runs as any[]

    it("review: a fulfilment whose event cannot get the shop's export lock is never lost: a pending row with the reason, the next sweep pushes it once", async () => {
      const shop = await connectedShop()
      const [o, p] = await importFresh(shop.id, 2)
      // p was sent before; its tracking number changes while the lock is busy (a correction).
      const pFulfilment = await fulfil(p.orderId, "100000000001")
      await waitExport(p.orderId, (e) => e.state === "sent", "first push")

      await withShopLockBusy(shop.id, async () => {
        await fulfil(o.orderId, "123412341234")
        await ship(p.orderId, pFulfilment, "200000000002")
        const runs = await waitFor(
          () => exportRuns(shop.id),
          (r) =>
            r.filter(
              (x) =>
                x.export_counts?.source === "event" && x.state === "partial"
            ).length >= 2,
          "the two events' runs"
        )
        const deferred = runs.filter(
          (x) => x.export_counts?.source === "event" && x.state === "partial"
        )
        for (const run of deferred) {
          expect(run.export_counts).toMatchObject({ pending: 1, sent: 0 })
          expect(run.errors[0].reason).toContain(
            "the shop's export lock stayed busy"
          )
          expect(run.errors[0].reason).toContain("export sweep sends it")
        }
        expect(
          deferred.map((r) => r.errors[0].line_gift_order_id).sort()
        ).toEqual([o.lgId, p.lgId].sort())
        // Marked due (the reason is in the run above; the mark records nothing else).
        const row = await exportOf(o.orderId)
        expect(row).toMatchObject({ state: "pending", attempts: 0 })
        expect(row.due_at).not.toBeNull()
        expect(await exportOf(p.orderId)).toMatchObject({
          state: "sent",
          sent_tracking_number: "100000000001",
        })
        expect(deliveries(o.lgId)).toHaveLength(0)
        expect(deliveries(p.lgId)).toHaveLength(1)
      })

      const swept = await runLineGiftExportSweep(getContainer(), {
        shop_id: shop.id,
      })
      expect(swept).toMatchObject({ sent: 2, errors: 0 })
      expect(await exportOf(o.orderId)).toMatchObject({
        state: "sent",
        sent_tracking_number: "123412341234",
        sent_carrier: "ヤマト運輸",
        last_error: null,
        next_attempt_at: null,
      })
      expect(await exportOf(p.orderId)).toMatchObject({
        state: "sent",
        sent_tracking_number: "200000000002",
        next_attempt_at: null,
      })
      expect(sandbox.getOrder(o.lgId)).toMatchObject({
        status: "received",
        delivery_code: "123412341234",
      })
      expect(sandbox.getOrder(p.lgId)).toMatchObject({
        delivery_code: "200000000002",
      })
      // Once: the next sweep finds nothing due.
      const again = await runLineGiftExportSweep(getContainer(), {
        shop_id: shop.id,
        now: new Date(Date.now() + 3600_000),
      })
      expect(again.checked).toBe(0)
      expect(deliveries(o.lgId)).toHaveLength(1)
      expect(deliveries(p.lgId)).toHaveLength(2)
    })

    it("review: an export that read the row before an event's mark does not clear the mark: the next sweep pushes the new fulfilment's number once", async () => {
      const shop = await connectedShop()
      const [o] = await importFresh(shop.id, 1)
      const f1 = await fulfil(o.orderId, "100000000001")
      await waitExport(o.orderId, (e) => e.state === "sent", "first push")
      await api.post(
        `/admin/orders/${o.orderId}/fulfillments/${f1}/cancel`,
        {},
        headers
      )
      await waitExport(
        o.orderId,
        (e) => e.sent_fulfillment_cancelled === true,
        "the cancelled fulfilment flagged"
      )
      const service = getContainer().resolve(LINE_GIFT_MODULE)
      const key = { shop_id: shop.id, line_gift_order_id: o.lgId }
      // Export X reads the row and the order's fulfilments now, before F2 exists.
      const [stale] = await service.listLineGiftExports(key)
      const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
      const { data: staleOrders } = await query.graph({
        entity: "order",
        fields: ["id", "fulfillments.id"],
        filters: { id: o.orderId },
      })
      const staleIds = new Set(
        (staleOrders[0] as any).fulfillments.map((f: any) => f.id)
      )

      // F2 with a label: its event marks the row, cannot get the lock (busy) and leaves it to
      // the sweep — and the process could stop right after.
      let f2 = ""
      await withShopLockBusy(shop.id, async () => {
        f2 = await fulfil(o.orderId, "200000000002")
        await waitFor(
          () => exportRuns(shop.id),
          (r) =>
            r.some(
              (x) =>
                x.export_counts?.source === "event" &&
                x.state === "partial" &&
                x.errors[0]?.line_gift_order_id === o.lgId
            ),
          "the deferred event's run"
        )
      })
      expect(deliveries(o.lgId)).toHaveLength(1)

      // Export X (e.g. a sweep or a manual export that held the lock) now writes what it planned
      // from its earlier reads.
      const list = service.listLineGiftExports.bind(service)
      const graph = query.graph.bind(query)
      const listSpy = jest
        .spyOn(service, "listLineGiftExports")
        .mockImplementation(async (filters: any, ...rest: any[]) =>
          filters?.line_gift_order_id === o.lgId && !filters.$or
            ? [stale]
            : await list(filters, ...rest)
        )
      const graphSpy = jest
        .spyOn(query, "graph")
        .mockImplementation(async (q: any, ...rest: any[]) => {
          const res: any = await (graph as any)(q, ...rest)
          if (q.entity === "order" && q.filters?.id === o.orderId) {
            for (const ord of res.data) {
              ord.fulfillments = (ord.fulfillments ?? []).filter((f: any) =>
                staleIds.has(f.id)
              )
            }
          }
          return res
        })
      try {
        await runExportLocked(shop.id, {
          shop_id: shop.id,
          line_gift_order_id: o.lgId,
          record_id: "",
          order_id: o.orderId,
          fulfillment_id: f1,
          send: true,
        })
      } finally {
        listSpy.mockRestore()
        graphSpy.mockRestore()
      }
      expect(deliveries(o.lgId)).toHaveLength(1)
      const [afterX] = await service.listLineGiftExports(key)
      expect(afterX.due_at).not.toBeNull()

      const swept = await runLineGiftExportSweep(getContainer(), {
        shop_id: shop.id,
      })
      expect(swept).toMatchObject({ sent: 1, errors: 0 })
      expect(sandbox.getOrder(o.lgId)).toMatchObject({
        delivery_code: "200000000002",
      })
      expect(await exportOf(o.orderId)).toMatchObject({
        state: "sent",
        fulfillment_id: f2,
        sent_tracking_number: "200000000002",
      })
      const again = await runLineGiftExportSweep(getContainer(), {
        shop_id: shop.id,
        now: new Date(Date.now() + 3600_000),
      })
      expect(again.checked).toBe(0)
      expect(deliveries(o.lgId)).toHaveLength(2)
    })

    it("review: an export the sweep finds throwing is put back by the backoff, with the error on the row", async () => {
      const shop = await connectedShop()
      const [a] = await importFresh(shop.id, 1)
      sandbox.setFaults({ outage: true })
      await fulfil(a.orderId, "300000000009")
      await waitExport(
        a.orderId,
        (e) => e.state === "pending" && e.attempts >= 1,
        "pending after a failed push"
      )
      sandbox.clearFaults()
      const service = getContainer().resolve(LINE_GIFT_MODULE)
      const list = service.listLineGiftExports.bind(service)
      const spy = jest
        .spyOn(service, "listLineGiftExports")
        .mockImplementation(async (filters: any, ...rest: any[]) => {
          if (filters?.line_gift_order_id === a.lgId) {
            throw new Error("simulated database error")
          }
          return await list(filters, ...rest)
        })
      let first: any
      let second: any
      try {
        first = await runLineGiftExportSweep(getContainer(), {
          shop_id: shop.id,
          now: new Date(Date.now() + 2 * 3600_000),
        })
        const afterFirst = await exportOf(a.orderId)
        second = await runLineGiftExportSweep(getContainer(), {
          shop_id: shop.id,
          now: new Date(Date.now() + 2 * 3600_000),
        })
        const row = await exportOf(a.orderId)
        expect(row.attempts).toBe(afterFirst.attempts + 1)
      } finally {
        spy.mockRestore()
      }
      expect(first).toMatchObject({ errors: 1 })
      expect(second).toMatchObject({ errors: 1 })
      const row = await exportOf(a.orderId)
      expect(row.state).toBe("pending")
      expect(row.last_error).toContain("simulated database error")
      // Later than the next minute's sweep: that sweep does not take it again.
      expect(new Date(row.next_attempt_at).getTime()).toBeGreaterThan(
        Date.now() + 60_000
      )
      const nextMinute = await runLineGiftExportSweep(getContainer(), {
        shop_id: shop.id,
        now: new Date(Date.now() + 60_000),
      })
      expect(nextMinute).toMatchObject({ checked: 0, errors: 0 })
      expect(deliveries(a.lgId)).toHaveLength(0)
    })

    it("with more due than the sweep takes, a shipment an event just marked and one never tried go before older retries", async () => {
      const shop = await connectedShop()
      const service = getContainer().resolve(LINE_GIFT_MODULE)
      const now = new Date()
      const row = (
        line_gift_order_id: string,
        fields: Record<string, unknown>
      ) =>
        service.createLineGiftExports({
          shop_id: shop.id,
          line_gift_order_id,
          order_id: `order_${line_gift_order_id}`,
          state: "pending",
          ...fields,
        } as any)
      // A retry due two hours ago (LINE Gift was down), a row never tried, and a row that
      // failed before (next attempt in an hour) which a new fulfilment event marked due now.
      await row("910001", {
        attempts: 3,
        next_attempt_at: new Date(now.getTime() - 2 * 3600_000),
      })
      await row("910002", { next_attempt_at: null })
      await row("910003", {
        attempts: 1,
        next_attempt_at: new Date(now.getTime() + 3600_000),
        due_at: new Date(now.getTime() - 60_000),
      })
      const due = await dueExports(service, shop as any, now, 2)
      expect(due.map((r) => r.line_gift_order_id)).toEqual(["910003", "910002"])
      const all = await dueExports(service, shop as any, now, 10)
      expect(all.map((r) => r.line_gift_order_id)).toEqual([
        "910003",
        "910002",
        "910001",
      ])
    })

    it("review: one export's or one shop's error is counted and recorded, and the sweep goes on", async () => {
      const first = await connectedShop()
      // Its own LINE Gift app: the admin refuses two live shops on one.
      const second = await connectedShop(SECOND_APP_SHOP)
      const [a, b] = await importFresh(first.id, 2)
      const [c] = await importFresh(second.id, 1)
      sandbox.setFaults({ outage: true })
      for (const o of [a, b, c]) await fulfil(o.orderId, "300000000009")
      for (const o of [a, b, c]) {
        await waitExport(
          o.orderId,
          (e) => e.state === "pending" && e.attempts >= 1,
          "pending after a failed push"
        )
      }
      sandbox.clearFaults()
      const service = getContainer().resolve(LINE_GIFT_MODULE)
      const later = new Date(Date.now() + 2 * 3600_000)

      // One export's workflow throws (reading a's row fails, before any push): b is still pushed.
      const list = service.listLineGiftExports.bind(service)
      const spy = jest
        .spyOn(service, "listLineGiftExports")
        .mockImplementation(async (filters: any, ...rest: any[]) => {
          if (filters?.line_gift_order_id === a.lgId) {
            throw new Error("simulated database error")
          }
          return await list(filters, ...rest)
        })
      let swept
      try {
        swept = await runLineGiftExportSweep(getContainer(), {
          shop_id: first.id,
          now: later,
        })
      } finally {
        spy.mockRestore()
      }
      expect(swept).toMatchObject({ sent: 1, errors: 1 })
      expect(deliveries(b.lgId)).toHaveLength(1)
      expect((await exportOf(a.orderId)).state).toBe("pending")
      const run = (await exportRuns(first.id)).find(
        (r) => r.export_counts?.source === "sweep"
      )
      expect(run.export_counts).toMatchObject({ sent: 1, pending: 1 })
      expect(run.errors).toEqual([
        expect.objectContaining({
          line_gift_order_id: a.lgId,
          reason: expect.stringContaining("simulated database error"),
        }),
      ])

      // One shop's sweep throws: the other shop is still swept, the failing one has a failed run.
      const listSpy = jest
        .spyOn(service, "listLineGiftExports")
        .mockImplementation(async (filters: any, ...rest: any[]) => {
          if (filters?.shop_id === first.id && filters.$or) {
            throw new Error("simulated shop failure")
          }
          return await list(filters, ...rest)
        })
      try {
        swept = await runLineGiftExportSweep(getContainer(), { now: later })
      } finally {
        listSpy.mockRestore()
      }
      expect(swept.errors).toBe(1)
      expect(deliveries(c.lgId)).toHaveLength(1)
      expect((await exportOf(c.orderId)).state).toBe("sent")
      const failedRun = (await exportRuns(first.id)).find(
        (r) => r.state === "failed"
      )
      expect(failedRun.error).toContain("simulated shop failure")

      // Once both are well again, the next sweep sends what was left.
      swept = await runLineGiftExportSweep(getContainer(), {
        shop_id: first.id,
        now: later,
      })
      expect(swept.sent).toBe(1)
      expect(deliveries(a.lgId)).toHaveLength(1)
    })

    it("an order cancelled on LINE Gift: the export fails permanently with a readable reason", async () => {
      const shop = await connectedShop()
      const [o] = await importFresh(shop.id, 1)
      sandbox.updateOrder(o.lgId, { status: "cancel" })
      await fulfil(o.orderId, "900000000001")

      const failed = await waitExport(
        o.orderId,
        (e) => e.state === "failed",
        "export failed"
      )
      expect(failed.last_error).toContain("refused the shipment")
      expect(failed.last_error).toContain("cancel")
      expect(failed.attempts).toBe(1)
      expect(failed.next_attempt_at).toBeNull()
      expect(deliveries(o.lgId)).toHaveLength(1)

      // No retry by the sweep, however late.
      await runLineGiftExportSweep(getContainer(), {
        shop_id: shop.id,
        now: new Date(Date.now() + 86400_000),
      })
      expect(deliveries(o.lgId)).toHaveLength(1)
      const listed = (
        await api.get(
          `/admin/line-gift/exports?shop_id=${shop.id}&state=failed`,
          headers
        )
      ).data
      expect(listed).toMatchObject({ count: 1, limit: 50, offset: 0 })
      expect(listed.exports[0].id).toBe(failed.id)

      // "Push again" asks LINE Gift once more.
      const pushed = (
        await api.post(
          `/admin/line-gift/exports/${failed.id}/push`,
          {},
          headers
        )
      ).data
      expect(pushed.export).toMatchObject({
        id: failed.id,
        state: "failed",
        attempts: 2,
      })
      expect(deliveries(o.lgId)).toHaveLength(2)
    })

    it("manual export over N days: correct counts, nothing already delivered is sent again; auto export off only records", async () => {
      const shop = await connectedShop({ auto_export: false })
      const [delivered, unsent, noLabel, cancelled, unfulfilled] =
        await importFresh(shop.id, 5)
      sandbox.updateOrder(cancelled.lgId, { status: "cancel" })

      await fulfil(delivered.orderId, "500000000001")
      await fulfil(unsent.orderId, "500000000002")
      await fulfil(noLabel.orderId)
      await fulfil(cancelled.orderId, "500000000004")
      const first = await waitExport(
        delivered.orderId,
        (e) => e.state === "pending",
        "recorded"
      )
      await waitExport(unsent.orderId, (e) => e.state === "pending", "recorded")
      await waitExport(noLabel.orderId, (e) => e.state === "held", "held")
      await waitExport(
        cancelled.orderId,
        (e) => e.state === "pending",
        "recorded"
      )
      // Auto export off: recorded, not sent, not even by the sweep.
      await runLineGiftExportSweep(getContainer(), {
        now: new Date(Date.now() + 3600_000),
      })
      expect(sandbox.calls.filter((c) => c.kind === "delivery")).toHaveLength(0)

      // "Push again" sends one now.
      const pushed = (
        await api.post(`/admin/line-gift/exports/${first.id}/push`, {}, headers)
      ).data
      expect(pushed.export).toMatchObject({
        state: "sent",
        sent_tracking_number: "500000000001",
      })
      expect(deliveries(delivered.lgId)).toHaveLength(1)

      const bad = await api
        .post(`/admin/line-gift/shops/${shop.id}/export`, { days: 31 }, headers)
        .catch((e: any) => e.response)
      expect(bad.status).toBe(400)

      const { data } = await api.post(
        `/admin/line-gift/shops/${shop.id}/export`,
        { days: 1 },
        headers
      )
      expect(data.counts).toEqual({ sent: 1, unchanged: 1, held: 1, failed: 1 })
      expect(data.run).toMatchObject({
        shop_id: shop.id,
        kind: "export",
        trigger: "manual",
        state: "partial",
        created_count: 1,
        already_imported_count: 1,
        skipped_count: 1,
        failed_count: 1,
      })
      const reasons = data.run.errors.map(
        (e: any) => `${e.line_gift_order_id}: ${e.reason}`
      )
      expect(reasons).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            new RegExp(`^${noLabel.lgId}: .*no tracking number`)
          ),
          expect.stringMatching(new RegExp(`^${cancelled.lgId}: .*refused`)),
        ])
      )
      expect(deliveries(delivered.lgId)).toHaveLength(1)
      expect(deliveries(unsent.lgId)).toHaveLength(1)
      expect(deliveries(noLabel.lgId)).toHaveLength(0)
      expect(deliveries(cancelled.lgId)).toHaveLength(1)
      expect(deliveries(unfulfilled.lgId)).toHaveLength(0)
      expect(sandbox.getOrder(unsent.lgId)).toMatchObject({
        status: "received",
        delivery_code: "500000000002",
      })
      expect(await exportOf(unfulfilled.orderId)).toBeUndefined()

      const again = (
        await api.post(`/admin/line-gift/shops/${shop.id}/export`, {}, headers)
      ).data
      expect(again.counts).toEqual({
        sent: 0,
        unchanged: 2,
        held: 1,
        failed: 1,
      })
      expect(sandbox.calls.filter((c) => c.kind === "delivery")).toHaveLength(3)

      const runs = (
        await api.get(
          `/admin/line-gift/runs?shop_id=${shop.id}&kind=export`,
          headers
        )
      ).data
      // The two manual exports and the push again (auto export off: events only record).
      expect(runs.runs.map((r: any) => r.export_counts?.source).sort()).toEqual(
        ["manual", "manual", "push_again"]
      )
    })

    it("manual export of the last N days includes a shipment recorded in them for an order bought earlier", async () => {
      // Auto export off: 送信情報の更新 is how shipments reach LINE Gift. A gift bought 5 days
      // ago (its recipient accepted late) is shipped today; the default window is 3 days.
      const shop = await connectedShop({ auto_export: false })
      const lg = sandbox.addOrder({
        status: "payment",
        bought_on: Math.floor(Date.now() / 1000) - 5 * 86400,
        item: {
          id: "300104",
          code: "LG-SAKE-04",
          name: "純米吟醸 飲み比べセット",
        },
        variation: { id: "900141", code: "LG-SAKE-04-3", name: "3本セット" },
        stock_count: 1,
        selling_price: 5500,
      } as any)
      const { data: imported } = await api.post(
        `/admin/line-gift/shops/${shop.id}/import`,
        { from: new Date(Date.now() - 6 * 86400_000).toISOString() },
        headers
      )
      const orderId = imported.orders.find(
        (o: any) => o.line_gift_order_id === lg.id
      ).order_id
      await fulfil(orderId, "500000000009")
      await waitExport(orderId, (e) => e.state === "pending", "recorded")

      const { data } = await api.post(
        `/admin/line-gift/shops/${shop.id}/export`,
        {},
        headers
      )
      expect(data.counts).toMatchObject({ sent: 1 })
      expect(deliveries(lg.id)).toHaveLength(1)
      expect(sandbox.getOrder(lg.id)).toMatchObject({
        status: "received",
        delivery_code: "500000000009",
      })
    })

    it("refuses the export routes without an admin session", async () => {
      const shop = await createShop(api, headers)
      const routes: Array<[string, string]> = [
        ["get", "/admin/line-gift/exports"],
        ["post", "/admin/line-gift/exports/lgexp_x/push"],
        ["post", `/admin/line-gift/shops/${shop.id}/export`],
        ["get", "/admin/line-gift/carriers"],
      ]
      for (const [method, path] of routes) {
        const res = await api.request({
          method,
          url: path,
          data: method === "get" ? undefined : {},
          validateStatus: () => true,
        })
        expect([method, path, res.status]).toEqual([method, path, 401])
      }
    })
  },
})
