/**
 * The life of a LINE Gift shop connection, and several side by side: one LINE Gift app
 * (client_id) connected as two shops — by mistake, or deleted and created again — never
 * imports a LINE Gift order twice; the admin refuses a second live shop on the same app; the
 * fulfilment of an order of a deleted shop never reaches LINE Gift with any shop's token;
 * recovery of a half-imported order keeps to the order's own sales channel and covers deleted
 * shops; a shop is not deleted while its import runs.
 * A Medusa app on real PostgreSQL, the plugin from src/, the sandbox over HTTP.
 */
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import {
  createOrderFulfillmentWorkflow,
  createInventoryLevelsWorkflow,
  createSalesChannelsWorkflow,
  createStockLocationsWorkflow,
  linkSalesChannelsToStockLocationWorkflow,
} from "@medusajs/medusa/core-flows"
import { seededAdminSuite } from "../helpers/suite"
import {
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
  SECOND_APP_SHOP,
  createShop,
  sandboxForSuite,
} from "../helpers/line-gift"
import { LINE_GIFT_MODULE } from "../../src/modules/line-gift"
import {
  importLockKey,
  runLineGiftImport,
} from "../../src/workflows/import/run-import"
import { recoverInterruptedLineGiftImports } from "../../src/workflows/recovery/recover-interrupted-imports"
import recoverJob from "../../src/jobs/recover-interrupted-imports"
import {
  DELETED_SHOP_EXPORT_REASON,
  handleLineGiftFulfillmentEvent,
} from "../../src/workflows/export/run/event"
import { exportLockKey } from "../../src/workflows/export/run-export"

jest.setTimeout(300_000)

const sandbox = sandboxForSuite()

/** A ready-to-ship order of an item without managed inventory, bought a minute ago. */
const SAKE = {
  status: "payment",
  item: { id: "300104", code: "LG-SAKE-04", name: "純米吟醸 飲み比べセット" },
  variation: { id: "900141", code: "LG-SAKE-04-3", name: "3本セット" },
  stock_count: 1,
  selling_price: 5500,
}
/** A ready-to-ship order of a managed-inventory item (stock is reserved on import). */
const TOWEL = {
  status: "payment",
  item: { id: "300103", code: "LG-TOWEL-03", name: "今治タオル ギフトセット" },
  variation: { id: "900131", code: "LG-TOWEL-03-WH", name: "ホワイト" },
  stock_count: 1,
  selling_price: 3850,
}

