/**
 * Which LINE Gift statuses become Medusa orders, end to end (HTTP, sandbox, database):
 * - A: a gift waiting for its recipient, fetched as a chosen status (not through
 *   provisional_import), is imported provisionally and gets its address when LINE Gift has it;
 *   a ready-to-ship order with part of an address likewise;
 * - B: `cancel`, `cvs` (and `received`) are refused by the routes and, still stored in an
 *   older shop's settings, never imported: skipped with the reason `not_importable`;
 * - C: an imported order LINE Gift reports shipped while Medusa has no fulfilment for it is
 *   flagged for attention (shipped outside Medusa: not to be shipped again).
 */
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createOrderFulfillmentWorkflow } from "@medusajs/medusa/core-flows"
import { seededAdminSuite } from "../helpers/suite"
import { sandboxForSuite } from "../helpers/line-gift"
import { SAKE as SAKE_ITEM, RECIPIENT as ADDRESS } from "../helpers/orders"
import { LINE_GIFT_MODULE } from "../../src/modules/line-gift"
import { jsonColumn } from "../../src/modules/line-gift/json-column"
import { SHIPPED_OUTSIDE_MEDUSA } from "../../src/workflows/import/run/update-known"

jest.setTimeout(240_000)
const sandbox = sandboxForSuite({ orderCount: 0 })
const SAKE = { ...SAKE_ITEM, stock_count: 1, selling_price: 5500 }

