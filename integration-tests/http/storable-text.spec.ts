/**
 * Text PostgreSQL cannot store, end to end through HTTP (review: a NUL character in one order).
 * LINE Gift may send a NUL (U+0000) or an unpaired UTF-16 surrogate in any text — values and
 * keys —, which PostgreSQL refuses in jsonb (and NUL in text). Such an order used to fail the
 * bulk claim, then its own claim, then its failure record, and that last error stopped the
 * run (`failed`, the valid order of the page uncounted, every later page unread, on every
 * run), with the full INSERT — the recipient's address and phone — in the log and the run.
 * Now: the text is repaired at parse time (U+FFFD, flag `text_repaired`), every order
 * imports; and when a database write fails anyway, its error carries no value into a log or
 * the run, and a failure record that cannot be written only fails its order.
 */
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { seededAdminSuite } from "../helpers/suite"
import { sandboxForSuite } from "../helpers/line-gift"
import { SAKE, RECIPIENT as ADDRESS } from "../helpers/orders"
import { LINE_GIFT_MODULE } from "../../src/modules/line-gift"

jest.setTimeout(240_000)

const sandbox = sandboxForSuite({ orderCount: 0 })

/** Personal data of the orders: none of it may appear in a log line or in the run. */
const PERSONAL = ["09000001234", "千代田1-1", "テスト101", "花子", "見本 一郎"]

