/**
 * GET /admin/line-gift/setup-check: what the first import still needs (README "Before the first
 * import"), on an empty store and after the store is set up; and the name of the customer that
 * a shop's orders belong to (shown in the admin's orders list).
 */
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { seedDemoStore } from "../../scripts/lib/seed-store"
import { adminHeaders } from "../helpers/admin"
import { lineGiftCustomerName } from "../../src/workflows/customers/line-gift-shop-customer"

jest.setTimeout(240_000)

medusaIntegrationTestRunner({
  inApp: true,
  testSuite: ({ api, getContainer }) => {
    it("lists what is missing with the admin page that sets it, then nothing once the store is set up", async () => {
      const headers = await adminHeaders(getContainer(), api)
      const before = (await api.get("/admin/line-gift/setup-check", headers))
        .data
      const byKey = (items: any[]) =>
        Object.fromEntries(items.map((i) => [i.key, i]))
      expect(before.ready).toBe(false)
      expect(byKey(before.items)).toMatchObject({
        region: {
          ok: false,
          detail: "region",
          href: "/settings/regions/create",
        },
        shippingOption: {
          ok: false,
          detail: "shippingOption",
          href: "/settings/locations",
        },
        products: { ok: false, detail: "products", href: "/products/create" },
      })
      expect(before.items.map((i: any) => i.key)).toEqual([
        "region",
        "salesChannel",
        "shippingOption",
        "products",
      ])

      await seedDemoStore(getContainer())
      const after = (await api.get("/admin/line-gift/setup-check", headers))
        .data
      expect(after.ready).toBe(true)
      expect(after.items.every((i: any) => i.ok && i.detail === null)).toBe(
        true
      )
      expect(byKey(after.items).region.href).toBe("/settings/regions")
    })

    it("needs an admin session", async () => {
      const res = await api.get("/admin/line-gift/setup-check", {
        validateStatus: () => true,
      })
      expect(res.status).toBe(401)
    })

    it("names a shop's customer after the shop, in LINE Gift's words", () => {
      expect(lineGiftCustomerName("LINEギフト 1号店")).toBe("LINEギフト 1号店")
      expect(lineGiftCustomerName("1号店")).toBe("LINEギフト 1号店")
      // Full-width input is normalised once.
      expect(lineGiftCustomerName("ＬＩＮＥギフト　２号店")).toBe(
        "LINEギフト 2号店"
      )
      expect(lineGiftCustomerName("  ")).toBe("LINEギフト")
    })
  },
})
