/**
 * Pure shipment logic: carrier resolution, tracking number, Japan date, the export decision,
 * and the retry backoff. No database.
 */
import {
  LINE_GIFT_CARRIERS,
  japanDate,
  planShipmentExport,
  resolveCarrier,
  trackingNumberFromLabels,
  type FulfillmentFacts,
} from "../../src/lib/carrier"
import { exportRetryDelayMs, nextExportAttemptAt } from "../../src/lib/backoff"

const fulfillment = (
  over: Partial<FulfillmentFacts> = {}
): FulfillmentFacts => ({
  id: "ful_1",
  shipping_option_id: "so_1",
  provider_id: "manual_manual",
  metadata: null,
  labels: [{ tracking_number: "1234-5678-9012" }],
  shipped_at: null,
  canceled_at: null,
  ...over,
})

describe("resolveCarrier", () => {
  const settings = {
    carrier_map: { so_1: "佐川急便", manual_manual: "日本郵便" },
    default_carrier: "ヤマト運輸",
  }

  it("prefers the fulfilment metadata, then the shipping option, then the provider, then the default", () => {
    expect(
      resolveCarrier(
        fulfillment({ metadata: { line_gift_carrier: " 福山通運 " } }),
        settings
      )
    ).toEqual({ carrier: "福山通運", source: "metadata" })
    expect(resolveCarrier(fulfillment(), settings)).toEqual({
      carrier: "佐川急便",
      source: "shipping_option",
    })
    expect(
      resolveCarrier(fulfillment({ shipping_option_id: "so_other" }), settings)
    ).toEqual({
      carrier: "日本郵便",
      source: "provider",
    })
    expect(
      resolveCarrier(
        fulfillment({ shipping_option_id: null, provider_id: "other" }),
        settings
      )
    ).toEqual({ carrier: "ヤマト運輸", source: "default" })
  })

  it("ignores blank values and says when nothing names a carrier", () => {
    expect(
      resolveCarrier(fulfillment({ metadata: { line_gift_carrier: "  " } }), {
        carrier_map: { so_1: "" },
        default_carrier: " ",
      })
    ).toEqual({ carrier: null, source: null })
    expect(
      resolveCarrier(fulfillment(), {
        carrier_map: null,
        default_carrier: null,
      })
    ).toEqual({
      carrier: null,
      source: null,
    })
  })

  it("offers the common Japanese carriers", () => {
    expect([...LINE_GIFT_CARRIERS]).toEqual([
      "ヤマト運輸",
      "佐川急便",
      "日本郵便",
      "西濃運輸",
      "福山通運",
    ])
  })
})

describe("trackingNumberFromLabels", () => {
  it("takes the first non-blank tracking number, trimmed", () => {
    expect(
      trackingNumberFromLabels([
        { tracking_number: " " },
        { tracking_number: " 4321 " },
        { tracking_number: "9" },
      ])
    ).toBe("4321")
    expect(trackingNumberFromLabels([])).toBeNull()
    expect(trackingNumberFromLabels(null)).toBeNull()
    expect(
      trackingNumberFromLabels([null, { tracking_number: null }])
    ).toBeNull()
  })
})

describe("japanDate", () => {
  it("is the calendar day in Asia/Tokyo (UTC+9)", () => {
    expect(japanDate(new Date("2026-11-29T14:59:59Z"))).toBe("2026-11-29")
    expect(japanDate(new Date("2026-11-29T15:00:00Z"))).toBe("2026-11-30")
    expect(japanDate(new Date("2026-12-31T15:00:00Z"))).toBe("2027-01-01")
  })
})

