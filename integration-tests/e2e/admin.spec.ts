/**
 * The admin in a real browser (Chromium through playwright-core), against its own Medusa and
 * the sandbox: a merchant sets up a LINE Gift shop, connects it through LINE Gift's consent
 * page, sets automatic fetch, imports orders from the orders list, opens one, fulfils and
 * ships it with a tracking number, sees the shipment sent to LINE Gift, then switches the
 * admin to Japanese. Screenshots go to test-artifacts/ (git-ignored) for a person to look at.
 *
 * One flow, steps in order (each step needs the previous one); a failing step names itself.
 */
import fs from "fs"
import path from "path"
import type { Page } from "playwright-core"
import { ARTIFACTS, missingChromium, startStack, type Stack } from "./harness"

jest.setTimeout(600_000)

const SHOP_NAME = "E2E ショップ"
const TRACKING = "1234-5678-9012"

let stack: Stack
let page: Page
let shopId: string
let orderIds: string[] = []
let lineGiftIds: string[] = []

const shot = async (
  name: string,
  opts: { locator?: ReturnType<Page["locator"]> } = {}
) => {
  fs.mkdirSync(ARTIFACTS, { recursive: true })
  const file = path.join(ARTIFACTS, `${name}.png`)
  if (opts.locator) return void (await opts.locator.screenshot({ path: file }))
  // The admin scrolls inside its own container, not the document: grow the viewport to the
  // tallest scrolling element for a whole-page picture, then put it back.
  const size = page.viewportSize()!
  const height = await page.evaluate(() =>
    Math.max(
      document.documentElement.scrollHeight,
      ...Array.from(document.querySelectorAll("*"))
        .filter((e) => /(auto|scroll)/.test(getComputedStyle(e).overflowY))
        .map((e) => e.scrollHeight + e.getBoundingClientRect().top)
    )
  )
  await page.setViewportSize({
    width: size.width,
    height: Math.min(Math.max(size.height, Math.ceil(height) + 40), 8000),
  })
  await page.waitForTimeout(300)
  await page.screenshot({ path: file })
  await page.setViewportSize(size)
}

/** Picks `option` in the Radix Select whose trigger is `trigger`. */
async function choose(
  trigger: ReturnType<Page["locator"]>,
  option: string | RegExp
) {
  await trigger.click()
  await page.getByRole("option", { name: option }).first().click()
}

/** Calls the admin API from the page (the merchant's session cookie). */
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

const consoleErrors: string[] = []
/** API answers >= 400 the admin received (method, path, status): they name missing routes. */
const failedResponses: string[] = []
let broken: string | null = null
const t0 = Date.now()
const log = (msg: string) =>
  process.stdout.write(
    `[e2e +${Math.round((Date.now() - t0) / 1000)}s] ${msg}\n`
  )

/**
 * One step of the flow: skipped when an earlier one failed (it builds on it); on failure a
 * screenshot `failed-<n>.png` and the browser's console errors are kept for the reader.
 */
function step(name: string, fn: () => Promise<void>, timeout?: number) {
  it(
    name,
    async () => {
      if (broken) throw new Error(`skipped: the step "${broken}" failed`)
      log(name)
      try {
        await fn()
      } catch (e) {
        broken = name
        await shot(`failed-${name.replace(/[^\w]+/g, "-").slice(0, 60)}`).catch(
          () => {}
        )
        if (consoleErrors.length)
          (e as Error).message +=
            `\nbrowser console errors:\n${consoleErrors.slice(-10).join("\n")}`
        if (failedResponses.length)
          (e as Error).message +=
            `\nadmin API errors:\n${[...new Set(failedResponses)].join("\n")}`
        throw e
      }
    },
    timeout
  )
}

