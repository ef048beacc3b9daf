/**
 * A store's automatic promotions never change an imported LINE Gift order: it was priced and
 * paid on LINE Gift, its total is `selling_price` to the yen and that is what the import
 * captures. Medusa's createOrderWorkflow (the per-order path: orders without an address, a
 * bulk page's fallback, the admin retry) applies every active automatic promotion; the bulk
 * path writes orders without them. Both paths must give total = captured = selling_price.
 */
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { seededAdminSuite } from "../helpers/suite"
import { sandboxForSuite } from "../helpers/line-gift"
import {
  SAKE,
  RECIPIENT as ADDRESS,
  createAutomaticPromotion,
} from "../helpers/orders"

jest.setTimeout(240_000)

const sandbox = sandboxForSuite({ orderCount: 0 })

medusaIntegrationTestRunner({
  inApp: true,
  testSuite: ({ api, getContainer }) => {
    const { headers, connectedShop } = seededAdminSuite({
      api,
      getContainer,
      sandbox,
    })

    const orderOfRecord = async (shopId: string, lineGiftOrderId: string) => {
      const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
      const { data } = await query.graph({
        entity: "line_gift_order",
        fields: [
          "id",
          "state",
          "flags",
          "order.id",
          "order.total",
          "order.discount_total",
          "order.summary.*",
          "order.items.adjustments.id",
          "order.shipping_methods.adjustments.id",
          "order.promotions.id",
          "order.payment_collections.captured_amount",
        ],
        filters: { shop_id: shopId, line_gift_order_id: lineGiftOrderId },
      })
      return data[0] as any
    }

    it("an active automatic promotion leaves both import paths' orders at LINE Gift's price, captured in full", async () => {
      const promotions = getContainer().resolve(Modules.PROMOTION)
      const promotionId = await createAutomaticPromotion(
        getContainer(),
        "LG-TEST-AUTO10"
      )
      try {
        const shop = await connectedShop()
        const now = Math.floor(Date.now() / 1000) - 60
        // No address yet: the per-order path (createOrderWorkflow), flagged no_address.
        sandbox.addOrder({
          id: "8100000001",
          status: "payment",
          bought_on: now,
          ...SAKE,
          stock_count: 1,
          selling_price: 5500,
          address: {},
        } as any)
        // With an address: the bulk path.
        sandbox.addOrder({
          id: "8100000002",
          status: "payment",
          bought_on: now,
          ...SAKE,
          stock_count: 1,
          selling_price: 5500,
          address: ADDRESS,
        } as any)
        const { run } = (
          await api.post(
            `/admin/line-gift/shops/${shop.id}/import`,
            { from: new Date(Date.now() - 86400_000).toISOString() },
            headers
          )
        ).data
        expect(run.created_count).toBe(2)

        for (const id of ["8100000001", "8100000002"]) {
          const record = await orderOfRecord(shop.id, id)
          expect(record.state).toBe("imported")
          const order = record.order
          expect({
            id,
            total: Number(order.total),
            discount_total: Number(order.discount_total),
            item_adjustments: order.items.flatMap(
              (i: any) => i.adjustments ?? []
            ),
            shipping_adjustments: order.shipping_methods.flatMap(
              (m: any) => m.adjustments ?? []
            ),
            promotions: (order.promotions ?? []).filter(Boolean),
            captured: order.payment_collections.map((pc: any) =>
              Number(pc.captured_amount)
            ),
            pending_difference: Number(
              order.summary?.totals?.pending_difference ??
                order.summary?.pending_difference
            ),
          }).toEqual({
            id,
            total: 5500,
            discount_total: 0,
            item_adjustments: [],
            shipping_adjustments: [],
            promotions: [],
            captured: [5500],
            pending_difference: 0,
          })
        }
        // The per-order one really went through createOrderWorkflow (flagged no_address).
        expect((await orderOfRecord(shop.id, "8100000001")).flags).toContain(
          "no_address"
        )
        // The promotion itself is untouched (still active for the store's own carts).
        const [after] = await promotions.listPromotions({ id: promotionId })
        expect(after.status).toBe("active")
      } finally {
        await promotions.deletePromotions([promotionId])
      }
    })
  },
})
