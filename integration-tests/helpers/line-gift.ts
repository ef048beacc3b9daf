/**
 * Test helpers around the plugin's admin API and the sandbox: connect a shop through the
 * real OAuth flow (admin route → sandbox consent page → approve → callback route).
 */
import axios from "axios"
import { createSandbox, type Sandbox, type SandboxOptions } from "../../sandbox"

/**
 * The sandbox of a Medusa suite. Call at the top level of the spec file, BEFORE
 * medusaIntegrationTestRunner: its beforeAll then runs first, so the plugin (through
 * medusa-config.js) reads LINE_GIFT_SANDBOX_URL when Medusa boots. No pause between order pages.
 */
export function sandboxForSuite(options?: SandboxOptions): Sandbox {
  const sandbox = createSandbox({
    clients: [
      { clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET },
      SECOND_SANDBOX_APP,
    ],
    ...options,
  })
  beforeAll(async () => {
    process.env.LINE_GIFT_SANDBOX_URL = await sandbox.listen(0)
    process.env.LINE_GIFT_PAGE_DELAY_MS = "0"
  })
  afterAll(async () => {
    await sandbox.close()
  })
  return sandbox
}

export const SANDBOX_CLIENT_ID = "sandbox-client-id"
export const SANDBOX_CLIENT_SECRET = "sandbox-client-secret"
/**
 * A second LINE Gift app the suite's sandbox knows (sandboxForSuite, unless the suite names
 * its own clients): a second live shop needs its own app — the admin refuses two shops on one.
 */
export const SECOND_SANDBOX_APP = {
  clientId: "second-sandbox-client-id",
  clientSecret: "second-sandbox-client-secret",
}
/** Shop fields connecting a shop to SECOND_SANDBOX_APP (for connectedShop / createShop). */
export const SECOND_APP_SHOP = {
  client_id: SECOND_SANDBOX_APP.clientId,
  client_secret: SECOND_SANDBOX_APP.clientSecret,
}

/** Creates a shop with the sandbox's credentials. @returns the shop JSON */
export async function createShop(
  api: any,
  headers: any,
  extra: Record<string, unknown> = {}
): Promise<any> {
  const { data } = await api.post(
    "/admin/line-gift/shops",
    {
      name: "テスト店",
      client_id: SANDBOX_CLIENT_ID,
      client_secret: SANDBOX_CLIENT_SECRET,
      ...extra,
    },
    headers
  )
  return data.shop
}

/**
 * Runs the browser OAuth flow against the sandbox without a browser: start it on the admin
 * API, approve on the sandbox's consent page, deliver the code to the callback route.
 * @returns the callback's redirect location (admin settings URL with oauth=success|error)
 */
export async function connectShop(
  api: any,
  headers: any,
  shopId: string
): Promise<string> {
  const { data } = await api.post(
    `/admin/line-gift/shops/${shopId}/oauth/authorize`,
    {},
    headers
  )
  const authorizeUrl = new URL(data.authorize_url)
  const page = await axios.get(authorizeUrl.toString())
  if (!String(page.data).includes('id="approve"')) {
    throw new Error("sandbox consent page has no approve button")
  }
  const form = new URLSearchParams({
    response_type: "code",
    client_id: authorizeUrl.searchParams.get("client_id")!,
    redirect_uri: authorizeUrl.searchParams.get("redirect_uri")!,
    state: authorizeUrl.searchParams.get("state")!,
    decision: "approve",
  })
  const approved = await axios.post(
    `${authorizeUrl.origin}/oauth2/authorize`,
    form.toString(),
    {
      headers: { "content-type": "application/x-www-form-urlencoded" },
      maxRedirects: 0,
      validateStatus: (s) => s === 302,
    }
  )
  const callback = new URL(approved.headers.location)
  const res = await api.get(`${callback.pathname}${callback.search}`, {
    maxRedirects: 0,
    validateStatus: (s: number) => s === 302,
  })
  return res.headers.location
}

/** Orders the sandbox holds that an import of `statuses` over the last `days` should create. */
export function expectedImports(
  sandbox: Sandbox,
  days: number,
  statuses = ["payment"]
): any[] {
  const from = Math.floor(Date.now() / 1000) - days * 86400
  return sandbox.orders.filter(
    (o: any) =>
      statuses.includes(o.status) &&
      typeof o.bought_on === "number" &&
      o.bought_on >= from &&
      typeof o.id === "string" &&
      !String(o.id).startsWith("MALFORMED")
  )
}