beforeAll(async () => {
  const missing = missingChromium()
  if (missing) throw new Error(missing)
  stack = await startStack()
  log(`stack up at ${stack.baseUrl}`)
  page = await stack.context.newPage()
  page.setDefaultTimeout(30_000)
  page.setDefaultNavigationTimeout(120_000)
  page.on(
    "console",
    (m) => m.type() === "error" && consoleErrors.push(m.text().slice(0, 500))
  )
  page.on("pageerror", (e) => consoleErrors.push(String(e).slice(0, 500)))
  page.on("response", (r) => {
    const url = new URL(r.url())
    if (r.status() >= 400 && url.pathname.startsWith("/admin/")) {
      failedResponses.push(
        `${r.request().method()} ${url.pathname} → ${r.status()}`
      )
    }
  })
  // The first visit makes Vite prepare the dashboard's modules: give it time once.
  await page.goto(`${stack.baseUrl}/app/login`, {
    waitUntil: "commit",
    timeout: 300_000,
  })
  await page.locator('input[name="email"]').waitFor({ timeout: 300_000 })
  log("admin loaded")
}, 600_000)

afterAll(async () => {
  if (failedResponses.length)
    log(
      `admin API answers >= 400 during the run:\n  ${[...new Set(failedResponses)].join("\n  ")}`
    )
  await stack?.stop()
})

