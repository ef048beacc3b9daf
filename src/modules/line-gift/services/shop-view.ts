/**
 * Shop records in and out: merchant input → stored columns (the client secret sealed), a
 * stored shop → its public form (no secret) or its decrypted credentials.
 */
import { MedusaError } from "@medusajs/framework/utils"
import type { LineGiftShopRecord } from "../types"
import { connectionFactsOf, connectionStateOf } from "./connection"
import {
  DEFAULT_FETCH_DAYS,
  DEFAULT_FETCH_INTERVAL_MINUTES,
  DEFAULT_FETCH_STATUSES,
  type PublicShop,
  type ShopAppInput,
  type ShopCredentials,
  type ShopInput,
} from "./shop-types"
import { jsonColumn } from "../json-column"

/** Stored columns of a shop from merchant input: ShopInput without the plaintext secret. */
export type ShopColumns = Omit<
  ShopInput,
  "client_secret" | "client_secret_encrypted"
> & { client_secret_encrypted?: string | null }

/** ShopColumns as the generated create/update methods take them (arrays typed as json). */
export type WritableShopColumns = Omit<
  ShopColumns,
  "fetch_statuses" | "fetch_schedules"
> & {
  fetch_statuses?: Record<string, unknown>
  fetch_schedules?: Record<string, unknown> | null
}

/** ShopColumns → WritableShopColumns (same values; see jsonColumn). */
export function writableColumns(columns: ShopColumns): WritableShopColumns {
  const { fetch_statuses, fetch_schedules, ...rest } = columns
  return {
    ...rest,
    ...(fetch_statuses !== undefined
      ? { fetch_statuses: jsonColumn(fetch_statuses) }
      : {}),
    ...(fetch_schedules !== undefined
      ? {
          fetch_schedules:
            fetch_schedules === null ? null : jsonColumn(fetch_schedules),
        }
      : {}),
  }
}

/**
 * Splits merchant input into the other settings and the app fields (ShopAppInput: client_id,
 * client_secret, client_secret_encrypted), which are saved apart (`updateShopApp`). A field
 * not in `input` is in neither part.
 */
export function splitAppInput(input: ShopInput): {
  settings: ShopInput
  app: ShopAppInput
} {
  const { client_id, client_secret, client_secret_encrypted, ...settings } =
    input
  const app: ShopAppInput = {}
  if (client_id !== undefined) app.client_id = client_id
  if (client_secret !== undefined) app.client_secret = client_secret
  if (client_secret_encrypted !== undefined)
    app.client_secret_encrypted = client_secret_encrypted
  return { settings, app }
}

/** Encrypts / decrypts with the module's key (see SecretBox). */
export type Sealer = {
  encrypt(value: string): string
  decrypt(value: string | null): string | null
}

/**
 * Turns merchant input into stored columns: a plaintext `client_secret` is encrypted (empty or
 * null clears it); an already sealed one is checked to open with our key.
 * @throws MedusaError INVALID_DATA without a usable key, or for a value sealed with another key.
 */
export function shopColumns(input: ShopInput, sealer: Sealer): ShopColumns {
  const { client_secret, client_secret_encrypted, ...rest } = input
  const data: ShopColumns = { ...rest }
  if (client_secret_encrypted !== undefined) {
    if (client_secret_encrypted !== null)
      sealer.decrypt(client_secret_encrypted) // must be sealed with our key
    data.client_secret_encrypted = client_secret_encrypted || null
  }
  if (client_secret !== undefined) {
    data.client_secret_encrypted =
      client_secret === null || client_secret === ""
        ? null
        : sealer.encrypt(client_secret)
  }
  return data
}

/** A stored shop as `toPublicShop` reads it (a full record fits; soft-delete time not needed). */
export type StoredShop = Omit<LineGiftShopRecord, "deleted_at">

/** `value` when it is one of `allowed`, else `fallback` (stored enums are typed as text). */
function oneOf<T extends string>(
  value: string | null | undefined,
  allowed: readonly T[],
  fallback: T
): T {
  return allowed.find((a) => a === value) ?? fallback
}

/** The fetch schedules stored on a shop ([] when none). */
function schedulesOf(value: unknown): PublicShop["fetch_schedules"] {
  return Array.isArray(value) ? (value as PublicShop["fetch_schedules"]) : []
}

