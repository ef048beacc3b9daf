/**
 * A shop's connection state, read from its stored tokens and the connection facts the plugin
 * records in its metadata (key CONNECTION_METADATA_KEY; never a secret).
 */
import {
  CONNECTION_METADATA_KEY,
  type ConnectionState,
  type TokenSource,
} from "./shop-types"

/** The connection facts recorded in a shop's metadata (ISO date-times; see CONNECTION_METADATA_KEY). */
export type ConnectionFacts = {
  refreshed_at?: string
  rejected_at?: string
  rejected_reason?: string
  rejected_version?: number
  last_source?: TokenSource
  /** When the tokens were deleted because the shop's client_id changed (switchAppIfVersionSql). */
  tokens_cleared_at?: string
  /** Why they were deleted: the LINE Gift app (client_id) changed. */
  tokens_cleared_reason?: "client_id_changed"
}

/**
 * Whether `next` names another LINE Gift app than `stored`: the two client_ids compared
 * trimmed, null and "" alike. `undefined` (the field not sent) changes nothing. Tokens are
 * issued to one app (one client_id), so a different client_id means the stored tokens are
 * not this app's; a new client_secret alone (the same app's secret rotated) keeps them.
 */
export function clientIdChanges(
  stored: string | null | undefined,
  next: string | null | undefined
): boolean {
  if (next === undefined) return false
  return (stored ?? "").trim() !== (next ?? "").trim()
}

/** The stored token facts `connectionStateOf` reads (a shop record fits). */
export type ConnectionInput = {
  refresh_token_encrypted: string | null
  refresh_token_expires_at: Date | null
  token_version: number
  metadata?: unknown
}

/** The connection facts recorded in a shop's metadata (see CONNECTION_METADATA_KEY); {} when none. */
export function connectionFactsOf(shop: {
  metadata?: unknown
}): ConnectionFacts {
  const meta = shop.metadata
  if (!meta || typeof meta !== "object") return {}
  const facts = (meta as Record<string, unknown>)[CONNECTION_METADATA_KEY]
  return facts && typeof facts === "object" ? (facts as ConnectionFacts) : {}
}

/**
 * Connection state of a stored shop at `now` (see PublicShop.connection_state). A rejection
 * counts only while the rejected token version is still the stored one.
 */
export function connectionStateOf(
  shop: ConnectionInput,
  now: Date = new Date()
): { state: ConnectionState; problem: string | null } {
  const facts = connectionFactsOf(shop)
  if (
    facts.rejected_at &&
    facts.rejected_version === (shop.token_version ?? 0)
  ) {
    return {
      state: "needs_reauthorization",
      problem: facts.rejected_reason ?? "invalid_grant",
    }
  }
  if (!shop.refresh_token_encrypted)
    return { state: "not_connected", problem: null }
  if (
    shop.refresh_token_expires_at &&
    new Date(shop.refresh_token_expires_at) <= now
  ) {
    return { state: "expired", problem: null }
  }
  return { state: "connected", problem: null }
}
