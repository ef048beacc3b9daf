/**
 * The one Medusa JS SDK instance of the plugin's admin code: same origin as the admin, session
 * (cookie) auth — the admin's own login — so every /admin/line-gift/* call carries the
 * merchant's session and nothing else.
 */
import Medusa from "@medusajs/js-sdk"

const BACKEND_URL =
  (typeof __BACKEND_URL__ !== "undefined" && __BACKEND_URL__) || "/"

export const sdk = new Medusa({
  baseUrl: BACKEND_URL,
  auth: { type: "session" },
})

/**
 * A refused admin API call with the answer's `code` kept: Medusa's own (`invalid_state_error`,
 * …) or the plugin's reason code (`line_gift_oauth_invalid_grant`, src/lib/oauth-errors.ts).
 */
export class AdminApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | undefined
  ) {
    super(message)
    this.name = "AdminApiError"
  }
}

/**
 * POST to the admin API as `sdk.client.fetch` does (same backend URL, JSON, the admin's
 * session cookie), but a refused call keeps the answer's `code`: the SDK's FetchError keeps
 * only the message and the status.
 * @param path e.g. `/admin/line-gift/shops/:id/credentials`.
 * @returns the answer's JSON.
 * @throws AdminApiError for an answer that is not 2xx (message: the answer's `message`, else
 *   the status text); whatever `fetch` throws (network).
 */
export async function postKeepingCode<T>(
  path: string,
  body: Record<string, unknown> = {}
): Promise<T> {
  const res = await fetch(`${BACKEND_URL.replace(/\/$/, "")}${path}`, {
    method: "POST",
    credentials: "include",
    headers: {
      accept: "application/json",
      "content-type": "application/json",
    },
    body: JSON.stringify(body),
  })
  const answer: unknown = await res.json().catch(() => ({}))
  if (res.ok) return answer as T
  const fields =
    answer && typeof answer === "object"
      ? (answer as { message?: unknown; code?: unknown })
      : {}
  throw new AdminApiError(
    typeof fields.message === "string" && fields.message
      ? fields.message
      : res.statusText,
    res.status,
    typeof fields.code === "string" ? fields.code : undefined
  )
}
