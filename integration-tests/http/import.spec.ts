/**
 * The main job end to end: a Medusa app on real PostgreSQL, the plugin loaded from src/, the
 * sandbox over HTTP. OAuth through the real routes, then imports.
 */
import axios from "axios"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { seededAdminSuite } from "../helpers/suite"
import {
  SANDBOX_CLIENT_SECRET,
  createShop,
  expectedImports,
  sandboxForSuite,
} from "../helpers/line-gift"
import { LINE_GIFT_MODULE } from "../../src/modules/line-gift"
import { importLineGiftOrderWorkflow } from "../../src/workflows/import/workflows/import-line-gift-order"
import { linkSalesChannelsToStockLocationWorkflow } from "@medusajs/medusa/core-flows"
import { parseLineGiftOrder } from "../../src/lib/line-gift/schemas"

jest.setTimeout(240_000)

const sandbox = sandboxForSuite()

medusaIntegrationTestRunner({
  inApp: true,
  testSuite: ({ api, getContainer }) => {
    const { store, headers, connectedShop } = seededAdminSuite({
      api,
      getContainer,
      sandbox,
    })

    /** Imports now; by default the last 7 days (what expectedImports(sandbox, 7) expects). */
    const importNow = async (
      shopId: string,
      body: Record<string, unknown> = {
        from: new Date(Date.now() - 7 * 86400_000).toISOString(),
      }
    ) =>
      (await api.post(`/admin/line-gift/shops/${shopId}/import`, body, headers))
        .data

    const readOrders = async (ids: string[]) => {
      const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
      const { data } = await query.graph({
        entity: "order",
        fields: [
          "id",
          "total",
          "currency_code",
          "metadata",
          "sales_channel_id",
          "region_id",
          "shipping_address.*",
          "items.*",
          "payment_collections.status",
          "payment_collections.captured_amount",
          "line_gift_order.*",
        ],
        filters: { id: ids },
      })
      return data as any[]
    }

    it("connects a shop through OAuth and never returns secrets", async () => {
      const shop = await connectedShop()
      const { data } = await api.get(
        `/admin/line-gift/shops/${shop.id}`,
        headers
      )
      expect(data.shop).toMatchObject({
        client_secret_set: true,
        access_token_set: true,
        refresh_token_set: true,
      })
      expect(
        new Date(data.shop.refresh_token_expires_at).getTime()
      ).toBeGreaterThan(Date.now() + 80 * 86400_000)
      const everything = JSON.stringify(
        (await api.get("/admin/line-gift/shops", headers)).data
      )
      expect(everything).not.toContain(SANDBOX_CLIENT_SECRET)
      expect(everything).not.toContain("_encrypted")
      // The stored secret is encrypted, not plaintext.
      const service: any = getContainer().resolve(LINE_GIFT_MODULE)
      const raw = await service.retrieveLineGiftShop(shop.id)
      expect(raw.client_secret_encrypted).toMatch(/^v1:/)
      expect(raw.client_secret_encrypted).not.toContain(SANDBOX_CLIENT_SECRET)
    })

    it("refuses a replayed OAuth callback (state is single-use) and an altered state, without using up the genuine one", async () => {
      const shop = await createShop(api, headers)
      const { data } = await api.post(
        `/admin/line-gift/shops/${shop.id}/oauth/authorize`,
        {},
        headers
      )
      const authorizeUrl = new URL(data.authorize_url)
      const state = authorizeUrl.searchParams.get("state")!
      // Two real codes from the sandbox's consent page for the same authorisation.
      const approve = async () => {
        const approved = await axios.post(
          `${authorizeUrl.origin}/oauth2/authorize`,
          new URLSearchParams({
            response_type: "code",
            client_id: authorizeUrl.searchParams.get("client_id")!,
            redirect_uri: authorizeUrl.searchParams.get("redirect_uri")!,
            state,
            decision: "approve",
          }).toString(),
          {
            headers: { "content-type": "application/x-www-form-urlencoded" },
            maxRedirects: 0,
            validateStatus: (st) => st === 302,
          }
        )
        return new URL(approved.headers.location).searchParams.get("code")!
      }
      const [code1, code2] = [await approve(), await approve()]
      const callback = async (code: string, st: string) => {
        const res = await api.get(
          `/line-gift/oauth/callback?code=${encodeURIComponent(code)}&state=${encodeURIComponent(st)}`,
          { maxRedirects: 0, validateStatus: () => true }
        )
        expect(res.status).toBe(302)
        return new URL(res.headers.location).searchParams
      }
      // An altered state (one character more on the signature) is refused, and does not use
      // up the merchant's pending authorisation.
      const altered = await callback(code1, state + "x")
      expect(altered.get("oauth")).toBe("error")
      expect(altered.get("reason")).toMatch(/state/)
      const genuine = await callback(code1, state)
      expect(genuine.get("oauth")).toBe("success")
      // The same state again, even with another valid code: refused (single use).
      const replay = await callback(code2, state)
      expect(replay.get("oauth")).toBe("error")
      expect(replay.get("reason")).toMatch(/already used/)
    })

    it("imports exactly the ready-to-ship orders of the last 7 days, paid, with right totals and addresses", async () => {
      const shop = await connectedShop()
      const expected = expectedImports(sandbox, 7)
      expect(expected.length).toBeGreaterThanOrEqual(20)

      const result = await importNow(shop.id)
      expect(result.run.errors).toEqual([])
      expect(result.run).toMatchObject({
        state: "succeeded",
        created_count: expected.length,
        failed_count: 0,
        already_imported_count: 0,
      })
      expect(result.run.seen_count).toBe(sandbox.orders.length)
      expect(
        result.orders.map((o: any) => o.line_gift_order_id).sort()
      ).toEqual(expected.map((o) => o.id).sort())

      const orders = await readOrders(result.orders.map((o: any) => o.order_id))
      expect(orders).toHaveLength(expected.length)
      for (const order of orders) {
        const lg = sandbox.getOrder(order.metadata.line_gift.order_id)! as any
        expect(Number(order.total)).toBe(lg.selling_price)
        expect(order.currency_code).toBe("jpy")
        expect(order.region_id).toBe(store.region_id)
        expect(order.sales_channel_id).toBe(store.sales_channel_id)
        expect(order.payment_collections[0].status).toBe("completed")
        expect(Number(order.payment_collections[0].captured_amount)).toBe(
          lg.selling_price
        )
        expect(order.shipping_address).toMatchObject({
          postal_code: lg.address.zip,
          province: lg.address.pref,
          city: lg.address.city,
          address_1: lg.address.address,
          first_name: lg.address.first_name,
          last_name: lg.address.last_name,
          country_code: "jp",
        })
        expect(order.metadata.line_gift).toMatchObject({
          shop_id: shop.id,
          status: "payment",
          buyer_name: lg.user_name,
          sender_name: lg.address.from_name ?? null,
          fee: lg.fee ?? null,
        })
        const quantity = order.items.reduce(
          (n: number, i: any) => n + Number(i.quantity),
          0
        )
        expect(quantity).toBe(lg.stock_count)
        expect(order.items.every((i: any) => i.is_tax_inclusive)).toBe(true)
        expect(order.line_gift_order).toMatchObject({ state: "imported" })
      }

      // Stock is reserved for managed-inventory variants, one reservation per managed line.
      const inventory = getContainer().resolve(Modules.INVENTORY)
      const managed = orders
        .flatMap((o) => o.items)
        .filter((i: any) => {
          const sku = i.variant_sku
          return (
            sku && !sku.startsWith("LG-SAKE") && !sku.startsWith("LG-FLOWER")
          )
        })
      expect(managed.length).toBeGreaterThan(0)
      const reservations = await inventory.listReservationItems({
        line_item_id: managed.map((i: any) => i.id),
      })
      expect(reservations).toHaveLength(managed.length)
    })

    it("imports nothing the second time", async () => {
      const shop = await connectedShop()
      const first = await importNow(shop.id)
      // Medusa's own admin API shows the orders paid, at the LINE Gift price.
      for (const made of first.orders.slice(0, 5)) {
        const { data } = await api.get(
          `/admin/orders/${made.order_id}?fields=id,total,payment_status,currency_code`,
          headers
        )
        expect(data.order.payment_status).toBe("captured")
        expect(Number(data.order.total)).toBe(
          sandbox.getOrder(made.line_gift_order_id)!.selling_price
        )
      }
      const second = await importNow(shop.id)
      expect(second.run.created_count).toBe(0)
      expect(second.run.already_imported_count).toBe(first.run.created_count)
      const { data } = await api.get(
        `/admin/orders?limit=500&fields=id`,
        headers
      )
      expect(data.count).toBe(first.run.created_count)
    })

    it("keeps half of each record page free, so a run's read-time writes stay in place (fillfactor 50)", async () => {
      // Each run writes the read time of every known record it reads; with room on the page
      // PostgreSQL skips the five index updates of such a write (a HOT update).
      const pg = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
      const { rows } = await pg.raw(
        `SELECT reloptions FROM pg_class WHERE relname = 'line_gift_order' AND relkind = 'r'`
      )
      expect(rows).toHaveLength(1)
      expect(rows[0].reloptions).toContain("fillfactor=50")
    })

    it("two imports started together create no duplicate", async () => {
      const shop = await connectedShop()
      const expected = expectedImports(sandbox, 7)
      const results = await Promise.allSettled([
        importNow(shop.id),
        importNow(shop.id),
      ])
      const ok = results.filter(
        (r) => r.status === "fulfilled"
      ) as PromiseFulfilledResult<any>[]
      const refused = results.filter(
        (r) => r.status === "rejected"
      ) as PromiseRejectedResult[]
      for (const r of refused) {
        expect(r.reason.response.status).toBe(400)
        expect(r.reason.response.data.message).toContain("already running")
      }
      const created = ok.reduce((n, r) => n + r.value.run.created_count, 0)
      expect(created).toBe(expected.length)
      const { data } = await api.get(
        `/admin/orders?limit=500&fields=id`,
        headers
      )
      expect(data.count).toBe(expected.length)
    })

    it("the claim lets exactly one of two concurrent imports of one order through", async () => {
      const shop = await connectedShop()
      const raw = sandbox.addOrder({ status: "payment" })
      const parsed = parseLineGiftOrder(raw)
      if (!parsed.ok) throw new Error(parsed.reason)
      const input = {
        shop_id: shop.id,
        run_id: null,
        order: parsed.order,
        raw,
        region_id: store.region_id,
        sales_channel_id: store.sales_channel_id,
        shipping_option_id: store.shipping_option_id,
        email: "gift@example.invalid",
      }
      const results = await Promise.allSettled([
        importLineGiftOrderWorkflow(getContainer()).run({ input }),
        importLineGiftOrderWorkflow(getContainer()).run({ input }),
      ])
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1)
      const rejected = results.find(
        (r) => r.status === "rejected"
      ) as PromiseRejectedResult
      expect(String(rejected.reason.message)).toContain("already imported")
      const { data } = await api.get(
        `/admin/orders?limit=50&fields=id`,
        headers
      )
      expect(data.count).toBe(1)
    })

    it("imports an unknown SKU as a flagged custom line, records malformed orders as failed, skips an unknown status, and goes on", async () => {
      const shop = await connectedShop()
      sandbox.setFaults({ malformedOrders: true })
      const unknown = sandbox.addOrder({
        status: "payment",
        item: {
          id: "300199",
          code: "LG-OLD-99",
          name: "季節限定 栗きんとん (販売終了)",
        },
        variation: { id: "900991", code: "LG-OLD-99-A", name: "10個入" },
        stock_count: 1,
        selling_price: 3300,
      })
      const uneven = sandbox.addOrder({
        status: "payment",
        item: {
          id: "300103",
          code: "LG-TOWEL-03",
          name: "今治タオル ギフトセット",
        },
        variation: { id: "900131", code: "LG-TOWEL-03-WH", name: "ホワイト" },
        stock_count: 3,
        selling_price: 11450,
      })
      const expected = expectedImports(sandbox, 7)

      const result = await importNow(shop.id)
      expect(result.run.state).toBe("partial")
      expect(result.run.created_count).toBe(expected.length)
      expect(result.run.failed_count).toBe(2)
      const reasons = result.run.errors.map(
        (e: any) => `${e.line_gift_order_id}: ${e.reason}`
      )
      expect(reasons).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^MALFORMED-PRICE: .*selling_price/),
          expect.stringMatching(/^null: .*id/),
        ])
      )
      // A status LINE Gift added later is skipped and named in the run, not a failure.
      expect(result.run.skipped_reasons.unknown_status).toEqual({
        shipped_somehow: 1,
      })
      // …and the merchant hears of it once in the admin's notification feed, not once per run.
      const unknownStatusNotes = async () =>
        (
          (await getContainer()
            .resolve(Modules.NOTIFICATION)
            .listNotifications(
              { channel: "feed" } as any,
              { take: null } as any
            )) as any[]
        ).filter(
          (n) =>
            n.data?.line_gift_shop_id === shop.id &&
            n.data?.line_gift_condition === "unknown_statuses"
        )
      expect(await unknownStatusNotes()).toHaveLength(1)
      await importNow(shop.id)
      expect(await unknownStatusNotes()).toHaveLength(1)

      const failed = (
        await api.get(
          `/admin/line-gift/orders?state=failed&shop_id=${shop.id}`,
          headers
        )
      ).data
      expect(
        failed.orders.map((o: any) => o.line_gift_order_id).sort()
      ).toEqual(["MALFORMED-PRICE"])
      expect(failed.orders[0].failure_reason).toBeTruthy()
      expect(JSON.stringify(failed)).not.toContain('"raw"')

      const byLineGiftId = new Map(
        result.orders.map((o: any) => [o.line_gift_order_id, o])
      )
      expect((byLineGiftId.get(unknown.id) as any).flags).toContain(
        "unknown_sku"
      )
      const [unknownOrder] = await readOrders([
        (byLineGiftId.get(unknown.id) as any).order_id,
      ])
      expect(unknownOrder.items[0].variant_id).toBeNull()
      expect(unknownOrder.items[0].metadata.line_gift_unknown_sku).toBe(
        "LG-OLD-99-A"
      )
      expect(Number(unknownOrder.total)).toBe(3300)

      const [unevenOrder] = await readOrders([
        (byLineGiftId.get(uneven.id) as any).order_id,
      ])
      expect(Number(unevenOrder.total)).toBe(11450)
      expect(
        unevenOrder.items
          .map((i: any) => [Number(i.quantity), Number(i.unit_price)])
          .sort((a: number[], b: number[]) => a[1] - b[1])
      ).toEqual([
        [1, 3816],
        [2, 3817],
      ])
    })

    it("refreshes the access token on demand and after LINE Gift expires it", async () => {
      const shop = await connectedShop()
      const before = sandbox.calls.filter((c) => c.kind === "refresh").length
      await api.post(
        `/admin/line-gift/shops/${shop.id}/token/refresh`,
        {},
        headers
      )
      expect(sandbox.calls.filter((c) => c.kind === "refresh").length).toBe(
        before + 1
      )

      sandbox.expireAccessTokens()
      const result = await importNow(shop.id)
      expect(result.run.state).toBe("succeeded")
      expect(sandbox.calls.filter((c) => c.kind === "refresh").length).toBe(
        before + 2
      )
    })

    it("maps an unknown SKU to a variant for later imports, imports a short-stock order flagged, and retries a failed order once fixed", async () => {
      const shop = await connectedShop()
      const recent = () => ({
        from: new Date(Date.now() - 120_000).toISOString(),
      })
      const oldItem = {
        item: {
          id: "300199",
          code: "LG-OLD-99",
          name: "季節限定 栗きんとん (販売終了)",
        },
        variation: { id: "900991", code: "LG-OLD-99-A", name: "10個入" },
        stock_count: 1,
        selling_price: 3300,
      }
      sandbox.addOrder({ status: "payment", ...oldItem })
      expect((await importNow(shop.id, recent())).run.created_count).toBe(1)

      const unmatched = (
        await api.get(
          `/admin/line-gift/shops/${shop.id}/unmatched-skus`,
          headers
        )
      ).data
      expect(unmatched.skus).toEqual([
        expect.objectContaining({
          code: "LG-OLD-99-A",
          orders_count: 1,
          mapping_id: null,
        }),
      ])
      const variantId = store.variants["LG-SWEETS-01-S"]
      const { mapping } = (
        await api.post(
          `/admin/line-gift/shops/${shop.id}/sku-mappings`,
          { code: "LG-OLD-99-A", variant_id: variantId },
          headers
        )
      ).data
      expect(mapping).toMatchObject({
        code: "LG-OLD-99-A",
        variant_id: variantId,
      })
      const bad = await api
        .post(
          `/admin/line-gift/shops/${shop.id}/sku-mappings`,
          { code: "X", variant_id: "variant_nope" },
          headers
        )
        .catch((e: any) => e.response)
      expect(bad.status).toBe(404)

      const second = sandbox.addOrder({ status: "payment", ...oldItem })
      const result = await importNow(shop.id, recent())
      const created = result.orders.find(
        (o: any) => o.line_gift_order_id === second.id
      )
      expect(created.flags).not.toContain("unknown_sku")
      const [order] = await readOrders([created.order_id])
      expect(order.items[0].variant_id).toBe(variantId)
      expect(
        (
          await api.get(
            `/admin/line-gift/shops/${shop.id}/unmatched-skus`,
            headers
          )
        ).data.skus[0]
      ).toMatchObject({
        code: "LG-OLD-99-A",
        mapping_id: mapping.id,
        variant_id: variantId,
      })

      // Out of stock → paid on LINE Gift, so imported anyway: flagged, SKU named, no reservation.
      const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
      const inventory = getContainer().resolve(Modules.INVENTORY)
      const {
        data: [coffee],
      } = await query.graph({
        entity: "product_variant",
        fields: ["inventory_items.inventory_item_id"],
        filters: { sku: "LG-COFFEE-02" },
      })
      const level = {
        inventory_item_id: (coffee as any).inventory_items[0].inventory_item_id,
        location_id: store.stock_location_id,
      }
      await inventory.updateInventoryLevels([{ ...level, stocked_quantity: 0 }])
      const coffeeItem = {
        item: {
          id: "300102",
          code: "LG-COFFEE-02",
          name: "ドリップコーヒー ギフトセット",
        },
        variation: undefined,
        stock_count: 1,
        selling_price: 3240,
      }
      const shortOrder = sandbox.addOrder({ status: "payment", ...coffeeItem })
      const shortRun = await importNow(shop.id, recent())
      expect(shortRun.run.failed_count).toBe(0)
      expect(shortRun.run.skipped_reasons.flagged.out_of_stock).toEqual({
        count: 1,
        orders: [{ line_gift_order_id: shortOrder.id, sku: "LG-COFFEE-02" }],
      })
      const short = shortRun.orders.find(
        (o: any) => o.line_gift_order_id === shortOrder.id
      )
      expect(short.flags).toContain("out_of_stock")
      const [shortMedusa] = await readOrders([short.order_id])
      expect(shortMedusa.metadata.line_gift.out_of_stock).toEqual({
        sku: "LG-COFFEE-02",
        quantity: 1,
      })
      expect(
        await inventory.listReservationItems({
          line_item_id: shortMedusa.items.map((i: any) => i.id),
        })
      ).toEqual([])
      await inventory.updateInventoryLevels([
        { ...level, stocked_quantity: 1000 },
      ])

      // The channel has no stock location → the import fails with a reason; fixed → retry imports it.
      await linkSalesChannelsToStockLocationWorkflow(getContainer()).run({
        input: {
          id: store.stock_location_id,
          remove: [store.sales_channel_id],
        },
      })
      const coffeeOrder = sandbox.addOrder({ status: "payment", ...coffeeItem })
      const failedRun = (await importNow(shop.id, recent())).run
      expect(failedRun.failed_count).toBe(1)
      const { orders: failed } = (
        await api.get(
          `/admin/line-gift/orders?state=failed&shop_id=${shop.id}`,
          headers
        )
      ).data
      expect(failed).toEqual([
        expect.objectContaining({ line_gift_order_id: coffeeOrder.id }),
      ])
      expect(failed[0].failure_reason).toMatch(/stock location/i)

      await linkSalesChannelsToStockLocationWorkflow(getContainer()).run({
        input: { id: store.stock_location_id, add: [store.sales_channel_id] },
      })
      const { record } = (
        await api.post(
          `/admin/line-gift/orders/${failed[0].id}/retry`,
          {},
          headers
        )
      ).data
      expect(record).toMatchObject({ state: "imported", failure_reason: null })
      expect(record.raw).toBeUndefined()
      const again = await api
        .post(`/admin/line-gift/orders/${failed[0].id}/retry`, {}, headers)
        .catch((e: any) => e.response)
      expect(again.status).toBe(400)
    })

    it("validates input with clear messages", async () => {
      const bad = await api
        .post(
          "/admin/line-gift/shops",
          { name: "", fetch_statuses: ["shipped"] },
          headers
        )
        .catch((e: any) => e.response)
      expect(bad.status).toBe(400)
      expect(JSON.stringify(bad.data)).toMatch(/name|fetch_statuses/)

      const shop = await createShop(api, headers)
      const window = await api
        .post(
          `/admin/line-gift/shops/${shop.id}/import`,
          { from: "2026-11-29T10:00", to: "2026-11-28T10:00" },
          headers
        )
        .catch((e: any) => e.response)
      expect(window.status).toBe(400)
      expect(JSON.stringify(window.data)).toContain("from must not be after to")

      const noRegion = await api
        .post(`/admin/line-gift/shops/${shop.id}/import`, {}, headers)
        .catch((e: any) => e.response)
      expect(noRegion.status).toBe(400)
      expect(noRegion.data.message).toContain("region")
    })

    it("refuses every admin route without an admin session", async () => {
      const shop = await createShop(api, headers)
      const routes: Array<[string, string]> = [
        ["get", "/admin/line-gift/shops"],
        ["post", "/admin/line-gift/shops"],
        ["get", `/admin/line-gift/shops/${shop.id}`],
        ["post", `/admin/line-gift/shops/${shop.id}`],
        ["delete", `/admin/line-gift/shops/${shop.id}`],
        ["post", `/admin/line-gift/shops/${shop.id}/oauth/authorize`],
        ["post", `/admin/line-gift/shops/${shop.id}/token/refresh`],
        ["post", `/admin/line-gift/shops/${shop.id}/import`],
        ["get", "/admin/line-gift/runs"],
        ["get", "/admin/line-gift/runs/lgrun_x"],
        ["get", "/admin/line-gift/orders"],
        ["post", "/admin/line-gift/orders/lgord_x/retry"],
        ["get", `/admin/line-gift/shops/${shop.id}/sku-mappings`],
        ["post", `/admin/line-gift/shops/${shop.id}/sku-mappings`],
        ["get", `/admin/line-gift/shops/${shop.id}/unmatched-skus`],
        ["delete", "/admin/line-gift/sku-mappings/lgsku_x"],
      ]
      for (const [method, path] of routes) {
        const res = await api.request({
          method,
          url: path,
          data: method === "get" || method === "delete" ? undefined : {},
          validateStatus: () => true,
          maxRedirects: 0,
        })
        expect([method, path, res.status]).toEqual([method, path, 401])
      }
    })
  },
})
