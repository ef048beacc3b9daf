/**
 * The keep-alive (issue 11 item 3): refreshes each enabled shop's tokens before either can
 * lapse (src/lib/token-keep-alive.ts decides when). Each refresh goes through the shop's
 * token store: token lock + re-read + compare-and-set, so two keep-alives (two instances, or
 * a keep-alive and an import) never refresh the same shop at once — the second sees the new
 * access token under the lock and stops.
 */
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { LINE_GIFT_MODULE } from "../../modules/line-gift"
import type LineGiftModuleService from "../../modules/line-gift/service"
import { keepAliveDue } from "../../lib/token-keep-alive"
import { getLineGiftClient, ShopTokenStore } from "../helpers/line-gift-client"
import { evaluateTokenAlerts } from "../notifications/alerts"
import { safeErrorMessage } from "../../lib/safe-error"

/** Outcome per shop: refreshed, not due, skipped (rejected / not connected) or failed (message). */
export type KeepAliveResult = {
  shop_id: string
  outcome: "refreshed" | "not_due" | "skipped" | "failed"
  reason: string | null
}

/**
 * One keep-alive pass over every shop with API usage on and a refresh token.
 * @param opts.now clock in ms (tests: a fake clock; the client and token store use it too)
 * @returns one result per shop looked at. Never throws for one shop's failure.
 */
export async function runTokenKeepAlive(
  container: MedusaContainer,
  opts: { now?: () => number } = {}
): Promise<KeepAliveResult[]> {
  const now = opts.now ?? Date.now
  const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
  const shops = await service.listPublicShops({ api_enabled: true })
  const results: KeepAliveResult[] = []
  for (const shop of shops) {
    if (!shop.refresh_token_set || !shop.client_secret_set) continue
    if (shop.connection_state === "needs_reauthorization") {
      results.push({
        shop_id: shop.id,
        outcome: "skipped",
        reason: "needs_reauthorization",
      })
      continue
    }
    try {
      const client = await getLineGiftClient(container, shop.id, { now })
      const store = new ShopTokenStore(container, shop.id, now)
      let reason: string | null = null
      // Due-ness is decided under the shop's token lock, on what is stored there: a keep-alive
      // (or any refresher) that just refreshed makes the next one find nothing to do.
      const refreshed = await store.refreshIfDue(
        (creds) => {
          const due = keepAliveDue({
            now: now(),
            refreshedAt: creds.refreshedAt,
            accessTokenExpiresAt: creds.accessTokenExpiresAt,
            refreshTokenExpiresAt: creds.refreshTokenExpiresAt,
          })
          reason = due.reason
          return due.due
        },
        (rt) => client.refreshTokens(rt)
      )
      results.push({
        shop_id: shop.id,
        outcome: refreshed ? "refreshed" : "not_due",
        reason: refreshed ? reason : null,
      })
    } catch (e) {
      const message = safeErrorMessage(e)
      results.push({ shop_id: shop.id, outcome: "failed", reason: message })
      try {
        container
          .resolve(ContainerRegistrationKeys.LOGGER)
          .warn(`LINE Gift keep-alive of shop ${shop.id} failed: ${message}`)
      } catch {
        // no logger
      }
    }
    try {
      await evaluateTokenAlerts(container, shop.id, new Date(now()))
    } catch {
      // alerts never fail the keep-alive
    }
  }
  return results
}
