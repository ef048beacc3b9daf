/**
 * Pure logic, no database: what an import run decides for one LINE Gift order (classifyOrder),
 * for every status × provisional_import × address (none, partial, whole) × whether the status is
 * among the run's; how a new order is imported (newOrderImport); the `not_importable` skip in
 * the run summary; the statuses the admin routes accept.
 */
import {
  IMPORTABLE_LINE_GIFT_STATUSES,
  LINE_GIFT_ORDER_STATUSES,
  isImportableLineGiftStatus,
  parseLineGiftOrder,
  type LineGiftOrder,
} from "../../src/lib/line-gift/schemas"
import { hasCompleteAddress } from "../../src/lib/mapping"
import {
  classifyOrder,
  newOrderImport,
  type OrderDecision,
} from "../../src/workflows/import/run/classify"
import type {
  ImportFilter,
  OrderRecord,
} from "../../src/workflows/import/run/context"
import { RunSummary } from "../../src/workflows/import/run-summary"
import {
  AdminCreateLineGiftShop,
  AdminStartLineGiftImport,
  AdminUpdateLineGiftShop,
} from "../../src/api/admin/line-gift/validators"
import {
  IMPORTABLE_LINE_GIFT_STATUSES as ADMIN_IMPORTABLE,
  isImportableStatus,
} from "../../src/admin/lib/types"
import {
  formFromShop,
  storedFormOf,
} from "../../src/admin/components/shop-form"

const NOW = 1796000000

const ADDRESSES = {
  none: {},
  partial: { zip: "1000001" },
  whole: {
    last_name: "見本",
    first_name: "花子",
    zip: "1000001",
    pref: "東京都",
    city: "千代田区",
    address: "千代田1-1",
  },
} as const
type AddressKind = keyof typeof ADDRESSES

const order = (
  status: string,
  address: AddressKind,
  over: Record<string, unknown> = {}
): LineGiftOrder => {
  const r = parseLineGiftOrder({
    id: "8000000001",
    status,
    item: { code: "LG-SAKE-04", name: "純米吟醸" },
    stock_count: 1,
    selling_price: 5500,
    bought_on: NOW - 60,
    address: ADDRESSES[address],
    ...over,
  })
  if (!r.ok) throw new Error(r.reason)
  return r.order
}

const filter = (
  statuses: string[],
  provisionalImport: boolean
): ImportFilter => ({
  statuses: new Set(statuses),
  provisionalImport,
  fromSec: NOW - 86400,
  toSec: NOW,
})

const STATUSES = [...LINE_GIFT_ORDER_STATUSES, "hold"] as const
const PROVISIONAL = [false, true] as const
const KINDS: AddressKind[] = ["none", "partial", "whole"]

/** The decision expected for a new order whose status is among the run's statuses. */
function expectedFetched(status: string, address: AddressKind): OrderDecision {
  switch (status) {
    case "gift_message_wait":
    case "gift_message_send":
      // Waiting for the recipient: always provisional, completed when the address arrives.
      return { kind: "import_provisional", flag: "provisional" }
    case "payment":
      return address === "whole"
        ? { kind: "import" }
        : {
            kind: "import_provisional",
            flag: address === "none" ? "no_address" : "partial_address",
          }
    case "cvs":
      // Not paid: never imported; tracked, it is imported once paid and fetched.
      return {
        kind: "skip",
        cause: { reason: "not_importable", code: "cvs" },
        track: true,
      }
    case "received":
    case "cancel":
      return {
        kind: "skip",
        cause: { reason: "not_importable", code: status },
        track: false,
      }
    default:
      return {
        kind: "skip",
        cause: { reason: "unknown_status", code: status },
        track: true,
      }
  }
}

/** The decision expected for a new order whose status is not among the run's (`payment` only). */
function expectedNotFetched(
  status: string,
  provisionalImport: boolean
): OrderDecision {
  if (status === "hold")
    return {
      kind: "skip",
      cause: { reason: "unknown_status", code: "hold" },
      track: true,
    }
  if (
    provisionalImport &&
    (status === "gift_message_wait" || status === "gift_message_send")
  )
    return { kind: "import_provisional", flag: "provisional" }
  return {
    kind: "skip",
    cause: { reason: "status", code: status },
    track: status !== "received" && status !== "cancel",
  }
}

describe("classifyOrder: every status × provisional_import × address", () => {
  const cases = STATUSES.flatMap((status) =>
    PROVISIONAL.flatMap((provisional) =>
      KINDS.map((address) => [status, provisional, address] as const)
    )
  )

  it.each(cases)(
    "%s, provisional_import %s, address %s, status fetched",
    (status, provisional, address) => {
      // The shop's statuses may hold anything (settings saved before cvs/received/cancel were refused).
      const f = filter(["payment", status], provisional)
      expect(classifyOrder(f, order(status, address), undefined)).toEqual(
        expectedFetched(status, address)
      )
    }
  )

  it.each(cases.filter(([status]) => status !== "payment"))(
    "%s, provisional_import %s, address %s, status not fetched",
    (status, provisional, address) => {
      const f = filter(["payment"], provisional)
      expect(classifyOrder(f, order(status, address), undefined)).toEqual(
        expectedNotFetched(status, provisional)
      )
    }
  )
})