describe("planShipmentExport", () => {
  const settings = { carrier_map: {}, default_carrier: "ヤマト運輸" }

  it("sends a complete, new shipment in scope fulfilled before it is shipped", () => {
    const plan = planShipmentExport({
      scope: "fulfilled",
      settings,
      fulfillment: fulfillment(),
    })
    expect(plan).toMatchObject({
      action: "send",
      tracking_number: "123456789012",
      carrier: "ヤマト運輸",
      carrier_source: "default",
      correction: false,
    })
  })

  it("holds until shipped in scope shipped", () => {
    const held = planShipmentExport({
      scope: "shipped",
      settings,
      fulfillment: fulfillment(),
    })
    expect(held.action).toBe("hold")
    expect(held.reasons.join()).toContain("not shipped yet")
    const shipped = planShipmentExport({
      scope: "shipped",
      settings,
      fulfillment: fulfillment({ shipped_at: new Date() }),
    })
    expect(shipped.action).toBe("send")
  })

  it("holds without tracking number or carrier, naming what to map", () => {
    const plan = planShipmentExport({
      scope: "fulfilled",
      settings: { carrier_map: {}, default_carrier: null },
      fulfillment: fulfillment({ labels: [] }),
    })
    expect(plan.action).toBe("hold")
    expect(plan.reasons).toHaveLength(2)
    expect(plan.reasons[0]).toContain("no tracking number")
    expect(plan.reasons[1]).toContain("shipping option so_1")
    expect(plan.reasons[1]).toContain("manual_manual")
  })

  it("holds a cancelled or missing fulfilment", () => {
    expect(
      planShipmentExport({
        scope: "fulfilled",
        settings,
        fulfillment: fulfillment({ canceled_at: new Date() }),
      }).action
    ).toBe("hold")
    expect(
      planShipmentExport({ scope: "fulfilled", settings, fulfillment: null })
        .action
    ).toBe("hold")
  })

  it("does not resend what LINE Gift has, unless forced; a change is a correction", () => {
    const sent = { tracking_number: "123456789012", carrier: "ヤマト運輸" }
    expect(
      planShipmentExport({
        scope: "fulfilled",
        settings,
        fulfillment: fulfillment(),
        sent,
      }).action
    ).toBe("unchanged")
    expect(
      planShipmentExport({
        scope: "fulfilled",
        settings,
        fulfillment: fulfillment(),
        sent,
        force: true,
      })
    ).toMatchObject({ action: "send", correction: false })
    expect(
      planShipmentExport({
        scope: "fulfilled",
        settings,
        fulfillment: fulfillment({
          labels: [{ tracking_number: "９９９９ ９９９９ ９９９９" }],
        }),
        sent,
      })
    ).toMatchObject({
      action: "send",
      correction: true,
      tracking_number: "999999999999",
    })
  })

  it("keeps what was sent when nothing sendable replaces it", () => {
    const sent = { tracking_number: "1234", carrier: "ヤマト運輸" }
    const plan = planShipmentExport({
      scope: "fulfilled",
      settings,
      fulfillment: fulfillment({ canceled_at: new Date() }),
      sent,
    })
    expect(plan.action).toBe("unchanged")
  })
})

describe("export retry backoff", () => {
  it("doubles from 30 s with 0–20 % jitter, capped at an hour", () => {
    for (let i = 0; i < 50; i++) {
      const first = exportRetryDelayMs(1)
      expect(first).toBeGreaterThanOrEqual(30_000)
      expect(first).toBeLessThanOrEqual(36_000)
      const third = exportRetryDelayMs(3)
      expect(third).toBeGreaterThanOrEqual(120_000)
      expect(third).toBeLessThanOrEqual(144_000)
      const late = exportRetryDelayMs(40)
      expect(late).toBeGreaterThanOrEqual(3_600_000)
      expect(late).toBeLessThanOrEqual(4_320_000)
    }
  })

  it("jitters (not every delay is the same)", () => {
    const delays = new Set(
      Array.from({ length: 20 }, () => exportRetryDelayMs(2))
    )
    expect(delays.size).toBeGreaterThan(1)
  })

  it("waits at least as long as LINE Gift's Retry-After", () => {
    expect(exportRetryDelayMs(1, 300_000)).toBe(300_000)
    const now = new Date("2026-11-29T00:00:00Z")
    expect(nextExportAttemptAt(now, 1, 600_000).getTime()).toBe(
      now.getTime() + 600_000
    )
  })
})

