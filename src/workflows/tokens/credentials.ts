/**
 * Token writes that carry a secret from outside (the OAuth callback's code, a pasted code or
 * refresh token). They are plain orchestration functions, NOT workflows, on purpose: workflow
 * input may be stored by the workflow engine (issue 15 item 5b), and these write only the
 * module's own shop record. Every write holds the shop's token lock and saves by
 * compare-and-set on `token_version` read under that lock (issue 15 item 3).
 */
import type { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import { LINE_GIFT_MODULE } from "../../modules/line-gift"
import type LineGiftModuleService from "../../modules/line-gift/service"
import {
  getLineGiftClient,
  merchantTokenError,
  oauthRedirectUri,
  saveIssuedTokens,
  withShopTokenLock,
} from "../helpers/line-gift-client"
import { evaluateTokenAlerts } from "../notifications/alerts"

/**
 * Exchanges an authorization code and stores the pair: under the shop's token lock, reads
 * `token_version`, exchanges, saves only if the version is unchanged.
 * @throws LineGiftApiError from the exchange; TokenVersionConflictError (lock lost).
 */
export async function exchangeCodeUnderLock(
  container: MedusaContainer,
  shopId: string,
  code: string,
  redirectUri: string,
  source: "oauth" | "manual_code"
): Promise<void> {
  const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
  await withShopTokenLock(container, shopId, async () => {
    const { tokenVersion } = await service.getShopCredentials(shopId)
    const client = await getLineGiftClient(container, shopId)
    const tokens = await client.exchangeAuthorizationCode({ code, redirectUri })
    await saveIssuedTokens(container, shopId, () =>
      service.saveTokensIfVersion(shopId, tokenVersion, tokens, source)
    )
  })
  await clearTokenAlerts(container, shopId)
}

/**
 * Completes the browser authorisation (the callback): checks and consumes the signed,
 * single-use state, then exchanges the code as `exchangeCodeUnderLock`. A refresh in flight
 * holds the lock: the callback waits for it, then writes on top (its pair survives).
 * @returns the shop id.
 * @throws MedusaError NOT_ALLOWED (bad/used/expired state); LineGiftApiError from the exchange.
 */
export async function completeLineGiftAuthorization(
  container: MedusaContainer,
  input: { state: string; code: string }
): Promise<string> {
  const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
  const shopId = await service.consumeOAuthStateToken(input.state)
  await exchangeCodeUnderLock(
    container,
    shopId,
    input.code,
    oauthRedirectUri(container),
    "oauth"
  )
  return shopId
}

/**
 * Manual credentials (issue 11 item 2), for merchants who obtain them by hand:
 * - `authorization_code`: exchanged like the callback (redirect URI: the given one, else the
 *   plugin's callback URL; it must be the one used to obtain the code);
 * - `refresh_token`: proved by one refresh and the answer's pair stored; when LINE Gift
 *   rotates nothing (no `refresh_token` in its answer) the pasted token is the one kept,
 *   its expiry unknown (null).
 * The pasted value is stored only encrypted, never returned or logged.
 * @throws MedusaError INVALID_DATA when neither or both are given; NOT_ALLOWED with LINE
 *   Gift's reason when it refuses (`invalid_grant`: the pasted value is dead; the app's
 *   credentials), UNEXPECTED_STATE when it cannot be reached (merchantTokenError) — nothing
 *   is stored then.
 */
export async function setLineGiftManualCredentials(
  container: MedusaContainer,
  input: {
    shop_id: string
    authorization_code?: string
    refresh_token?: string
    redirect_uri?: string
  }
): Promise<void> {
  const hasCode = !!input.authorization_code
  const hasRefresh = !!input.refresh_token
  if (hasCode === hasRefresh) {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      "Paste either an authorization code or a refresh token (one of them)."
    )
  }
  try {
    if (hasCode) {
      await exchangeCodeUnderLock(
        container,
        input.shop_id,
        input.authorization_code!,
        input.redirect_uri || oauthRedirectUri(container),
        "manual_code"
      )
      return
    }
    await storePastedRefreshToken(
      container,
      input.shop_id,
      input.refresh_token!
    )
  } catch (e) {
    throw merchantTokenError(e)
  }
}

/** The `refresh_token` case of setLineGiftManualCredentials, under the shop's token lock. */
async function storePastedRefreshToken(
  container: MedusaContainer,
  shopId: string,
  pasted: string
): Promise<void> {
  const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
  await withShopTokenLock(container, shopId, async () => {
    const { tokenVersion } = await service.getShopCredentials(shopId)
    const client = await getLineGiftClient(container, shopId)
    const tokens = await client.refreshTokens(pasted)
    // "No refresh_token in the answer: keep the old one" — the old one is the pasted one,
    // not whatever the shop had stored before.
    const kept = tokens.refreshToken
      ? tokens
      : { ...tokens, refreshToken: pasted, refreshTokenExpiresAt: null }
    await saveIssuedTokens(container, shopId, () =>
      service.saveTokensIfVersion(
        shopId,
        tokenVersion,
        kept,
        "manual_refresh_token"
      )
    )
  })
  await clearTokenAlerts(container, shopId)
}

async function clearTokenAlerts(
  container: MedusaContainer,
  shopId: string
): Promise<void> {
  try {
    await evaluateTokenAlerts(container, shopId)
  } catch {
    // notifications never fail a token write
  }
}
