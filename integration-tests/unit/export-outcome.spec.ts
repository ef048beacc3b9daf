/**
 * What a refused push means (issue 10.1: "cannot take it YET" vs "never"), how LINE Gift's
 * current status is read from the order search, and what an export run counts. No database.
 */
import { LineGiftApiError } from "../../src/lib/line-gift/errors"
import { outcomeOfError } from "../../src/workflows/export/steps/send-delivery"
import { readLineGiftStatuses } from "../../src/workflows/export/line-gift-statuses"
import {
  countExportResult,
  isExportDue,
  type ExportRunCounts,
} from "../../src/workflows/export/run-export"
import { deferredExportReason } from "../../src/workflows/export/run/event"
import {
  dueMarkValues,
  sweepFulfillmentId,
} from "../../src/workflows/export/steps/mark-export-due"

const conflict = () =>
  new LineGiftApiError({
    kind: "conflict",
    endpoint: "delivery",
    message: "LINE Gift delivery: conflict",
    code: 409,
    reason: "order status is gift_message_send",
  } as any)

describe("outcomeOfError after a conflict (409)", () => {
  it("holds a gift still waiting for the recipient's address, with that reason", () => {
    const out = outcomeOfError(conflict(), "5001", "gift_message_send")
    expect(out.status).toBe("held")
    expect(out.reason).toMatchObject({
      code: "awaiting_address",
      params: { status: "gift_message_send" },
    })
    expect(out.message).toContain("waiting for the recipient's address")
    expect(out.message).not.toContain("cancel")
  })

  it("fails for good only for a cancelled order, saying so", () => {
    const out = outcomeOfError(conflict(), "5001", "cancel")
    expect(out).toMatchObject({
      status: "failed",
      reason: { code: "line_gift_cancelled" },
    })
    expect(out.message).toContain("cancelled on LINE Gift")
  })

  it("names the status it found otherwise, and retries when the status could not be read", () => {
    const other = outcomeOfError(conflict(), "5001", null)
    expect(other.status).toBe("failed")
    expect(other.message).toContain("not among LINE Gift's recent orders")
    expect(other.message).not.toContain("e.g. it was cancelled")
    expect(outcomeOfError(conflict(), "5001").status).toBe("retry")
  })
})

describe("readLineGiftStatuses", () => {
  it("reads pages until every asked order was seen", async () => {
    let pagesRead = 0
    const pages = [
      [
        { id: 1, status: "payment" },
        { id: "2", status: "cancel" },
      ],
      [{ id: "3", status: "gift_message_send" }],
      [{ id: "4", status: "received" }],
    ]
    const client = {
      async *iterateOrderPages() {
        for (const [i, orders] of pages.entries()) {
          pagesRead++
          yield {
            orders,
            page: i + 1,
            totalPages: pages.length,
            totalEntries: null,
          }
        }
      },
    }
    const found = await readLineGiftStatuses(client as any, ["1", "3"])
    expect([...found]).toEqual([
      ["1", "payment"],
      ["3", "gift_message_send"],
    ])
    expect(pagesRead).toBe(2)
  })
})

describe("countExportResult", () => {
  const counts = (): ExportRunCounts => ({
    sent: 0,
    unchanged: 0,
    held: 0,
    failed: 0,
    pending: 0,
    source: "event",
  })
  const outcome = (status: string) => ({ status }) as any
  it("counts what each name says", () => {
    const c = counts()
    expect(
      countExportResult(c, {
        export: { state: "sent" } as any,
        outcome: outcome("sent"),
      })
    ).toBe("sent")
    expect(
      countExportResult(c, {
        export: { state: "sent" } as any,
        outcome: outcome("skipped"),
      })
    ).toBe("unchanged")
    expect(
      countExportResult(c, {
        export: { state: "held" } as any,
        outcome: outcome("held"),
      })
    ).toBe("held")
    expect(
      countExportResult(c, {
        export: { state: "failed" } as any,
        outcome: outcome("failed"),
      })
    ).toBe("failed")
    expect(
      countExportResult(c, {
        export: { state: "pending" } as any,
        outcome: outcome("retry"),
      })
    ).toBe("pending")
    expect(
      countExportResult(c, { export: null, outcome: outcome("skipped") })
    ).toBeNull()
    expect(c).toEqual({
      sent: 1,
      unchanged: 1,
      held: 1,
      failed: 1,
      pending: 1,
      source: "event",
    })
  })
})

describe("a fulfilment event's mark (never lost without the export lock)", () => {
  const now = new Date("2026-12-01T03:00:00Z")

  it("changes only the mark: due now, the next mark number, the event's fulfilment as the one to prefer", () => {
    expect(
      dueMarkValues({ mark_seq: 0, due_fulfillment_id: null }, "ful_B", now)
    ).toEqual({ due_at: now, mark_seq: 1, due_fulfillment_id: "ful_B" })
    expect(
      dueMarkValues({ mark_seq: 4, due_fulfillment_id: "ful_B" }, null, now)
    ).toEqual({ due_at: now, mark_seq: 5, due_fulfillment_id: "ful_B" })
  })

  it("the sweep prefers the marking event's fulfilment while the mark is outstanding, else the row's", () => {
    expect(
      sweepFulfillmentId({
        fulfillment_id: "ful_A",
        due_at: now,
        due_fulfillment_id: "ful_B",
      })
    ).toBe("ful_B")
    expect(
      sweepFulfillmentId({
        fulfillment_id: "ful_A",
        due_at: null,
        due_fulfillment_id: "ful_B",
      })
    ).toBe("ful_A")
  })

  it("the sweep takes a marked row in any state, and leaves sent or failed rows alone otherwise", () => {
    for (const state of ["sent", "failed", "held", "pending"] as const) {
      const later = new Date(now.getTime() + 3600_000)
      expect(
        isExportDue({ state, next_attempt_at: later, due_at: now }, now)
      ).toBe(true)
    }
    for (const state of ["sent", "failed"] as const) {
      expect(isExportDue({ state, next_attempt_at: now }, now)).toBe(false)
      expect(
        isExportDue(
          {
            state,
            next_attempt_at: null,
            due_at: new Date(now.getTime() + 1000),
          },
          now
        )
      ).toBe(false)
    }
  })
})

describe("the reason stored for an event's export that did not run at once", () => {
  const busy = "the shop's export lock stayed busy for 120 s"

  it("says what happens next, as it is for the shop", () => {
    const on = deferredExportReason(busy, {
      auto_export: true,
      api_enabled: true,
    })
    expect(on).toBe(
      `Not exported at once: ${busy}. The export sweep sends it within a minute.`
    )
    const autoOff = deferredExportReason(busy, {
      auto_export: false,
      api_enabled: true,
    })
    expect(autoOff).toContain("Auto export is off")
    expect(autoOff).not.toContain("sweep")
    const apiOff = deferredExportReason(busy, {
      auto_export: true,
      api_enabled: false,
    })
    expect(apiOff).toContain("API usage is off")
    expect(apiOff).not.toContain("Auto export is off")
    expect(apiOff).not.toContain("within a minute")
    const bothOff = deferredExportReason(busy, {
      auto_export: false,
      api_enabled: false,
    })
    expect(bothOff).toContain("Auto export and API usage are off")
  })

  it("does not promise the sweep when the shop could not be read", () => {
    const unknown = deferredExportReason("the export failed: db down", null)
    expect(unknown).toContain("could not be read")
    expect(unknown).toContain("with auto export and API usage on")
    expect(unknown).not.toMatch(/^[^:]*: [^.]*\. The export sweep sends it/)
  })
})
