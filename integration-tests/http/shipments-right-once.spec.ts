/**
 * Shipments that reach LINE Gift right, once (issue 10; issue 16 items 1 and 5), end to end:
 * Medusa on PostgreSQL with the plugin from src/, the sandbox over HTTP. Orders are imported
 * through the import route, fulfilled with Medusa's workflow / admin API; the sandbox says what
 * it received (its delivery calls and order state).
 */
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import {
  createOrderFulfillmentWorkflow,
  createShippingOptionsWorkflow,
} from "@medusajs/medusa/core-flows"
import { seededAdminSuite } from "../helpers/suite"
import { sandboxForSuite } from "../helpers/line-gift"
import { runLineGiftExportSweep } from "../../src/workflows/export/run-export"

jest.setTimeout(240_000)

const sandbox = sandboxForSuite()

/** A recipient address as the recipient enters it on LINE Gift (fictional). */
const ADDRESS = {
  from_name: "見本 花子",
  first_name: "太郎",
  last_name: "試験",
  zip: "100-0001",
  tel: "09000001234",
  tel_hyphen: "090-0000-1234",
  pref: "東京都",
  city: "千代田区",
  address: "見本町1-2-3",
}

const MINUTE = 60_000

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
    const { store, headers, connectedShop } = seededAdminSuite({
      api,
      getContainer,
      sandbox,
      shopDefaults: { default_carrier: "ヤマト運輸" },
    })

    /** Adds orders to the sandbox (status per entry) and imports them. */
    const importFresh = async (shopId: string, statuses: string[]) => {
      const added = statuses.map((status) =>
        sandbox.addOrder({
          status,
          bought_on: Math.floor(Date.now() / 1000) - 5,
          item: {
            id: "300104",
            code: "LG-SAKE-04",
            name: "純米吟醸 飲み比べセット",
          },
          variation: { id: "900141", code: "LG-SAKE-04-3", name: "3本セット" },
          stock_count: 1,
          selling_price: 5500,
          ...(status === "payment" ? { address: ADDRESS } : { address: {} }),
        } as any)
      )
      const { data } = await api.post(
        `/admin/line-gift/shops/${shopId}/import`,
        { from: new Date(Date.now() - 120_000).toISOString() },
        headers
      )
      // Provisional imports are not among `created`: read the link.
      const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
      const { data: linked } = await query.graph({
        entity: "line_gift_order",
        fields: ["line_gift_order_id", "order.id"],
        filters: {
          shop_id: shopId,
          line_gift_order_id: added.map((a) => a.id),
        },
      })
      return added.map((lg) => {
        const orderId =
          (data.orders ?? []).find((o: any) => o.line_gift_order_id === lg.id)
            ?.order_id ??
          (linked as any[]).find((r) => r.line_gift_order_id === lg.id)?.order
            ?.id
        expect([lg.id, orderId]).toEqual([lg.id, expect.any(String)])
        return { lgId: lg.id as string, orderId: orderId as string }
      })
    }

    const orderOf = async (orderId: string) => {
      const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
      const { data } = await query.graph({
        entity: "order",
        fields: ["id", "items.*", "metadata"],
        filters: { id: orderId },
      })
      return data[0] as any
    }

    const fulfil = async (
      orderId: string,
      trackingNumber?: string,
      metadata?: Record<string, unknown>,
      shippingOptionId?: string
    ) => {
      const order = await orderOf(orderId)
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
          ...(metadata ? { metadata } : {}),
          ...(shippingOptionId ? { shipping_option_id: shippingOptionId } : {}),
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
      const order = await orderOf(orderId)
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

    /** Another shipping option in the seeded option's service zone (a merchant's second carrier). */
    const shippingOption = async (name: string) => {
      const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
      const { data } = await query.graph({
        entity: "shipping_option",
        fields: ["id", "service_zone_id"],
        filters: { id: store.shipping_option_id },
      })
      const { result } = await createShippingOptionsWorkflow(
        getContainer()
      ).run({
        input: [
          {
            name,
            price_type: "flat",
            provider_id: "manual_manual",
            service_zone_id: (data[0] as any).service_zone_id,
            shipping_profile_id: store.shipping_profile_id,
            type: { label: name, description: name, code: name },
            prices: [
              { currency_code: "jpy", amount: 0 },
              { region_id: store.region_id, amount: 0 },
            ],
            rules: [
              { attribute: "enabled_in_store", value: "false", operator: "eq" },
              { attribute: "is_return", value: "false", operator: "eq" },
            ],
          },
        ] as any,
      })
      return result[0].id as string
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

    /** Delivery calls LINE Gift accepted / answered for one order. */
    const deliveries = (lgId: string) =>
      sandbox.calls.filter(
        (c) =>
          c.kind === "delivery" &&
          c.path.includes(`/order/${lgId}/`) &&
          c.status !== 0
      )

    const codes = (row: any) => (row.reasons ?? []).map((r: any) => r.code)

    it("10.1 a gift fulfilled before its address is held, then sent by the sweep by itself, exactly once", async () => {
      const shop = await connectedShop({ provisional_import: true })
      const [o] = await importFresh(shop.id, ["gift_message_send"])
      await fulfil(o.orderId, "999999999999")

      const held = await waitExport(
        o.orderId,
        (e) => e.state === "held",
        "held for the address"
      )
      expect(codes(held)).toEqual(["awaiting_address"])
      expect(held.reasons[0].params).toEqual({ status: "gift_message_send" })
      expect(held.last_error).toContain("waiting for the recipient's address")
      expect(held.last_error).not.toContain("cancel")
      expect(deliveries(o.lgId)).toHaveLength(0)

      // Re-checked: LINE Gift still waits, so nothing is sent.
      await runLineGiftExportSweep(getContainer(), {
        shop_id: shop.id,
        now: new Date(Date.now() + 11 * MINUTE),
      })
      expect((await exportOf(o.orderId)).state).toBe("held")
      expect(deliveries(o.lgId)).toHaveLength(0)

      // The recipient enters the address: 発送待ち.
      sandbox.updateOrder(o.lgId, { status: "payment", address: ADDRESS })
      const swept = await runLineGiftExportSweep(getContainer(), {
        shop_id: shop.id,
        now: new Date(Date.now() + 11 * MINUTE),
      })
      expect(swept.sent).toBe(1)
      const sent = await exportOf(o.orderId)
      expect(sent).toMatchObject({
        state: "sent",
        sent_tracking_number: "999999999999",
        last_error: null,
        reasons: null,
        attempts: 1,
      })
      expect(sandbox.getOrder(o.lgId)).toMatchObject({
        status: "received",
        delivery_code: "999999999999",
        delivery_agent: "ヤマト運輸",
      })

      // Never again: later sweeps and 送信情報の更新 leave it.
      await runLineGiftExportSweep(getContainer(), {
        shop_id: shop.id,
        now: new Date(Date.now() + 60 * MINUTE),
      })
      const manual = (
        await api.post(`/admin/line-gift/shops/${shop.id}/export`, {}, headers)
      ).data
      expect(manual.counts).toMatchObject({ sent: 0, unchanged: 1 })
      expect(deliveries(o.lgId)).toHaveLength(1)

      // The sweep that sent it is in the sync history with its counts.
      const runs = (
        await api.get(
          `/admin/line-gift/runs?shop_id=${shop.id}&kind=export`,
          headers
        )
      ).data.runs
      const sweepRun = runs.find(
        (r: any) => r.export_counts?.source === "sweep"
      )
      expect(sweepRun).toMatchObject({
        trigger: "automatic",
        state: "succeeded",
        created_count: 1,
      })
      expect(sweepRun.export_counts).toMatchObject({
        sent: 1,
        unchanged: 0,
        held: 0,
        failed: 0,
      })
    })

    it("10.1 a push LINE Gift refuses because the address is missing is held, not failed, and 送信情報の更新 sends it once the order is 発送待ち", async () => {
      const shop = await connectedShop()
      const [o] = await importFresh(shop.id, ["payment"])
      // LINE Gift is not (yet) waiting for shipment although the record says payment.
      sandbox.updateOrder(o.lgId, { status: "gift_message_send", address: {} })
      await fulfil(o.orderId, "888888888888")

      const held = await waitExport(
        o.orderId,
        (e) => e.state === "held",
        "held after the refusal"
      )
      expect(codes(held)).toEqual(["awaiting_address"])
      expect(held.attempts).toBe(1) // one push was made
      expect(held.last_error).toContain("waiting for the recipient's address")
      expect(deliveries(o.lgId)).toHaveLength(1)

      // Still waiting: 送信情報の更新 re-checks LINE Gift and does not push again.
      const still = (
        await api.post(`/admin/line-gift/shops/${shop.id}/export`, {}, headers)
      ).data
      expect(still.counts).toEqual({
        sent: 0,
        unchanged: 0,
        held: 1,
        failed: 0,
      })
      expect(still.run.errors[0].reason).toContain(
        "waiting for the recipient's address"
      )
      expect(deliveries(o.lgId)).toHaveLength(1)

      sandbox.updateOrder(o.lgId, { status: "payment", address: ADDRESS })
      const manual = (
        await api.post(`/admin/line-gift/shops/${shop.id}/export`, {}, headers)
      ).data
      expect(manual.counts).toEqual({
        sent: 1,
        unchanged: 0,
        held: 0,
        failed: 0,
      })
      expect(manual.run.export_counts).toMatchObject({
        sent: 1,
        held: 0,
        source: "manual",
      })
      expect(await exportOf(o.orderId)).toMatchObject({
        state: "sent",
        attempts: 2,
        last_error: null,
        reasons: null,
      })
      expect(sandbox.getOrder(o.lgId)).toMatchObject({
        status: "received",
        delivery_code: "888888888888",
      })
      expect(deliveries(o.lgId).filter((c) => c.status === 200)).toHaveLength(2)
      expect((sandbox.getOrder(o.lgId) as any).delivery_code).toBe(
        "888888888888"
      )
      await runLineGiftExportSweep(getContainer(), {
        shop_id: shop.id,
        now: new Date(Date.now() + 60 * MINUTE),
      })
      expect(deliveries(o.lgId)).toHaveLength(2)
    })

    it("10.2 full-width, spaced and hyphenated numbers reach LINE Gift normalised, per carrier", async () => {
      const shop = await connectedShop()
      const cases: Array<[string, string, string]> = [
        ["ヤマト運輸", "１２３４５６７８９０１２", "123456789012"],
        ["佐川急便", "1234 5678 9013", "123456789013"],
        ["日本郵便", "ｅｆ１２３４５６７８９ｊｐ", "EF123456789JP"],
        ["日本郵便", "1234-5678-901", "12345678901"],
        ["西濃運輸", "１２３４－５６７８－９０", "1234567890"],
        ["福山通運", "1234-5678-901", "12345678901"],
      ]
      const orders = await importFresh(
        shop.id,
        cases.map(() => "payment")
      )
      for (const [i, [carrier, typed]] of cases.entries()) {
        await fulfil(orders[i].orderId, typed, { line_gift_carrier: carrier })
      }
      for (const [i, [carrier, , sent]] of cases.entries()) {
        const row = await waitExport(
          orders[i].orderId,
          (e) => e.state === "sent",
          `sent (${carrier})`
        )
        expect(row).toMatchObject({
          tracking_number: sent,
          sent_tracking_number: sent,
          carrier,
        })
        expect(sandbox.getOrder(orders[i].lgId)).toMatchObject({
          status: "received",
          delivery_code: sent,
          delivery_agent: carrier,
        })
        expect(deliveries(orders[i].lgId)).toHaveLength(1)
      }
    })

    it("10.2 an impossible number is held with a reason the merchant can act on, never sent", async () => {
      const shop = await connectedShop()
      const [yamato, post] = await importFresh(shop.id, ["payment", "payment"])
      await fulfil(yamato.orderId, "１２３４５－６７")
      await fulfil(post.orderId, "12345", { line_gift_carrier: "日本郵便" })

      const held = await waitExport(
        yamato.orderId,
        (e) => e.state === "held",
        "held (ヤマト運輸)"
      )
      expect(codes(held)).toEqual(["invalid_tracking_number"])
      expect(held.reasons[0].params).toEqual({
        tracking_number: "1234567",
        carrier: "ヤマト運輸",
        expected: "12 digits",
        format: "digits_12",
      })
      expect(held.last_error).toContain(
        '"1234567" cannot be a ヤマト運輸 number (expected 12 digits)'
      )
      const heldPost = await waitExport(
        post.orderId,
        (e) => e.state === "held",
        "held (日本郵便)"
      )
      expect(heldPost.reasons[0].params.carrier).toBe("日本郵便")

      await runLineGiftExportSweep(getContainer(), {
        shop_id: shop.id,
        now: new Date(Date.now() + 2 * 3600_000),
      })
      const manual = (
        await api.post(`/admin/line-gift/shops/${shop.id}/export`, {}, headers)
      ).data
      expect(manual.counts).toEqual({
        sent: 0,
        unchanged: 0,
        held: 2,
        failed: 0,
      })
      expect(deliveries(yamato.lgId)).toHaveLength(0)
      expect(deliveries(post.lgId)).toHaveLength(0)
      expect(sandbox.getOrder(yamato.lgId)).toMatchObject({ status: "payment" })
    })

    it("10.3 a fulfilment cancelled after its push is flagged until a new one corrects it; the correction goes out once", async () => {
      const shop = await connectedShop()
      const [o] = await importFresh(shop.id, ["payment"])
      const first = await fulfil(o.orderId, "111122223333")
      await waitExport(o.orderId, (e) => e.state === "sent", "first push")

      await api.post(
        `/admin/orders/${o.orderId}/fulfillments/${first}/cancel`,
        {},
        headers
      )
      const flagged = await waitExport(
        o.orderId,
        (e) => e.sent_fulfillment_cancelled === true,
        "flagged"
      )
      expect(flagged).toMatchObject({
        state: "sent",
        sent_tracking_number: "111122223333",
      })
      expect(codes(flagged)).toEqual(["sent_fulfillment_cancelled"])
      expect(flagged.last_error).toContain(
        "LINE Gift still shows tracking number 111122223333"
      )
      const listed = (
        await api.get(
          `/admin/line-gift/exports?shop_id=${shop.id}&flagged=true`,
          headers
        )
      ).data
      expect(listed.exports.map((e: any) => e.id)).toEqual([flagged.id])
      expect(deliveries(o.lgId)).toHaveLength(1)

      // The sweep and 送信情報の更新 keep the flag (nothing to send yet).
      await runLineGiftExportSweep(getContainer(), {
        shop_id: shop.id,
        now: new Date(Date.now() + 3600_000),
      })
      await api.post(`/admin/line-gift/shops/${shop.id}/export`, {}, headers)
      expect((await exportOf(o.orderId)).sent_fulfillment_cancelled).toBe(true)
      expect(deliveries(o.lgId)).toHaveLength(1)

      await fulfil(o.orderId, "444455556666")
      const corrected = await waitExport(
        o.orderId,
        (e) => e.state === "sent" && e.sent_tracking_number === "444455556666",
        "correction sent"
      )
      expect(corrected).toMatchObject({
        sent_fulfillment_cancelled: false,
        reasons: null,
        last_error: null,
        attempts: 2,
      })
      expect(sandbox.getOrder(o.lgId)).toMatchObject({
        delivery_code: "444455556666",
      })
      expect(
        (
          await api.get(
            `/admin/line-gift/exports?shop_id=${shop.id}&flagged=true`,
            headers
          )
        ).data.count
      ).toBe(0)
      await runLineGiftExportSweep(getContainer(), {
        shop_id: shop.id,
        now: new Date(Date.now() + 3600_000),
      })
      await api.post(`/admin/line-gift/shops/${shop.id}/export`, {}, headers)
      expect(deliveries(o.lgId)).toHaveLength(2)
    })

    it("16.1 the carrier is fixed when recorded: push again after a mapping change re-sends the recorded carrier; new shipments take the new mapping", async () => {
      const shop = await connectedShop()
      const [o, later] = await importFresh(shop.id, ["payment", "payment"])
      await fulfil(o.orderId, "123412341234")
      const sent = await waitExport(
        o.orderId,
        (e) => e.state === "sent",
        "sent as ヤマト運輸"
      )
      expect(sent.sent_carrier).toBe("ヤマト運輸")

      await api.post(
        `/admin/line-gift/shops/${shop.id}`,
        { carrier_map: { [store.shipping_option_id]: "佐川急便" } },
        headers
      )
      const pushed = (
        await api.post(`/admin/line-gift/exports/${sent.id}/push`, {}, headers)
      ).data.export
      expect(pushed).toMatchObject({
        state: "sent",
        carrier: "ヤマト運輸",
        sent_carrier: "ヤマト運輸",
        attempts: 2,
      })
      expect(deliveries(o.lgId)).toHaveLength(2)
      expect(sandbox.getOrder(o.lgId)).toMatchObject({
        delivery_code: "123412341234",
        delivery_agent: "ヤマト運輸",
      })

      // The sweep after the settings change does not re-resolve it either.
      await runLineGiftExportSweep(getContainer(), {
        shop_id: shop.id,
        now: new Date(Date.now() + 3600_000),
      })
      expect(deliveries(o.lgId)).toHaveLength(2)

      await fulfil(later.orderId, "567856785678")
      const next = await waitExport(
        later.orderId,
        (e) => e.state === "sent",
        "new shipment sent"
      )
      expect(next.sent_carrier).toBe("佐川急便")

      // 16.5: the automatic exports and the push again are in the sync history, with counts
      // (an event's run is written right after its push: wait for it).
      const runs = await waitFor(
        async () =>
          (
            await api.get(
              `/admin/line-gift/runs?shop_id=${shop.id}&kind=export`,
              headers
            )
          ).data.runs as any[],
        (r) => r.filter((x) => x.export_counts?.source === "event").length >= 2,
        "both event runs"
      )
      const sources = runs.map((r) => r.export_counts?.source)
      expect(sources.filter((s) => s === "event")).toHaveLength(2)
      expect(sources.filter((s) => s === "push_again")).toHaveLength(1)
      for (const r of runs.filter((r) => r.export_counts?.source !== "sweep")) {
        expect(r).toMatchObject({ state: "succeeded", created_count: 1 })
        expect(r.export_counts).toMatchObject({
          sent: 1,
          unchanged: 0,
          held: 0,
          failed: 0,
        })
      }
    })

    it("review: a correction after a second fulfilment (created without labels, shipped later) goes out with that fulfilment's carrier", async () => {
      const shop = await connectedShop()
      const sagawa = await shippingOption(`佐川便-${shop.id}`)
      const post = await shippingOption(`ゆうパック-${shop.id}`)
      await api.post(
        `/admin/line-gift/shops/${shop.id}`,
        { carrier_map: { [sagawa]: "佐川急便", [post]: "日本郵便" } },
        headers
      )
      const [o, p] = await importFresh(shop.id, ["payment", "payment"])
      const cases: Array<[typeof o, string, string, string, string]> = [
        [o, sagawa, "4444-5555-6666", "444455556666", "佐川急便"],
        // 11 digits: not a ヤマト運輸 number, a 日本郵便 one.
        [p, post, "1234-5678-901", "12345678901", "日本郵便"],
      ]
      for (const [order, option, typed, sent, carrier] of cases) {
        // Fulfilment A (the seeded option: the default carrier ヤマト運輸), pushed, cancelled.
        const first = await fulfil(order.orderId, "111122223333")
        await waitExport(order.orderId, (e) => e.state === "sent", "first push")
        await api.post(
          `/admin/orders/${order.orderId}/fulfillments/${first}/cancel`,
          {},
          headers
        )
        await waitExport(
          order.orderId,
          (e) => e.sent_fulfillment_cancelled === true,
          "flagged"
        )
        // Fulfilment B in the admin with another option, no label yet; shipped later.
        const second = await fulfil(order.orderId, undefined, undefined, option)
        await waitExport(
          order.orderId,
          (e) => e.fulfillment_id === second,
          "B recorded"
        )
        await ship(order.orderId, second, typed)
        const corrected = await waitExport(
          order.orderId,
          (e) => e.sent_tracking_number === sent || e.state === "held",
          `correction (${carrier})`
        )
        expect(corrected).toMatchObject({
          state: "sent",
          sent_tracking_number: sent,
          sent_carrier: carrier,
          sent_fulfillment_id: second,
          sent_fulfillment_cancelled: false,
          reasons: null,
        })
        const calls = deliveries(order.lgId)
        expect(calls).toHaveLength(2)
        expect(calls[1].body).toMatchObject({
          delivery_code: sent,
          delivery_agent: carrier,
        })
        expect(sandbox.getOrder(order.lgId)).toMatchObject({
          delivery_code: sent,
          delivery_agent: carrier,
        })
      }
    })

    it("16.5 an event-driven export that is held is a partial run with the reason", async () => {
      const shop = await connectedShop()
      const [o] = await importFresh(shop.id, ["payment"])
      await fulfil(o.orderId, "12")
      await waitExport(o.orderId, (e) => e.state === "held", "held")
      const runs = await waitFor(
        async () =>
          (
            await api.get(
              `/admin/line-gift/runs?shop_id=${shop.id}&kind=export`,
              headers
            )
          ).data.runs as any[],
        (r) => r.length > 0,
        "event run"
      )
      expect(runs[0]).toMatchObject({
        trigger: "automatic",
        state: "partial",
        skipped_count: 1,
      })
      expect(runs[0].export_counts).toMatchObject({ held: 1, source: "event" })
      expect(runs[0].errors[0]).toMatchObject({ line_gift_order_id: o.lgId })
      expect(runs[0].errors[0].reason).toContain(
        "cannot be a ヤマト運輸 number"
      )
    })
  },
})
