/**
 * The bulk import path makes the same Medusa orders as the per-order path (which uses core
 * createOrderWorkflow + the payment workflows): the same LINE Gift order content imported
 * both ways (two ids), read back through Medusa's admin order detail, must be identical once
 * ids and timestamps are normalised — items, tax lines, totals, tax-inclusive amounts,
 * addresses, payment captured, reservations — and both must be fulfillable through the admin
 * API, with identical results. Any other difference fails.
 */
import { sandboxForSuite } from "../helpers/line-gift"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import {
  ContainerRegistrationKeys,
  Modules,
  ProductStatus,
} from "@medusajs/framework/utils"
import {
  createInventoryLevelsWorkflow,
  createProductsWorkflow,
  createStockLocationsWorkflow,
  linkSalesChannelsToStockLocationWorkflow,
} from "@medusajs/medusa/core-flows"
import { seededAdminSuite } from "../helpers/suite"
import { LINE_GIFT_MODULE } from "../../src/modules/line-gift"
import {
  parseLineGiftOrder,
  type LineGiftOrder,
} from "../../src/lib/line-gift/schemas"
import { importLineGiftOrderWorkflow } from "../../src/workflows/import/workflows/import-line-gift-order"
import { importLineGiftOrdersBulkWorkflow } from "../../src/workflows/import-bulk"
import { unpack } from "../../src/workflows/import-bulk/utils/packed"

jest.setTimeout(240_000)

const sandbox = sandboxForSuite({ orderCount: 0 })

/** What the admin order detail is read with (everything the comparison covers). */
const ORDER_FIELDS = [
  "id",
  "status",
  "email",
  "currency_code",
  "region_id",
  "sales_channel_id",
  "customer_id",
  "metadata",
  "no_notification",
  "payment_status",
  "fulfillment_status",
  "*items",
  "*items.tax_lines",
  "*items.adjustments",
  "*items.detail",
  "*shipping_methods",
  "*shipping_methods.tax_lines",
  "*shipping_address",
  "*billing_address",
  "*payment_collections",
  "*payment_collections.payments",
  "*payment_collections.payments.captures",
  "*transactions",
  "summary",
  "total",
  "subtotal",
  "tax_total",
  "item_total",
  "item_subtotal",
  "item_tax_total",
  "shipping_total",
  "shipping_subtotal",
  "shipping_tax_total",
  "original_total",
  "original_tax_total",
  "discount_total",
  "credit_line_total",
].join(",")

const MEDUSA_ID = /^[a-z]+(_[a-z]+)?_[0-9A-HJKMNP-TV-Z]{26}$/

/**
 * Replaces what differs by nature between two orders made from the same content: generated
 * ids that are not shared by both orders (`<id>`), timestamps (`<ts>`, null stays null),
 * display ids, and the LINE Gift order id (`<lg-id>`). Arrays are sorted so that row order
 * does not matter.
 */
function normalise(
  value: unknown,
  shared: Set<string>,
  lgId: string,
  key = ""
): unknown {
  if (Array.isArray(value)) {
    return value
      .map((v) => normalise(v, shared, lgId))
      .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1))
  }
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {}
    for (const k of Object.keys(value).sort()) {
      if (k === "display_id" || k === "custom_display_id") continue
      out[k] = normalise((value as any)[k], shared, lgId, k)
    }
    return out
  }
  if (typeof value === "string") {
    if (value === lgId) return "<lg-id>"
    if (MEDUSA_ID.test(value)) return shared.has(value) ? value : "<id>"
    if (/_at$/.test(key) || /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.test(value))
      return "<ts>"
  }
  return value
}

function idsIn(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => idsIn(v, into))
  else if (value && typeof value === "object")
    Object.values(value).forEach((v) => idsIn(v, into))
  else if (typeof value === "string" && MEDUSA_ID.test(value)) into.add(value)
  return into
}

