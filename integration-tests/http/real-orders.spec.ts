/**
 * LINE Gift orders as they really come (issue 9), end to end through HTTP: the sandbox serves
 * ONE page mixing every kind — ids beyond 2^53 as bare JSON numbers, a status LINE Gift added
 * later, missing and blank addresses, a timestamp in milliseconds, a negative price, a zero
 * quantity, an amount beyond 2^53, short stock, a SKU differing by width/case/space, gift
 * details, an unhyphenated postcode, an order outside the window, an order repeated on the
 * next page — and each gets the right result, explained in the run. Then: the address
 * arrives, statuses are refreshed, a shipment push goes to the exact big id, and a LINE Gift
 * that repeats its page forever ends the read (issue 15 item 2).
 */
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createOrderFulfillmentWorkflow } from "@medusajs/medusa/core-flows"
import { LosslessNumber } from "lossless-json"
import { seededAdminSuite } from "../helpers/suite"
import { sandboxForSuite } from "../helpers/line-gift"
import { LINE_GIFT_MODULE } from "../../src/modules/line-gift"

jest.setTimeout(240_000)

const sandbox = sandboxForSuite({ orderCount: 0 })

const BIG_A = "12345678901234567890"
const BIG_B = "12345678901234567891"
const SAKE = {
  item: { id: "300104", code: "LG-SAKE-04", name: "純米吟醸 飲み比べセット" },
  variation: { id: "900141", code: "LG-SAKE-04-3", name: "3本セット" },
}
const TOWEL = {
  id: "300103",
  code: "LG-TOWEL-03",
  name: "今治タオル ギフトセット",
}
const ADDRESS = {
  from_name: "見本 一郎",
  first_name: "花子",
  last_name: "見本",
  zip: "1000001",
  tel: "09000001234",
  pref: "東京都",
  city: "千代田区",
  address: "千代田1-1 テスト101",
}

