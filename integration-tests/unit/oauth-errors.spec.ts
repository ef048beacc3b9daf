/**
 * LINE Gift's OAuth refusals → the stable reason code of the token routes' answers
 * (src/lib/oauth-errors.ts, merchantTokenError): each standard code (RFC 6749 §5.2, §4.1.2.1)
 * as LINE Gift words it, and what gets no code.
 */
import { MedusaError } from "@medusajs/framework/utils"
import {
  OAUTH_ERROR_CODES,
  oauthErrorOfReason,
  oauthErrorOfReasonCode,
  oauthReasonCode,
} from "../../src/lib/oauth-errors"
import { LineGiftApiError } from "../../src/lib/line-gift"
import { merchantTokenError } from "../../src/workflows/helpers/line-gift-client"

describe("oauthErrorOfReason", () => {
  it.each(OAUTH_ERROR_CODES.map((c) => [c]))(
    "%s: alone, with LINE Gift's description, in capitals",
    (code) => {
      expect(oauthErrorOfReason(code)).toBe(code)
      expect(oauthErrorOfReason(`${code}: refresh_token already used`)).toBe(
        code
      )
      expect(oauthErrorOfReason(`  ${code.toUpperCase()} - text`)).toBe(code)
    }
  )

  it("no standard code first → null", () => {
    expect(oauthErrorOfReason(undefined)).toBeNull()
    expect(oauthErrorOfReason("")).toBeNull()
    expect(oauthErrorOfReason("invalid access_token")).toBeNull()
    expect(oauthErrorOfReason("sandbox fault: HTTP 503")).toBeNull()
    expect(oauthErrorOfReason("the grant is invalid_grant")).toBeNull()
    expect(oauthErrorOfReason("invalid_grantx: …")).toBeNull()
  })

  it("reason codes round-trip; anything else is no OAuth error", () => {
    for (const c of OAUTH_ERROR_CODES) {
      expect(oauthReasonCode(c)).toBe(`line_gift_oauth_${c}`)
      expect(oauthErrorOfReasonCode(oauthReasonCode(c))).toBe(c)
    }
    expect(oauthErrorOfReasonCode("line_gift_oauth_nonsense")).toBeNull()
    expect(oauthErrorOfReasonCode("invalid_state_error")).toBeNull()
    expect(oauthErrorOfReasonCode(undefined)).toBeNull()
  })
})

describe("merchantTokenError: the reason code beside the unchanged message", () => {
  const apiError = (
    init: Partial<ConstructorParameters<typeof LineGiftApiError>[0]>
  ) =>
    new LineGiftApiError({
      kind: "bad_request",
      endpoint: "refresh",
      message: "LINE Gift refresh failed: HTTP 400 (bad request): x",
      ...init,
    })

  it.each([
    [
      "a dead refresh token (invalid_grant)",
      {
        kind: "invalid_grant" as const,
        reason: "invalid_grant: refresh_token already used",
      },
      "line_gift_oauth_invalid_grant",
      MedusaError.Types.NOT_ALLOWED,
    ],
    [
      "a refresh token recorded as rejected earlier (no reason of LINE Gift's)",
      { kind: "invalid_grant" as const },
      "line_gift_oauth_invalid_grant",
      MedusaError.Types.NOT_ALLOWED,
    ],
    [
      "a wrong client secret (HTTP 401 invalid_client)",
      { kind: "auth" as const, httpStatus: 401, reason: "invalid_client" },
      "line_gift_oauth_invalid_client",
      MedusaError.Types.NOT_ALLOWED,
    ],
    [
      "an {error, error_description} answer of the code exchange",
      {
        endpoint: "token",
        reason: "unauthorized_client: the app may not use this grant",
      },
      "line_gift_oauth_unauthorized_client",
      MedusaError.Types.NOT_ALLOWED,
    ],
    [
      "invalid_request",
      { reason: "invalid_request: code is required" },
      "line_gift_oauth_invalid_request",
      MedusaError.Types.NOT_ALLOWED,
    ],
    [
      "unsupported_grant_type",
      { reason: "unsupported_grant_type: expected refresh_token" },
      "line_gift_oauth_unsupported_grant_type",
      MedusaError.Types.NOT_ALLOWED,
    ],
    [
      "invalid_scope",
      { reason: "invalid_scope" },
      "line_gift_oauth_invalid_scope",
      MedusaError.Types.NOT_ALLOWED,
    ],
    [
      "temporarily_unavailable (HTTP 503: retryable, try again)",
      {
        kind: "server" as const,
        httpStatus: 503,
        reason: "temporarily_unavailable",
      },
      "line_gift_oauth_temporarily_unavailable",
      MedusaError.Types.UNEXPECTED_STATE,
    ],
    [
      "server_error",
      { kind: "server" as const, httpStatus: 500, reason: "server_error" },
      "line_gift_oauth_server_error",
      MedusaError.Types.UNEXPECTED_STATE,
    ],
  ])("%s", (_name, init, code, type) => {
    const e = apiError(init)
    const out = merchantTokenError(e) as MedusaError
    expect(out).toBeInstanceOf(MedusaError)
    expect(out.code).toBe(code)
    expect(out.type).toBe(type)
    expect(out.message.startsWith(e.message)).toBe(true)
  })

  it("no standard code, or not a token call → no reason code (today's message alone)", () => {
    for (const init of [
      { reason: "sandbox fault: HTTP 503", kind: "server" as const },
      { reason: undefined },
      { kind: "network" as const },
      { endpoint: "order_search", reason: "invalid_request: page" },
    ]) {
      const out = merchantTokenError(apiError(init)) as MedusaError
      expect(out.code).toBeUndefined()
    }
    const other = new Error("boom")
    expect(merchantTokenError(other)).toBe(other)
  })
})
