/**
 * Real-world LINE Gift orders in the admin (issue 9 items 2, 5, 7; issue 16 item 4), in a real
 * browser: an order imported out of stock shows the SKU; gift details and unknown fields are
 * shown on the order; the LINE Gift status is shown with when it was read; the run drawer
 * explains the skipped and flagged orders (a new status code by name). Screenshots go to
 * test-artifacts/.
 */
import fs from "fs"
import path from "path"
import type { Page } from "playwright-core"
import { ARTIFACTS, missingChromium, startStack, type Stack } from "./harness"

jest.setTimeout(600_000)

let stack: Stack
let page: Page
let shopId: string
let runId: string
const orderOf = new Map<string, string>()
let broken: string | null = null

const shot = async (name: string, locator?: ReturnType<Page["locator"]>) => {
  fs.mkdirSync(ARTIFACTS, { recursive: true })
  const file = path.join(ARTIFACTS, `data-quality-${name}.png`)
  if (locator) await locator.screenshot({ path: file })
  else await page.screenshot({ path: file, fullPage: true })
}

async function adminApi<T = any>(
  method: string,
  url: string,
  body?: unknown
): Promise<{ status: number; data: T }> {
  return page.evaluate(
    async ({ method, url, body }) => {
      const res = await fetch(url, {
        method,
        credentials: "include",
        headers: body ? { "content-type": "application/json" } : {},
        body: body ? JSON.stringify(body) : undefined,
      })
      return { status: res.status, data: await res.json().catch(() => null) }
    },
    { method, url, body }
  )
}

