/**
 * Two LINE Gift shops in one store ("LINEギフト 1号店", "LINEギフト 2号店"), each with its own app
 * credentials and sales channel, both seeing the same LINE Gift order id (ids are per shop on
 * LINE Gift): two Medusa orders, each in its shop's sales channel and under its shop's
 * customer; the shipment of each goes out with its own shop's token; runs and schedules stay per
 * shop. A Medusa app on real PostgreSQL, the plugin from src/, the sandbox over HTTP.
 */
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import {
  createOrderFulfillmentWorkflow,
  createSalesChannelsWorkflow,
} from "@medusajs/medusa/core-flows"
import { seededAdminSuite } from "../helpers/suite"
import { connectShop, sandboxForSuite } from "../helpers/line-gift"
import { LINE_GIFT_MODULE } from "../../src/modules/line-gift"

jest.setTimeout(300_000)

const CLIENTS = [
  { clientId: "shop-1-client", clientSecret: "shop-1-secret" },
  { clientId: "shop-2-client", clientSecret: "shop-2-secret" },
]
const sandbox = sandboxForSuite({ clients: CLIENTS, orderCount: 10 })

async function waitFor<T>(
  read: () => Promise<T>,
  done: (v: T) => boolean,
  what: string,
  timeoutMs = 60_000
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: T = await read()
  while (!done(last)) {
    if (Date.now() > deadline)
      throw new Error(
        `timed out waiting for ${what}; last: ${JSON.stringify(last)}`
      )
    await new Promise((r) => setTimeout(r, 200))
    last = await read()
  }
  return last
}

