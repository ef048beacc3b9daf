/**
 * 接続テスト in the browser (issue 11): a merchant pastes a refresh token by hand (manual
 * credentials), presses the connection check and reads, per call, the verdict and the option
 * to change — against a sandbox whose order search moved — in English, then in Japanese.
 */
import fs from "fs"
import path from "path"
import type { Page } from "playwright-core"
import { ARTIFACTS, missingChromium, startStack, type Stack } from "./harness"

jest.setTimeout(600_000)

let stack: Stack
let page: Page
let shopId: string
let broken: string | null = null

function step(name: string, fn: () => Promise<void>) {
  it(name, async () => {
    if (broken) throw new Error(`skipped: the step "${broken}" failed`)
    try {
      await fn()
    } catch (e) {
      broken = name
      fs.mkdirSync(ARTIFACTS, { recursive: true })
      await page
        .screenshot({
          path: path.join(
            ARTIFACTS,
            `failed-connection-${name.replace(/[^\w]+/g, "-").slice(0, 50)}.png`
          ),
        })
        .catch(() => {})
      throw e
    }
  })
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
  timeout = 60_000
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

beforeAll(async () => {
  const missing = missingChromium()
  if (missing) throw new Error(missing)
  stack = await startStack()
  page = await stack.context.newPage()
  page.setDefaultTimeout(30_000)
  page.setDefaultNavigationTimeout(120_000)
})

afterAll(async () => {
  await stack?.stop()
})

describe("接続テスト in the browser", () => {
  step("logs in and creates a shop with the app's credentials", async () => {
    // The first load compiles the admin (Vite dev): slow on a busy machine.
    await page.goto(`${stack.baseUrl}/app/login`, {
      waitUntil: "commit",
      timeout: 420_000,
    })
    await page.locator('input[name="email"]').waitFor({ timeout: 420_000 })
    await page.locator('input[name="email"]').fill(stack.seeded.admin_email)
    await page.locator('input[name="password"]').fill(stack.adminPassword)
    await page.locator('button[type="submit"]').click()
    await page.waitForURL(/\/app\/orders/, { timeout: 120_000 })
    const { status, data } = await adminApi("POST", "/admin/line-gift/shops", {
      name: "接続テスト ショップ",
      client_id: "sandbox-client-id",
      client_secret: "sandbox-client-secret",
    })
    expect(status).toBe(201)
    shopId = data.shop.id
  })

  step(
    "pastes a dead refresh token (invalid_grant explained), then a good one: it is proved by one refresh and the shop is connected",
    async () => {
      await page.goto(`${stack.baseUrl}/app/settings/line-gift/${shopId}`, {
        waitUntil: "domcontentloaded",
      })
      const section = page.getByTestId("line-gift-manual-credentials")
      await section.waitFor({ timeout: 120_000 })
      await section.locator("#lg-manual-refresh").click()
      // A dead one first: LINE Gift's invalid_grant explained, its answer beside (en).
      await section
        .getByTestId("manual-credential-value")
        .fill("no-such-refresh-token")
      await section.getByRole("button", { name: "Save" }).click()
      await expectText(
        page.locator("[data-sonner-toast]").first(),
        "The authorization code or refresh token has expired or was already used"
      )
      await expectText(
        page.locator("[data-sonner-toast]").first(),
        "LINE Gift's answer: LINE Gift refresh failed: the refresh token was rejected (invalid_grant)"
      )
      const pasted = stack.sandbox.issueTokens().refresh_token
      await section.getByTestId("manual-credential-value").fill(pasted)
      await section.getByRole("button", { name: "Save" }).click()
      await expectText(page.getByTestId("refresh-token-expiry"), /days left/)
      const refresh = stack.sandbox.calls.filter((c) => c.kind === "refresh")
      expect(refresh.at(-1)?.body?.refresh_token).toBe(pasted)
      expect(refresh.at(-1)?.status).toBe(200)
    }
  )

  step(
    "clicks the connection check against a moved order search: names the call and paths.orderSearch (en)",
    async () => {
      stack.sandbox.setShapes({
        movedPaths: { order_search: "/shop/api/2/order/search" },
      })
      const check = page.getByTestId("line-gift-connection-check")
      await check.getByTestId("run-connection-check").click()
      const row = check.getByTestId("connection-entry-order_search")
      await expectText(row, "/shop/api/1/order/search")
      await expectText(row, "HTTP 404")
      await expectText(
        check.getByTestId("connection-verdict-order_search"),
        "Path not found → correct the plugin option paths.orderSearch."
      )
      await expectText(
        check.getByTestId("connection-check-overall"),
        "Something needs fixing"
      )
      await expectText(check.getByTestId("shipment-call-choice"), "form")
      await expectText(
        check.getByTestId("download-transcript"),
        "Download transcript"
      )
    }
  )

  step(
    "reads the same verdicts in Japanese, and all passing once the sandbox answers as documented",
    async () => {
      await page.goto(`${stack.baseUrl}/app/settings/profile/edit`, {
        waitUntil: "domcontentloaded",
      })
      const language = page.getByRole("combobox").first()
      await language.waitFor()
      await language.click()
      await page
        .getByRole("option", { name: /日本語|Japanese/ })
        .first()
        .click()
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
      await page.goto(`${stack.baseUrl}/app/settings/line-gift/${shopId}`, {
        waitUntil: "domcontentloaded",
      })
      const check = page.getByTestId("line-gift-connection-check")
      await check.waitFor({ timeout: 120_000 })
      await expectText(check.getByTestId("run-connection-check"), "接続テスト")
      await check.getByTestId("run-connection-check").click()
      await expectText(
        check.getByTestId("connection-verdict-order_search"),
        "パスが見つかりません → プラグインオプション paths.orderSearch を修正してください。"
      )
      await expectText(
        check.getByTestId("connection-check-overall"),
        "修正が必要です"
      )

      stack.sandbox.setShapes({})
      await check.locator("#lg-line-gift-shop-id").fill("1001")
      await check.getByTestId("run-connection-check").click()
      await expectText(
        check.getByTestId("connection-check-overall"),
        "接続できています"
      )
      await expectText(
        check.getByTestId("connection-verdict-order_search"),
        "正常です。"
      )
      await expectText(
        check.getByTestId("connection-verdict-items"),
        "正常です。"
      )
      fs.mkdirSync(ARTIFACTS, { recursive: true })
      await check
        .screenshot({ path: path.join(ARTIFACTS, "connection-check-ja.png") })
        .catch(() => {})
    }
  )
})
