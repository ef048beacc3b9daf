/**
 * What the admin says when LINE Gift refused a token call (pasted code / refresh token,
 * re-acquiring the access token): the API gives the refusal a stable reason code
 * (`line_gift_oauth_<error>`, src/lib/oauth-errors.ts) beside its English, secret-free
 * message; this maps it to a translated explanation and next step (i18n
 * `oauthReasons.<error>.what` / `.next`), with the message kept as detail. An error without
 * such a code (network, LINE Gift's own wording, a validation refusal) is shown as before:
 * its message alone.
 */
import {
  oauthErrorOfReasonCode,
  type OAuthErrorCode,
} from "../../lib/oauth-errors"
import { errorMessage } from "./errors"

/** The OAuth error a refused call's `code` names (see AdminApiError), else null. */
export function oauthErrorOf(e: unknown): OAuthErrorCode | null {
  if (!e || typeof e !== "object" || !("code" in e)) return null
  return oauthErrorOfReasonCode((e as { code: unknown }).code)
}

/** The i18n keys of an OAuth error's explanation and next step. */
export function oauthReasonKeys(error: OAuthErrorCode): {
  what: string
  next: string
} {
  return {
    what: `oauthReasons.${error}.what`,
    next: `oauthReasons.${error}.next`,
  }
}

/**
 * The toast description of a failed token call: "<explanation> <next step>" and, on a new
 * line, "LINE Gift: <the API's message>" when the answer named a standard OAuth error;
 * otherwise the message alone (as before).
 * @param t the "line-gift" namespace's translate function.
 */
export function tokenErrorText(
  e: unknown,
  t: (key: string, options?: Record<string, unknown>) => string
): string {
  const message = errorMessage(e)
  const error = oauthErrorOf(e)
  if (!error) return message
  const keys = oauthReasonKeys(error)
  return `${t(keys.what)} ${t(keys.next)}\n${t("oauthReasons.detail", { message })}`
}