describe("classifyOrder: the reviewed examples", () => {
  it("A: gift_message_send among fetch_statuses, no address → provisional (address filled in later)", () => {
    const waiting = order("gift_message_send", "none")
    expect(
      classifyOrder(
        filter(["payment", "gift_message_send"], false),
        waiting,
        undefined
      )
    ).toEqual({ kind: "import_provisional", flag: "provisional" })
  })

  it("A (same kind): a payment order with only a postcode is flagged partial_address", () => {
    expect(
      classifyOrder(
        filter(["payment"], false),
        order("payment", "partial"),
        undefined
      )
    ).toEqual({ kind: "import_provisional", flag: "partial_address" })
  })

  it("B: cancel and cvs among the statuses are never imported", () => {
    for (const status of ["cancel", "cvs", "received"]) {
      const d = classifyOrder(
        filter(["payment", status], false),
        order(status, "whole"),
        undefined
      )
      expect(d).toMatchObject({
        kind: "skip",
        cause: { reason: "not_importable", code: status },
      })
    }
  })

  it("a tracked order bought before the window is imported when it reaches payment", () => {
    const record = {
      id: "rec_1",
      line_gift_order_id: "8000000001",
      state: "seen",
      line_gift_status: "cvs",
      provisional: false,
      flags: [],
      attention_reason: null,
    } as unknown as OrderRecord
    const early = order("payment", "whole", { bought_on: NOW - 10 * 86400 })
    expect(
      classifyOrder(filter(["payment", "cvs"], false), early, record)
    ).toEqual({ kind: "import" })
  })

  it("an imported order now cancelled, with cancel among the statuses, is followed (not imported again)", () => {
    const record = {
      id: "rec_2",
      line_gift_order_id: "8000000001",
      state: "imported",
      line_gift_status: "payment",
      provisional: false,
      flags: [],
      attention_reason: null,
    } as unknown as OrderRecord
    expect(
      classifyOrder(
        filter(["payment", "cancel"], false),
        order("cancel", "whole"),
        record
      )
    ).toEqual({
      kind: "known",
      record,
      skip: { reason: "imported_earlier" },
      follow: true,
    })
  })
})

describe("newOrderImport / hasCompleteAddress", () => {
  it.each([
    [{}, false],
    [{ zip: "1000001", pref: "東京都", city: "千代田区" }, false],
    [{ zip: "1000001", pref: "東京都", city: "千代田区", address: " " }, false],
    [ADDRESSES.whole, true],
    [{ zip: 1000001, pref: "東京都", city: "千代田区", address: "1-1" }, true],
  ])("%j complete: %s", (address, complete) => {
    expect(hasCompleteAddress(order("payment", "none", { address }))).toBe(
      complete
    )
  })

  it("a waiting gift with an address is still provisional", () => {
    expect(newOrderImport(order("gift_message_send", "whole"))).toEqual({
      kind: "import_provisional",
      flag: "provisional",
    })
  })
})

describe("not_importable in the run summary", () => {
  it("is counted as skipped, by code, in both breakdowns", () => {
    const s = new RunSummary()
    s.skip({ reason: "not_importable", code: "cancel" })
    s.skip({ reason: "not_importable", code: "cancel" })
    s.skip({ reason: "not_importable", code: "cvs" })
    expect(s.counts.skipped).toBe(3)
    expect(s.reasons.not_importable).toEqual({ cancel: 2, cvs: 1 })
    expect(s.skipReasons).toEqual({
      "not_importable:cancel": 2,
      "not_importable:cvs": 1,
    })
  })
})

describe("statuses the admin routes and the admin accept", () => {
  it("are gift_message_wait, gift_message_send and payment, on both sides", () => {
    expect([...IMPORTABLE_LINE_GIFT_STATUSES]).toEqual([
      "gift_message_wait",
      "gift_message_send",
      "payment",
    ])
    expect([...ADMIN_IMPORTABLE]).toEqual([...IMPORTABLE_LINE_GIFT_STATUSES])
    for (const s of STATUSES) {
      expect(isImportableStatus(s)).toBe(isImportableLineGiftStatus(s))
    }
  })

  it.each(["cancel", "cvs", "received", "shipped"])(
    "refuse %s, naming the field and the allowed statuses",
    (status) => {
      for (const [schema, body, field] of [
        [
          AdminStartLineGiftImport,
          { statuses: ["payment", status] },
          "statuses",
        ],
        [
          AdminUpdateLineGiftShop,
          { fetch_statuses: [status] },
          "fetch_statuses",
        ],
        [
          AdminCreateLineGiftShop,
          { name: "店", fetch_statuses: [status] },
          "fetch_statuses",
        ],
      ] as const) {
        const r = (schema as any).safeParse(body)
        expect(r.success).toBe(false)
        const messages = r.error.issues.map((i: any) => i.message).join("; ")
        expect(messages).toContain(
          `${field}: "${status}" cannot be imported; choose among gift_message_wait, gift_message_send, payment`
        )
      }
    }
  )

  it("accept the importable ones", () => {
    expect(
      AdminStartLineGiftImport.safeParse({
        statuses: ["gift_message_wait", "gift_message_send", "payment"],
      }).success
    ).toBe(true)
  })

  it("the settings form drops a stored status that is never imported", () => {
    const form = formFromShop({
      name: "店",
      fetch_statuses: ["payment", "cancel", "cvs"],
    } as any)
    expect(form.fetch_statuses).toEqual(["payment"])
  })

  it("…and differs from what is stored, so the save bar offers to save (which removes it)", () => {
    const stored = {
      name: "店",
      fetch_statuses: ["payment", "cancel"],
    } as any
    expect(JSON.stringify(formFromShop(stored))).not.toBe(
      JSON.stringify(storedFormOf(stored))
    )
    const clean = { name: "店", fetch_statuses: ["payment"] } as any
    expect(JSON.stringify(formFromShop(clean))).toBe(
      JSON.stringify(storedFormOf(clean))
    )
  })
})