medusaIntegrationTestRunner({
  inApp: true,
  testSuite: ({ api, getContainer }) => {
    const { headers, connectedShop } = seededAdminSuite({
      api,
      getContainer,
      sandbox,
      shopDefaults: { default_carrier: "ヤマト運輸" },
    })
    const service = () => getContainer().resolve(LINE_GIFT_MODULE) as any
    const importNow = async (
      shopId: string,
      extra: Record<string, unknown> = {}
    ) =>
      (
        await api.post(
          `/admin/line-gift/shops/${shopId}/import`,
          { from: new Date(Date.now() - 86400_000).toISOString(), ...extra },
          headers
        )
      ).data.run
    const record = async (shopId: string, lineGiftId: string) => {
      const rows = (await service().listLineGiftOrders({
        shop_id: shopId,
        line_gift_order_id: lineGiftId,
      })) as any[]
      return rows[0]
    }
    const orderOf = async (recordId: string) => {
      const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
      const { data } = await query.graph({
        entity: "line_gift_order",
        fields: [
          "id",
          "order.id",
          "order.metadata",
          "order.shipping_address.*",
        ],
        filters: { id: recordId },
      })
      return (data[0] as any)?.order ?? null
    }
    const boughtNow = () => Math.floor(Date.now() / 1000) - 60

    it("A: gift_message_send among fetch_statuses, no address → provisional; run 2 fills in the address", async () => {
      const shop = await connectedShop({
        fetch_statuses: ["payment", "gift_message_send"],
      })
      expect(shop.provisional_import).toBe(false)
      sandbox.addOrder({
        id: "8000000001",
        status: "gift_message_send",
        bought_on: boughtNow(),
        ...SAKE,
        address: {},
      } as any)
      const run1 = await importNow(shop.id)
      expect(run1.created_count).toBe(1)
      let rec = await record(shop.id, "8000000001")
      expect(rec).toMatchObject({ state: "imported", provisional: true })
      expect(rec.flags).toContain("provisional")
      let order = await orderOf(rec.id)
      expect(order.metadata.line_gift.flags).toContain("provisional")
      expect(order.shipping_address.postal_code ?? null).toBeNull()

      sandbox.updateOrder("8000000001", {
        status: "payment",
        address: ADDRESS,
      } as any)
      const run2 = await importNow(shop.id)
      expect(run2.errors).toEqual([])
      rec = await record(shop.id, "8000000001")
      expect(rec).toMatchObject({
        provisional: false,
        line_gift_status: "payment",
      })
      expect(rec.flags).not.toContain("provisional")
      order = await orderOf(rec.id)
      expect(order.shipping_address).toMatchObject({
        postal_code: "100-0001",
        province: "東京都",
        city: "千代田区",
        address_1: "千代田1-1 テスト101",
      })
      expect(order.metadata.line_gift.flags).not.toContain("provisional")
    })

    it("A (same kind): a payment order with only a postcode is flagged partial_address, completed when the address is whole", async () => {
      const shop = await connectedShop()
      sandbox.addOrder({
        id: "8000000011",
        status: "payment",
        bought_on: boughtNow(),
        ...SAKE,
        address: { zip: "1000001" },
      } as any)
      const run1 = await importNow(shop.id)
      expect(run1.skipped_reasons.flagged.partial_address).toEqual({
        count: 1,
        orders: [{ line_gift_order_id: "8000000011" }],
      })
      let rec = await record(shop.id, "8000000011")
      expect(rec).toMatchObject({ state: "imported", provisional: true })
      expect(rec.flags).toContain("partial_address")
      let order = await orderOf(rec.id)
      expect(order.shipping_address.postal_code).toBe("100-0001")

      sandbox.updateOrder("8000000011", { address: ADDRESS } as any)
      await importNow(shop.id)
      rec = await record(shop.id, "8000000011")
      expect(rec.provisional).toBe(false)
      expect(rec.flags).not.toContain("partial_address")
      order = await orderOf(rec.id)
      expect(order.shipping_address).toMatchObject({
        postal_code: "100-0001",
        city: "千代田区",
        address_1: "千代田1-1 テスト101",
      })
    })

    it("B: the routes refuse cancel / cvs / received with the allowed statuses named", async () => {
      const shop = await connectedShop()
      const manual = await api
        .post(
          `/admin/line-gift/shops/${shop.id}/import`,
          { statuses: ["payment", "cancel"] },
          headers
        )
        .catch((e: any) => e.response)
      expect(manual.status).toBe(400)
      expect(manual.data.message).toContain(
        'statuses: "cancel" cannot be imported; choose among gift_message_wait, gift_message_send, payment'
      )
      const settings = await api
        .post(
          `/admin/line-gift/shops/${shop.id}`,
          { fetch_statuses: ["cvs", "received"] },
          headers
        )
        .catch((e: any) => e.response)
      expect(settings.status).toBe(400)
      expect(settings.data.message).toContain(
        'fetch_statuses: "cvs", "received" cannot be imported'
      )
      const runs = (
        await api.get(`/admin/line-gift/runs?shop_id=${shop.id}`, headers)
      ).data
      expect(runs.runs).toEqual([])
    })

    it("B: cancel and cvs still stored in a shop's settings are skipped as not_importable, no Medusa order", async () => {
      const shop = await connectedShop()
      // Settings saved before cancel / cvs were refused.
      await service().updateLineGiftShops({
        id: shop.id,
        fetch_statuses: jsonColumn(["payment", "cancel", "cvs"]),
      })
      sandbox.addOrder({
        id: "8000000002",
        status: "cancel",
        bought_on: boughtNow(),
        ...SAKE,
        address: ADDRESS,
      } as any)
      sandbox.addOrder({
        id: "8000000003",
        status: "cvs",
        bought_on: boughtNow(),
        ...SAKE,
        address: {},
      } as any)
      const run = await importNow(shop.id)
      expect(run.created_count).toBe(0)
      expect(run.skipped_count).toBe(2)
      expect(run.skipped_reasons.not_importable).toEqual({ cancel: 1, cvs: 1 })
      expect(run.skip_reasons).toEqual({
        "not_importable:cancel": 1,
        "not_importable:cvs": 1,
      })
      const cancelled = await record(shop.id, "8000000002")
      expect(cancelled ?? null).toBeNull()
      // The unpaid gift is only tracked: imported once it is paid and fetched.
      const unpaid = await record(shop.id, "8000000003")
      expect(unpaid.state).toBe("seen")
      expect(await orderOf(unpaid.id)).toBeNull()

      // The run drawer reads the same run from the API.
      const shown = (await api.get(`/admin/line-gift/runs/${run.id}`, headers))
        .data.run
      expect(shown.skipped_reasons.not_importable).toEqual({
        cancel: 1,
        cvs: 1,
      })
    })
    it("C: an imported order shipped on LINE Gift without a Medusa fulfilment is flagged so nobody ships it again; a fulfilled one is not", async () => {
      const shop = await connectedShop()
      for (const id of ["8000000021", "8000000022"])
        sandbox.addOrder({
          id,
          status: "payment",
          bought_on: boughtNow(),
          ...SAKE,
          address: ADDRESS,
        } as any)
      expect((await importNow(shop.id)).created_count).toBe(2)

      // 8000000022 is fulfilled in Medusa (pushed: LINE Gift moves it to received).
      const fulfilledRecord = await record(shop.id, "8000000022")
      const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
      const linked = await orderOf(fulfilledRecord.id)
      const { data } = await query.graph({
        entity: "order",
        fields: ["id", "items.*"],
        filters: { id: linked.id },
      })
      const medusaOrder = data[0] as any
      await createOrderFulfillmentWorkflow(getContainer()).run({
        input: {
          order_id: medusaOrder.id,
          items: medusaOrder.items.map((i: any) => ({
            id: i.id,
            quantity: Number(i.quantity),
          })),
        },
      })
      // Both are now shipped on LINE Gift; 8000000021 by someone outside Medusa.
      sandbox.updateOrder("8000000021", { status: "received" } as any)
      sandbox.updateOrder("8000000022", { status: "received" } as any)

      const run = await importNow(shop.id)
      const outside = await record(shop.id, "8000000021")
      expect(outside.line_gift_status).toBe("received")
      expect(outside.attention_reason).toBe(SHIPPED_OUTSIDE_MEDUSA)
      expect(run.errors).toEqual(
        expect.arrayContaining([
          {
            line_gift_order_id: "8000000021",
            reason: SHIPPED_OUTSIDE_MEDUSA,
          },
        ])
      )
      // Nothing failed: stored partial, shown as needing attention (not "0 failed").
      expect([run.state, run.failed_count]).toEqual(["partial", 0])
      const shown = (await api.get(`/admin/line-gift/runs/${run.id}`, headers))
        .data.run
      expect([shown.outcome, shown.attention_count]).toEqual([
        "needs_attention",
        1,
      ])
      const lastRun = (
        await api.get(`/admin/line-gift/shops`, headers)
      ).data.shops.find((s: any) => s.id === shop.id).last_runs.import
      expect([lastRun.id, lastRun.outcome, lastRun.attention_count]).toEqual([
        run.id,
        "needs_attention",
        1,
      ])
      expect(lastRun.errors).toBeUndefined()
      const fulfilled = await record(shop.id, "8000000022")
      expect(fulfilled.line_gift_status).toBe("received")
      expect(fulfilled.attention_reason ?? null).toBeNull()
      expect(
        run.errors.some((e: any) => e.line_gift_order_id === "8000000022")
      ).toBe(false)

      // Said once: the next run does not repeat it.
      const again = await importNow(shop.id)
      expect(
        (again.errors ?? []).some(
          (e: any) => e.line_gift_order_id === "8000000021"
        )
      ).toBe(false)
    })
    it("A (same kind): a waiting gift whose recipient entered part of the address gets those parts and partial_address, then the whole address", async () => {
      const shop = await connectedShop({
        fetch_statuses: ["payment", "gift_message_send"],
      })
      sandbox.addOrder({
        id: "8000000031",
        status: "gift_message_send",
        bought_on: boughtNow(),
        ...SAKE,
        address: {},
      } as any)
      expect((await importNow(shop.id)).created_count).toBe(1)
      // Ready to ship, but the street is empty.
      sandbox.updateOrder("8000000031", {
        status: "payment",
        address: { ...ADDRESS, address: "" },
      } as any)
      const run2 = await importNow(shop.id)
      let rec = await record(shop.id, "8000000031")
      expect(rec.provisional).toBe(true)
      expect(rec.flags).toEqual(["partial_address"])
      let order = await orderOf(rec.id)
      expect(order.shipping_address).toMatchObject({
        postal_code: "100-0001",
        province: "東京都",
        city: "千代田区",
      })
      expect(order.metadata.line_gift.flags).toEqual(["partial_address"])
      expect(
        run2.errors.some((e: any) => e.line_gift_order_id === "8000000031")
      ).toBe(true)
      // Said once: a run that sees the same part does nothing more.
      const run3 = await importNow(shop.id)
      expect(
        (run3.errors ?? []).some(
          (e: any) => e.line_gift_order_id === "8000000031"
        )
      ).toBe(false)

      sandbox.updateOrder("8000000031", { address: ADDRESS } as any)
      const run4 = await importNow(shop.id)
      expect(run4.errors).toEqual([])
      rec = await record(shop.id, "8000000031")
      expect(rec.provisional).toBe(false)
      expect(rec.flags).toEqual([])
      order = await orderOf(rec.id)
      expect(order.shipping_address.address_1).toBe(ADDRESS.address)
      expect(order.metadata.line_gift.flags).toEqual([])
    })

    it("C (same kind): a shipment check that fails keeps the old status, so the next run flags the order", async () => {
      const shop = await connectedShop()
      sandbox.addOrder({
        id: "8000000032",
        status: "payment",
        bought_on: boughtNow(),
        ...SAKE,
        address: ADDRESS,
      } as any)
      expect((await importNow(shop.id)).created_count).toBe(1)
      sandbox.updateOrder("8000000032", { status: "received" } as any)
      const svc = service()
      const original = svc.updateLineGiftOrders.bind(svc)
      const spy = jest
        .spyOn(svc, "updateLineGiftOrders")
        .mockImplementation(async (data: any, ...rest: any[]) => {
          if (!Array.isArray(data) && data?.attention_reason)
            throw new Error("database unavailable")
          return original(data, ...rest)
        })
      let run
      try {
        run = await importNow(shop.id)
      } finally {
        spy.mockRestore()
      }
      expect(run.errors).toEqual(
        expect.arrayContaining([
          {
            line_gift_order_id: "8000000032",
            reason: "shipment check failed: database unavailable",
          },
        ])
      )
      let rec = await record(shop.id, "8000000032")
      expect(rec.line_gift_status).toBe("payment")
      expect(rec.attention_reason ?? null).toBeNull()

      await importNow(shop.id)
      rec = await record(shop.id, "8000000032")
      expect(rec.line_gift_status).toBe("received")
      expect(rec.attention_reason).toBe(SHIPPED_OUTSIDE_MEDUSA)
    })
  },
})
