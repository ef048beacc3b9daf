/**
 * Builds a LINE Gift client for one shop, wired to the shop's stored (encrypted) credentials
 * and to a token store that serialises refreshes per shop with Medusa's locking module.
 *
 * LINE Gift refresh tokens are single-use and rotate (shared/line-gift-api.md, "Credentials"):
 * two refreshers at once, or a new pair lost between answer and save, lock the shop out until
 * a person re-authorises. Hence: one refresh per shop at a time (lock), re-read under the lock
 * (someone may have refreshed meanwhile), and the new pair saved before it is used.
 */
import type { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError, Modules } from "@medusajs/framework/utils"
import {
  LineGiftClient,
  resolveLineGiftEndpoints,
  type LineGiftTokenStore,
  type TokenSet,
} from "../../lib/line-gift"
import { LINE_GIFT_MODULE } from "../../modules/line-gift"
import type LineGiftModuleService from "../../modules/line-gift/service"

/** Lock key of a shop's token refresh. */
export const tokenLockKey = (shopId: string) => `line-gift:tokens:${shopId}`

/** Seconds a refresher waits for another one of the same shop before giving up. */
const TOKEN_LOCK_TIMEOUT_SEC = 60

/**
 * Token store of one shop (see LineGiftTokenStore): reads/saves through the module service,
 * serialises refreshes with the locking module (in-memory in one process; Redis across
 * processes when the store configures the Redis locking provider).
 */
export class ShopTokenStore implements LineGiftTokenStore {
  constructor(
    private readonly container: MedusaContainer,
    private readonly shopId: string
  ) {}

  private get service(): LineGiftModuleService {
    return this.container.resolve(LINE_GIFT_MODULE)
  }

  async getAccessToken(): Promise<string | null> {
    return (await this.service.getShopCredentials(this.shopId)).accessToken
  }

  async refreshAccessToken(
    staleAccessToken: string | null,
    doRefresh: (refreshToken: string) => Promise<TokenSet>
  ): Promise<string> {
    const locking = this.container.resolve(Modules.LOCKING)
    return await locking.execute(
      tokenLockKey(this.shopId),
      async () => {
        const creds = await this.service.getShopCredentials(this.shopId)
        if (creds.accessToken && creds.accessToken !== staleAccessToken) {
          return creds.accessToken
        }
        if (!creds.refreshToken) {
          throw new MedusaError(
            MedusaError.Types.NOT_ALLOWED,
            "This LINE Gift shop is not authorised yet: use \"Get refresh token\" in Settings → LINE Gift."
          )
        }
        const tokens = await doRefresh(creds.refreshToken)
        await this.service.saveTokens(this.shopId, tokens)
        return tokens.accessToken
      },
      { timeout: TOKEN_LOCK_TIMEOUT_SEC }
    )
  }
}

/**
 * A LINE Gift client for `shopId` with the plugin's endpoints and HTTP options.
 * @throws MedusaError NOT_ALLOWED when the shop has no client_id / client_secret.
 */
export async function getLineGiftClient(
  container: MedusaContainer,
  shopId: string
): Promise<LineGiftClient> {
  const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
  const options = service.getOptions()
  const creds = await service.getShopCredentials(shopId)
  let logger: any
  try {
    logger = container.resolve("logger")
  } catch {
    logger = undefined
  }
  return new LineGiftClient({
    endpoints: resolveLineGiftEndpoints(options),
    clientId: creds.clientId,
    clientSecret: creds.clientSecret,
    tokenStore: new ShopTokenStore(container, shopId),
    http: options.http,
    logger,
  })
}

/** The OAuth redirect URI registered in the LINE Gift app: `{backendUrl}/line-gift/oauth/callback`. */
export function oauthRedirectUri(container: MedusaContainer): string {
  const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
  const base = (
    service.getOptions().backendUrl ??
    process.env.MEDUSA_BACKEND_URL ??
    "http://localhost:9000"
  ).replace(/\/+$/, "")
  return `${base}/line-gift/oauth/callback`
}
