import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { LINE_GIFT_MODULE } from "../../../../modules/line-gift"
import type LineGiftModuleService from "../../../../modules/line-gift/service"
import { completeLineGiftAuthorization } from "../../../../workflows/tokens/credentials"
import { safeErrorMessage } from "../../../../lib/safe-error"
import {
  oauthErrorOfReason,
  oauthReasonCode,
} from "../../../../lib/oauth-errors"
import { isLineGiftApiError } from "../../../../lib/line-gift"
import { tokenCallReasonCode } from "../../../../workflows/helpers/line-gift-client"

/**
 * Medusa logs every request line (morgan `:url`, i.e. `req.originalUrl`, read when the response
 * ends; default LOG_LEVEL "http"): LINE Gift's authorization code and our state are cut out of
 * it once read, so they never reach a store's log.
 */
function redactRequestLine(req: MedusaRequest): void {
  const redact = (url: string) =>
    url.replace(/([?&](?:code|state)=)[^&#]*/gi, "$1[redacted]")
  req.originalUrl = redact(req.originalUrl)
  req.url = redact(req.url)
}

/**
 * GET /line-gift/oauth/callback?code&state — where LINE Gift's consent page sends the
 * browser back. Public (the browser arrives from LINE Gift), protected by the signed,
 * single-use, 10-minute `state`. Redirects to the admin's LINE Gift settings with
 * `oauth=success` or `oauth=error&reason=…`, plus `reason_code=line_gift_oauth_<error>` when
 * LINE Gift named a standard OAuth error (its `error` parameter, or the code exchange's
 * refusal; src/lib/oauth-errors.ts) — the admin explains it in the merchant's language.
 */
export const GET = async (req: MedusaRequest, res: MedusaResponse) => {
  const service: LineGiftModuleService = req.scope.resolve(LINE_GIFT_MODULE)
  const options = service.getOptions()
  const backend = (
    options.backendUrl ??
    process.env.MEDUSA_BACKEND_URL ??
    "http://localhost:9000"
  ).replace(/\/+$/, "")
  const admin = (options.adminUrl ?? `${backend}/app`).replace(/\/+$/, "")
  const q = { ...(req.query as Record<string, string | undefined>) }
  redactRequestLine(req)
  const back = (params: Record<string, string>) =>
    res.redirect(
      302,
      `${admin}/settings/line-gift?${new URLSearchParams(params).toString()}`
    )

  if (q.error) {
    const error = oauthErrorOfReason(String(q.error))
    return back({
      oauth: "error",
      reason: `LINE Gift answered: ${String(q.error).slice(0, 100)}`,
      ...(error ? { reason_code: oauthReasonCode(error) } : {}),
    })
  }
  if (!q.code || !q.state) {
    return back({
      oauth: "error",
      reason: "The answer from LINE Gift has no code or state.",
    })
  }
  try {
    const shopId = await completeLineGiftAuthorization(req.scope, {
      state: String(q.state),
      code: String(q.code),
    })
    return back({ oauth: "success", shop: shopId })
  } catch (e) {
    const code = isLineGiftApiError(e) ? tokenCallReasonCode(e) : undefined
    return back({
      oauth: "error",
      reason: safeErrorMessage(e).slice(0, 300),
      ...(code ? { reason_code: code } : {}),
    })
  }
}
