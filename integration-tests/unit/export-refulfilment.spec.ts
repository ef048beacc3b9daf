/**
 * A shipment corrected by a second fulfilment (review of the export path, defect 1): the real
 * planning and row functions chained as the workflow chains them (planPreparedExport →
 * rowValuesFor → push → outcomeValues), so what reaches LINE Gift and what the row keeps are
 * asserted across a sequence of admin actions. No database.
 */
import type { FulfillmentFacts } from "../../src/lib/carrier"
import { planPreparedExport } from "../../src/workflows/export/steps/prepare-export"
import { rowValuesFor } from "../../src/workflows/export/steps/upsert-export-row"
import { outcomeValues } from "../../src/workflows/export/steps/record-outcome"
import {
  dueMarkValues,
  sweepFulfillmentId,
} from "../../src/workflows/export/steps/mark-export-due"
import type {
  ExportShopSettings,
  LineGiftExportRow,
  PushOutcome,
} from "../../src/workflows/export/types"

const shop: ExportShopSettings = {
  id: "s1",
  name: "見本ショップ",
  api_enabled: true,
  auto_export: true,
  export_scope: "fulfilled",
  carrier_map: {
    so_yamato: "ヤマト運輸",
    so_sagawa: "佐川急便",
    so_post: "日本郵便",
  },
  default_carrier: null,
}

const NOW = new Date("2026-12-01T03:00:00Z")

/** The export row of LINE Gift order LG1 before anything was planned for it. */
const NEW_ROW: LineGiftExportRow = {
  id: "lgexp_1",
  shop_id: shop.id,
  line_gift_order_id: "LG1",
  order_id: "order_1",
  fulfillment_id: null,
  tracking_number: null,
  carrier: null,
  state: "pending",
  attempts: 0,
  next_attempt_at: null,
  last_error: null,
  sent_tracking_number: null,
  sent_carrier: null,
  sent_at: null,
  ship_date: null,
  reasons: null,
  sent_fulfillment_id: null,
  sent_fulfillment_cancelled: false,
}

const SENT: PushOutcome = {
  status: "sent",
  message: null,
  reason: null,
  kind: null,
  retry_after_ms: null,
  sent_at: NOW.toISOString(),
  ship_date: "2026-12-01",
}

const fulfilment = (
  id: string,
  option: string,
  tracking?: string
): FulfillmentFacts =>
  ({
    id,
    shipping_option_id: option,
    provider_id: "manual_manual",
    metadata: null,
    labels: tracking ? [{ tracking_number: tracking }] : [],
    shipped_at: tracking ? NOW : null,
    canceled_at: null,
    created_at: new Date(NOW.getTime() + Number(id.slice(-1)) * 1000),
  }) as FulfillmentFacts

/** A LINE Gift order's export, driven like the workflow drives it; `pushes` = LINE Gift's calls. */
class Export {
  row: LineGiftExportRow | null = null
  fulfilments: FulfillmentFacts[] = []
  pushes: Array<{
    delivery_code: string | null
    delivery_agent: string | null
  }> = []

  /** One workflow run: the event's (or the sweep's / push again's) fulfilment and `force`. */
  run(fulfillment_id: string | null, force = false) {
    const prepared = planPreparedExport(
      {
        shop_id: shop.id,
        line_gift_order_id: "LG1",
        record_id: "rec_1",
        order_id: "order_1",
        fulfillment_id,
        force,
      },
      {
        row: this.row,
        shop,
        fulfillments: this.fulfilments,
        lineGiftStatus: "payment",
      }
    )
    const base: LineGiftExportRow = this.row ?? NEW_ROW
    let row = { ...base, ...rowValuesFor(prepared, NOW) }
    if (row.state === "pending" && prepared.plan.action === "send") {
      this.pushes.push({
        delivery_code: row.tracking_number,
        delivery_agent: row.carrier,
      })
      row = { ...row, ...outcomeValues(row, SENT, NOW) }
    }
    this.row = row
    return { plan: prepared.plan, row }
  }

  add(f: FulfillmentFacts) {
    this.fulfilments.push(f)
    return this.run(f.id)
  }

  ship(id: string, tracking: string) {
    const f = this.fulfilments.find((x) => x.id === id)!
    f.labels = [{ tracking_number: tracking }]
    f.shipped_at = NOW
    return this.run(id)
  }

  cancel(id: string) {
    this.fulfilments.find((x) => x.id === id)!.canceled_at = NOW
    return this.run(id)
  }
}

const codes = (row: LineGiftExportRow) => (row.reasons ?? []).map((r) => r.code)

