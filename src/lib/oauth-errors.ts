/**
 * The standard OAuth 2.0 error codes LINE Gift's token endpoints and consent page answer with,
 * and the stable reason code the admin API gives a refused token call.
 *
 * Source of the codes: RFC 6749 §5.2 (token endpoint: invalid_request, invalid_client,
 * invalid_grant, unauthorized_client, unsupported_grant_type, invalid_scope) and §4.1.2.1
 * (authorization response: also access_denied, unsupported_response_type, server_error,
 * temporarily_unavailable). How LINE Gift words them (observed, shared/line-gift-api.md and
 * the sandbox): an error body `{code, reason}` whose `reason` starts with the code
 * ("invalid_grant: refresh_token already used", "invalid_client"), or `{error,
 * error_description}`, which the client turns into the reason "error: description"
 * (src/lib/line-gift/failures.ts). Either way the code is the first word of the reason.
 *
 * The API answer of a refused token route carries `code: "line_gift_oauth_<error>"`
 * (`oauthReasonCode`) beside its unchanged, secret-free message (which holds LINE Gift's own
 * description); the admin shows the translated explanation of `<error>` with that message as
 * detail. A reason with no standard code gets no reason code (the message alone, as before).
 *
 * Pure; no imports (the admin bundle uses it as it is).
 */

/** The standard OAuth 2.0 error codes (RFC 6749 §5.2 and §4.1.2.1). Never renamed. */
export const OAUTH_ERROR_CODES = [
  "invalid_request",
  "invalid_client",
  "invalid_grant",
  "unauthorized_client",
  "unsupported_grant_type",
  "unsupported_response_type",
  "invalid_scope",
  "access_denied",
  "server_error",
  "temporarily_unavailable",
] as const
/** One of OAUTH_ERROR_CODES. */
export type OAuthErrorCode = (typeof OAUTH_ERROR_CODES)[number]

/** Prefix of the reason codes in API answers: `line_gift_oauth_invalid_grant`, … */
export const OAUTH_REASON_PREFIX = "line_gift_oauth_"

/** True for one of OAUTH_ERROR_CODES. */
export function isOAuthErrorCode(v: unknown): v is OAuthErrorCode {
  return (
    typeof v === "string" &&
    (OAUTH_ERROR_CODES as readonly string[]).includes(v)
  )
}

/**
 * The OAuth error code LINE Gift's reason text starts with ("invalid_grant: …",
 * "Invalid_Client", "invalid_scope - …"), compared without case; null when the first word is
 * not a standard code (or there is no reason).
 */
export function oauthErrorOfReason(
  reason: string | null | undefined
): OAuthErrorCode | null {
  const first = /^\s*([A-Za-z_]+)/.exec(reason ?? "")
  const word = first ? first[1].toLowerCase() : ""
  return isOAuthErrorCode(word) ? word : null
}

/** The API's reason code of an OAuth error: `line_gift_oauth_<error>`. */
export function oauthReasonCode(error: OAuthErrorCode): string {
  return `${OAUTH_REASON_PREFIX}${error}`
}

/** The OAuth error of an API reason code (`line_gift_oauth_<error>`), else null. */
export function oauthErrorOfReasonCode(code: unknown): OAuthErrorCode | null {
  if (typeof code !== "string" || !code.startsWith(OAUTH_REASON_PREFIX))
    return null
  const error = code.slice(OAUTH_REASON_PREFIX.length)
  return isOAuthErrorCode(error) ? error : null
}
