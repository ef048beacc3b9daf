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
  isLineGiftApiError,
  LineGiftApiError,
  LineGiftClient,
  resolveLineGiftEndpoints,
  type LineGiftClientOptions,
  type LineGiftTokenStore,
  type TokenSet,
} from "../../lib/line-gift"
import { LINE_GIFT_MODULE } from "../../modules/line-gift"
import { evaluateTokenAlerts } from "../notifications/alerts"
import { safeLogger } from "./logging"
import type LineGiftModuleService from "../../modules/line-gift/service"
import {
  TokenVersionConflictError,
  type ShopCredentials,
} from "../../modules/line-gift/service"
import { safeErrorMessage } from "../../lib/safe-error"
import { oauthErrorOfReason, oauthReasonCode } from "../../lib/oauth-errors"

/** Lock key of a shop's token writes (refresh, OAuth callback, manual entry). */
export const tokenLockKey = (shopId: string) => `line-gift:tokens:${shopId}`

/** Seconds a token writer waits for another one of the same shop before giving up. */
const TOKEN_LOCK_TIMEOUT_SEC = 60

/**
 * Runs `job` holding the shop's token lock (locking module; in-memory in one process, Redis
 * across processes when the store configures the Redis locking provider). Every token write
 * (refresh, OAuth callback, manual credentials) runs inside it and saves with
 * `saveTokensIfVersion` against the version it read inside it (issue 15 item 3).
 * @throws whatever `job` throws; the locking module's error after 60 s of waiting.
 */
export async function withShopTokenLock<T>(
  container: MedusaContainer,
  shopId: string,
  job: () => Promise<T>
): Promise<T> {
  const locking = container.resolve(Modules.LOCKING)
  return await locking.execute(tokenLockKey(shopId), job, {
    timeout: TOKEN_LOCK_TIMEOUT_SEC,
  })
}

/** Pauses (ms) before the 2nd, 3rd and 4th attempt to save a token pair LINE Gift issued. */
export const TOKEN_SAVE_RETRY_DELAYS_MS = [200, 1000, 3000]

/**
 * Saves a token pair LINE Gift has already issued — a refresh rotated (killed) the old refresh
 * token, or a code was consumed — so the pair is the shop's only working one: a failed write
 * (a database hiccup) is tried again after each of TOKEN_SAVE_RETRY_DELAYS_MS, under the token
 * lock the caller holds (the version it read stays valid). Final at once: a
 * TokenVersionConflictError (a newer pair won) and NOT_FOUND (shop deleted). When every attempt
 * failed, logs an error naming the shop (never a token) and throws the last error.
 * @param save one compare-and-set write (`saveTokensIfVersion`) → the new token_version.
 * @param sleep for tests.
 */
export async function saveIssuedTokens(
  container: MedusaContainer,
  shopId: string,
  save: () => Promise<number>,
  sleep: (ms: number) => Promise<void> = (ms) =>
    new Promise((r) => setTimeout(r, ms))
): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await save()
    } catch (e) {
      const final =
        e instanceof TokenVersionConflictError ||
        (MedusaError.isMedusaError(e) &&
          e.type === MedusaError.Types.NOT_FOUND) ||
        attempt >= TOKEN_SAVE_RETRY_DELAYS_MS.length
      if (!final) {
        await sleep(TOKEN_SAVE_RETRY_DELAYS_MS[attempt])
        continue
      }
      if (!(e instanceof TokenVersionConflictError)) {
        safeLogger(container)?.error(
          `LINE Gift shop ${shopId}: the token pair LINE Gift just issued could not be saved (${safeErrorMessage(e)}); ` +
            `if LINE Gift rotated the refresh token, the shop needs "Get refresh token" in Settings → LINE Gift.`
        )
      }
      throw e
    }
  }
}

/** Merchant-readable reason why a shop whose refresh token was rejected cannot call LINE Gift. */
export function needsReauthorizationMessage(
  shopName: string,
  reason: string
): string {
  return (
    `LINE Gift shop "${shopName}" needs re-authorisation: LINE Gift rejected its refresh token (${reason}). ` +
    `Imports and shipment pushes of this shop stop until someone uses "Get refresh token" (or pastes a new code or refresh token) in Settings → LINE Gift.`
  )
}