describe("a correction after a second fulfilment (admin flow: B created without labels, then shipped)", () => {
  for (const cancelFirst of [true, false]) {
    it(`is pushed with the carrier of B's shipping option (佐川急便), not A's${cancelFirst ? " (A cancelled first)" : " (A still live)"}`, () => {
      const ex = new Export()
      ex.add(fulfilment("ful_A1", "so_yamato", "111122223333"))
      expect(ex.pushes).toEqual([
        { delivery_code: "111122223333", delivery_agent: "ヤマト運輸" },
      ])
      if (cancelFirst) {
        const flagged = ex.cancel("ful_A1").row
        expect(flagged).toMatchObject({
          state: "sent",
          sent_fulfillment_cancelled: true,
        })
      }
      const created = ex.add(fulfilment("ful_B2", "so_sagawa"))
      const shipped = ex.ship("ful_B2", "4444-5555-6666")
      expect(shipped.plan).toMatchObject({
        action: "send",
        correction: true,
        carrier: "佐川急便",
        carrier_source: "shipping_option",
      })
      expect(ex.pushes).toEqual([
        { delivery_code: "111122223333", delivery_agent: "ヤマト運輸" },
        { delivery_code: "444455556666", delivery_agent: "佐川急便" },
      ])
      expect(shipped.row).toMatchObject({
        state: "sent",
        sent_carrier: "佐川急便",
        sent_fulfillment_id: "ful_B2",
        sent_fulfillment_cancelled: false,
        reasons: null,
      })
      // While B had no label: nothing sendable, LINE Gift kept A's values; the row's working
      // values were B's own, never A's carrier or number carried over to B.
      expect(created.plan.action).toBe("unchanged")
      expect(created.row).toMatchObject({
        state: "sent",
        fulfillment_id: "ful_B2",
        tracking_number: null,
        carrier: "佐川急便",
        sent_tracking_number: "111122223333",
        sent_carrier: "ヤマト運輸",
        sent_fulfillment_id: "ful_A1",
      })

      // Push again re-sends what LINE Gift accepted for B.
      ex.run(shipped.row.fulfillment_id, true)
      expect(ex.pushes[2]).toEqual({
        delivery_code: "444455556666",
        delivery_agent: "佐川急便",
      })
    })
  }

  it("a 日本郵便 correction with an 11-digit number is pushed with 日本郵便", () => {
    const ex = new Export()
    ex.add(fulfilment("ful_A1", "so_yamato", "111122223333"))
    ex.cancel("ful_A1")
    ex.add(fulfilment("ful_C3", "so_post"))
    const shipped = ex.ship("ful_C3", "1234-5678-901")
    expect(shipped.plan).toMatchObject({ action: "send", carrier: "日本郵便" })
    expect(ex.pushes[1]).toEqual({
      delivery_code: "12345678901",
      delivery_agent: "日本郵便",
    })
    expect(shipped.row).toMatchObject({ state: "sent", reasons: null })
  })

  it("a correction whose number cannot be its carrier's is held with the reason (counted, visible), not silently unchanged; fixing it sends it", () => {
    const ex = new Export()
    ex.add(fulfilment("ful_A1", "so_yamato", "111122223333"))
    ex.cancel("ful_A1")
    ex.add(fulfilment("ful_B2", "so_yamato"))
    const wrong = ex.ship("ful_B2", "1234-5678-901")
    expect(wrong.plan.action).toBe("hold")
    expect(wrong.row).toMatchObject({
      state: "held",
      fulfillment_id: "ful_B2",
      tracking_number: "12345678901",
      carrier: "ヤマト運輸",
      // LINE Gift's values are kept, and still flagged: A was cancelled.
      sent_tracking_number: "111122223333",
      sent_carrier: "ヤマト運輸",
      sent_fulfillment_cancelled: true,
    })
    expect(codes(wrong.row)).toEqual([
      "sent_fulfillment_cancelled",
      "invalid_tracking_number",
    ])
    expect(wrong.row.last_error).toContain(
      '"12345678901" cannot be a ヤマト運輸 number'
    )
    expect(wrong.row.next_attempt_at).not.toBeNull() // the sweep re-checks it
    // Push again does not send a number that cannot be the carrier's either.
    expect(ex.run("ful_B2", true).row.state).toBe("held")
    expect(ex.pushes).toHaveLength(1)
    // The merchant marks it shipped again with the right number: the correction goes out.
    ex.ship("ful_B2", "999988887777")
    expect(ex.pushes[1]).toEqual({
      delivery_code: "999988887777",
      delivery_agent: "ヤマト運輸",
    })
    expect(ex.row).toMatchObject({
      state: "sent",
      sent_fulfillment_cancelled: false,
      reasons: null,
    })
  })

  it("a held correction is flagged when the fulfilment LINE Gift shows is cancelled afterwards", () => {
    const ex = new Export()
    ex.add(fulfilment("ful_A1", "so_yamato", "111122223333"))
    ex.add(fulfilment("ful_B2", "so_post", "12"))
    expect(ex.row).toMatchObject({
      state: "held",
      sent_fulfillment_cancelled: false,
    })
    const cancelled = ex.cancel("ful_A1").row
    expect(cancelled).toMatchObject({
      state: "held",
      fulfillment_id: "ful_B2",
      sent_fulfillment_cancelled: true,
    })
    expect(codes(cancelled)).toEqual([
      "sent_fulfillment_cancelled",
      "invalid_tracking_number",
    ])
    expect(ex.pushes).toHaveLength(1)
  })

  it("the carrier LINE Gift accepted for a fulfilment stays fixed for it, also while a later correction is held (16.1)", () => {
    const ex = new Export()
    ex.add(fulfilment("ful_A1", "so_yamato", "111122223333"))
    // The merchant remaps the option afterwards.
    shop.carrier_map.so_yamato = "佐川急便"
    try {
      ex.add(fulfilment("ful_B2", "so_post", "12"))
      expect(ex.row!.state).toBe("held")
      ex.cancel("ful_B2")
      // The sweep re-plans the held row: A (live, sent as ヤマト運輸) is what LINE Gift has.
      const again = ex.run(ex.row!.fulfillment_id)
      expect(again.plan).toMatchObject({
        action: "unchanged",
        carrier: "ヤマト運輸",
      })
      expect(ex.pushes).toHaveLength(1)
      expect(again.row).toMatchObject({
        state: "sent",
        fulfillment_id: "ful_A1",
        reasons: null,
      })
    } finally {
      shop.carrier_map.so_yamato = "ヤマト運輸"
    }
  })
})

