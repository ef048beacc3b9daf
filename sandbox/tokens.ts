/**
 * The sandbox's tokens: minting access/refresh pairs, the token answer (with `expires_in`
 * and `refresh_token_expires_in` in seconds unless switched off), checking an access token,
 * the 401 answer (or body 401 with `expiredAsBodyError`), and client authentication.
 */
import { json, randomToken, text, type Reply } from "./http"
import type { AccessRecord, SandboxState } from "./state"

/** An access/refresh token pair as LINE Gift answers it. */
export type TokenPair = { access_token: string; refresh_token: string }

/** Mints and records a fresh token pair for `clientId` (expiry from the configured TTLs). */
export function issuePair(state: SandboxState, clientId: string): TokenPair {
  const { accessTtlSec, refreshTtlSec } = state.config
  const access = randomToken()
  const refresh = randomToken()
  const t = state.now()
  state.accessTokens.set(access, {
    clientId,
    expiresAtMs: t + accessTtlSec * 1000,
    revoked: false,
  })
  state.refreshTokens.set(refresh, {
    clientId,
    expiresAtMs: t + refreshTtlSec * 1000,
    used: false,
    accessToken: access,
  })
  return { access_token: access, refresh_token: refresh }
}

/**
 * The JSON body of a token answer: the pair, plus the lifetimes unless `includeExpiresIn` is
 * off, plus the shape's `tokenAnswerFields`.
 */
export function tokenAnswer(
  state: SandboxState,
  pair: TokenPair
): Record<string, unknown> {
  const { includeExpiresIn, accessTtlSec, refreshTtlSec } = state.config
  const answer: Record<string, unknown> = includeExpiresIn
    ? {
        ...pair,
        expires_in: accessTtlSec,
        refresh_token_expires_in: refreshTtlSec,
      }
    : { ...pair }
  return { ...answer, ...(state.shapes.tokenAnswerFields ?? {}) }
}

/** The record of a known, unrevoked, unexpired access token, else undefined. */
export function validAccess(
  state: SandboxState,
  token: string | undefined
): AccessRecord | undefined {
  if (!token) return undefined
  const rec = state.accessTokens.get(token)
  if (!rec || rec.revoked || state.now() >= rec.expiresAtMs) return undefined
  return rec
}

/** HTTP 401 with `WWW-Authenticate`, or HTTP 200 `{"code":401}` under `expiredAsBodyError`. */
export function unauthorized(state: SandboxState): Reply {
  const body = { code: 401, reason: "invalid access_token" }
  return state.faults.expiredAsBodyError
    ? json(200, body)
    : json(401, body, { "WWW-Authenticate": 'Bearer error="invalid_token"' })
}

/** The app authenticated by `client_id` + `client_secret` in the body, or the 401 answer. */
export function authenticateClient(
  state: SandboxState,
  body: Record<string, unknown> | null
): Reply | { clientId: string } {
  const id = text(body?.client_id)
  const secret =
    typeof body?.client_secret === "string" ? body.client_secret : ""
  const client = state.config.clients.find((c) => c.clientId === id)
  if (!client || client.clientSecret !== secret)
    return json(401, { code: 401, reason: "invalid_client" })
  return { clientId: client.clientId }
}

/** A token pair for `clientId` (default: the first client), without OAuth. @throws on an unknown client. */
export function issueTokensFor(
  state: SandboxState,
  clientId: string | undefined
): TokenPair {
  const { clients } = state.config
  const client =
    clientId === undefined
      ? clients[0]
      : clients.find((c) => c.clientId === clientId)
  if (!client) throw new Error(`unknown sandbox client_id "${clientId}"`)
  return issuePair(state, client.clientId)
}

/** Every access token issued so far is expired from now on. */
export function expireAccessTokens(state: SandboxState): void {
  for (const rec of state.accessTokens.values()) rec.expiresAtMs = -Infinity
}