medusaIntegrationTestRunner({
  inApp: true,
  testSuite: ({ api, getContainer }) => {
    const { store, headers } = seededAdminSuite({
      api,
      getContainer,
    })

    const parsed = (raw: unknown): LineGiftOrder => {
      const p = parseLineGiftOrder(raw)
      if (!p.ok) throw new Error(p.reason)
      return p.order
    }

    const readOrder = async (id: string) =>
      (
        await api.get(
          `/admin/orders/${id}?fields=${encodeURIComponent(ORDER_FIELDS)}`,
          headers
        )
      ).data.order

    const reservationsOf = async (order: any) => {
      const inventory = getContainer().resolve(Modules.INVENTORY)
      const rows = await inventory.listReservationItems({
        line_item_id: order.items.map((i: any) => i.id),
      })
      const itemKey = new Map(
        order.items.map((i: any) => [
          i.id,
          `${i.variant_sku}|${i.quantity}|${i.unit_price}`,
        ])
      )
      return rows
        .map((r: any) => ({
          item: itemKey.get(r.line_item_id),
          inventory_item_id: r.inventory_item_id,
          location_id: r.location_id,
          quantity: Number(r.quantity),
        }))
        .sort((a: any, b: any) => (a.item < b.item ? -1 : 1))
    }

    const fulfil = async (order: any) =>
      api.post(
        `/admin/orders/${order.id}/fulfillments`,
        {
          items: order.items.map((i: any) => ({
            id: i.id,
            quantity: Number(i.quantity),
          })),
          location_id: store.stock_location_id,
        },
        headers
      )

    /** A shop on the seeded store and the page input both import paths take for it. */
    const shopWithBase = async (name: string) => {
      const service: any = getContainer().resolve(LINE_GIFT_MODULE)
      const shop = await service.createShop({
        name,
        region_id: store.region_id,
        sales_channel_id: store.sales_channel_id,
        shipping_option_id: store.shipping_option_id,
        auto_export: false,
      })
      const base = {
        shop_id: shop.id as string,
        run_id: null,
        region_id: store.region_id,
        sales_channel_id: store.sales_channel_id,
        shipping_option_id: store.shipping_option_id,
        email: `line-gift-${shop.id.toLowerCase()}@example.invalid`,
      }
      return { shop, base }
    }

    /**
     * `perOrderRaws` one by one through importLineGiftOrderWorkflow, then `bulkRaws` as one page
     * through importLineGiftOrdersBulkWorkflow.
     * @returns the per-order Medusa order ids (in order) and the bulk page's results
     */
    const importBothWays = async (
      base: Awaited<ReturnType<typeof shopWithBase>>["base"],
      perOrderRaws: any[],
      bulkRaws: any[]
    ) => {
      const perOrderIds: string[] = []
      for (const raw of perOrderRaws) {
        const { result } = await importLineGiftOrderWorkflow(
          getContainer()
        ).run({ input: { ...base, order: parsed(raw), raw } })
        perOrderIds.push(result.order_id)
      }
      const { result: bulk } = await importLineGiftOrdersBulkWorkflow(
        getContainer()
      ).run({
        input: {
          ...base,
          orders: bulkRaws.map((raw) => ({ order: parsed(raw), raw })),
        },
      })
      return { perOrderIds, bulk }
    }

    it("bulk-imported orders equal per-order (createOrderWorkflow) orders, through fulfilment", async () => {
      const service: any = getContainer().resolve(LINE_GIFT_MODULE)
      const { shop, base } = await shopWithBase("等価性テスト店")
      // A code Medusa does not know, mapped by the merchant to a variant (both paths use it).
      await service.createLineGiftSkuMappings({
        shop_id: shop.id,
        code: "LG-MAPPED-01",
        variant_id: store.variants["LG-TOWEL-03-BL"],
      })
      // Four kinds of order: managed stock with a price that splits over the quantity,
      // unmanaged stock, an SKU Medusa does not have (custom line), a mapped SKU.
      const contents = [
        {
          item: {
            id: "300103",
            code: "LG-TOWEL-03",
            name: "今治タオル ギフトセット",
          },
          variation: { id: "900131", code: "LG-TOWEL-03-WH", name: "ホワイト" },
          stock_count: 3,
          selling_price: 11450,
        },
        {
          item: { id: "300104", code: "LG-SAKE-04", name: "純米吟醸 飲み比べ" },
          variation: { id: "900141", code: "LG-SAKE-04-3", name: "3本セット" },
          stock_count: 1,
          selling_price: 5500,
        },
        {
          item: {
            id: "300199",
            code: "LG-OLD-99",
            name: "季節限定 栗きんとん (販売終了)",
          },
          variation: { id: "900991", code: "LG-OLD-99-A", name: "10個入" },
          stock_count: 1,
          selling_price: 3300,
        },
        {
          item: { id: "300177", code: "LG-MAPPED", name: "旧コード タオル" },
          variation: { id: "900177", code: "LG-MAPPED-01", name: "ブルー" },
          stock_count: 2,
          selling_price: 7700,
        },
      ]
      const pairs = contents.map((content) => {
        const bulkRaw = sandbox.addOrder({ status: "payment", ...content })
        // The same content under another LINE Gift order id.
        const perOrderRaw = {
          ...structuredClone(bulkRaw),
          id: `${bulkRaw.id}-per-order`,
        }
        return { bulkRaw, perOrderRaw }
      })
      // In the same bulk page: an order that cannot be mapped fails alone.
      const badRaw = sandbox.addOrder({
        status: "payment",
        ...contents[1],
        shipping_fee: 9999,
      })

      const { perOrderIds, bulk } = await importBothWays(
        base,
        pairs.map((p) => p.perOrderRaw),
        [...pairs.map((p) => p.bulkRaw), badRaw]
      )

      expect(bulk[badRaw.id]).toEqual({
        status: "failed",
        reason: expect.stringContaining("shipping_fee"),
      })
      const [badRecord] = await service.listLineGiftOrders({
        line_gift_order_id: badRaw.id,
      })
      expect(badRecord).toMatchObject({
        state: "failed",
        failure_reason: expect.stringContaining("shipping_fee"),
      })

      for (const [n, { bulkRaw, perOrderRaw }] of pairs.entries()) {
        const r = bulk[bulkRaw.id]
        expect(r).toMatchObject({ status: "created" })
        if (r.status !== "created") throw new Error("not created")
        const [record] = await service.listLineGiftOrders({
          line_gift_order_id: bulkRaw.id,
        })
        expect(record).toMatchObject({
          id: r.record_id,
          state: "imported",
          flags: r.flags,
        })

        const a = await readOrder(r.order_id)
        const b = await readOrder(perOrderIds[n])
        expect(Number(a.total)).toBe(bulkRaw.selling_price)
        expect(a.payment_status).toBe("captured")
        expect(a.items.every((i: any) => i.is_tax_inclusive)).toBe(true)
        if (n === 0) {
          expect(
            a.items.every(
              (i: any) =>
                i.tax_lines.length === 1 && Number(i.tax_lines[0].rate) === 10
            )
          ).toBe(true)
          expect(
            a.items.every(
              (i: any) => i.variant_id === store.variants["LG-TOWEL-03-WH"]
            )
          ).toBe(true)
        }
        if (n === 3) {
          expect(a.items.map((i: any) => i.variant_id)).toEqual([
            store.variants["LG-TOWEL-03-BL"],
          ])
          expect(r.flags).not.toContain("unknown_sku")
        }

        // Both paths mark their payment collections with the order they pay and its record
        // (crash recovery and a rollback's claim compensation find a collection by it); the
        // ids differ, the rest is compared.
        for (const [o, orderId, recordId] of [
          [a, r.order_id, r.record_id],
          [b, perOrderIds[n], expect.stringMatching(/^lgord_/)],
        ] as const) {
          expect(o.payment_collections ?? []).toHaveLength(1)
          for (const pc of o.payment_collections ?? []) {
            expect(pc.metadata?.line_gift_import).toEqual({
              order_id: orderId,
              record_id: recordId,
            })
            const { line_gift_import: _marker, ...rest } = pc.metadata
            pc.metadata = Object.keys(rest).length ? rest : null
          }
        }
        expect(a.payment_collections[0].metadata).toBeNull()
        expect(b.payment_collections[0].metadata).toBeNull()
        const shared = new Set([...idsIn(a)].filter((id) => idsIn(b).has(id)))
        const na = normalise(a, shared, bulkRaw.id)
        const nb = normalise(b, shared, perOrderRaw.id)
        expect(na).toEqual(nb)

        const ra = await reservationsOf(a)
        const rb = await reservationsOf(b)
        expect(ra).toEqual(rb)
        if (n === 0) expect(ra).toHaveLength(2)
        if (n === 3) expect(ra).toHaveLength(1)

        // Fulfilment through the admin API: same outcome for both.
        const fa = await fulfil(a)
        const fb = await fulfil(b)
        expect([fa.status, fb.status]).toEqual([200, 200])
        const a2 = await readOrder(r.order_id)
        const b2 = await readOrder(perOrderIds[n])
        expect(a2.fulfillment_status).toBe("fulfilled")
        for (const pc of [
          ...(a2.payment_collections ?? []),
          ...(b2.payment_collections ?? []),
        ]) {
          const { line_gift_import: _marker, ...rest } = pc.metadata ?? {}
          pc.metadata = Object.keys(rest).length ? rest : null
        }
        const shared2 = new Set(
          [...idsIn(a2)].filter((id) => idsIn(b2).has(id))
        )
        expect(normalise(a2, shared2, bulkRaw.id)).toEqual(
          normalise(b2, shared2, perOrderRaw.id)
        )
      }

      // Both paths linked the record to its order.
      const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
      const { data } = await query.graph({
        entity: "line_gift_order",
        fields: ["line_gift_order_id", "order.id"],
        filters: { line_gift_order_id: pairs.map((p) => p.bulkRaw.id) } as any,
      })
      expect(data.map((d: any) => d.order?.id).sort()).toEqual(
        pairs.map((p) => (bulk[p.bulkRaw.id] as any).order_id).sort()
      )
    })

    it("an order listed twice in one page is imported once: one record, one order, one payment", async () => {
      const { base } = await shopWithBase("重複ページテスト店")
      const raw = sandbox.addOrder({ status: "payment" })
      const { result } = await importLineGiftOrdersBulkWorkflow(
        getContainer()
      ).run({
        input: {
          ...base,
          orders: [raw, structuredClone(raw)].map((r) => ({
            order: parsed(r),
            raw: r,
          })),
        },
      })
      expect(result[raw.id]).toMatchObject({ status: "created" })
      const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
      const { data: orders } = await query.graph({
        entity: "order",
        fields: ["id", "metadata", "payment_collections.id"],
      })
      const mine = (orders as any[]).filter(
        (o) => o.metadata?.line_gift?.order_id === raw.id
      )
      expect(mine).toHaveLength(1)
      expect(mine[0].payment_collections).toHaveLength(1)
    })

    it("the order rows carry the ids the bulk path chose before writing them", async () => {
      // withRowIds gives the address, items, tax lines and shipping methods their ids (cheaper
      // than Medusa's); this fails when the order module stops keeping a given id.
      const { base } = await shopWithBase("行ID確認店")
      const raws = [
        sandbox.addOrder({ status: "payment" }),
        sandbox.addOrder({ status: "payment" }),
      ]
      const { result, transaction } = await importLineGiftOrdersBulkWorkflow(
        getContainer()
      ).run({
        input: {
          ...base,
          orders: raws.map((raw) => ({ order: parsed(raw), raw })),
        },
      })
      const invoke = (
        transaction as unknown as {
          getContext(): { invoke: Record<string, { output?: any }> }
        }
      ).getContext().invoke
      const step = Object.keys(invoke).find((k) =>
        k.includes("prepare-line-gift-orders-bulk")
      )!
      const output = invoke[step].output
      const prepared: Array<{ order: any }> = unpack(
        (output?.output ?? output).prepared
      )
      expect(prepared).toHaveLength(2)
      for (const raw of raws) {
        const orderId = (result[raw.id] as { order_id: string }).order_id
        const chosen = prepared.find((p) => p.order.id === orderId)!.order
        const written = await readOrder(orderId)
        expect(written.shipping_address.id).toBe(chosen.shipping_address.id)
        expect(written.items.map((i: any) => i.id).sort()).toEqual(
          chosen.items.map((i: any) => i.id).sort()
        )
        expect(
          written.items
            .flatMap((i: any) => i.tax_lines.map((t: any) => t.id))
            .sort()
        ).toEqual(
          chosen.items
            .flatMap((i: any) => i.tax_lines.map((t: any) => t.id))
            .sort()
        )
        expect(written.shipping_methods.map((m: any) => m.id)).toEqual(
          chosen.shipping_methods.map((m: any) => m.id)
        )
        expect(
          written.shipping_methods.flatMap((m: any) =>
            m.tax_lines.map((t: any) => t.id)
          )
        ).toEqual(
          chosen.shipping_methods.flatMap((m: any) =>
            m.tax_lines.map((t: any) => t.id)
          )
        )
        expect(chosen.items[0].tax_lines.length).toBeGreaterThan(0)
      }
    })

    it("a page whose orders are all imported already changes nothing", async () => {
      const service: any = getContainer().resolve(LINE_GIFT_MODULE)
      const shop = await service.createShop({
        name: "再取得テスト店",
        region_id: store.region_id,
        auto_export: false,
      })
      const raw = sandbox.addOrder({ status: "payment" })
      const input = {
        shop_id: shop.id,
        run_id: null,
        region_id: store.region_id,
        sales_channel_id: store.sales_channel_id,
        shipping_option_id: store.shipping_option_id,
        email: "again@example.invalid",
        orders: [{ order: parsed(raw), raw }],
      }
      const first = await importLineGiftOrdersBulkWorkflow(getContainer()).run({
        input,
      })
      expect(first.result[raw.id]).toMatchObject({ status: "created" })
      const second = await importLineGiftOrdersBulkWorkflow(getContainer()).run(
        { input }
      )
      expect(second.result[raw.id]).toEqual({ status: "already_imported" })
      const { data } = await api.get(
        `/admin/orders?limit=500&fields=id,metadata`,
        headers
      )
      expect(
        data.orders.filter(
          (o: any) => o.metadata?.line_gift?.order_id === raw.id
        )
      ).toHaveLength(1)
    })

    it("a prefecture with its own tax region: bulk tax lines equal per-order ones, whichever prefecture each order ships to", async () => {
      // The bulk path asks the tax module once per tax region of the page: one call for every
      // prefecture of a country without province regions, one per prefecture that has its own.
      const tax = getContainer().resolve(Modules.TAX)
      const [jp] = await tax.listTaxRegions({
        country_code: "jp",
        province_code: null,
      })
      expect(jp).toBeDefined()
      const { base } = await shopWithBase("県別税率テスト店")
      const content = {
        item: { id: "300103", code: "LG-TOWEL-03", name: "今治タオル" },
        variation: { id: "900131", code: "LG-TOWEL-03-WH", name: "ホワイト" },
        stock_count: 1,
        selling_price: 3300,
      }
      const first = sandbox.addOrder({ status: "payment", ...content })
      const taxedPref: string = first.address.pref
      await tax.createTaxRegions({
        country_code: "jp",
        province_code: taxedPref,
        parent_id: jp.id,
        default_tax_rate: { rate: 8, code: "PREF-8", name: "県別テスト税率" },
      })
      const otherPref = taxedPref === "大阪府" ? "京都府" : "大阪府"
      const raws = [
        first,
        sandbox.addOrder({
          status: "payment",
          ...content,
          address: { ...first.address, pref: otherPref },
        }),
        sandbox.addOrder({
          status: "payment",
          ...content,
          address: { ...first.address, pref: "北海道" },
        }),
      ]
      const { perOrderIds, bulk } = await importBothWays(
        base,
        raws.map((raw) => ({
          ...structuredClone(raw),
          id: `${raw.id}-per-order`,
        })),
        raws
      )
      const rates: number[][] = []
      for (const [n, raw] of raws.entries()) {
        const r = bulk[raw.id]
        if (r?.status !== "created") throw new Error(JSON.stringify(r))
        const a = await readOrder(r.order_id)
        const b = await readOrder(perOrderIds[n])
        const linesOf = (o: any) =>
          [
            ...o.items.flatMap((i: any) => i.tax_lines),
            ...o.shipping_methods.flatMap((sm: any) => sm.tax_lines),
          ].map((t: any) => [t.code, Number(t.rate), t.tax_rate_id])
        expect(linesOf(a)).toEqual(linesOf(b))
        expect(Number(a.tax_total)).toBe(Number(b.tax_total))
        rates.push(linesOf(a).map((l) => l[1] as number))
      }
      // The prefecture with its own region gets both rates (country + province), as per order.
      expect(rates[0]).toContain(8)
      expect(rates[1]).not.toContain(8)
      expect(rates[2]).not.toContain(8)
    })

    it("both paths reserve where the stock is: the channel's first location has none, its second has it", async () => {
      const container = getContainer()
      const osaka = await secondLocation("大阪倉庫 (二拠点テスト)")
      // The first location (the demo one, linked first) stocks the item with none left; Osaka has 10.
      const inventoryItemId = await productWithStock(
        "LG-TWOLOC-01",
        [store.stock_location_id, osaka],
        [0, 10],
        { title: "二拠点在庫 テスト", price: 3300 }
      )

      const { base } = await shopWithBase("二拠点テスト店")
      const content = {
        item: { id: "300501", code: "LG-TWOLOC", name: "二拠点在庫 テスト" },
        variation: { id: "900501", code: "LG-TWOLOC-01", name: "標準" },
        stock_count: 2,
        selling_price: 6600,
      }
      // Two orders in one bulk page (the second sees what the first took), one per order.
      const bulkRaws = [
        sandbox.addOrder({ status: "payment", ...content }),
        sandbox.addOrder({ status: "payment", ...content }),
      ]
      const perOrderRaw = sandbox.addOrder({ status: "payment", ...content })
      const { result: bulk } = await importLineGiftOrdersBulkWorkflow(
        container
      ).run({
        input: {
          ...base,
          orders: bulkRaws.map((raw) => ({ order: parsed(raw), raw })),
        },
      })
      const { result: perOrder } = await importLineGiftOrderWorkflow(
        container
      ).run({
        input: { ...base, order: parsed(perOrderRaw), raw: perOrderRaw },
      })
      const orderIds = [
        ...bulkRaws.map((raw) => (bulk[raw.id] as any).order_id),
        perOrder.order_id,
      ]
      expect(orderIds.every(Boolean)).toBe(true)
      for (const id of orderIds) {
        const reservations = await reservationsOf(await readOrder(id))
        expect(reservations).toEqual([
          {
            item: expect.any(String),
            inventory_item_id: inventoryItemId,
            location_id: osaka,
            quantity: 2,
          },
        ])
      }
      // And fulfilment from there works.
      const order = await readOrder(orderIds[0])
      const res = await api.post(
        `/admin/orders/${order.id}/fulfillments`,
        {
          items: order.items.map((i: any) => ({
            id: i.id,
            quantity: Number(i.quantity),
          })),
          location_id: osaka,
        },
        headers
      )
      expect(res.status).toBe(200)
    })

    /**
     * A published product with one managed-inventory variant `sku`, sold in the seeded channel,
     * stocked `stocked[i]` at `locations[i]`.
     * @returns the variant's inventory item id
     */
    const productWithStock = async (
      sku: string,
      locations: string[],
      stocked: number[],
      product: { title?: string; price?: number } = {}
    ): Promise<string> => {
      const container = getContainer()
      const query = container.resolve(ContainerRegistrationKeys.QUERY)
      const { data: profiles } = await query.graph({
        entity: "shipping_profile",
        fields: ["id"],
      })
      await createProductsWorkflow(container).run({
        input: {
          products: [
            {
              title: product.title ?? `在庫テスト ${sku}`,
              handle: sku.toLowerCase(),
              status: ProductStatus.PUBLISHED,
              shipping_profile_id: (profiles[0] as any).id,
              options: [{ title: "種類", values: ["標準"] }],
              variants: [
                {
                  title: "標準",
                  sku,
                  options: { 種類: "標準" },
                  manage_inventory: true,
                  prices: [
                    { amount: product.price ?? 1000, currency_code: "jpy" },
                  ],
                },
              ],
              sales_channels: [{ id: store.sales_channel_id }],
            },
          ],
        },
      })
      const { data: variants } = await query.graph({
        entity: "product_variant",
        fields: ["id", "inventory_items.inventory_item_id"],
        filters: { sku },
      })
      const inventoryItemId = (variants[0] as any).inventory_items[0]
        .inventory_item_id
      await createInventoryLevelsWorkflow(container).run({
        input: {
          inventory_levels: locations.map((location_id, i) => ({
            inventory_item_id: inventoryItemId,
            location_id,
            stocked_quantity: stocked[i],
          })),
        },
      })
      return inventoryItemId
    }

    /** A second stock location of the seeded channel (after the seeded one). */
    const secondLocation = async (name: string): Promise<string> => {
      const container = getContainer()
      const {
        result: [location],
      } = await createStockLocationsWorkflow(container).run({
        input: {
          locations: [
            {
              name,
              address: {
                city: "大阪市",
                country_code: "JP",
                address_1: "見本町3-3-3",
              },
            },
          ],
        },
      })
      await linkSalesChannelsToStockLocationWorkflow(container).run({
        input: { id: location.id, add: [store.sales_channel_id] },
      })
      return location.id
    }

    it("a price split over two lines reserves alike on both paths, never more than a location has", async () => {
      const osaka = await secondLocation("大阪倉庫 (分割テスト)")
      // Each path gets its own variant with the same stock: 2 at the first location, 10 at Osaka.
      const item = {
        perOrder: await productWithStock(
          "LG-SPLIT-P",
          [store.stock_location_id, osaka],
          [2, 10]
        ),
        bulk: await productWithStock(
          "LG-SPLIT-B",
          [store.stock_location_id, osaka],
          [2, 10]
        ),
      }
      const { base } = await shopWithBase("分割在庫テスト店")
      // 3 for ¥1,000: 2 × ¥333 + 1 × ¥334 (two lines of the same variant).
      const content = (code: string) => ({
        item: { id: "300601", code: "LG-SPLIT", name: "分割価格 テスト" },
        variation: { id: "900601", code, name: "標準" },
        stock_count: 3,
        selling_price: 1000,
      })
      const perOrderRaw = sandbox.addOrder({
        status: "payment",
        ...content("LG-SPLIT-P"),
      })
      const bulkRaw = sandbox.addOrder({
        status: "payment",
        ...content("LG-SPLIT-B"),
      })
      const { perOrderIds, bulk } = await importBothWays(
        base,
        [perOrderRaw],
        [bulkRaw]
      )
      const orders = {
        perOrder: await readOrder(perOrderIds[0]),
        bulk: await readOrder((bulk[bulkRaw.id] as any).order_id),
      }
      const where = (id: string) =>
        id === osaka ? "osaka" : id === store.stock_location_id ? "first" : id
      const inventory = getContainer().resolve(Modules.INVENTORY)
      for (const path of ["perOrder", "bulk"] as const) {
        expect(orders[path].metadata.line_gift.flags).toEqual(["price_split"])
        const reservations = (await reservationsOf(orders[path])).map(
          (r: any) =>
            `${r.item.split("|").slice(1).join("|")}@${where(r.location_id)}`
        )
        // The larger line takes the first location's 2; the other goes where stock is left.
        expect([path, reservations.sort()]).toEqual([
          path,
          ["1|334@osaka", "2|333@first"],
        ])
        const levels = await inventory.listInventoryLevels({
          inventory_item_id: item[path],
        })
        for (const level of levels) {
          expect([
            path,
            where(level.location_id),
            Number(level.reserved_quantity),
          ]).toEqual([
            path,
            where(level.location_id),
            level.location_id === osaka ? 1 : 2,
          ])
        }
      }
    })

    it("a shop without a sales channel imports a stock-short order on both paths (flagged out_of_stock), in the store's default channel", async () => {
      const container = getContainer()
      const storeModule = container.resolve(Modules.STORE)
      const [medusaStore] = await storeModule.listStores(
        {},
        { select: ["id", "default_sales_channel_id"] }
      )
      const previous = medusaStore.default_sales_channel_id
      await storeModule.updateStores(medusaStore.id, {
        default_sales_channel_id: store.sales_channel_id,
      })
      try {
        await productWithStock("LG-NOCHAN-01", [store.stock_location_id], [1])
        const { base } = await shopWithBase("販路なしテスト店")
        const content = {
          item: { id: "300701", code: "LG-NOCHAN", name: "販路なし テスト" },
          variation: { id: "900701", code: "LG-NOCHAN-01", name: "標準" },
          stock_count: 2,
          selling_price: 2200,
        }
        const perOrderRaw = sandbox.addOrder({ status: "payment", ...content })
        const bulkRaw = sandbox.addOrder({ status: "payment", ...content })
        const noChannel = { ...base, sales_channel_id: null }
        const perOrder = await importLineGiftOrderWorkflow(container)
          .run({
            input: {
              ...noChannel,
              order: parsed(perOrderRaw),
              raw: perOrderRaw,
            },
          })
          .then(
            ({ result }) => result,
            (e: Error) => e.message
          )
        expect(perOrder).toMatchObject({ flags: ["out_of_stock"] })
        const { result: bulk } = await importLineGiftOrdersBulkWorkflow(
          container
        ).run({
          input: {
            ...noChannel,
            orders: [{ order: parsed(bulkRaw), raw: bulkRaw }],
          },
        })
        expect(bulk[bulkRaw.id]).toMatchObject({
          status: "created",
          flags: ["out_of_stock"],
        })
        for (const id of [
          (perOrder as any).order_id,
          (bulk[bulkRaw.id] as any).order_id,
        ]) {
          const order = await readOrder(id)
          expect(order.sales_channel_id).toBe(store.sales_channel_id)
          expect(await reservationsOf(order)).toEqual([])
        }
      } finally {
        await storeModule.updateStores(medusaStore.id, {
          default_sales_channel_id: previous,
        })
      }
    })

    it("a ¥0 order (a free gift) imports alike on both paths, with nothing captured", async () => {
      const { base } = await shopWithBase("無料ギフトテスト店")
      const content = {
        // Managed stock: the gift is still reserved.
        item: { id: "300103", code: "LG-TOWEL-03", name: "今治タオル" },
        variation: { id: "900131", code: "LG-TOWEL-03-WH", name: "ホワイト" },
        stock_count: 1,
        selling_price: 0,
      }
      const perOrderRaw = sandbox.addOrder({ status: "payment", ...content })
      const bulkRaw = sandbox.addOrder({ status: "payment", ...content })
      const perOrder = await importLineGiftOrderWorkflow(getContainer())
        .run({
          input: { ...base, order: parsed(perOrderRaw), raw: perOrderRaw },
        })
        .then(
          ({ result }) => result.order_id,
          (e: Error) => `failed: ${e.message}`
        )
      const { result: bulk } = await importLineGiftOrdersBulkWorkflow(
        getContainer()
      ).run({
        input: { ...base, orders: [{ order: parsed(bulkRaw), raw: bulkRaw }] },
      })
      const ids = [
        perOrder,
        (bulk[bulkRaw.id] as any).order_id ?? JSON.stringify(bulk[bulkRaw.id]),
      ]
      const seen = []
      for (const id of ids) {
        expect(id).toMatch(/^order_/)
        const order = await readOrder(id)
        seen.push({
          total: Number(order.total),
          payment_status: order.payment_status,
          collections: order.payment_collections.length,
          transactions: order.transactions.length,
          pending_difference: Number(order.summary.pending_difference),
          reservations: (await reservationsOf(order)).length,
        })
      }
      expect(seen[0]).toEqual({
        total: 0,
        payment_status: expect.any(String),
        collections: 0,
        transactions: 0,
        pending_difference: 0,
        reservations: 1,
      })
      expect(seen[1]).toEqual(seen[0])
    })

    it("an order with a shipping fee and a quantity above 1: both paths make the same order, total = selling_price", async () => {
      const { base } = await shopWithBase("送料テスト店")
      const content = {
        item: { id: "300103", code: "LG-TOWEL-03", name: "今治タオル" },
        variation: { id: "900131", code: "LG-TOWEL-03-WH", name: "ホワイト" },
        stock_count: 4,
        selling_price: 12_345,
        shipping_fee: 880,
      }
      const bulkRaw = sandbox.addOrder({ status: "payment", ...content })
      const perOrderRaw = {
        ...structuredClone(bulkRaw),
        id: `${bulkRaw.id}-per-order`,
      }
      const { perOrderIds, bulk } = await importBothWays(
        base,
        [perOrderRaw],
        [bulkRaw]
      )
      const a = await readOrder((bulk[bulkRaw.id] as any).order_id)
      const b = await readOrder(perOrderIds[0])
      for (const o of [a, b]) {
        expect([
          Number(o.total),
          Number(o.shipping_total),
          Number(o.item_total),
          o.payment_collections.map((pc: any) => Number(pc.captured_amount)),
        ]).toEqual([12_345, 880, 11_465, [12_345]])
        for (const pc of o.payment_collections) {
          const { line_gift_import: _marker, ...rest } = pc.metadata ?? {}
          pc.metadata = Object.keys(rest).length ? rest : null
        }
      }
      const shared = new Set([...idsIn(a)].filter((id) => idsIn(b).has(id)))
      expect(normalise(a, shared, bulkRaw.id)).toEqual(
        normalise(b, shared, perOrderRaw.id)
      )
      expect(await reservationsOf(a)).toEqual(await reservationsOf(b))
    })
  },
})