describe("an event's due mark on a pending row (review: the mark alters nothing the row records)", () => {
  it("a fulfilment created then cancelled while the row waits to retry: the sweep still sends the recorded carrier (ヤマト運輸), not today's mapping", () => {
    const f1 = fulfilment("ful_A1", "so_yamato", "111122223333")
    // Planned and recorded for A1 with ヤマト運輸; the push is to be retried (LINE Gift down).
    const first = planPreparedExport(
      {
        shop_id: shop.id,
        line_gift_order_id: "LG1",
        record_id: "rec_1",
        order_id: "order_1",
        fulfillment_id: "ful_A1",
      },
      { row: null, shop, fulfillments: [f1], lineGiftStatus: "payment" }
    )
    const retryAt = new Date(NOW.getTime() + 60_000)
    const pending: LineGiftExportRow = {
      ...NEW_ROW,
      mark_seq: 0,
      due_at: null,
      due_fulfillment_id: null,
      ...rowValuesFor(first, NOW),
      attempts: 1,
      next_attempt_at: retryAt,
      last_error: "LINE Gift could not be reached",
    }
    expect(pending).toMatchObject({
      fulfillment_id: "ful_A1",
      tracking_number: "111122223333",
      carrier: "ヤマト運輸",
    })

    // The merchant remaps the shipping option; B2 is created and cancelled: its event marks.
    const remapped: ExportShopSettings = {
      ...shop,
      carrier_map: { ...shop.carrier_map, so_yamato: "佐川急便" },
    }
    const f2 = { ...fulfilment("ful_B2", "so_yamato"), canceled_at: NOW }
    const marked = { ...pending, ...dueMarkValues(pending, "ful_B2", NOW) }
    // What the row records for its fulfilment is untouched by the mark.
    expect(marked).toMatchObject({
      fulfillment_id: "ful_A1",
      tracking_number: "111122223333",
      carrier: "ヤマト運輸",
      next_attempt_at: retryAt,
      last_error: "LINE Gift could not be reached",
      due_at: NOW,
    })

    // The sweep's export of the marked row.
    const swept = planPreparedExport(
      {
        shop_id: shop.id,
        line_gift_order_id: "LG1",
        record_id: "rec_1",
        order_id: "order_1",
        fulfillment_id: sweepFulfillmentId(marked),
      },
      {
        row: marked,
        shop: remapped,
        fulfillments: [f1, f2],
        lineGiftStatus: "payment",
      }
    )
    expect(swept.fulfillment?.id).toBe("ful_A1")
    const row = { ...marked, ...rowValuesFor(swept, NOW) }
    expect(swept.plan).toMatchObject({ action: "send", carrier: "ヤマト運輸" })
    expect(row).toMatchObject({
      state: "pending",
      fulfillment_id: "ful_A1",
      tracking_number: "111122223333",
      carrier: "ヤマト運輸",
    })
  })
})