medusaIntegrationTestRunner({
  inApp: true,
  testSuite: ({ api, getContainer }) => {
    const { headers, connectedShop } = seededAdminSuite({
      api,
      getContainer,
      sandbox,
      shopDefaults: { default_carrier: "ヤマト運輸" },
    })
    const now = () => Math.floor(Date.now() / 1000) - 60

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

    /** Every call of the container's logger while `fn` runs, as text. */
    const captureLogs = async <T>(fn: () => Promise<T>) => {
      const logger: any = getContainer().resolve(
        ContainerRegistrationKeys.LOGGER
      )
      const lines: string[] = []
      const spies = ["debug", "info", "warn", "error", "log"]
        .filter((m) => typeof logger[m] === "function")
        .map((m) =>
          jest.spyOn(logger, m).mockImplementation((...args: unknown[]) => {
            lines.push(
              args
                .map((a) =>
                  a instanceof Error ? `${a.message} ${a.stack}` : String(a)
                )
                .join(" ")
            )
          })
        )
      try {
        return { result: await fn(), lines }
      } finally {
        spies.forEach((s) => s.mockRestore())
      }
    }

    const expectNoPersonalData = (lines: string[], run: unknown) => {
      const runText = JSON.stringify(run)
      for (const value of PERSONAL) {
        expect(lines.filter((l) => l.includes(value))).toEqual([])
        expect(runText.includes(value)).toBe(false)
      }
    }

    it("a page with a NUL and unpaired surrogates beside a valid order: all imported, the repaired ones flagged, the run succeeds", async () => {
      const shop = await connectedShop()
      sandbox.addOrder({
        id: "8000000005",
        status: "payment",
        bought_on: now(),
        ...SAKE,
        stock_count: 1,
        selling_price: 5500,
        user_name: "見本\u0000",
        address: ADDRESS,
        ["memo\u0000"]: { note: ["a\u0000b"] },
      } as any)
      sandbox.addOrder({
        id: "8000000006",
        status: "payment",
        bought_on: now(),
        ...SAKE,
        stock_count: 1,
        selling_price: 5500,
        address: { ...ADDRESS, from_name: "見本 一郎🎁" },
      } as any)
      sandbox.addOrder({
        id: "8000000007",
        status: "payment",
        bought_on: now(),
        item: { ...SAKE.item, name: "純米吟醸\ud800" },
        variation: SAKE.variation,
        stock_count: 1,
        selling_price: 5500,
        address: { ...ADDRESS, city: "\udc00千代田区" },
      } as any)

      const { result: r, lines } = await captureLogs(() => importNow(shop.id))

      expect({
        state: r.run.state,
        created: r.run.created_count,
        failed: r.run.failed_count,
        errors: r.run.errors,
        error: r.run.error,
      }).toEqual({
        state: "succeeded",
        created: 3,
        failed: 0,
        errors: [],
        error: null,
      })
      expect(r.run.skipped_reasons.flagged.text_repaired).toEqual({
        count: 2,
        orders: [
          { line_gift_order_id: "8000000005" },
          { line_gift_order_id: "8000000007" },
        ],
      })

      const recs = await records(shop.id)
      const nul = recs.get("8000000005")
      const valid = recs.get("8000000006")
      const lone = recs.get("8000000007")
      expect([nul.state, valid.state, lone.state]).toEqual([
        "imported",
        "imported",
        "imported",
      ])
      // The raw payload is kept whole, the text repaired visibly (U+FFFD), keys included.
      expect(nul.raw.user_name).toBe("見本\uFFFD")
      expect(nul.raw["memo\uFFFD"]).toEqual({ note: ["a\uFFFDb"] })
      expect(nul.raw.address).toEqual(ADDRESS)
      expect(lone.raw.item.name).toBe("純米吟醸\uFFFD")
      expect(lone.raw.address.city).toBe("\uFFFD千代田区")
      expect(nul.flags).toContain("text_repaired")
      expect(lone.flags).toContain("text_repaired")
      // A valid surrogate pair is text, not damage.
      expect(valid.raw.address.from_name).toBe("見本 一郎🎁")
      expect(valid.flags).not.toContain("text_repaired")

      const byId = new Map<string, any>(
        r.orders.map((o: any) => [o.line_gift_order_id, o])
      )
      expect(byId.get("8000000005").flags).toContain("text_repaired")
      const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
      const { data } = await query.graph({
        entity: "order",
        fields: ["id", "metadata", "shipping_address.city", "items.title"],
        filters: { id: byId.get("8000000007").order_id },
      })
      expect((data[0] as any).shipping_address.city).toBe("\uFFFD千代田区")
      expect((data[0] as any).metadata.line_gift.flags).toContain(
        "text_repaired"
      )

      expectNoPersonalData(lines, r.run)
    })

    it("a failed database write carries no value into a log or the run, and a failure record that cannot be written fails only its order", async () => {
      const shop = await connectedShop()
      const service: any = getContainer().resolve(LINE_GIFT_MODULE)
      // Real database errors whose statement embeds the order (address, phone): the bulk
      // claim and the failure record are given a payload PostgreSQL refuses.
      const poisoned = { bulk: 0, record: 0 }
      const poison = (raw: any, what: keyof typeof poisoned) => {
        poisoned[what]++
        return { ...raw, poison: "\u0000" }
      }
      const claimOrders = service.claimOrders.bind(service)
      const recordUnimportable = service.recordUnimportable.bind(service)
      const bulkSpy = jest
        .spyOn(service, "claimOrders")
        .mockImplementation((...args: any[]) =>
          claimOrders(
            args[0],
            args[1],
            args[2].map((o: any) => ({ ...o, raw: poison(o.raw, "bulk") })),
            ...args.slice(3)
          )
        )
      const failSpy = jest
        .spyOn(service, "recordUnimportable")
        .mockImplementation((data: any, ...rest: any[]) =>
          recordUnimportable(
            { ...data, raw: poison(data.raw, "record") },
            ...rest
          )
        )
      sandbox.addOrder({
        id: "8000000008",
        status: "payment",
        bought_on: now(),
        ...SAKE,
        stock_count: 0,
        selling_price: 5500,
        address: ADDRESS,
      } as any)
      sandbox.addOrder({
        id: "8000000009",
        status: "payment",
        bought_on: now(),
        ...SAKE,
        stock_count: 1,
        selling_price: 5500,
        address: ADDRESS,
      } as any)

      let r: any
      let lines: string[]
      try {
        ;({ result: r, lines } = await captureLogs(() => importNow(shop.id)))
      } finally {
        bulkSpy.mockRestore()
        failSpy.mockRestore()
      }
      expect({
        state: r.run.state,
        created: r.run.created_count,
        failed: r.run.failed_count,
        error: r.run.error,
      }).toEqual({ state: "partial", created: 1, failed: 1, error: null })
      // The premise: both writes were attempted with the poisoned payload.
      expect(poisoned).toEqual({ bulk: 1, record: 1 })
      expect(r.run.errors).toEqual([
        {
          line_gift_order_id: "8000000008",
          reason:
            "malformed order: stock_count: must be at least 1 (got 0); " +
            "its failed record could not be saved: unsupported Unicode escape sequence (SQLSTATE 22P05)",
        },
      ])
      const recs = await records(shop.id)
      expect(recs.get("8000000009").state).toBe("imported")
      expect(recs.has("8000000008")).toBe(false)

      // The bulk failure is logged with PostgreSQL's message and code, without the statement.
      const fallback = lines.filter((l) => l.includes("bulk write failed"))
      expect(fallback).toHaveLength(1)
      expect(fallback[0]).toContain(
        "unsupported Unicode escape sequence (SQLSTATE 22P05)"
      )
      expect(fallback[0]).not.toMatch(/insert into/i)
      expectNoPersonalData(lines!, r.run)
    })
  },
})