/**
 * What a token route (pasted code / refresh token, "re-acquire access token") answers for a
 * failed LINE Gift call: Medusa's error handler turns any error that is not a MedusaError
 * into "An unknown error occurred." (HTTP 500), which tells the merchant nothing. A
 * LineGiftApiError's message is already secret-free and names the next step.
 * @returns a MedusaError for a LineGiftApiError — NOT_ALLOWED (HTTP 400) when LINE Gift
 *   refused (dead code or token, app credentials, bad request), UNEXPECTED_STATE (HTTP 500,
 *   message kept) for a transient failure, with "try again" appended —; anything else as is.
 *   Its `code` (the API answer's `code`) is the stable reason `line_gift_oauth_<error>` when
 *   LINE Gift named a standard OAuth error (`tokenCallReasonCode`), else none.
 */
export function merchantTokenError(e: unknown): unknown {
  if (!isLineGiftApiError(e)) return e
  const code = tokenCallReasonCode(e)
  return e.retryable
    ? new MedusaError(
        MedusaError.Types.UNEXPECTED_STATE,
        `${e.message}. Nothing was changed; try again in a few minutes.`,
        code
      )
    : new MedusaError(MedusaError.Types.NOT_ALLOWED, e.message, code)
}

/**
 * The reason code of a failed token call (src/lib/oauth-errors.ts): `invalid_grant` for a
 * dead code / refresh token (also one recorded as rejected earlier, never sent again), else
 * the standard OAuth error LINE Gift's reason starts with — token endpoints only; undefined
 * when there is none (the message alone tells what happened).
 */
export function tokenCallReasonCode(e: LineGiftApiError): string | undefined {
  if (e.kind === "invalid_grant") return oauthReasonCode("invalid_grant")
  if (e.endpoint !== "refresh" && e.endpoint !== "token") return undefined
  const error = oauthErrorOfReason(e.reason)
  return error ? oauthReasonCode(error) : undefined
}

/**
 * Token store of one shop (see LineGiftTokenStore): reads/saves through the module service,
 * serialises refreshes with the shop's token lock and saves by compare-and-set on
 * `token_version`. An access token past its stored expiry counts as absent (the client then
 * refreshes before calling). A refresh token LINE Gift rejected (`invalid_grant`) is recorded
 * on the shop ("needs re-authorisation") and never sent again.
 * @param now clock in ms (tests use a fake one).
 */
export class ShopTokenStore implements LineGiftTokenStore {
  constructor(
    private readonly container: MedusaContainer,
    private readonly shopId: string,
    private readonly now: () => number = Date.now
  ) {}

  private get service(): LineGiftModuleService {
    return this.container.resolve(LINE_GIFT_MODULE)
  }

  async getAccessToken(): Promise<string | null> {
    const creds = await this.service.getShopCredentials(this.shopId)
    if (
      creds.accessTokenExpiresAt &&
      creds.accessTokenExpiresAt.getTime() <= this.now()
    ) {
      return null
    }
    return creds.accessToken
  }

  async refreshAccessToken(
    staleAccessToken: string | null,
    doRefresh: (refreshToken: string) => Promise<TokenSet>
  ): Promise<string> {
    return await withShopTokenLock(this.container, this.shopId, async () => {
      const creds = await this.service.getShopCredentials(this.shopId)
      const fresh =
        !creds.accessTokenExpiresAt ||
        creds.accessTokenExpiresAt.getTime() > this.now()
      if (
        creds.accessToken &&
        creds.accessToken !== staleAccessToken &&
        fresh
      ) {
        return creds.accessToken
      }
      return await this.refreshLocked(creds, doRefresh)
    })
  }

  /**
   * Keep-alive: under the shop's token lock, re-reads the stored state and refreshes only if
   * `isDue(state)` still holds there (another keep-alive or refresher may have just refreshed).
   * @returns true when this call refreshed.
   * @throws as refreshAccessToken.
   */
  async refreshIfDue(
    isDue: (creds: ShopCredentials) => boolean,
    doRefresh: (refreshToken: string) => Promise<TokenSet>
  ): Promise<boolean> {
    return await withShopTokenLock(this.container, this.shopId, async () => {
      const creds = await this.service.getShopCredentials(this.shopId)
      if (creds.rejectedReason || !creds.refreshToken || !isDue(creds))
        return false
      await this.refreshLocked(creds, doRefresh)
      return true
    })
  }

