/**
 * Tokens on the client side: turning a token answer into a `TokenSet` (with LINE Gift's
 * default lifetimes), and running an authenticated call through the shop's token store
 * (refresh first when no token is stored; on 401 refresh once and retry once — the client's
 * only hand-written retry).
 */
import { z } from "@medusajs/framework/zod"
import { LineGiftApiError } from "./errors"
import { tokenResponseSchema } from "./schemas"
import {
  DEFAULT_ACCESS_TOKEN_TTL_SEC,
  DEFAULT_REFRESH_TOKEN_TTL_SEC,
  type LineGiftEndpointName,
  type LineGiftLogger,
  type LineGiftTokenStore,
  type TokenSet,
} from "./client-types"
import { isUnauthorized } from "./failures"
import type { Answer, RequestSpec } from "./http-core"

/**
 * The token pair of a token answer at `nowMs` (ms since epoch): expiries from `expires_in` /
 * `refresh_token_expires_in` (seconds), else the observed defaults (60 / 90 days); a missing
 * refresh token is null (keep the old one), and so is its expiry.
 */
export function toTokenSet(
  t: z.infer<typeof tokenResponseSchema>,
  nowMs: number
): TokenSet {
  const accessTtl =
    t.expires_in && t.expires_in > 0
      ? t.expires_in
      : DEFAULT_ACCESS_TOKEN_TTL_SEC
  const refreshToken = t.refresh_token ?? null
  const refreshTtl =
    t.refresh_token_expires_in && t.refresh_token_expires_in > 0
      ? t.refresh_token_expires_in
      : DEFAULT_REFRESH_TOKEN_TTL_SEC
  return {
    accessToken: t.access_token,
    accessTokenExpiresAt: new Date(nowMs + accessTtl * 1000),
    refreshToken,
    refreshTokenExpiresAt: refreshToken
      ? new Date(nowMs + refreshTtl * 1000)
      : null,
  }
}

/** What an authenticated call needs from the client. */
export type AuthedCallDeps = {
  tokenStore?: LineGiftTokenStore
  log: LineGiftLogger
  send: (spec: RequestSpec) => Promise<Answer>
  /** The refresh-token grant (the client's `refreshTokens`). */
  refreshTokens: (refreshToken: string) => Promise<TokenSet>
}

/**
 * Asks the store for a fresh access token (it serialises and persists; see LineGiftTokenStore).
 * @throws LineGiftApiError `auth` when the store returns none.
 */
async function refreshThroughStore(
  deps: AuthedCallDeps,
  store: LineGiftTokenStore,
  stale: string | null,
  endpoint: LineGiftEndpointName
): Promise<string> {
  const token = await store.refreshAccessToken(stale, (rt) =>
    deps.refreshTokens(rt)
  )
  if (typeof token !== "string" || !token) {
    throw new LineGiftApiError({
      kind: "auth",
      endpoint,
      message: `LINE Gift ${endpoint} failed: the token store returned no access token after a refresh`,
    })
  }
  return token
}

/**
 * Runs an authenticated call: token from the store (refreshing first when it has none);
 * on 401 (HTTP or body) refreshes once through the store and retries once.
 * @param make builds the request for a given access token.
 * @throws LineGiftApiError `auth` without a token store or on a second 401; whatever `send`
 *   or the store throws.
 */
export async function authedCall(
  deps: AuthedCallDeps,
  endpoint: LineGiftEndpointName,
  make: (token: string) => RequestSpec
): Promise<Answer> {
  const store = deps.tokenStore
  if (!store) {
    throw new LineGiftApiError({
      kind: "auth",
      endpoint,
      message: `LINE Gift ${endpoint} failed: the shop is not connected (no token store configured)`,
    })
  }
  let token = await store.getAccessToken()
  if (!token) {
    deps.log.info(
      `LINE Gift ${endpoint}: no usable access token stored; refreshing`
    )
    token = await refreshThroughStore(deps, store, null, endpoint)
  }
  try {
    return await deps.send(make(token))
  } catch (e) {
    if (!isUnauthorized(e)) throw e
    deps.log.info(
      `LINE Gift ${endpoint}: access token rejected (401); refreshing once`
    )
  }
  const fresh = await refreshThroughStore(deps, store, token, endpoint)
  try {
    return await deps.send(make(fresh))
  } catch (e) {
    if (!isUnauthorized(e)) throw e
    throw new LineGiftApiError({
      kind: "auth",
      endpoint,
      httpStatus: e.httpStatus,
      code: e.code,
      reason: e.reason,
      attempts: e.attempts,
      message: `LINE Gift ${endpoint} failed: the access token was rejected (401) again right after a token refresh; the merchant must re-authorise the app in the Medusa admin (LINE Gift settings)`,
    })
  }
}