medusaIntegrationTestRunner({
  inApp: true,
  testSuite: ({ api, getContainer }) => {
    const { store, headers } = seededAdminSuite({
      api,
      getContainer,
    })

    it("imports the same LINE Gift order id into each shop's channel, ships each with its own shop's token, keeps runs and schedules apart", async () => {
      const container = getContainer()
      const query = container.resolve(ContainerRegistrationKeys.QUERY)
      const { result: channels } = await createSalesChannelsWorkflow(
        container
      ).run({
        input: { salesChannelsData: [{ name: "LINEギフト 2号店" }] },
      })
      const channelOf = [store.sales_channel_id, channels[0].id]

      // Two shops, each connected through its own app's OAuth.
      const shops: any[] = []
      for (const [i, name] of [
        "LINEギフト 1号店",
        "LINEギフト 2号店",
      ].entries()) {
        const { data } = await api.post(
          "/admin/line-gift/shops",
          {
            name,
            client_id: CLIENTS[i].clientId,
            client_secret: CLIENTS[i].clientSecret,
            region_id: store.region_id,
            sales_channel_id: channelOf[i],
            shipping_option_id: store.shipping_option_id,
            default_carrier: "ヤマト運輸",
          },
          headers
        )
        expect(await connectShop(api, headers, data.shop.id)).toContain(
          "oauth=success"
        )
        shops.push(data.shop)
      }

      // One LINE Gift order id, seen by both shops (an item without managed inventory).
      const lg = sandbox.addOrder({
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
      const importNow = async (shopId: string) =>
        (
          await api.post(
            `/admin/line-gift/shops/${shopId}/import`,
            { from: new Date(Date.now() - 120_000).toISOString() },
            headers
          )
        ).data
      const first = await importNow(shops[0].id)
      const second = await importNow(shops[1].id)
      const orderIdOf = (res: any) =>
        res.orders.find((o: any) => o.line_gift_order_id === lg.id)?.order_id
      const orderIds = [orderIdOf(first), orderIdOf(second)]
      expect(orderIds[0]).toEqual(expect.stringMatching(/^order_/))
      expect(orderIds[1]).toEqual(expect.stringMatching(/^order_/))
      expect(orderIds[0]).not.toBe(orderIds[1])

      // Never twice: importing again in either shop creates nothing.
      expect((await importNow(shops[0].id)).orders).toEqual([])
      expect((await importNow(shops[1].id)).orders).toEqual([])

      const { data: orders } = await query.graph({
        entity: "order",
        fields: [
          "id",
          "sales_channel_id",
          "metadata",
          "email",
          "customer.first_name",
          "customer.last_name",
          "line_gift_order.shop_id",
        ],
        filters: { id: orderIds },
      })
      const byId = new Map((orders as any[]).map((o) => [o.id, o]))
      for (const i of [0, 1]) {
        const o = byId.get(orderIds[i])
        expect(o.sales_channel_id).toBe(channelOf[i])
        expect(o.metadata.line_gift).toMatchObject({
          order_id: lg.id,
          shop_id: shops[i].id,
        })
        expect(o.line_gift_order.shop_id).toBe(shops[i].id)
        // The orders list shows the customer's name: the shop's, not the placeholder email.
        expect(o.customer).toMatchObject({ first_name: shops[i].name })
      }
      const { data: allLg } = await query.graph({
        entity: "order",
        fields: ["id", "metadata"],
        filters: {},
      })
      expect(
        (allLg as any[]).filter(
          (o) => o.metadata?.line_gift?.order_id === lg.id
        )
      ).toHaveLength(2)

      // Shipping 2号店's order pushes with 2号店's token only; then 1号店's with 1号店's.
      const service: any = container.resolve(LINE_GIFT_MODULE)
      const tokens = await Promise.all(
        shops.map(
          async (s) => (await service.getShopCredentials(s.id)).accessToken
        )
      )
      expect(tokens[0]).toBeTruthy()
      expect(tokens[0]).not.toBe(tokens[1])
      const deliveries = () =>
        sandbox.calls.filter(
          (c) =>
            c.kind === "delivery" &&
            c.path.includes(`/order/${lg.id}/`) &&
            c.status === 200
        )
      const fulfil = async (orderId: string, tracking: string) => {
        const { data } = await query.graph({
          entity: "order",
          fields: ["id", "items.*"],
          filters: { id: orderId },
        })
        await createOrderFulfillmentWorkflow(container).run({
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
      }
      const exportOf = async (orderId: string) =>
        (await api.get(`/admin/line-gift/exports?order_id=${orderId}`, headers))
          .data.exports[0] as any

      await fulfil(orderIds[1], "2222-0000-0002")
      const sent2 = await waitFor(
        () => exportOf(orderIds[1]),
        (e) => e?.state === "sent",
        "2号店's export"
      )
      expect(sent2).toMatchObject({
        shop_id: shops[1].id,
        line_gift_order_id: lg.id,
        tracking_number: "222200000002",
      }) // normalised (issue 10.2)
      expect(deliveries().map((c) => c.query.access_token)).toEqual([tokens[1]])
      expect(await exportOf(orderIds[0])).toBeUndefined()

      await fulfil(orderIds[0], "1111-0000-0001")
      const sent1 = await waitFor(
        () => exportOf(orderIds[0]),
        (e) => e?.state === "sent",
        "1号店's export"
      )
      expect(sent1).toMatchObject({
        shop_id: shops[0].id,
        tracking_number: "111100000001",
      })
      expect(deliveries().map((c) => c.query.access_token)).toEqual([
        tokens[1],
        tokens[0],
      ])

      // History per shop: each shop's runs are its own (two imports each).
      for (const i of [0, 1]) {
        const { data } = await api.get(
          `/admin/line-gift/runs?shop_id=${shops[i].id}&kind=import`,
          headers
        )
        expect(data.runs).toHaveLength(2)
        expect(data.runs.every((r: any) => r.shop_id === shops[i].id)).toBe(
          true
        )
      }

      // Schedules per shop: 1号店 every 30 minutes, 2号店 off.
      await api.post(
        `/admin/line-gift/shops/${shops[0].id}`,
        { auto_fetch_mode: "interval", fetch_interval_minutes: 30 },
        headers
      )
      const [{ data: s1 }, { data: s2 }] = await Promise.all(
        shops.map((s) => api.get(`/admin/line-gift/shops/${s.id}`, headers))
      )
      expect(s1.shop).toMatchObject({
        auto_fetch_mode: "interval",
        fetch_interval_minutes: 30,
      })
      expect(s1.shop.next_fetch_at).toBeTruthy()
      expect(s2.shop.auto_fetch_mode).toBe("off")
      expect(s2.shop.next_fetch_at ?? null).toBeNull()
    })
  },
})
