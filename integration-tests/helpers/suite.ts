/**
 * Shared set-up of the HTTP suites (inside medusaIntegrationTestRunner's `testSuite`): the demo
 * store and an admin session made once per suite, the sandbox reset before each test, and a
 * shop connected through the real OAuth flow.
 */
import type { MedusaContainer } from "@medusajs/framework/types"
import { seedDemoStore, type SeededStore } from "../../scripts/lib/seed-store"
import type { Sandbox } from "../../sandbox"
import { adminHeaders } from "./admin"
import { connectShop, createShop } from "./line-gift"

/** axios options carrying the admin's bearer token. */
export type AdminAuth = { headers: Record<string, string> }

/** What a suite's tests use; `store` and `headers` are filled in by the suite's beforeAll. */
export type SeededAdminSuite = {
  /** The seeded demo store (region, sales channel, shipping option, variants). */
  store: SeededStore
  /** axios options with the admin's token: pass as the request config. */
  headers: AdminAuth
  /**
   * Creates a shop on the seeded store's region, channel and shipping option (plus the suite's
   * `shopDefaults`, then `extra`), connects it through OAuth, expects `oauth=success`.
   * @returns the created shop JSON
   */
  connectedShop: (extra?: Record<string, unknown>) => Promise<any>
}

/**
 * Registers the suite's set-up hooks and returns what its tests use. Call it at the top of
 * `testSuite`, where its beforeAll / beforeEach used to be: hooks run in registration order.
 * - beforeAll: seeds the demo store (part of the database template every test starts from)
 *   and logs the admin in;
 * - beforeEach: `sandbox.reset()` when a sandbox is given.
 * `store` and `headers` are the same objects throughout, filled in place by beforeAll, so
 * tests may destructure them once.
 */
export function seededAdminSuite(options: {
  api: any
  getContainer: () => MedusaContainer
  /** Reset before each test (omit: no reset). */
  sandbox?: Sandbox
  /** Shop fields every `connectedShop` gets (e.g. `default_carrier`). */
  shopDefaults?: Record<string, unknown>
}): SeededAdminSuite {
  const { api, getContainer, sandbox, shopDefaults = {} } = options
  const store = {} as SeededStore
  const headers: AdminAuth = { headers: {} }

  beforeAll(async () => {
    Object.assign(store, await seedDemoStore(getContainer()))
    headers.headers = (await adminHeaders(getContainer(), api)).headers
  })

  if (sandbox) {
    beforeEach(() => {
      sandbox.reset()
    })
  }

  const connectedShop = async (extra: Record<string, unknown> = {}) => {
    const shop = await createShop(api, headers, {
      region_id: store.region_id,
      sales_channel_id: store.sales_channel_id,
      shipping_option_id: store.shipping_option_id,
      ...shopDefaults,
      ...extra,
    })
    expect(await connectShop(api, headers, shop.id)).toContain("oauth=success")
    return shop
  }

  return { store, headers, connectedShop }
}