async function expectText(
  locator: ReturnType<Page["locator"]>,
  expected: string | RegExp,
  timeout = 30_000
) {
  const deadline = Date.now() + timeout
  let text = ""
  while (Date.now() < deadline) {
    text =
      (await locator
        .first()
        .innerText()
        .catch(() => "")) ?? ""
    if (
      typeof expected === "string"
        ? text.includes(expected)
        : expected.test(text)
    )
      return
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(
    `expected ${String(expected)} in ${JSON.stringify(text.slice(0, 500))}`
  )
}

function step(name: string, fn: () => Promise<void>) {
  it(name, async () => {
    if (broken) throw new Error(`skipped: the step "${broken}" failed`)
    try {
      await fn()
    } catch (e) {
      broken = name
      await shot(`failed-${name.replace(/[^\w]+/g, "-").slice(0, 50)}`).catch(
        () => {}
      )
      throw e
    }
  })
}

beforeAll(async () => {
  const missing = missingChromium()
  if (missing) throw new Error(missing)
  stack = await startStack()
  page = await stack.context.newPage()
  page.setDefaultTimeout(30_000)
  page.setDefaultNavigationTimeout(120_000)
  await page.goto(`${stack.baseUrl}/app/login`, {
    waitUntil: "commit",
    timeout: 300_000,
  })
  await page.locator('input[name="email"]').waitFor({ timeout: 300_000 })
}, 600_000)

afterAll(async () => {
  await stack?.stop()
})

describe("real-world LINE Gift orders in the admin", () => {
  step("logs in and connects a shop", async () => {
    await page.locator('input[name="email"]').fill(stack.seeded.admin_email)
    await page.locator('input[name="password"]').fill(stack.adminPassword)
    await page.locator('button[type="submit"]').click()
    await page.waitForURL(/\/app\/orders/, { timeout: 120_000 })
    const created = await adminApi("POST", "/admin/line-gift/shops", {
      name: "データ品質",
      client_id: "sandbox-client-id",
      client_secret: "sandbox-client-secret",
      region_id: stack.seeded.region_id,
      sales_channel_id: stack.seeded.sales_channel_id,
      shipping_option_id: stack.seeded.shipping_option_id,
    })
    expect(created.status).toBe(201)
    shopId = created.data.shop.id
    const auth = await adminApi(
      "POST",
      `/admin/line-gift/shops/${shopId}/oauth/authorize`,
      {}
    )
    await page.goto(auth.data.authorize_url)
    await page.locator("#approve").click()
    await page.waitForURL(new RegExp(`/app/settings/line-gift/${shopId}`), {
      timeout: 60_000,
    })
  })

  step(
    "imports a page with an unknown status, short stock and gift details",
    async () => {
      const now = Math.floor(Date.now() / 1000) - 60
      const towel = {
        item: {
          id: "300103",
          code: "LG-TOWEL-03",
          name: "今治タオル ギフトセット",
        },
        variation: { id: "900131", code: "LG-TOWEL-03-WH", name: "ホワイト" },
      }
      stack.sandbox.addOrder({
        id: "8000000001",
        status: "payment",
        bought_on: now,
        ...towel,
        stock_count: 5000,
        selling_price: 5000 * 3800,
      } as any)
      stack.sandbox.addOrder({
        id: "8000000002",
        status: "payment",
        bought_on: now,
        ...towel,
        stock_count: 1,
        selling_price: 3800,
        is_delivery_by_hand: 1,
        pre_order_delivery_start: "2026-12-20",
        noshi: "御歳暮",
      } as any)
      stack.sandbox.addOrder({
        id: "8000000003",
        status: "hold",
        bought_on: now,
        ...towel,
        stock_count: 1,
        selling_price: 3800,
      } as any)
      const res = await adminApi(
        "POST",
        `/admin/line-gift/shops/${shopId}/import`,
        { from: new Date(Date.now() - 3600_000).toISOString() }
      )
      expect(res.status).toBe(200)
      runId = res.data.run.id
      for (const o of res.data.orders)
        orderOf.set(o.line_gift_order_id, o.order_id)
      expect(orderOf.has("8000000001") && orderOf.has("8000000002")).toBe(true)
      expect(res.data.run.skipped_reasons.unknown_status).toEqual({ hold: 1 })
    }
  )

  step(
    "the order widget names the SKU out of stock and the status read time",
    async () => {
      await page.goto(
        `${stack.baseUrl}/app/orders/${orderOf.get("8000000001")}`,
        { waitUntil: "domcontentloaded" }
      )
      const widget = page.getByTestId("line-gift-order-widget")
      await widget.waitFor({ timeout: 60_000 })
      await expectText(
        widget.locator('[data-flag="out_of_stock"]'),
        "Out of stock"
      )
      await expectText(
        widget.getByTestId("line-gift-out-of-stock"),
        "LG-TOWEL-03-WH: 5000 ordered, not reserved"
      )
      await expectText(
        widget.getByTestId("line-gift-status-read-at"),
        /\d{2}:\d{2}/
      )
      await shot("out-of-stock-widget", widget)
    }
  )

  step(
    "the order widget shows gift details and the fields the plugin does not know",
    async () => {
      await page.goto(
        `${stack.baseUrl}/app/orders/${orderOf.get("8000000002")}`,
        { waitUntil: "domcontentloaded" }
      )
      const widget = page.getByTestId("line-gift-order-widget")
      await widget.waitFor({ timeout: 60_000 })
      const section = widget.getByTestId("line-gift-data-quality")
      await expectText(section, "Hand delivery")
      await expectText(section, "2026-12-20")
      await expectText(section.getByTestId("line-gift-unknown-fields"), "noshi")
      await expectText(
        section.getByTestId("line-gift-unknown-fields"),
        "御歳暮"
      )
      await shot("gift-details-widget", widget)
    }
  )

  step("the run drawer explains the skipped and flagged orders", async () => {
    await page.goto(
      `${stack.baseUrl}/app/settings/line-gift/history?run=${runId}`,
      { waitUntil: "domcontentloaded" }
    )
    const breakdown = page.getByTestId("run-breakdown")
    await breakdown.waitFor({ timeout: 60_000 })
    await expectText(
      page.getByTestId("run-drawer").getByTestId("line-gift-skip-reasons"),
      "1 with status “hold”, new to the plugin"
    )
    await expectText(
      breakdown,
      "Imported out of stock (no reservation): 1 — 8000000001 (LG-TOWEL-03-WH)"
    )
    await shot("run-drawer", page.getByTestId("run-drawer"))
  })
})
