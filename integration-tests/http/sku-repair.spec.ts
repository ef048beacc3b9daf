/**
 * Repair of orders imported with an unknown SKU, once the merchant maps the code to a variant:
 * POST /admin/line-gift/sku-mappings/:id/repair replaces the custom line by the variant through
 * Medusa's order edit (same prices, same total), reserves its stock, and clears the flag.
 */
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { seededAdminSuite } from "../helpers/suite"
import { connectShop, createShop, sandboxForSuite } from "../helpers/line-gift"

jest.setTimeout(240_000)

const sandbox = sandboxForSuite()

medusaIntegrationTestRunner({
  inApp: true,
  testSuite: ({ api, getContainer }) => {
    const { store, headers } = seededAdminSuite({
      api,
      getContainer,
      sandbox,
    })

    const readOrder = async (id: string) => {
      const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
      const { data } = await query.graph({
        entity: "order",
        fields: ["id", "total", "items.*", "line_gift_order.*"],
        filters: { id },
      })
      return data[0] as any
    }

    it("repairs the flagged unfulfilled orders with the mapped variant at the same total, once; skips fulfilled ones", async () => {
      const shop = await createShop(api, headers, {
        region_id: store.region_id,
        sales_channel_id: store.sales_channel_id,
        shipping_option_id: store.shipping_option_id,
      })
      expect(await connectShop(api, headers, shop.id)).toContain(
        "oauth=success"
      )

      const oldItem = {
        item: {
          id: "300199",
          code: "LG-OLD-99",
          name: "季節限定 栗きんとん (販売終了)",
        },
        variation: { id: "900991", code: "LG-OLD-99-A", name: "10個入" },
      }
      const single = sandbox.addOrder({
        status: "payment",
        ...oldItem,
        stock_count: 1,
        selling_price: 3300,
      })
      // 3 for ¥1,000: imported as two custom lines (2 × ¥333 + 1 × ¥334).
      const split = sandbox.addOrder({
        status: "payment",
        ...oldItem,
        stock_count: 3,
        selling_price: 1000,
      })
      const shipped = sandbox.addOrder({
        status: "payment",
        ...oldItem,
        stock_count: 1,
        selling_price: 3300,
      })
      const { data: imported } = await api.post(
        `/admin/line-gift/shops/${shop.id}/import`,
        { from: new Date(Date.now() - 120_000).toISOString() },
        headers
      )
      expect(imported.run.created_count).toBe(3)
      const orderIdOf = (lgId: string) =>
        imported.orders.find((o: any) => o.line_gift_order_id === lgId)
          .order_id as string
      const [singleId, splitId, shippedId] = [
        single.id,
        split.id,
        shipped.id,
      ].map(orderIdOf)

      const before = await readOrder(singleId)
      expect(before.line_gift_order.flags).toContain("unknown_sku")
      expect(before.items).toHaveLength(1)
      expect(before.items[0].variant_id).toBeNull()
      expect((await readOrder(splitId)).items).toHaveLength(2)

      // A flagged order already fulfilled (custom line) is left alone.
      const shippedOrder = await readOrder(shippedId)
      await api.post(
        `/admin/orders/${shippedId}/fulfillments`,
        {
          items: shippedOrder.items.map((i: any) => ({
            id: i.id,
            quantity: Number(i.quantity),
          })),
          location_id: store.stock_location_id,
        },
        headers
      )

      const variantId = store.variants["LG-SWEETS-01-S"]
      const { mapping } = (
        await api.post(
          `/admin/line-gift/shops/${shop.id}/sku-mappings`,
          { code: "LG-OLD-99-A", variant_id: variantId },
          headers
        )
      ).data

      const { data: result } = await api.post(
        `/admin/line-gift/sku-mappings/${mapping.id}/repair`,
        {},
        headers
      )
      expect(result.failed).toEqual([])
      expect(result.repaired.map((r: any) => r.order_id).sort()).toEqual(
        [singleId, splitId].sort()
      )
      expect(result.repaired).toContainEqual({
        order_id: singleId,
        line_gift_order_id: single.id,
      })
      expect(result.skipped).toEqual([
        expect.objectContaining({ order_id: shippedId, reason: "fulfilled" }),
      ])

      const inventory = getContainer().resolve(Modules.INVENTORY)
      const after = await readOrder(singleId)
      const live = after.items.filter((i: any) => Number(i.quantity) > 0)
      expect(live).toHaveLength(1)
      expect(live[0]).toMatchObject({ variant_id: variantId })
      expect(Number(live[0].quantity)).toBe(1)
      expect(Number(live[0].unit_price)).toBe(3300)
      expect(Number(after.total)).toBe(Number(before.total))
      expect(Number(after.total)).toBe(single.selling_price)
      const reservations = await inventory.listReservationItems({
        line_item_id: live[0].id,
      })
      expect(reservations).toHaveLength(1)
      expect(Number(reservations[0].quantity)).toBe(1)
      expect(after.line_gift_order.flags).not.toContain("unknown_sku")
      expect(after.line_gift_order.flags).toContain("sku_repaired")

      // The order timeline's note names the code and the variant as the merchant knows them,
      // never an internal id (lgsku_…, variant_…).
      const { data: changes } = await getContainer()
        .resolve(ContainerRegistrationKeys.QUERY)
        .graph({
          entity: "order_change",
          fields: ["internal_note", "description"],
          filters: { order_id: singleId },
        })
      const notes = (changes as any[])
        .map((c) => `${c.internal_note ?? ""} ${c.description ?? ""}`)
        .join(" ")
      expect(notes).toContain("LG-OLD-99-A")
      expect(notes).toContain("LG-SWEETS-01-S")
      expect(notes).not.toMatch(/lgsku|variant_/)

      const splitAfter = await readOrder(splitId)
      const splitLive = splitAfter.items.filter(
        (i: any) => Number(i.quantity) > 0
      )
      expect(splitLive.every((i: any) => i.variant_id === variantId)).toBe(true)
      expect(
        splitLive
          .map((i: any) => `${Number(i.quantity)}x${Number(i.unit_price)}`)
          .sort()
      ).toEqual(["1x334", "2x333"])
      expect(Number(splitAfter.total)).toBe(1000)
      const splitReserved = await inventory.listReservationItems({
        line_item_id: splitLive.map((i: any) => i.id),
      })
      expect(
        splitReserved.reduce((n: number, r: any) => n + Number(r.quantity), 0)
      ).toBe(3)

      const shippedAfter = await readOrder(shippedId)
      expect(shippedAfter.line_gift_order.flags).toContain("unknown_sku")
      expect(shippedAfter.items[0].variant_id).toBeNull()

      // Nothing left to repair.
      const { data: again } = await api.post(
        `/admin/line-gift/sku-mappings/${mapping.id}/repair`,
        {},
        headers
      )
      expect(again.repaired).toEqual([])
      expect(again.failed).toEqual([])
      expect(
        (await readOrder(singleId)).items.filter(
          (i: any) => Number(i.quantity) > 0
        )
      ).toHaveLength(1)

      const missing = await api
        .post(`/admin/line-gift/sku-mappings/lgskum_nope/repair`, {}, headers)
        .catch((e: any) => e.response)
      expect(missing.status).toBe(404)
    })
  },
})