async function waitFor<T>(
  read: () => Promise<T>,
  done: (v: T) => boolean,
  what: string,
  timeoutMs = 60_000
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last = await read()
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
    const { store, headers, connectedShop } = seededAdminSuite({
      api,
      getContainer,
      sandbox,
      shopDefaults: { default_carrier: "ヤマト運輸" },
    })

    const importNow = async (shopId: string) =>
      (
        await api.post(
          `/admin/line-gift/shops/${shopId}/import`,
          { from: new Date(Date.now() - 86400_000).toISOString() },
          headers
        )
      ).data

    const records = async (shopId: string) => {
      const service: any = getContainer().resolve(LINE_GIFT_MODULE)
      const rows = (await service.listLineGiftOrders({
        shop_id: shopId,
      })) as any[]
      return new Map<string, any>(rows.map((r) => [r.line_gift_order_id, r]))
    }

    const readOrder = async (id: string) => {
      const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
      const { data } = await query.graph({
        entity: "order",
        fields: [
          "id",
          "total",
          "metadata",
          "shipping_address.*",
          "items.*",
          "payment_collections.captured_amount",
        ],
        filters: { id },
      })
      return data[0] as any
    }

    it("a page mixing every kind imports with the right result for each order, and the run explains each", async () => {
      const shop = await connectedShop()
      const now = Math.floor(Date.now() / 1000) - 60
      const add = (o: Record<string, unknown>) =>
        sandbox.addOrder({
          status: "payment",
          bought_on: now,
          address: ADDRESS,
          ...o,
        } as any)
      add({
        id: BIG_A,
        ...SAKE,
        stock_count: 1,
        selling_price: 5500,
        is_delivery_by_hand: 0,
        delivery_by_hand_deadline: now + 3 * 86400,
        pre_order_delivery_start: "2026-12-20",
        delivery_date: "2026-12-24",
        noshi: "御歳暮",
      })
      add({ id: BIG_B, ...SAKE, stock_count: 1, selling_price: 5500 })
      add({
        id: "7000000001",
        status: "hold",
        ...SAKE,
        stock_count: 1,
        selling_price: 5500,
      })
      const noAddress = add({
        id: "7000000002",
        ...SAKE,
        stock_count: 1,
        selling_price: 5500,
        address: {},
      })
      // Per-order path: blank address AND short stock AND a loose SKU at once.
      add({
        id: "7000000003",
        item: TOWEL,
        variation: {
          id: "900131",
          code: "ｌｇ-towel-03-wh ",
          name: "ホワイト",
        },
        stock_count: 2000,
        selling_price: 2000 * 3800,
        address: { zip: " ", pref: "　", city: "", address: "\t" },
      })
      add({
        id: "7000000004",
        ...SAKE,
        stock_count: 1,
        selling_price: 5500,
        bought_on: 1796000000000,
      })
      add({ id: "7000000005", ...SAKE, stock_count: 1, selling_price: -500 })
      add({ id: "7000000006", ...SAKE, stock_count: 0, selling_price: 5500 })
      add({
        id: "7000000007",
        ...SAKE,
        stock_count: 1,
        selling_price: new LosslessNumber("9007199254740993"),
      })
      // Bulk path: short stock; and a loose SKU (trailing space) that takes stock normally.
      add({
        id: "7000000008",
        item: TOWEL,
        variation: { id: "900131", code: "LG-TOWEL-03-WH", name: "ホワイト" },
        stock_count: 2000,
        selling_price: 2000 * 3800,
      })
      add({
        id: "7000000009",
        item: TOWEL,
        variation: { id: "900131", code: "LG-TOWEL-03-WH ", name: "ホワイト" },
        stock_count: 1,
        selling_price: 3800,
      })
      add({
        id: "7000000010",
        ...SAKE,
        stock_count: 1,
        selling_price: 5500,
        bought_on: now - 30 * 86400,
      })
      // Padding to fill page 1 (shipped orders: skipped by status), then page 1's last order again on page 2.
      let padding = 0
      while (sandbox.orders.length < 100) {
        add({
          id: `7100000${String(padding).padStart(3, "0")}`,
          status: "received",
          ...SAKE,
          stock_count: 1,
          selling_price: 5500,
        })
        padding++
      }
      sandbox.orders.push({ ...sandbox.orders[99] })
      sandbox.setFaults({ bareNumberIds: true })

      const result = await importNow(shop.id)
      const run = result.run
      expect(run.pages_read).toBe(2)
      expect(run.seen_count).toBe(100)
      expect(run.created_count).toBe(6)
      expect(run.failed_count).toBe(4)
      expect(run.skipped_count).toBe(2 + padding)
      expect(run.state).toBe("partial")
      expect(run.skipped_reasons).toEqual({
        status: { received: padding },
        unknown_status: { hold: 1 },
        not_importable: {},
        window: 1,
        imported_earlier: 0,
        repeated: 1,
        flagged: {
          no_address: {
            count: 2,
            orders: expect.arrayContaining([
              { line_gift_order_id: "7000000002" },
              { line_gift_order_id: "7000000003" },
            ]),
          },
          out_of_stock: {
            count: 2,
            orders: expect.arrayContaining([
              { line_gift_order_id: "7000000003", sku: "ｌｇ-towel-03-wh " },
              { line_gift_order_id: "7000000008", sku: "LG-TOWEL-03-WH" },
            ]),
          },
          sku_loose_match: {
            count: 2,
            orders: expect.arrayContaining([
              { line_gift_order_id: "7000000003", sku: "ｌｇ-towel-03-wh " },
              { line_gift_order_id: "7000000009", sku: "LG-TOWEL-03-WH " },
            ]),
          },
        },
        read_stopped: null,
        errors_omitted: 0,
      })
      const reasons = Object.fromEntries(
        run.errors.map((e: any) => [e.line_gift_order_id, e.reason])
      )
      expect(reasons).toEqual({
        // (the sandbox derived the other times from the same milliseconds: each is named too)
        "7000000004": expect.stringMatching(
          /^malformed order: bought_on: is not a plausible time in Unix seconds \(2000–2100; milliseconds\?\) \(got 1796000000000\); payed_on: /
        ),
        "7000000005":
          "malformed order: selling_price: must not be negative (got -500)",
        "7000000006":
          "malformed order: stock_count: must be at least 1 (got 0)",
        "7000000007":
          'malformed order: selling_price: is too large to be exact (beyond 2^53) (got "9007199254740993")',
      })

      // Ids beyond 2^53: two orders, ids as text everywhere.
      const byLg = new Map<string, any>(
        result.orders.map((o: any) => [o.line_gift_order_id, o])
      )
      expect([...byLg.keys()].sort()).toEqual(
        [
          BIG_A,
          BIG_B,
          "7000000002",
          "7000000003",
          "7000000008",
          "7000000009",
        ].sort()
      )
      const recs = await records(shop.id)
      expect(recs.get(BIG_A).state).toBe("imported")
      expect(recs.get(BIG_B).state).toBe("imported")
      const a = await readOrder(byLg.get(BIG_A).order_id)
      expect(a.metadata.line_gift.order_id).toBe(BIG_A)
      expect(a.shipping_address.postal_code).toBe("100-0001")
      expect(a.metadata.line_gift.gift).toEqual({
        is_delivery_by_hand: false,
        delivery_by_hand_deadline: new Date(
          (now + 3 * 86400) * 1000
        ).toISOString(),
        pre_order_delivery_start: "2026-12-20",
        extra: { delivery_date: "2026-12-24", noshi: "御歳暮" },
      })
      expect(
        (await readOrder(byLg.get(BIG_B).order_id)).metadata.line_gift.order_id
      ).toBe(BIG_B)

      // Unknown status: skipped, tracked, not failed.
      expect(recs.get("7000000001")?.state).toBe("seen")
      expect(recs.get("7000000001")?.line_gift_status).toBe("hold")

      // Missing / blank address: imported, flagged, not shippable yet.
      const noAddr = await readOrder(byLg.get("7000000002").order_id)
      expect(noAddr.metadata.line_gift.flags).toContain("no_address")
      expect(noAddr.shipping_address?.postal_code ?? null).toBeNull()
      expect(recs.get("7000000002").provisional).toBe(true)
      expect(Number(noAddr.payment_collections[0].captured_amount)).toBe(5500)

      // Short stock: the paid order exists, flagged with the SKU, without reservation (both paths).
      const inventory = getContainer().resolve(Modules.INVENTORY)
      for (const id of ["7000000003", "7000000008"]) {
        const o = await readOrder(byLg.get(id).order_id)
        expect(o.metadata.line_gift.flags).toContain("out_of_stock")
        expect(o.metadata.line_gift.out_of_stock).toEqual({
          sku: "LG-TOWEL-03-WH",
          quantity: 2000,
        })
        expect(Number(o.total)).toBe(2000 * 3800)
        expect(
          o.items.every(
            (i: any) => i.variant_id === store.variants["LG-TOWEL-03-WH"]
          )
        ).toBe(true)
        const reservations = await inventory.listReservationItems({
          line_item_id: o.items.map((i: any) => i.id),
        })
        expect(reservations).toEqual([])
      }
      // Loose SKU: matched to the catalogue variant, noted; stock reserved as usual.
      const loose = await readOrder(byLg.get("7000000009").order_id)
      expect(loose.items[0].variant_id).toBe(store.variants["LG-TOWEL-03-WH"])
      expect(loose.metadata.line_gift.flags).toEqual(["sku_loose_match"])
      expect(loose.metadata.line_gift.sku_loose_match).toEqual({
        code: "LG-TOWEL-03-WH ",
        variant_sku: "LG-TOWEL-03-WH",
      })
      expect(
        (
          await inventory.listReservationItems({
            line_item_id: loose.items.map((i: any) => i.id),
          })
        ).length
      ).toBe(1)
      expect(byLg.get("7000000009").flags).toEqual(["sku_loose_match"])

      // Failed orders are reachable in the admin with their reasons.
      const failed = (
        await api.get(
          `/admin/line-gift/orders?state=failed&shop_id=${shop.id}`,
          headers
        )
      ).data
      expect(
        failed.orders.map((o: any) => o.line_gift_order_id).sort()
      ).toEqual(["7000000004", "7000000005", "7000000006", "7000000007"])

      // The address arrives; statuses change on LINE Gift: the next fetch completes and refreshes.
      sandbox.updateOrder(noAddress.id, {
        address: { ...ADDRESS, zip: "１５００００１" },
      })
      sandbox.updateOrder(BIG_B, { status: "hold" })
      const before = new Date(recs.get(BIG_B).status_read_at ?? 0).getTime()
      const beforeA = new Date(recs.get(BIG_A).status_read_at ?? 0).getTime()
      const second = await importNow(shop.id)
      expect(second.run.created_count).toBe(0)
      expect(second.run.skipped_reasons.unknown_status).toEqual({ hold: 2 })
      const completed = await readOrder(byLg.get("7000000002").order_id)
      expect(completed.shipping_address.postal_code).toBe("150-0001")
      expect(completed.metadata.line_gift.flags).not.toContain("no_address")
      const recs2 = await records(shop.id)
      expect(recs2.get("7000000002").flags ?? []).not.toContain("no_address")
      expect(recs2.get(BIG_B).line_gift_status).toBe("hold")
      expect(
        new Date(recs2.get(BIG_B).status_read_at).getTime()
      ).toBeGreaterThan(before)
      expect(recs2.get(BIG_A).line_gift_status).toBe("payment")
      // An unchanged status is read again too: only its read time moves (one UPDATE per page).
      expect(
        new Date(recs2.get(BIG_A).status_read_at).getTime()
      ).toBeGreaterThan(beforeA)

      // The widget's source (order + linked record) carries the status and when it was read.
      const widget = (
        await api.get(
          `/admin/orders/${byLg.get(BIG_B).order_id}?fields=id,*line_gift_order`,
          headers
        )
      ).data
      expect(widget.order.line_gift_order.line_gift_status).toBe("hold")
      expect(widget.order.line_gift_order.status_read_at).toBeTruthy()

      // Shipment push: to the exact big id; afterwards the record says `received`.
      const orderA = await readOrder(byLg.get(BIG_A).order_id)
      await createOrderFulfillmentWorkflow(getContainer()).run({
        input: {
          order_id: orderA.id,
          items: orderA.items.map((i: any) => ({
            id: i.id,
            quantity: Number(i.quantity),
          })),
          labels: [
            {
              tracking_number: "4455-6677-8899",
              tracking_url: "",
              label_url: "",
            },
          ],
        },
      })
      await waitFor(
        async () => (await records(shop.id)).get(BIG_A).line_gift_status,
        (s) => s === "received",
        "status received after the push"
      )
      const deliveries = sandbox.calls.filter((c) => c.kind === "delivery")
      expect(deliveries.map((c) => c.path)).toEqual([
        `/shop/api/1/order/${BIG_A}/delivery`,
      ])
      expect(sandbox.getOrder(BIG_A)!.status).toBe("received")
      expect(sandbox.getOrder(BIG_B)!.status).toBe("hold")
    })

    it("a LINE Gift repeating its page with a huge total_pages ends the read with a reason, and the lock is free", async () => {
      const shop = await connectedShop()
      const now = Math.floor(Date.now() / 1000) - 60
      for (let i = 0; i < 3; i++) {
        sandbox.addOrder({
          id: `7200000${i}`,
          status: "payment",
          bought_on: now,
          ...SAKE,
          stock_count: 1,
          selling_price: 5500,
        } as any)
      }
      sandbox.setFaults({ repeatingPage: true })
      const first = await importNow(shop.id)
      expect(first.run.pages_read).toBe(1)
      expect(first.run.created_count).toBe(3)
      expect(first.run.state).toBe("partial")
      expect(first.run.skipped_reasons.read_stopped).toMatch(
        /^stopped reading at page 2: it repeats page 1's orders/
      )
      expect(first.run.errors).toEqual([
        {
          line_gift_order_id: null,
          reason: first.run.skipped_reasons.read_stopped,
        },
      ])
      expect(
        sandbox.calls.filter((c) => c.kind === "order_search").length
      ).toBe(2)
      const run = (
        await api.get(`/admin/line-gift/runs/${first.run.id}`, headers)
      ).data.run
      expect(run.skipped_reasons.read_stopped).toBe(
        first.run.skipped_reasons.read_stopped
      )
      // Not "already running": the lock was released.
      const second = await importNow(shop.id)
      expect(second.run.already_imported_count).toBe(3)
    })
  },
})