describe("planShipmentExport: issue 10 and 16.1", () => {
  const settings = {
    carrier_map: { so_1: "佐川急便" },
    default_carrier: "ヤマト運輸",
  }

  it("holds an impossible tracking number for the carrier, with an actionable reason", () => {
    const plan = planShipmentExport({
      scope: "fulfilled",
      settings,
      fulfillment: fulfillment({
        labels: [{ tracking_number: "１２３４－５６" }],
      }),
    })
    expect(plan.action).toBe("hold")
    expect(plan.details).toEqual([
      expect.objectContaining({
        code: "invalid_tracking_number",
        params: {
          tracking_number: "123456",
          carrier: "佐川急便",
          expected: "12 digits",
          format: "digits_12",
        },
      }),
    ])
    expect(plan.reasons[0]).toContain(
      '"123456" cannot be a 佐川急便 number (expected 12 digits)'
    )
  })

  it("holds while LINE Gift waits for the recipient's address, whatever else is ready", () => {
    for (const status of ["gift_message_send", "gift_message_wait", "cvs"]) {
      const plan = planShipmentExport({
        scope: "fulfilled",
        settings,
        fulfillment: fulfillment(),
        line_gift_status: status,
      })
      expect(plan.action).toBe("hold")
      expect(plan.details.map((d) => d.code)).toEqual(["awaiting_address"])
      expect(plan.reasons[0]).toContain("waiting for the recipient's address")
    }
    expect(
      planShipmentExport({
        scope: "fulfilled",
        settings,
        fulfillment: fulfillment(),
        line_gift_status: "payment",
      }).action
    ).toBe("send")
  })

  it("keeps the carrier recorded for a fulfilment when the mapping changes later (16.1)", () => {
    const plan = planShipmentExport({
      scope: "fulfilled",
      settings,
      fulfillment: fulfillment(),
      sent: { tracking_number: "123456789012", carrier: "ヤマト運輸" },
      recorded: { fulfillment_id: "ful_1", carrier: "ヤマト運輸" },
      force: true,
    })
    expect(plan).toMatchObject({
      action: "send",
      carrier: "ヤマト運輸",
      carrier_source: "recorded",
      correction: false,
    })
    // A new fulfilment takes today's mapping.
    const next = planShipmentExport({
      scope: "fulfilled",
      settings,
      fulfillment: fulfillment({ id: "ful_2" }),
      recorded: { fulfillment_id: "ful_1", carrier: "ヤマト運輸" },
    })
    expect(next).toMatchObject({
      action: "send",
      carrier: "佐川急便",
      carrier_source: "shipping_option",
    })
  })

  it("flags a sent shipment whose fulfilment was cancelled until a new fulfilment corrects it", () => {
    const sent = {
      tracking_number: "123456789012",
      carrier: "佐川急便",
      fulfillment_cancelled: true,
    }
    const stale = planShipmentExport({
      scope: "fulfilled",
      settings,
      fulfillment: fulfillment({ canceled_at: new Date() }),
      sent,
    })
    expect(stale).toMatchObject({ action: "unchanged", stale: true })
    expect(stale.details.map((d) => d.code)).toEqual([
      "sent_fulfillment_cancelled",
    ])
    const noLabelYet = planShipmentExport({
      scope: "fulfilled",
      settings,
      fulfillment: fulfillment({ id: "ful_2", labels: [] }),
      sent,
    })
    expect(noLabelYet.stale).toBe(true)
    expect(noLabelYet.details.map((d) => d.code)).toEqual([
      "sent_fulfillment_cancelled",
      "no_tracking_number",
    ])
    const corrected = planShipmentExport({
      scope: "fulfilled",
      settings,
      fulfillment: fulfillment({
        id: "ful_2",
        labels: [{ tracking_number: "210987654321" }],
      }),
      sent,
    })
    expect(corrected).toMatchObject({
      action: "send",
      correction: true,
      stale: false,
      tracking_number: "210987654321",
    })
  })
})
