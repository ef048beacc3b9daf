/**
 * OAuth routes of the shop-admin host: the authorize page (`GET/POST /oauth2/authorize`),
 * the code exchange (`POST /api/v1/oauth2/token`) and the rotating, single-use refresh
 * (`POST /api/v1/oauth2/token/refresh`). Errors answer `{ code, reason }` with the OAuth
 * error name first in `reason` (invalid_client, invalid_grant, …).
 */
import { consentPage, errorPage, type AuthorizeRequest } from "../html"
import { json, randomToken, text, type Reply } from "../http"
import type { SandboxState } from "../state"
import { authenticateClient, issuePair, tokenAnswer } from "../tokens"

/** Authorization codes live 10 minutes (in milliseconds). */
const CODE_TTL_MS = 10 * 60 * 1000

/** HTTP 400 `{ code: 400, reason }`. */
const invalid = (reason: string): Reply => json(400, { code: 400, reason })

/** The authorization request's fields, and what is wrong with them (bilingual lines). */
function readAuthorizeRequest(
  state: SandboxState,
  src: Record<string, unknown>
): { request: AuthorizeRequest; redirect?: URL; problems: string[] } {
  const request: AuthorizeRequest = {
    clientId: text(src.client_id),
    redirectUri: text(src.redirect_uri),
    responseType: text(src.response_type),
    state: typeof src.state === "string" ? src.state : "",
  }
  const { clientId, redirectUri, responseType } = request
  const problems: string[] = []
  if (!clientId)
    problems.push("client_id がありません。 / client_id is missing.")
  else if (!state.config.clients.some((c) => c.clientId === clientId)) {
    problems.push(
      `client_id「${clientId}」は登録されていません。 / Unknown client_id "${clientId}".`
    )
  }
  let redirect: URL | undefined
  if (!redirectUri)
    problems.push("redirect_uri がありません。 / redirect_uri is missing.")
  else {
    try {
      redirect = new URL(redirectUri)
      if (redirect.protocol !== "http:" && redirect.protocol !== "https:")
        throw new Error("scheme")
    } catch {
      redirect = undefined
      problems.push(
        `redirect_uri が http(s) の URL ではありません。 / redirect_uri is not an http(s) URL: "${redirectUri}".`
      )
    }
  }
  if (responseType !== "code") {
    problems.push(
      `response_type は "code" である必要があります。 / response_type must be "code" (got "${responseType}").`
    )
  }
  return { request, redirect, problems }
}

/** Approve: a fresh single-use code on the redirect; deny: `error=access_denied`. */
function decide(
  state: SandboxState,
  decision: "approve" | "deny",
  request: AuthorizeRequest,
  redirect: URL
): Reply {
  if (decision === "approve") {
    const code = randomToken(24)
    state.codes.set(code, {
      clientId: request.clientId,
      redirectUri: request.redirectUri,
      expiresAtMs: state.now() + CODE_TTL_MS,
      used: false,
    })
    redirect.searchParams.set("code", code)
  } else {
    redirect.searchParams.set("error", "access_denied")
  }
  if (request.state) redirect.searchParams.set("state", request.state)
  return { type: "redirect", location: redirect.toString() }
}

/**
 * `GET /oauth2/authorize` shows the consent page (or approves at once with `autoApprove`);
 * `POST` carries the decision (query and form fields merged). A bad request gets the error
 * page (HTTP 400).
 */
export function handleAuthorize(
  state: SandboxState,
  method: string,
  query: Record<string, string>,
  body: Record<string, unknown> | null
): Reply {
  const src: Record<string, unknown> =
    method === "POST" ? { ...query, ...(body ?? {}) } : query
  const { request, redirect, problems } = readAuthorizeRequest(state, src)
  if (problems.length || !redirect) return errorPage(problems)

  const decision =
    method === "POST"
      ? text(src.decision)
      : state.config.autoApprove
        ? "approve"
        : ""
  if (decision === "approve" || decision === "deny")
    return decide(state, decision, request, redirect)
  if (method === "POST")
    return errorPage([
      `decision は approve か deny です。 / decision must be "approve" or "deny".`,
    ])
  return consentPage(request)
}

/**
 * The client of a token request, authenticated, whose `grant_type` is `expected`; else the
 * error answer (unknown client / wrong secret, or `unsupported_grant_type`).
 */
function clientForGrant(
  state: SandboxState,
  body: Record<string, unknown> | null,
  expected: "authorization_code" | "refresh_token"
): Reply | { clientId: string } {
  const client = authenticateClient(state, body)
  if ("type" in client) return client
  const grant = text(body?.grant_type)
  if (grant !== expected) {
    return invalid(
      `unsupported_grant_type: expected ${expected}, got "${grant}"`
    )
  }
  return client
}

/** Code exchange: client authenticated, code known, unused, unexpired, same client and redirect URI. */
export function handleToken(
  state: SandboxState,
  body: Record<string, unknown> | null
): Reply {
  const client = clientForGrant(state, body, "authorization_code")
  if ("type" in client) return client
  const code = text(body?.code)
  if (!code) return invalid("invalid_request: code is required")
  const rec = state.codes.get(code)
  if (!rec) return invalid("invalid_grant: unknown authorization code")
  if (rec.used) return invalid("invalid_grant: authorization code already used")
  if (state.now() >= rec.expiresAtMs)
    return invalid("invalid_grant: authorization code expired")
  if (rec.clientId !== client.clientId) {
    return invalid(
      "invalid_grant: authorization code was issued to another client"
    )
  }
  if (text(body?.redirect_uri) !== rec.redirectUri) {
    return invalid(
      "invalid_grant: redirect_uri does not match the authorization request"
    )
  }
  rec.used = true
  if (state.shapes.revokeOnReauthorize) {
    for (const r of state.refreshTokens.values())
      if (r.clientId === client.clientId) r.used = true
    for (const a of state.accessTokens.values())
      if (a.clientId === client.clientId) a.revoked = true
  }
  return json(200, tokenAnswer(state, issuePair(state, client.clientId)))
}

/** Refresh: single use (kept, without rotation, under `refreshWithoutRotation`); the old access token is revoked and a new one issued. */
export function handleRefresh(
  state: SandboxState,
  body: Record<string, unknown> | null
): Reply {
  const client = clientForGrant(state, body, "refresh_token")
  if ("type" in client) return client
  const token = text(body?.refresh_token)
  if (!token) return invalid("invalid_request: refresh_token is required")
  const rec = state.refreshTokens.get(token)
  if (!rec) return invalid("invalid_grant: unknown refresh_token")
  if (rec.used) return invalid("invalid_grant: refresh_token already used")
  if (state.now() >= rec.expiresAtMs)
    return invalid("invalid_grant: refresh_token expired")
  if (rec.clientId !== client.clientId) {
    return invalid("invalid_grant: refresh_token was issued to another client")
  }
  const old = state.accessTokens.get(rec.accessToken)
  if (old) old.revoked = true
  const pair = issuePair(state, client.clientId)
  if (state.shapes.refreshWithoutRotation) {
    // The refresh token stays valid and now goes with the new access token.
    state.refreshTokens.delete(pair.refresh_token)
    rec.accessToken = pair.access_token
    const { refresh_token: _rotated, ...answer } = tokenAnswer(state, pair)
    return json(200, answer)
  }
  rec.used = true
  return json(200, tokenAnswer(state, pair))
}