medusaIntegrationTestRunner({
  inApp: true,
  testSuite: ({ api, getContainer }) => {
    const { store, headers, connectedShop } = seededAdminSuite({
      api,
      getContainer,
      sandbox,
    })
    const service = (): any => getContainer().resolve(LINE_GIFT_MODULE)

    const addOrder = () =>
      sandbox.addOrder({
        ...SAKE,
        bought_on: Math.floor(Date.now() / 1000) - 60,
      } as any)
    const importNow = async (shopId: string) =>
      (
        await api.post(
          `/admin/line-gift/shops/${shopId}/import`,
          { from: new Date(Date.now() - 3600_000).toISOString() },
          headers
        )
      ).data
    /** Medusa orders made from this LINE Gift order id, whichever shop imported them. */
    const medusaOrdersOf = async (lineGiftId: string) => {
      const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
      const { data } = await query.graph({
        entity: "order",
        fields: ["id", "metadata"],
        filters: {},
      })
      return (data as any[]).filter(
        (o) => o.metadata?.line_gift?.order_id === lineGiftId
      )
    }
    /** A shop on the seeded store written through the module (as an install before the
     * admin refused it could hold), with a token pair of the sandbox's first app. */
    const shopThroughModule = async (name: string) => {
      const shop = await service().createShop({
        name,
        client_id: SANDBOX_CLIENT_ID,
        client_secret: SANDBOX_CLIENT_SECRET,
        region_id: store.region_id,
        sales_channel_id: store.sales_channel_id,
        shipping_option_id: store.shipping_option_id,
      })
      const tokens = sandbox.issueTokens()
      await service().saveTokens(shop.id, {
        accessToken: tokens.access_token,
        accessTokenExpiresAt: new Date(Date.now() + 30 * 86400_000),
        refreshToken: tokens.refresh_token,
        refreshTokenExpiresAt: new Date(Date.now() + 80 * 86400_000),
      })
      return shop
    }

    it("a shop deleted and created again on the same LINE Gift app does not import its orders again", async () => {
      const first = await connectedShop({ name: "本店" })
      const lg = addOrder()
      const before = (await importNow(first.id)).orders.map(
        (o: any) => o.line_gift_order_id
      )
      expect(before).toContain(lg.id)

      await api.delete(`/admin/line-gift/shops/${first.id}`, headers)
      const again = await connectedShop({ name: "本店" })
      const later = addOrder()
      const res = await importNow(again.id)
      // Only the order the deleted connection never imported is new.
      expect(res.orders.map((o: any) => o.line_gift_order_id)).toEqual([
        later.id,
      ])
      expect(res.run).toMatchObject({
        created_count: 1,
        already_imported_count: before.length,
      })
      expect(await medusaOrdersOf(lg.id)).toHaveLength(1)
      expect(await medusaOrdersOf(later.id)).toHaveLength(1)
    })

    it("two live shops on one LINE Gift app (written around the admin) import each order once", async () => {
      const a = await shopThroughModule("1号店")
      const b = await shopThroughModule("1号店 (重複)")
      const lg = addOrder()
      const window = {
        from: new Date(Date.now() - 3600_000),
        to: new Date(),
      }
      const runA = await runLineGiftImport(getContainer(), {
        shop_id: a.id,
        ...window,
      })
      const runB = await runLineGiftImport(getContainer(), {
        shop_id: b.id,
        ...window,
      })
      expect(runA.created.map((o) => o.line_gift_order_id)).toContain(lg.id)
      expect(runB.created).toEqual([])
      expect(runB.run).toMatchObject({
        created_count: 0,
        already_imported_count: runA.created.length,
      })
      expect(await medusaOrdersOf(lg.id)).toHaveLength(1)
    })

    it("refuses a second live shop on the same LINE Gift app (create and update), naming the shop that has it", async () => {
      const first = await createShop(api, headers, { name: "本店" })
      const refused = await api
        .post(
          "/admin/line-gift/shops",
          {
            name: "本店 2",
            client_id: SANDBOX_CLIENT_ID,
            client_secret: SANDBOX_CLIENT_SECRET,
          },
          headers
        )
        .catch((e: any) => e.response)
      expect(refused.status).toBe(400)
      expect(refused.data.message).toContain(`"本店"`)
      expect(refused.data.message).toContain("twice")

      const other = await createShop(api, headers, {
        name: "2号店",
        ...SECOND_APP_SHOP,
      })
      const moved = await api
        .post(
          `/admin/line-gift/shops/${other.id}`,
          { client_id: ` ${SANDBOX_CLIENT_ID} ` },
          headers
        )
        .catch((e: any) => e.response)
      expect(moved.status).toBe(400)
      expect((await service().retrieveLineGiftShop(other.id)).client_id).toBe(
        SECOND_APP_SHOP.client_id
      )

      // A shop saving its own client_id (the admin sends every field) is fine, and so are
      // shops without a client_id yet.
      const same = await api.post(
        `/admin/line-gift/shops/${first.id}`,
        { client_id: SANDBOX_CLIENT_ID, name: "本店" },
        headers
      )
      expect(same.status).toBe(200)
      for (const name of ["準備中 1", "準備中 2"]) {
        const { status } = await api.post(
          "/admin/line-gift/shops",
          { name, client_id: null, api_enabled: false },
          headers
        )
        expect(status).toBe(201)
      }

      // Once the first shop is deleted, its app may be connected again.
      await api.delete(`/admin/line-gift/shops/${first.id}`, headers)
      const { status } = await api.post(
        "/admin/line-gift/shops",
        {
          name: "本店",
          client_id: SANDBOX_CLIENT_ID,
          client_secret: SANDBOX_CLIENT_SECRET,
        },
        headers
      )
      expect(status).toBe(201)
    })

    /** The order's reservations: location per line item. */
    const reservationsOf = async (orderId: string) => {
      const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
      const { data } = await query.graph({
        entity: "order",
        fields: ["id", "items.id"],
        filters: { id: orderId },
      })
      const itemIds = ((data[0] as any)?.items ?? []).map((i: any) => i.id)
      return (await getContainer()
        .resolve(Modules.INVENTORY)
        .listReservationItems(
          { line_item_id: itemIds },
          { select: ["id", "location_id", "line_item_id"] }
        )) as Array<{ id: string; location_id: string }>
    }

    /** Imports one towel order in `shopId`; @returns its LINE Gift id, Medusa order id, record id. */
    const importTowel = async (shopId: string) => {
      const lg = sandbox.addOrder({
        ...TOWEL,
        bought_on: Math.floor(Date.now() / 1000) - 60,
      } as any)
      const res = await importNow(shopId)
      const created = res.orders.find(
        (o: any) => o.line_gift_order_id === lg.id
      )
      expect(created?.order_id).toEqual(expect.stringMatching(/^order_/))
      const [record] = await service().listLineGiftOrders({
        shop_id: shopId,
        line_gift_order_id: lg.id,
      })
      return { lgId: lg.id as string, orderId: created.order_id, record }
    }

    it("recovery of an interrupted import reserves in the order's sales channel, not the one the shop was moved to since", async () => {
      const shop = await connectedShop()
      const { orderId, record } = await importTowel(shop.id)
      const [reservation] = await reservationsOf(orderId)
      expect(reservation.location_id).toBe(store.stock_location_id)

      // The process died after the order, before its reservation and the record's end ...
      await getContainer()
        .resolve(Modules.INVENTORY)
        .deleteReservationItems([reservation.id])
      await service().updateLineGiftOrders({
        id: record.id,
        state: "importing",
      })
      // ... and meanwhile the shop was moved to another channel, whose warehouse has stock too.
      const container = getContainer()
      const {
        result: [osaka],
      } = await createStockLocationsWorkflow(container).run({
        input: {
          locations: [
            {
              name: "大阪倉庫 (移転先)",
              address: {
                city: "大阪市",
                country_code: "JP",
                address_1: "見本町3-3-3",
              },
            },
          ],
        },
      })
      const {
        result: [channel],
      } = await createSalesChannelsWorkflow(container).run({
        input: { salesChannelsData: [{ name: "LINEギフト (移転先)" }] },
      })
      await linkSalesChannelsToStockLocationWorkflow(container).run({
        input: { id: osaka.id, add: [channel.id] },
      })
      const query = container.resolve(ContainerRegistrationKeys.QUERY)
      const { data: variants } = await query.graph({
        entity: "product_variant",
        fields: ["id", "inventory_items.inventory_item_id"],
        filters: { sku: TOWEL.variation.code },
      })
      await createInventoryLevelsWorkflow(container).run({
        input: {
          inventory_levels: [
            {
              inventory_item_id: (variants[0] as any).inventory_items[0]
                .inventory_item_id,
              location_id: osaka.id,
              stocked_quantity: 100,
            },
          ],
        },
      })
      await api.post(
        `/admin/line-gift/shops/${shop.id}`,
        { sales_channel_id: channel.id },
        headers
      )

      const recovery = await recoverInterruptedLineGiftImports(
        container,
        shop.id,
        { leaseMs: 0 }
      )
      expect(recovery.finished.map((f) => f.order_id)).toEqual([orderId])
      const after = await reservationsOf(orderId)
      expect(after.map((r) => r.location_id)).toEqual([store.stock_location_id])
    })

    it("a deleted shop's interrupted import is released by the recovery job, and the shop created again on its app imports that order once", async () => {
      const first = await connectedShop({ name: "本店" })
      const lg = sandbox.addOrder({
        ...TOWEL,
        bought_on: Math.floor(Date.now() / 1000) - 60,
      } as any)
      // An import of the first shop claimed the order, then its process died before the order.
      const claimed = await service().claimOrder({
        shop_id: first.id,
        line_gift_order_id: lg.id,
        line_gift_status: "payment",
        raw: lg,
        run_id: null,
      })
      expect(claimed).toBeTruthy()
      await api.delete(`/admin/line-gift/shops/${first.id}`, headers)
      const again = await connectedShop({ name: "本店" })

      const lease = process.env.LINE_GIFT_IMPORT_LEASE_SECONDS
      process.env.LINE_GIFT_IMPORT_LEASE_SECONDS = "0"
      try {
        await recoverJob(getContainer())
      } finally {
        if (lease === undefined)
          delete process.env.LINE_GIFT_IMPORT_LEASE_SECONDS
        else process.env.LINE_GIFT_IMPORT_LEASE_SECONDS = lease
      }
      const [record] = await service().listLineGiftOrders({ id: claimed })
      expect(record.state).toBe("failed")

      const res = await importNow(again.id)
      expect(res.orders.map((o: any) => o.line_gift_order_id)).toContain(lg.id)
      expect(await medusaOrdersOf(lg.id)).toHaveLength(1)
    })

    /** Imports one new ready-to-ship order for `shopId`: its LINE Gift order and Medusa id. */
    const importOne = async (shopId: string) => {
      const lg = addOrder()
      const orderId = (await importNow(shopId)).orders.find(
        (o: any) => o.line_gift_order_id === lg.id
      ).order_id as string
      return { lg, orderId }
    }
    /** Fulfils every item of the order with one label `tracking`; returns the fulfilment id. */
    const fulfil = async (orderId: string, tracking: string) => {
      const container = getContainer()
      const query = container.resolve(ContainerRegistrationKeys.QUERY)
      const { data } = await query.graph({
        entity: "order",
        fields: ["id", "items.*"],
        filters: { id: orderId },
      })
      const { result: fulfillment } = await createOrderFulfillmentWorkflow(
        container
      ).run({
        input: {
          order_id: orderId,
          items: (data[0] as any).items.map((i: any) => ({
            id: i.id,
            quantity: Number(i.quantity),
          })),
          labels: [
            { tracking_number: tracking, tracking_url: "", label_url: "" },
          ],
        },
      })
      return (fulfillment as any).id as string
    }
    /** The order's export row once `done(row)` holds (polled up to 60 s; the last read else). */
    const exportRowOf = async (
      orderId: string,
      done: (row: any) => boolean
    ) => {
      const deadline = Date.now() + 60_000
      let row: any
      while (Date.now() < deadline) {
        ;[row] = await service().listLineGiftExports({ order_id: orderId })
        if (row && done(row)) break
        await new Promise((r) => setTimeout(r, 200))
      }
      return row
    }

    it("the fulfilment of an order of a deleted shop is held with the reason: nothing is sent to LINE Gift, with any shop's token", async () => {
      const first = await connectedShop({ name: "本店" })
      const { lg, orderId } = await importOne(first.id)
      await api.delete(`/admin/line-gift/shops/${first.id}`, headers)
      // The app connected again as a new shop: its token must not carry the old shop's order.
      await connectedShop({ name: "本店" })

      await fulfil(orderId, "1111-2222-3333")
      const row = await exportRowOf(orderId, (r) => r.state === "held")
      expect(row).toMatchObject({
        shop_id: first.id,
        state: "held",
        last_error: DELETED_SHOP_EXPORT_REASON,
        reasons: [
          { code: "shop_deleted", message: DELETED_SHOP_EXPORT_REASON },
        ],
        due_at: null,
      })
      expect(
        sandbox.calls.filter(
          (c) => c.kind === "delivery" && c.path.includes(`/order/${lg.id}/`)
        )
      ).toEqual([])
      // No sync run claims the sweep will send it.
      expect(
        await service().listLineGiftSyncRuns({
          shop_id: first.id,
          kind: "export",
        })
      ).toEqual([])
    })

    it("a shop cannot be deleted while its import runs (its orders would have no shop to ship with)", async () => {
      const shop = await connectedShop()
      let release = () => {}
      const held = new Promise<void>((r) => (release = r))
      let started = () => {}
      const running = new Promise<void>((r) => (started = r))
      const holding = getContainer()
        .resolve(Modules.LOCKING)
        .execute(importLockKey(shop.id), async () => {
          started()
          await held
        })
      await running
      try {
        const refused = await api
          .delete(`/admin/line-gift/shops/${shop.id}`, headers)
          .catch((e: any) => e.response)
        expect(refused.status).toBe(400)
        expect(refused.data.message).toMatch(/already running/)
        expect((await service().retrieveLineGiftShop(shop.id)).id).toBe(shop.id)
      } finally {
        release()
        await holding
      }
      const { status } = await api.delete(
        `/admin/line-gift/shops/${shop.id}`,
        headers
      )
      expect(status).toBe(200)
    })

    it("deleting a shop holds its shipments not yet sent with the reason (no retry is promised)", async () => {
      const shop = await connectedShop({ default_carrier: "ヤマト運輸" })
      const { orderId } = await importOne(shop.id)
      sandbox.setFaults({ outage: true })
      await fulfil(orderId, "1111-2222-4444")
      const row = await exportRowOf(
        orderId,
        (r) => r.state === "pending" && r.attempts >= 1
      )
      // LINE Gift down: pending, retried later.
      expect(row).toMatchObject({ state: "pending" })
      expect(row.next_attempt_at).toBeTruthy()
      sandbox.clearFaults()

      await api.delete(`/admin/line-gift/shops/${shop.id}`, headers)
      const [after] = await service().listLineGiftExports({ order_id: orderId })
      expect(after).toMatchObject({
        state: "held",
        last_error: DELETED_SHOP_EXPORT_REASON,
        reasons: [
          { code: "shop_deleted", message: DELETED_SHOP_EXPORT_REASON },
        ],
        due_at: null,
        next_attempt_at: null,
        tracking_number: row.tracking_number,
      })
    })

    it("a shipment already sent keeps its history when an event of its deleted shop's order comes later", async () => {
      const shop = await connectedShop({ default_carrier: "ヤマト運輸" })
      const { orderId } = await importOne(shop.id)
      const fulfillmentId = await fulfil(orderId, "1111-2222-5555")
      const sent = await exportRowOf(orderId, (r) => r.state === "sent")
      expect(sent).toMatchObject({ state: "sent" })
      await api.delete(`/admin/line-gift/shops/${shop.id}`, headers)
      // e.g. the fulfilment marked shipped (shipment.created) after the shop was deleted
      await handleLineGiftFulfillmentEvent(getContainer(), {
        fulfillment_id: fulfillmentId,
      })
      const [after] = await service().listLineGiftExports({ order_id: orderId })
      expect(after).toMatchObject({
        state: "sent",
        last_error: sent.last_error,
        due_at: null,
        tracking_number: sent.tracking_number,
      })
    })

    it("deleting a shop waits for a shipment being sent and does not overwrite it with held", async () => {
      const shop = await connectedShop({ default_carrier: "ヤマト運輸" })
      const { orderId } = await importOne(shop.id)
      sandbox.setFaults({ outage: true })
      await fulfil(orderId, "1111-2222-6666")
      const pending = await exportRowOf(orderId, (r) => r.state === "pending")
      expect(pending).toMatchObject({ state: "pending" })
      // LINE Gift stays down (the app's own sweep must not send it meanwhile). A push in flight holds the shop's export lock; it ends by writing `sent`.
      let release = () => {}
      const held = new Promise<void>((r) => (release = r))
      let started = () => {}
      const running = new Promise<void>((r) => (started = r))
      const push = getContainer()
        .resolve(Modules.LOCKING)
        .execute(exportLockKey(shop.id), async () => {
          started()
          await held
          await service().updateLineGiftExports({
            id: pending.id,
            state: "sent",
            last_error: null,
          })
        })
      await running
      const deleting = api.delete(`/admin/line-gift/shops/${shop.id}`, headers)
      await new Promise((r) => setTimeout(r, 1500))
      // The delete waits for the push: the row is still as the push found it.
      const [during] = await service().listLineGiftExports({
        order_id: orderId,
      })
      expect(during.state).toBe("pending")
      release()
      await push
      expect((await deleting).status).toBe(200)
      const [after] = await service().listLineGiftExports({ order_id: orderId })
      expect(after.state).toBe("sent")
      sandbox.clearFaults()
    })
  },
})
