/**
 * The one Medusa JS SDK instance of the plugin's admin code: same origin as the admin, session
 * (cookie) auth — the admin's own login — so every /admin/line-gift/* call carries the
 * merchant's session and nothing else.
 */
import Medusa from "@medusajs/js-sdk"

export const sdk = new Medusa({
  baseUrl: (typeof __BACKEND_URL__ !== "undefined" && __BACKEND_URL__) || "/",
  auth: { type: "session" },
})