/** The carrier map stored on a shop ({} when none). */
function carrierMapOf(value: unknown): Record<string, string> {
  return value && typeof value === "object"
    ? (value as Record<string, string>)
    : {}
}

/** Connection state, problem and last token write of a stored shop (no secret). */
function connectionOf(
  shop: StoredShop
): Pick<
  PublicShop,
  "connection_state" | "connection_problem" | "tokens_refreshed_at"
> {
  const c = connectionStateOf(shop)
  const facts = connectionFactsOf(shop)
  return {
    connection_state: c.state,
    connection_problem: c.problem,
    tokens_refreshed_at: facts.refreshed_at
      ? new Date(facts.refreshed_at)
      : null,
  }
}

/** Strips every secret of a stored shop; says which ones are set; fills defaults. */
export function toPublicShop(shop: StoredShop): PublicShop {
  const statuses = Array.isArray(shop.fetch_statuses)
    ? (shop.fetch_statuses as string[])
    : DEFAULT_FETCH_STATUSES
  return {
    id: shop.id,
    name: shop.name,
    api_enabled: shop.api_enabled,
    client_id: shop.client_id,
    client_secret_set: !!shop.client_secret_encrypted,
    access_token_set: !!shop.access_token_encrypted,
    access_token_expires_at: shop.access_token_expires_at,
    refresh_token_set: !!shop.refresh_token_encrypted,
    refresh_token_expires_at: shop.refresh_token_expires_at,
    fetch_statuses: statuses,
    fetch_days: shop.fetch_days ?? DEFAULT_FETCH_DAYS,
    region_id: shop.region_id,
    sales_channel_id: shop.sales_channel_id,
    shipping_option_id: shop.shipping_option_id,
    last_fetched_at: shop.last_fetched_at,
    auto_fetch_mode: oneOf(
      shop.auto_fetch_mode,
      ["off", "interval", "schedule"],
      "off"
    ),
    fetch_interval_minutes:
      shop.fetch_interval_minutes ?? DEFAULT_FETCH_INTERVAL_MINUTES,
    fetch_window_start_hour: shop.fetch_window_start_hour ?? null,
    fetch_window_end_hour: shop.fetch_window_end_hour ?? null,
    fetch_schedules: schedulesOf(shop.fetch_schedules),
    next_fetch_at: shop.next_fetch_at ?? null,
    provisional_import: !!shop.provisional_import,
    export_scope: oneOf(
      shop.export_scope,
      ["fulfilled", "shipped"],
      "fulfilled"
    ),
    auto_export: shop.auto_export ?? true,
    carrier_map: carrierMapOf(shop.carrier_map),
    default_carrier: shop.default_carrier ?? null,
    settings: shop.settings ?? {},
    ...connectionOf(shop),
    created_at: shop.created_at,
    updated_at: shop.updated_at,
  }
}

/**
 * Decrypted credentials of a stored shop, for building a LINE Gift client.
 * @throws MedusaError NOT_ALLOWED when client_id / client_secret are not set; INVALID_DATA
 *   when a secret does not open with the key.
 */
export function credentialsOf(
  shop: StoredShop,
  sealer: Sealer
): ShopCredentials {
  if (!shop.client_id || !shop.client_secret_encrypted) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `LINE Gift shop "${shop.name}" has no client_id / client_secret yet: enter them in Settings → LINE Gift.`
    )
  }
  const facts = connectionFactsOf(shop)
  return {
    clientId: shop.client_id,
    clientSecret: sealer.decrypt(shop.client_secret_encrypted)!,
    accessToken: sealer.decrypt(shop.access_token_encrypted),
    refreshToken: sealer.decrypt(shop.refresh_token_encrypted),
    tokenVersion: shop.token_version ?? 0,
    accessTokenExpiresAt: shop.access_token_expires_at
      ? new Date(shop.access_token_expires_at)
      : null,
    refreshTokenExpiresAt: shop.refresh_token_expires_at
      ? new Date(shop.refresh_token_expires_at)
      : null,
    rejectedReason:
      connectionStateOf(shop).state === "needs_reauthorization"
        ? (facts.rejected_reason ?? "invalid_grant")
        : null,
    refreshedAt: facts.refreshed_at ? new Date(facts.refreshed_at) : null,
  }
}
