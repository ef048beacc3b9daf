/**
 * Access: every admin route of the plugin refuses a request without an admin session (401),
 * and the OAuth surface is fixed — redirect URI and return address do not follow the
 * request's Host, and a pending authorisation expires after 10 minutes.
 *
 * The routes are ENUMERATED from src/api/admin/** /route.ts (every exported GET/POST/PUT/
 * PATCH/DELETE handler), so a route added later is covered without touching this file.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { createSandbox } from "../../sandbox"
import { adminHeaders } from "../helpers/admin"
import { createShop } from "../helpers/line-gift"
import { LINE_GIFT_MODULE } from "../../src/modules/line-gift"

jest.setTimeout(240_000)

const ADMIN_API_DIR = path.join(__dirname, "../../src/api/admin")
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const

/** Every admin route handler: [method, URL path with `:param`s]. */
function enumerateAdminRoutes(): Array<[string, string]> {
  const routes: Array<[string, string]> = []
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) {
        walk(full)
      } else if (entry.name === "route.ts" || entry.name === "route.js") {
        const source = fs.readFileSync(full, "utf8")
        const urlPath =
          "/admin/" +
          path
            .relative(ADMIN_API_DIR, dir)
            .split(path.sep)
            .map((seg) => seg.replace(/^\[(.+)\]$/, ":$1"))
            .join("/")
        for (const method of METHODS) {
          const exported = new RegExp(
            `export\\s+(?:const\\s+${method}\\b|(?:async\\s+)?function\\s+${method}\\b|\\{[^}]*\\b${method}\\b[^}]*\\})`
          )
          if (exported.test(source)) {
            routes.push([method, urlPath])
          }
        }
      }
    }
  }
  walk(ADMIN_API_DIR)
  return routes.sort((a, b) => (a[1] + a[0]).localeCompare(b[1] + b[0]))
}

const ROUTES = enumerateAdminRoutes()
/** A concrete URL: params become ids that exist nowhere. */
const concrete = (urlPath: string) =>
  urlPath.replace(/:([A-Za-z_]+)/g, "does_not_exist_$1")

const sandbox = createSandbox()

beforeAll(async () => {
  process.env.LINE_GIFT_SANDBOX_URL = await sandbox.listen(0)
})

afterAll(async () => {
  await sandbox.close()
})

