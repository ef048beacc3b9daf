/**
 * The manual import window as the API reads it (AdminStartLineGiftImport): Japan-time
 * instants to the minute, and what a merchant means by them. No database.
 */
import { AdminStartLineGiftImport } from "../../src/api/admin/line-gift/validators"

const parse = (body: Record<string, unknown>) =>
  AdminStartLineGiftImport.safeParse(body)
const window = (body: Record<string, unknown>) => {
  const r = parse(body)
  if (!r.success) throw new Error(JSON.stringify(r.error.issues))
  return r.data
}
/** An order's `bought_on` (Unix seconds) for an ISO instant. */
const sec = (iso: string) => Math.floor(new Date(iso).getTime() / 1000)
/** What the import run keeps (run/start.ts importFilter, run/classify.ts). */
const inWindow = (w: { from?: Date; to?: Date }, boughtOn: number) =>
  (!w.from || boughtOn >= Math.floor(w.from.getTime() / 1000)) &&
  (!w.to || boughtOn <= Math.floor(w.to.getTime() / 1000))

describe("manual import window", () => {
  it("a `to` given to the minute covers that whole minute (an order at 23:59:59 JST is in 00:00–23:59)", () => {
    const day = window({ from: "2026-12-01T00:00", to: "2026-12-01T23:59" })
    expect(day.to!.toISOString()).toBe("2026-12-01T14:59:59.999Z")
    expect(inWindow(day, sec("2026-12-01T23:59:59+09:00"))).toBe(true)
    expect(inWindow(day, sec("2026-12-01T00:00:00+09:00"))).toBe(true)
    expect(inWindow(day, sec("2026-12-02T00:00:00+09:00"))).toBe(false)
    // Two adjacent ranges typed to the minute leave no second between them.
    const a = window({ from: "2026-12-01T10:00", to: "2026-12-01T10:59" })
    const b = window({ from: "2026-12-01T11:00", to: "2026-12-01T11:59" })
    for (
      let s = sec("2026-12-01T10:58:00+09:00");
      s < sec("2026-12-01T11:01:00+09:00");
      s++
    ) {
      expect(inWindow(a, s) || inWindow(b, s)).toBe(true)
    }
    // With an offset or seconds, the instant is taken as written.
    expect(window({ to: "2026-12-01T14:59Z" }).to!.toISOString()).toBe(
      "2026-12-01T14:59:59.999Z"
    )
    expect(window({ to: "2026-12-01T23:59:30" }).to!.toISOString()).toBe(
      "2026-12-01T14:59:30.000Z"
    )
    // `from` is the start of its minute.
    expect(window({ from: "2026-12-01T10:00" }).from!.toISOString()).toBe(
      "2026-12-01T01:00:00.000Z"
    )
  })

  it("refuses dates and times that do not exist instead of rolling them over", () => {
    for (const value of [
      "2026-02-30",
      "2026-04-31T10:00",
      "2026-02-29T00:00",
      "2026-12-01T24:00",
      "2026-12-01T23:60",
      "2026-13-01",
    ]) {
      for (const field of ["from", "to"]) {
        const r = parse({ [field]: value })
        expect({ value, field, ok: r.success }).toEqual({
          value,
          field,
          ok: false,
        })
      }
    }
    expect(
      window({ from: "2028-02-29", to: "2028-02-29" }).to!.toISOString()
    ).toBe("2028-02-29T14:59:59.999Z")
  })
})