  /** The refresh itself; the caller holds the token lock and passes what it read under it. */
  private async refreshLocked(
    creds: ShopCredentials,
    doRefresh: (refreshToken: string) => Promise<TokenSet>
  ): Promise<string> {
    if (creds.rejectedReason) {
      const shop = await this.service.retrievePublicShop(this.shopId)
      throw new LineGiftApiError({
        kind: "invalid_grant",
        endpoint: "refresh",
        message: needsReauthorizationMessage(shop.name, creds.rejectedReason),
      })
    }
    if (!creds.refreshToken) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        'This LINE Gift shop is not authorised yet: use "Get refresh token" in Settings → LINE Gift.'
      )
    }
    let tokens: TokenSet
    try {
      tokens = await doRefresh(creds.refreshToken)
    } catch (e) {
      if (isLineGiftApiError(e) && e.kind === "invalid_grant") {
        await this.service.markRefreshRejected(
          this.shopId,
          creds.tokenVersion,
          e.reason ?? "invalid_grant",
          new Date(this.now())
        )
        await onRefreshRejected(this.container, this.shopId)
      }
      throw e
    }
    await saveIssuedTokens(this.container, this.shopId, () =>
      this.service.saveTokensIfVersion(
        this.shopId,
        creds.tokenVersion,
        tokens,
        "refresh",
        new Date(this.now())
      )
    )
    return tokens.accessToken
  }
}

/**
 * Called once LINE Gift rejected a shop's refresh token (after it was recorded). Raises the
 * admin notification at once (see src/workflows/notifications). Never throws.
 */
async function onRefreshRejected(
  container: MedusaContainer,
  shopId: string
): Promise<void> {
  try {
    await evaluateTokenAlerts(container, shopId)
  } catch {
    // A notification must never hide the refresh error itself.
  }
}

/**
 * A LINE Gift client for `shopId` with the plugin's endpoints and HTTP options.
 * @throws MedusaError NOT_ALLOWED when the shop has no client_id / client_secret.
 */
export async function getLineGiftClient(
  container: MedusaContainer,
  shopId: string,
  extra: {
    now?: () => number
    http?: LineGiftClientOptions["http"]
    onCall?: LineGiftClientOptions["onCall"]
  } = {}
): Promise<LineGiftClient> {
  const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
  const options = service.getOptions()
  const creds = await service.getShopCredentials(shopId)
  const logger = safeLogger(container) ?? undefined
  return new LineGiftClient({
    endpoints: resolveLineGiftEndpoints(options),
    clientId: creds.clientId,
    clientSecret: creds.clientSecret,
    tokenStore: new ShopTokenStore(container, shopId, extra.now),
    http: { ...(options.http ?? {}), ...(extra.http ?? {}) },
    logger,
    now: extra.now,
    onCall: extra.onCall,
  })
}

/** The OAuth redirect URI registered in the LINE Gift app: `{backendUrl}/line-gift/oauth/callback`. */
export function oauthRedirectUri(container: MedusaContainer): string {
  return oauthRedirectUriInfo(container).redirect_uri
}

/**
 * The OAuth redirect URI and where it comes from, for the admin to show before the merchant
 * registers their LINE Gift app: `configured` is false when neither the plugin option
 * `backendUrl` nor env MEDUSA_BACKEND_URL is set (the URI is then `http://localhost:9000/…`);
 * `local` is true when the URI's host is this machine (localhost, 127.x.x.x, ::1) — set that
 * way or by a config's own `|| "http://localhost:9000"` fallback —, which LINE Gift cannot
 * send a browser back to on a deployed store (fine with the sandbox).
 * @returns `{ redirect_uri, configured, local }`
 */
export function oauthRedirectUriInfo(container: MedusaContainer): {
  redirect_uri: string
  configured: boolean
  local: boolean
} {
  const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
  const configured =
    service.getOptions().backendUrl || process.env.MEDUSA_BACKEND_URL
  const base = (configured || "http://localhost:9000").replace(/\/+$/, "")
  return {
    redirect_uri: `${base}/line-gift/oauth/callback`,
    configured: !!configured,
    local: isLoopbackUrl(base),
  }
}

/** Whether `url`'s host is this machine (localhost, *.localhost, 127.0.0.0/8, ::1); false for unparsable text. */
function isLoopbackUrl(url: string): boolean {
  let host: string
  try {
    host = new URL(url).hostname.toLowerCase()
  } catch {
    return false
  }
  return (
    host === "localhost" ||
    host.endsWith(".localhost") ||
    /^127(\.\d{1,3}){3}$/.test(host) ||
    host === "[::1]"
  )
}