describe("LINE Gift admin in the browser", () => {
  step("logs in", async () => {
    await page.goto(`${stack.baseUrl}/app/login`, {
      waitUntil: "domcontentloaded",
    })
    await page.locator('input[name="email"]').fill(stack.seeded.admin_email)
    await page.locator('input[name="password"]').fill(stack.adminPassword)
    await page.locator('button[type="submit"]').click()
    await page.waitForURL(/\/app\/orders/, { timeout: 120_000 })
  })

  step(
    "creates a shop and enters its credentials, region, sales channel and carrier",
    async () => {
      await page.goto(`${stack.baseUrl}/app/settings/line-gift`, {
        waitUntil: "domcontentloaded",
      })
      await page.getByTestId("add-shop").click()
      await page.locator("#lg-new-shop-name").fill(SHOP_NAME)
      await page.getByTestId("create-shop").click()
      await page.waitForURL(/\/app\/settings\/line-gift\/lgshop_/)
      shopId = page.url().split("/").pop()!.split("?")[0]
      await expectText(page.getByTestId("shop-heading"), SHOP_NAME)
      await expectText(page.getByTestId("client-secret-state"), "Not set")

      await page.locator("#lg-client-id").fill("sandbox-client-id")
      await page.locator("#lg-client-secret").fill("sandbox-client-secret")
      // Unsaved credentials: getting a token is refused until saved.
      expect(await page.getByTestId("get-refresh-token").isDisabled()).toBe(
        true
      )

      await choose(page.getByTestId("region-select"), /日本/)
      await choose(page.locator("#lg-channel"), "LINEギフト")
      await choose(page.locator("#lg-shipping"), "LINEギフト配送")
      // Export on fulfilment, automatically (on by default), with a default carrier.
      const autoExport = page.locator("#lg-auto-export")
      if ((await autoExport.getAttribute("data-state")) !== "checked")
        await autoExport.click()
      const carrier = page.getByTestId("default-carrier")
      if ((await carrier.getAttribute("role")) === "combobox")
        await choose(carrier, "ヤマト運輸")
      else await carrier.fill("ヤマト運輸")

      await page.getByTestId("line-gift-save").click()
      await expectText(
        page.getByTestId("line-gift-save-state"),
        "All changes saved."
      )
      await expectText(page.getByTestId("client-secret-state"), "Set")
      expect(await page.locator("#lg-client-secret").inputValue()).toBe("")
      await expectEnabled(page.getByTestId("get-refresh-token"))
    }
  )

  step("gets the refresh token through LINE Gift's consent page", async () => {
    await expectText(
      page.getByTestId("refresh-token-expiry"),
      "Not obtained yet"
    )
    await page.getByTestId("get-refresh-token").click()
    await page.waitForURL(
      new RegExp(`^${escapeRe(stack.sandbox.url)}/oauth2/authorize`)
    )
    await page.locator("#approve").click()
    // → /line-gift/oauth/callback → /app/settings/line-gift?oauth=success&shop=… → the shop
    await page.waitForURL(new RegExp(`/app/settings/line-gift/${shopId}$`), {
      timeout: 60_000,
    })
    await expectText(page.getByTestId("refresh-token-expiry"), /days left/)
    await expectText(page.getByTestId("access-token-expiry"), /Valid until/)
  })

  step(
    "sets an interval with an hour window and two weekday schedules, which survive a reload",
    async () => {
      await page.locator("#lg-mode-interval").click()
      await choose(page.getByTestId("interval-select"), "Every 30 minutes")
      await choose(page.getByTestId("window-start"), "09:00")
      await choose(page.getByTestId("window-end"), "18:00")

      const rows = page.getByTestId("schedule-row")
      await page.getByTestId("add-schedule").click() // Mon–Fri 09:00 by default
      await rows.nth(0).getByTestId("schedule-time").fill("10:30")
      await page.getByTestId("add-schedule").click()
      const second = rows.nth(1)
      for (const d of [1, 2, 3, 4, 5])
        await second.locator(`[data-weekday="${d}"]`).click() // off
      await second.locator('[data-weekday="6"]').click() // Saturday
      await second.getByTestId("schedule-time").fill("14:00")

      // The 11th schedule is refused by the form.
      for (let i = 2; i < 10; i++)
        await page.getByTestId("add-schedule").click()
      expect(await rows.count()).toBe(10)
      await expectDisabled(page.getByTestId("add-schedule"))
      await page.getByTestId("schedules-full").waitFor()
      for (let i = 9; i >= 2; i--)
        await rows.nth(i).getByRole("button", { name: "Remove" }).click()
      expect(await rows.count()).toBe(2)

      await page.getByTestId("line-gift-save").click()
      await expectText(
        page.getByTestId("line-gift-save-state"),
        "All changes saved."
      )

      await page.reload({ waitUntil: "domcontentloaded" })
      await expectText(page.getByTestId("interval-select"), "Every 30 minutes")
      await expectText(page.getByTestId("window-start"), "09:00")
      await expectText(page.getByTestId("window-end"), "18:00")
      expect(
        await page.locator("#lg-mode-interval").getAttribute("data-state")
      ).toBe("checked")
      expect(await rows.count()).toBe(2)
      expect(await rows.nth(0).getByTestId("schedule-time").inputValue()).toBe(
        "10:30"
      )
      expect(await pressedDays(rows.nth(0))).toEqual([1, 2, 3, 4, 5])
      expect(await rows.nth(1).getByTestId("schedule-time").inputValue()).toBe(
        "14:00"
      )
      expect(await pressedDays(rows.nth(1))).toEqual([6])

      const { data } = await adminApi("GET", `/admin/line-gift/shops/${shopId}`)
      expect(data.shop).toMatchObject({
        auto_fetch_mode: "interval",
        fetch_interval_minutes: 30,
        fetch_window_start_hour: 9,
        fetch_window_end_hour: 18,
        fetch_schedules: [
          { weekdays: [1, 2, 3, 4, 5], time: "10:30" },
          { weekdays: [6], time: "14:00" },
        ],
        auto_export: true,
        default_carrier: "ヤマト運輸",
      })
      expect(JSON.stringify(data)).not.toContain("sandbox-client-secret")
      await shot("settings-page")
    }
  )

  step(
    "imports a range from the orders list and shows the new orders",
    async () => {
      // The interval set above (every 30 min, 9–18 JST) would let the tick job import the new
      // orders before the click whenever the test runs inside that window: pause it for this step.
      const paused = await adminApi(
        "POST",
        `/admin/line-gift/shops/${shopId}`,
        { auto_fetch_mode: "off" }
      )
      expect(paused.status).toBe(200)
      // Two fresh 発送待ち orders, bought now (the sandbox's other orders are older).
      lineGiftIds = [
        stack.sandbox.addOrder({ status: "payment" }).id,
        stack.sandbox.addOrder({ status: "payment" }).id,
      ]
      await page.goto(`${stack.baseUrl}/app/orders`, {
        waitUntil: "domcontentloaded",
      })
      const widget = page.getByTestId("line-gift-orders-widget")
      await widget.waitFor()
      const jst = (d: Date) =>
        new Date(d.getTime() + 9 * 3600_000).toISOString().slice(0, 16)
      await page
        .locator("#lg-import-from")
        .fill(jst(new Date(Date.now() - 2 * 3600_000)))
      await page
        .locator("#lg-import-to")
        .fill(jst(new Date(Date.now() + 10 * 60_000)))
      await page.getByTestId("line-gift-import-button").click()
      const run = page.getByTestId("line-gift-import-run")
      await run.waitFor()
      await page.waitForFunction(
        () => {
          const el = document.querySelector(
            '[data-testid="line-gift-import-run"]'
          )
          return el && el.getAttribute("data-state") !== "running"
        },
        undefined,
        { timeout: 120_000 }
      )
      expect(await run.getAttribute("data-state")).toBe("succeeded")
      await expectText(
        page.getByTestId("line-gift-import-progress"),
        /created 2,/
      )

      const { data } = await adminApi(
        "GET",
        `/admin/orders?fields=id,metadata&limit=50`
      )
      const imported = data.orders.filter((o: any) =>
        lineGiftIds.includes(o.metadata?.line_gift?.order_id)
      )
      expect(imported).toHaveLength(2)
      orderIds = imported.map((o: any) => o.id)
      const resumed = await adminApi(
        "POST",
        `/admin/line-gift/shops/${shopId}`,
        { auto_fetch_mode: "interval" }
      )
      expect(resumed.status).toBe(200)
      // The admin's own orders list shows them (refreshed when the run ended).
      await page.waitForFunction(
        (n) => document.querySelectorAll("table tbody tr").length >= n,
        2,
        { timeout: 30_000 }
      )
      await shot("orders-widget")
    }
  )

  step("shows the LINE Gift widget on an imported order", async () => {
    await page.goto(`${stack.baseUrl}/app/orders/${orderIds[0]}`, {
      waitUntil: "domcontentloaded",
    })
    const widget = page.getByTestId("line-gift-order-widget")
    await widget.waitFor({ timeout: 60_000 })
    const ids = await widget.getByTestId("line-gift-order-id").innerText()
    expect(lineGiftIds.some((id) => ids.includes(id))).toBe(true)
    await expectText(widget.getByTestId("line-gift-status"), "Ready to ship")
    await expectText(
      widget.getByTestId("line-gift-export-state"),
      "Not sent to LINE Gift yet."
    )
    await shot("order-widget-before-shipment", { locator: widget })
  })

  step(
    "fulfils and ships it with a tracking number, and the export is sent",
    async () => {
      const orderId = orderIds[0]
      const { data: od } = await adminApi(
        "GET",
        `/admin/orders/${orderId}?fields=id,*items`
      )
      const items = od.order.items.map((i: any) => ({
        id: i.id,
        quantity: i.quantity,
      }))
      const ful = await adminApi(
        "POST",
        `/admin/orders/${orderId}/fulfillments`,
        { items }
      )
      expect([ful.status, ful.data?.message]).toEqual([200, undefined])
      const { data: withF } = await adminApi(
        "GET",
        `/admin/orders/${orderId}?fields=id,*fulfillments`
      )
      const fulfillmentId = withF.order.fulfillments.at(-1).id
      const shipped = await adminApi(
        "POST",
        `/admin/orders/${orderId}/fulfillments/${fulfillmentId}/shipments`,
        {
          items,
          labels: [
            { tracking_number: TRACKING, tracking_url: "#", label_url: "#" },
          ],
        }
      )
      expect([shipped.status, shipped.data?.message]).toEqual([200, undefined])

      await page.reload({ waitUntil: "domcontentloaded" })
      const widget = page.getByTestId("line-gift-order-widget")
      await page.waitForFunction(
        () =>
          document.querySelector(
            '[data-testid="line-gift-export-state"] [data-export-state="sent"]'
          ),
        undefined,
        { timeout: 90_000 }
      )
      // Sent normalised for ヤマト運輸 (12 digits, no hyphens: issue 10.2).
      await expectText(
        widget.getByTestId("line-gift-tracking"),
        TRACKING.replace(/-/g, "")
      )
      const delivered = stack.sandbox.calls.filter(
        (c) => c.kind === "delivery" && c.status === 200
      )
      expect(delivered.length).toBeGreaterThanOrEqual(1)
      await shot("order-widget", { locator: widget })
    }
  )

  step(
    "follows the admin's language: Japanese after switching the profile to 日本語",
    async () => {
      await page.goto(`${stack.baseUrl}/app/settings/profile/edit`, {
        waitUntil: "domcontentloaded",
      })
      const language = page.getByRole("combobox").first()
      await language.waitFor()
      await choose(language, /日本語|Japanese/)
      await page.getByRole("button", { name: /^Save$/ }).click()
      await page.waitForFunction(
        () =>
          document.documentElement.lang === "ja" ||
          localStorage.getItem("lng") === "ja",
        undefined,
        {
          timeout: 30_000,
        }
      )

      await page.goto(`${stack.baseUrl}/app/orders/${orderIds[0]}`, {
        waitUntil: "domcontentloaded",
      })
      const widget = page.getByTestId("line-gift-order-widget")
      await widget.waitFor({ timeout: 60_000 })
      await expectText(widget, "LINEギフト注文ID")
      // The status LINE Gift last reported: received (取引完了) since the push above (issue 16.4).
      await expectText(widget.getByTestId("line-gift-status"), "取引完了")
      await expectText(widget.getByTestId("line-gift-export-state"), "送信済み")
      await shot("order-widget-ja", { locator: widget })

      await page.goto(`${stack.baseUrl}/app/settings/line-gift/${shopId}`, {
        waitUntil: "domcontentloaded",
      })
      await expectText(
        page.getByTestId("get-refresh-token"),
        "リフレッシュトークン取得"
      )
      await expectText(
        page.getByTestId("reacquire-access-token"),
        "アクセストークン再取得"
      )
      await expectText(page.getByTestId("interval-select"), "30分ごと")
      await shot("settings-page-ja")

      await page.goto(`${stack.baseUrl}/app/orders`, {
        waitUntil: "domcontentloaded",
      })
      await expectText(page.getByTestId("line-gift-orders-widget"), "受注取込")
      await page.waitForFunction(
        () => document.querySelectorAll("table tbody tr").length >= 2,
        undefined,
        { timeout: 30_000 }
      )
      await shot("orders-widget-ja")
    }
  )
})

// --- small helpers ----------------------------------------------------------------------

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

/** Waits until the locator's text contains `expected` (string or RegExp), then asserts it. */
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

async function expectEnabled(locator: ReturnType<Page["locator"]>) {
  await locator.waitFor()
  for (let i = 0; i < 120 && (await locator.isDisabled()); i++)
    await new Promise((r) => setTimeout(r, 250))
  expect(await locator.isDisabled()).toBe(false)
}

async function expectDisabled(locator: ReturnType<Page["locator"]>) {
  expect(await locator.isDisabled()).toBe(true)
}

async function pressedDays(
  row: ReturnType<Page["locator"]>
): Promise<number[]> {
  return row
    .locator('[data-weekday][aria-pressed="true"]')
    .evaluateAll((els) =>
      els.map((e) => Number(e.getAttribute("data-weekday")))
    )
}
