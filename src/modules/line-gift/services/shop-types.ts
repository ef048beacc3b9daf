/**
 * The shapes the line-gift module's service takes and returns for shops: merchant input, the
 * public (secret-free) shop, decrypted credentials, token pairs to store, and the error of a
 * lost compare-and-set. Re-exported by service.ts (callers import them from there).
 */
import { MedusaError } from "@medusajs/framework/utils"

/** Defaults of a new shop's import settings (src/lib/shop-defaults.ts, shared with the admin). */
export {
  DEFAULT_FETCH_DAYS,
  DEFAULT_FETCH_INTERVAL_MINUTES,
  DEFAULT_FETCH_STATUSES,
} from "../../../lib/shop-defaults"

/** Shop fields a merchant may set. `client_secret` is plaintext in, encrypted at rest. */
export type ShopInput = {
  name?: string
  api_enabled?: boolean
  client_id?: string | null
  /** Plaintext; `null` clears it; `undefined` leaves it as is. Never put into workflow input: use `client_secret_encrypted`. */
  client_secret?: string | null
  /** Already sealed by `sealSecret` (what workflows carry, issue 15 item 5b); `null` clears it. */
  client_secret_encrypted?: string | null
  fetch_statuses?: string[]
  fetch_days?: number
  auto_fetch_mode?: "off" | "interval" | "schedule"
  fetch_interval_minutes?: number
  fetch_window_start_hour?: number | null
  fetch_window_end_hour?: number | null
  fetch_schedules?: Array<{ weekdays: number[]; time: string }> | null
  provisional_import?: boolean
  export_scope?: "fulfilled" | "shipped"
  auto_export?: boolean
  carrier_map?: Record<string, string> | null
  default_carrier?: string | null
  region_id?: string | null
  sales_channel_id?: string | null
  shipping_option_id?: string | null
  settings?: Record<string, unknown> | null
  metadata?: Record<string, unknown> | null
}

/**
 * The fields of ShopInput that name the shop's LINE Gift app: client_id and its secret. Saved
 * apart from the other settings (`updateShopApp`): another client_id deletes the tokens of the
 * old app.
 */
export type ShopAppInput = Pick<
  ShopInput,
  "client_id" | "client_secret" | "client_secret_encrypted"
>

/** A shop as the admin API shows it: no secret, only whether each one is set. */
export type PublicShop = {
  id: string
  name: string
  api_enabled: boolean
  client_id: string | null
  client_secret_set: boolean
  access_token_set: boolean
  access_token_expires_at: Date | null
  refresh_token_set: boolean
  refresh_token_expires_at: Date | null
  fetch_statuses: string[]
  fetch_days: number
  region_id: string | null
  sales_channel_id: string | null
  shipping_option_id: string | null
  last_fetched_at: Date | null
  auto_fetch_mode: "off" | "interval" | "schedule"
  fetch_interval_minutes: number
  fetch_window_start_hour: number | null
  fetch_window_end_hour: number | null
  fetch_schedules: Array<{ weekdays: number[]; time: string }>
  next_fetch_at: Date | null
  provisional_import: boolean
  export_scope: "fulfilled" | "shipped"
  auto_export: boolean
  carrier_map: Record<string, string>
  default_carrier: string | null
  settings: Record<string, unknown>
  /**
   * Honest connection state (issue 11 item 4): `not_connected` (no refresh token — never
   * authorised, or the client_id changed and the old app's tokens were deleted),
   * `needs_reauthorization` (LINE Gift rejected the refresh token: `invalid_grant`),
   * `expired` (the refresh token's expiry has passed), `connected`.
   */
  connection_state: ConnectionState
  /** Why the shop needs re-authorisation (LINE Gift's answer, no secret), else null. */
  connection_problem: string | null
  /** When the tokens were last written (refresh, OAuth, manual entry), else null. */
  tokens_refreshed_at: Date | null
  created_at: Date
  updated_at: Date
}

/** See PublicShop.connection_state. */
export type ConnectionState =
  "not_connected" | "connected" | "needs_reauthorization" | "expired"

/**
 * Key in the shop's `metadata` holding the connection facts the plugin records (no secret):
 * `{ refreshed_at?: ISO, rejected_at?: ISO, rejected_reason?: string, rejected_version?: number,
 *    last_source?: "oauth"|"refresh"|"manual_code"|"manual_refresh_token",
 *    tokens_cleared_at?: ISO, tokens_cleared_reason?: "client_id_changed" }`.
 */
export const CONNECTION_METADATA_KEY = "line_gift_connection"

/** Where a token write comes from (recorded, shown in the admin). */
export type TokenSource =
  "oauth" | "refresh" | "manual_code" | "manual_refresh_token"

/**
 * Thrown by `saveTokensIfVersion` when the shop's `token_version` is no longer the one the
 * writer read: another writer (a re-authorisation, a manual entry, another refresh) won.
 */
export class TokenVersionConflictError extends MedusaError {
  constructor(shopId: string) {
    super(
      MedusaError.Types.CONFLICT,
      `LINE Gift shop ${shopId}: its tokens changed while this token write was in flight (re-authorised or refreshed elsewhere); this write was dropped so the newer pair stays.`
    )
  }
}

/** Decrypted credentials of one shop. Internal only: never returned by a route, never logged. */
export type ShopCredentials = {
  clientId: string
  clientSecret: string
  accessToken: string | null
  refreshToken: string | null
  tokenVersion: number
  accessTokenExpiresAt: Date | null
  refreshTokenExpiresAt: Date | null
  /** Set when LINE Gift rejected the stored refresh token (invalid_grant) and nothing replaced it since. */
  rejectedReason: string | null
  /** When the tokens were last written (null: unknown). */
  refreshedAt: Date | null
}

/** Tokens to store (see LineGiftClient's TokenSet). `refreshToken: null` keeps the old one. */
export type TokensToStore = {
  accessToken: string
  accessTokenExpiresAt: Date
  refreshToken: string | null
  refreshTokenExpiresAt: Date | null
}