medusaIntegrationTestRunner({
  inApp: true,
  testSuite: ({ api, getContainer }) => {
    let headers: { headers: Record<string, string> }

    beforeAll(async () => {
      headers = await adminHeaders(getContainer(), api)
    })

    const call = (
      method: string,
      url: string,
      options: Record<string, unknown> = {}
    ) =>
      api.request({
        method,
        url,
        data: method === "GET" || method === "DELETE" ? undefined : {},
        validateStatus: () => true,
        ...options,
      })

    it("finds the plugin's admin routes (the enumeration itself works)", () => {
      expect(ROUTES.length).toBeGreaterThanOrEqual(15)
      expect(ROUTES).toContainEqual([
        "POST",
        "/admin/line-gift/shops/:id/import",
      ])
      expect(ROUTES).toContainEqual(["GET", "/admin/line-gift/shops"])
      expect(ROUTES).toContainEqual(["DELETE", "/admin/line-gift/shops/:id"])
    })

    // One test per concern rather than per route: each test restores the database (seconds).
    it("every admin route answers 401 without an admin session, and with a forged one", async () => {
      const admitted: string[] = []
      for (const [method, urlPath] of ROUTES) {
        const url = concrete(urlPath)
        const anonymous = await call(method, url)
        const forged = await call(method, url, {
          headers: { authorization: "Bearer not-a-real-session-token" },
        })
        if (anonymous.status !== 401 || forged.status !== 401) {
          admitted.push(
            `${method} ${urlPath}: ${anonymous.status} / ${forged.status}`
          )
        }
        // Nothing of the plugin's data in a refusal.
        expect(JSON.stringify(anonymous.data ?? "")).not.toMatch(
          /lgshop_|client_secret|access_token/
        )
      }
      expect(admitted).toEqual([])
    })

    it("every enumerated route exists: with an admin session it is handled (not 401, not an unknown route)", async () => {
      const problems: string[] = []
      for (const [method, urlPath] of ROUTES) {
        const res = await call(method, concrete(urlPath), headers)
        // Express answers an unknown route with an HTML "Cannot GET …"; Medusa's handlers with JSON.
        if (res.status === 401 || typeof res.data !== "object") {
          problems.push(`${method} ${urlPath}: ${res.status}`)
        }
      }
      expect(problems).toEqual([])
    })

    it("a GET of the authorize route (another site's link, with the admin's cookie) starts and replaces no authorisation; POST does", async () => {
      const shop = await createShop(api, headers)
      const service: any = getContainer().resolve(LINE_GIFT_MODULE)
      const pending = async () => {
        const raw = await service.retrieveLineGiftShop(shop.id)
        return [raw.oauth_state_nonce, raw.oauth_state_expires_at]
      }
      const url = `/admin/line-gift/shops/${shop.id}/oauth/authorize`
      const get = () => call("GET", url, { ...headers, maxRedirects: 0 })

      // No pending authorisation: a GET does not start one, nor send the browser to LINE Gift.
      const first = await get()
      expect(await pending()).toEqual([null, null])
      expect(first.status).toBeGreaterThanOrEqual(400)
      expect(first.headers.location).toBeUndefined()

      // A pending one (the merchant's, started by POST) stays as it is after a GET.
      const started = await call("POST", url, headers)
      expect(started.status).toBe(200)
      const state = new URL(started.data.authorize_url).searchParams.get(
        "state"
      )
      const before = await pending()
      expect(before[0]).toEqual(expect.any(String))
      const again = await get()
      expect(await pending()).toEqual(before)
      expect(again.status).toBeGreaterThanOrEqual(400)

      // POST still starts a new one (replacing the pending one).
      const restarted = await call("POST", url, headers)
      expect(restarted.status).toBe(200)
      expect(
        new URL(restarted.data.authorize_url).searchParams.get("state")
      ).not.toBe(state)
      expect((await pending())[0]).not.toBe(before[0])
    })

    it("keeps the OAuth redirect URI and the return address fixed, whatever Host the request names", async () => {
      const shop = await createShop(api, headers)
      const spoofed = {
        headers: {
          ...headers.headers,
          host: "evil.example.com",
          "x-forwarded-host": "evil.example.com",
          "x-forwarded-proto": "https",
        },
      }
      const { data } = await api.post(
        `/admin/line-gift/shops/${shop.id}/oauth/authorize`,
        {},
        spoofed
      )
      const authorize = new URL(data.authorize_url)
      const backend = (
        process.env.MEDUSA_BACKEND_URL || "http://localhost:9000"
      ).replace(/\/+$/, "")
      expect(authorize.searchParams.get("redirect_uri")).toBe(
        `${backend}/line-gift/oauth/callback`
      )
      expect(data.authorize_url).not.toContain("evil.example.com")

      const back = await api.get(
        `/line-gift/oauth/callback?error=access_denied`,
        {
          maxRedirects: 0,
          validateStatus: () => true,
          headers: {
            host: "evil.example.com",
            "x-forwarded-host": "evil.example.com",
          },
        }
      )
      expect(back.status).toBe(302)
      expect(
        back.headers.location.startsWith(`${backend}/app/settings/line-gift?`)
      ).toBe(true)
    })

    it("refuses a genuine state once its 10 minutes are over, and never exchanges its code", async () => {
      const shop = await createShop(api, headers)
      const { data } = await api.post(
        `/admin/line-gift/shops/${shop.id}/oauth/authorize`,
        {},
        headers
      )
      const state = new URL(data.authorize_url).searchParams.get("state")!
      const service: any = getContainer().resolve(LINE_GIFT_MODULE)
      const pending = await service.retrieveLineGiftShop(shop.id)
      const ttlMs =
        new Date(pending.oauth_state_expires_at).getTime() - Date.now()
      expect(ttlMs).toBeGreaterThan(9 * 60_000)
      expect(ttlMs).toBeLessThanOrEqual(10 * 60_000)
      // Eleven minutes later, as far as the stored pending authorisation is concerned.
      await service.updateLineGiftShops({
        id: shop.id,
        oauth_state_expires_at: new Date(Date.now() - 60_000),
      })
      sandbox.clearCalls()
      const res = await api.get(
        `/line-gift/oauth/callback?code=some-code&state=${encodeURIComponent(state)}`,
        { maxRedirects: 0, validateStatus: () => true }
      )
      expect(res.headers.location).toContain("oauth=error")
      expect(sandbox.calls.filter((c) => c.kind === "token")).toHaveLength(0)
      expect(
        (await api.get(`/admin/line-gift/shops/${shop.id}`, headers)).data.shop
          .access_token_set
      ).toBe(false)
    })
  },
})
