/**
 * The line-gift module's service: storage of shops (with encrypted secrets), LINE Gift order
 * records (with the atomic claim that makes imports duplicate-free) and sync runs.
 * It knows nothing of HTTP or of LINE Gift's protocol (see src/lib/line-gift).
 */
import {
  InjectManager,
  InjectTransactionManager,
  MedusaContext,
  MedusaError,
  MedusaService,
  generateEntityId,
} from "@medusajs/framework/utils"
import type { Context } from "@medusajs/framework/types"
import {
  EncryptionKeyError,
  ENCRYPTION_KEY_ENV,
  decryptSecret,
  encryptSecret,
  parseEncryptionKey,
} from "../../lib/crypto"
import {
  OAuthStateError,
  createOAuthState,
  stateSigningKey,
  verifyOAuthState,
} from "../../lib/oauth-state"
import { LineGiftShop } from "./models/shop"
import { LineGiftOrder } from "./models/line-gift-order"
import { LineGiftSyncRun } from "./models/sync-run"
import { LineGiftExport } from "./models/export"
import { LineGiftSkuMapping } from "./models/sku-mapping"
import type { LineGiftModuleOptions } from "./options"

/** Default statuses to import: `payment` (発送待ち, ready to ship). */
export const DEFAULT_FETCH_STATUSES = ["payment"]
/** Default window of an import: orders bought in the last 7 days. */
export const DEFAULT_FETCH_DAYS = 7

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
   * Honest connection state (issue 11 item 4): `not_connected` (no refresh token),
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
 *    last_source?: "oauth"|"refresh"|"manual_code"|"manual_refresh_token" }`.
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

type ShopRecord = {
  id: string
  name: string
  api_enabled: boolean
  client_id: string | null
  client_secret_encrypted: string | null
  access_token_encrypted: string | null
  access_token_expires_at: Date | null
  refresh_token_encrypted: string | null
  refresh_token_expires_at: Date | null
  token_version: number
  oauth_state_nonce: string | null
  oauth_state_expires_at: Date | null
  fetch_statuses: unknown
  fetch_days: number
  region_id: string | null
  sales_channel_id: string | null
  shipping_option_id: string | null
  last_fetched_at: Date | null
  auto_fetch_mode: "off" | "interval" | "schedule"
  fetch_interval_minutes: number
  fetch_window_start_hour: number | null
  fetch_window_end_hour: number | null
  fetch_schedules: unknown
  next_fetch_at: Date | null
  provisional_import: boolean
  export_scope: "fulfilled" | "shipped"
  auto_export: boolean
  carrier_map: unknown
  default_carrier: string | null
  settings: Record<string, unknown> | null
  metadata?: Record<string, unknown> | null
  created_at: Date
  updated_at: Date
}

type ConnectionFacts = {
  refreshed_at?: string
  rejected_at?: string
  rejected_reason?: string
  rejected_version?: number
  last_source?: TokenSource
}

/** The connection facts recorded in a shop's metadata (see CONNECTION_METADATA_KEY). */
function connectionFactsOf(shop: { metadata?: unknown }): ConnectionFacts {
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
  shop: {
    refresh_token_encrypted: string | null
    refresh_token_expires_at: Date | null
    token_version: number
    metadata?: unknown
  },
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

type InjectedDependencies = Record<string, unknown>

class LineGiftModuleService extends MedusaService({
  LineGiftShop,
  LineGiftOrder,
  LineGiftSyncRun,
  LineGiftExport,
  LineGiftSkuMapping,
}) {
  protected readonly options_: LineGiftModuleOptions
  private key_: Buffer | null | undefined

  constructor(
    container: InjectedDependencies,
    options: LineGiftModuleOptions = {}
  ) {
    // eslint-disable-next-line prefer-rest-params
    super(...arguments)
    this.options_ = options ?? {}
  }

  /** The plugin options this module was registered with (jobs/subscribers get `{}` otherwise). */
  getOptions(): LineGiftModuleOptions {
    return this.options_
  }

  /**
   * The 32-byte encryption key (option `encryptionKey`, else env LINE_GIFT_ENCRYPTION_KEY).
   * @throws MedusaError INVALID_DATA with instructions when absent or malformed.
   */
  protected getKey(): Buffer {
    if (this.key_) {
      return this.key_
    }
    try {
      this.key_ = parseEncryptionKey(
        this.options_.encryptionKey ?? process.env[ENCRYPTION_KEY_ENV]
      )
      return this.key_
    } catch (e) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        (e as Error).message
      )
    }
  }

  protected encrypt(value: string): string {
    return encryptSecret(value, this.getKey())
  }

  /**
   * Encrypts a secret for storage (AES-256-GCM with the plugin key) BEFORE it enters a
   * workflow, so that workflow input — which the workflow engine may store (in its
   * `workflow_execution` table, Redis, retention) — never holds it in clear.
   * @throws MedusaError INVALID_DATA without encryption key.
   */
  sealSecret(value: string): string {
    return this.encrypt(value)
  }

  protected decrypt(value: string | null): string | null {
    if (value === null || value === undefined) {
      return null
    }
    try {
      return decryptSecret(value, this.getKey())
    } catch (e) {
      if (e instanceof EncryptionKeyError) {
        throw new MedusaError(MedusaError.Types.INVALID_DATA, e.message)
      }
      throw e
    }
  }

  /** Turns merchant input into stored columns (encrypting the secret). */
  protected toColumns(input: ShopInput): Record<string, unknown> {
    const { client_secret, client_secret_encrypted, ...rest } = input
    const data: Record<string, unknown> = { ...rest }
    if (client_secret_encrypted !== undefined) {
      if (client_secret_encrypted !== null)
        this.decrypt(client_secret_encrypted) // must be sealed with our key
      data.client_secret_encrypted = client_secret_encrypted || null
    }
    if (client_secret !== undefined) {
      data.client_secret_encrypted =
        client_secret === null || client_secret === ""
          ? null
          : this.encrypt(client_secret)
    }
    return data
  }

  /**
   * Creates a shop. Defaults: api_enabled true, statuses ["payment"], 7 days.
   * @throws MedusaError INVALID_DATA when a client_secret is given but no key is configured.
   */
  async createShop(input: ShopInput & { name: string }): Promise<PublicShop> {
    const created = (await this.createLineGiftShops({
      fetch_statuses: DEFAULT_FETCH_STATUSES,
      fetch_days: DEFAULT_FETCH_DAYS,
      ...this.toColumns(input),
    } as any)) as unknown as ShopRecord
    return this.toPublicShop(created)
  }

  /**
   * Updates a shop. Changing client_id or client_secret does not touch the tokens: the
   * merchant re-authorises when the app changed.
   * @throws MedusaError NOT_FOUND for an unknown id; INVALID_DATA as in createShop.
   */
  async updateShop(id: string, input: ShopInput): Promise<PublicShop> {
    await this.retrieveLineGiftShop(id)
    const updated = (await this.updateLineGiftShops({
      id,
      ...this.toColumns(input),
    } as any)) as unknown as ShopRecord
    return this.toPublicShop(updated)
  }

  /** Reads one shop in its public form. @throws MedusaError NOT_FOUND */
  async retrievePublicShop(id: string): Promise<PublicShop> {
    const shop = (await this.retrieveLineGiftShop(id)) as unknown as ShopRecord
    return this.toPublicShop(shop)
  }

  /** Lists shops in their public form, oldest first. */
  async listPublicShops(
    filters: Record<string, unknown> = {}
  ): Promise<PublicShop[]> {
    const shops = (await this.listLineGiftShops(filters, {
      order: { created_at: "ASC" },
    })) as unknown as ShopRecord[]
    return shops.map((s) => this.toPublicShop(s))
  }

  /** Strips every secret; says which ones are set. */
  toPublicShop(shop: ShopRecord): PublicShop {
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
      auto_fetch_mode: shop.auto_fetch_mode ?? "off",
      fetch_interval_minutes: shop.fetch_interval_minutes ?? 30,
      fetch_window_start_hour: shop.fetch_window_start_hour ?? null,
      fetch_window_end_hour: shop.fetch_window_end_hour ?? null,
      fetch_schedules: Array.isArray(shop.fetch_schedules)
        ? (shop.fetch_schedules as any)
        : [],
      next_fetch_at: shop.next_fetch_at ?? null,
      provisional_import: !!shop.provisional_import,
      export_scope: shop.export_scope ?? "fulfilled",
      auto_export: shop.auto_export ?? true,
      carrier_map:
        shop.carrier_map && typeof shop.carrier_map === "object"
          ? (shop.carrier_map as any)
          : {},
      default_carrier: shop.default_carrier ?? null,
      settings: shop.settings ?? {},
      ...(() => {
        const c = connectionStateOf(shop)
        const facts = connectionFactsOf(shop)
        return {
          connection_state: c.state,
          connection_problem: c.problem,
          tokens_refreshed_at: facts.refreshed_at
            ? new Date(facts.refreshed_at)
            : null,
        }
      })(),
      created_at: shop.created_at,
      updated_at: shop.updated_at,
    }
  }

  /**
   * Decrypted credentials of a shop, for building a LINE Gift client.
   * @throws MedusaError NOT_ALLOWED when client_id / client_secret are not set.
   */
  async getShopCredentials(id: string): Promise<ShopCredentials> {
    const shop = (await this.retrieveLineGiftShop(id)) as unknown as ShopRecord
    if (!shop.client_id || !shop.client_secret_encrypted) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `LINE Gift shop "${shop.name}" has no client_id / client_secret yet: enter them in Settings → LINE Gift.`
      )
    }
    return {
      clientId: shop.client_id,
      clientSecret: this.decrypt(shop.client_secret_encrypted)!,
      accessToken: this.decrypt(shop.access_token_encrypted),
      refreshToken: this.decrypt(shop.refresh_token_encrypted),
      tokenVersion: shop.token_version ?? 0,
      accessTokenExpiresAt: shop.access_token_expires_at
        ? new Date(shop.access_token_expires_at)
        : null,
      refreshTokenExpiresAt: shop.refresh_token_expires_at
        ? new Date(shop.refresh_token_expires_at)
        : null,
      rejectedReason:
        connectionStateOf(shop).state === "needs_reauthorization"
          ? (connectionFactsOf(shop).rejected_reason ?? "invalid_grant")
          : null,
      refreshedAt: connectionFactsOf(shop).refreshed_at
        ? new Date(connectionFactsOf(shop).refreshed_at!)
        : null,
    }
  }

  /**
   * Stores a new token pair (encrypted) unconditionally against the version stored now.
   * For seeding tests and scripts only: the plugin's own token writes go through
   * `saveTokensIfVersion` under the shop's token lock.
   */
  async saveTokens(id: string, tokens: TokensToStore): Promise<void> {
    const shop = (await this.retrieveLineGiftShop(id)) as unknown as ShopRecord
    await this.saveTokensIfVersion(
      id,
      shop.token_version ?? 0,
      tokens,
      "manual_refresh_token"
    )
  }

  /**
   * Compare-and-set of a shop's tokens (issue 15 item 3): stores the pair (encrypted) and
   * bumps `token_version` ONLY if the stored version is still `expectedVersion` (the one the
   * writer read under the token lock). A null refresh token keeps the stored one. Clears a
   * recorded rejection and records `refreshed_at` = `now` and the source.
   * @throws TokenVersionConflictError when another write happened since `expectedVersion`
   *   (nothing is written); MedusaError NOT_FOUND for an unknown shop.
   * @returns the new token_version
   */
  @InjectManager()
  async saveTokensIfVersion(
    id: string,
    expectedVersion: number,
    tokens: TokensToStore,
    source: TokenSource,
    now: Date = new Date(),
    @MedusaContext() sharedContext: Context = {}
  ): Promise<number> {
    const manager = sharedContext.manager as any
    const facts: ConnectionFacts = {
      refreshed_at: now.toISOString(),
      last_source: source,
    }
    const access = this.encrypt(tokens.accessToken)
    const refresh = tokens.refreshToken
      ? this.encrypt(tokens.refreshToken)
      : null
    const rows = await manager.execute(
      `UPDATE line_gift_shop SET
         access_token_encrypted = ?, access_token_expires_at = ?,
         refresh_token_encrypted = COALESCE(?, refresh_token_encrypted),
         refresh_token_expires_at = CASE WHEN ?::text IS NULL THEN refresh_token_expires_at ELSE ?::timestamptz END,
         token_version = token_version + 1,
         metadata = jsonb_set(COALESCE(metadata, '{}'::jsonb), '{${CONNECTION_METADATA_KEY}}', ?::jsonb),
         updated_at = now()
       WHERE id = ? AND deleted_at IS NULL AND token_version = ?
       RETURNING token_version`,
      [
        access,
        tokens.accessTokenExpiresAt,
        refresh,
        refresh,
        tokens.refreshTokenExpiresAt,
        JSON.stringify(facts),
        id,
        expectedVersion,
      ]
    )
    if (!rows.length) {
      await this.retrieveLineGiftShop(id)
      throw new TokenVersionConflictError(id)
    }
    return Number(rows[0].token_version)
  }

  /**
   * Records that LINE Gift rejected the refresh token of version `rejectedVersion`
   * (`invalid_grant`): the shop shows "needs re-authorisation" until a new pair is stored.
   * Does nothing when the stored version moved on meanwhile (a newer pair is not rejected).
   * @param reason LINE Gift's answer, already free of secrets.
   * @returns true when recorded.
   */
  @InjectManager()
  async markRefreshRejected(
    id: string,
    rejectedVersion: number,
    reason: string,
    now: Date = new Date(),
    @MedusaContext() sharedContext: Context = {}
  ): Promise<boolean> {
    const manager = sharedContext.manager as any
    const rows = await manager.execute(
      `UPDATE line_gift_shop SET
         metadata = jsonb_set(COALESCE(metadata, '{}'::jsonb), '{${CONNECTION_METADATA_KEY}}',
           COALESCE(metadata->'${CONNECTION_METADATA_KEY}', '{}'::jsonb) || ?::jsonb),
         updated_at = now()
       WHERE id = ? AND deleted_at IS NULL AND token_version = ?
       RETURNING id`,
      [
        JSON.stringify({
          rejected_at: now.toISOString(),
          rejected_reason: reason.slice(0, 300),
          rejected_version: rejectedVersion,
        }),
        id,
        rejectedVersion,
      ]
    )
    return rows.length > 0
  }

  /**
   * Claims the "notified" mark of one alert condition of a shop (key `line_gift_alerts` in
   * the shop's metadata), atomically: true for exactly one caller until `clearAlert`.
   */
  @InjectManager()
  async claimAlert(
    id: string,
    condition: string,
    now: Date = new Date(),
    @MedusaContext() sharedContext: Context = {}
  ): Promise<boolean> {
    const manager = sharedContext.manager as any
    const rows = await manager.execute(
      `UPDATE line_gift_shop SET
         metadata = jsonb_set(COALESCE(metadata, '{}'::jsonb), '{line_gift_alerts}',
           COALESCE(metadata->'line_gift_alerts', '{}'::jsonb) || jsonb_build_object(?::text, jsonb_build_object('since', ?::text)))
       WHERE id = ? AND deleted_at IS NULL
         AND (metadata->'line_gift_alerts'->?::text) IS NULL
       RETURNING id`,
      [condition, now.toISOString(), id, condition]
    )
    return rows.length > 0
  }

  /** Clears the "notified" mark of an alert condition (it cleared). @returns true when one was set. */
  @InjectManager()
  async clearAlert(
    id: string,
    condition: string,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<boolean> {
    const manager = sharedContext.manager as any
    const rows = await manager.execute(
      `UPDATE line_gift_shop SET metadata = jsonb_set(metadata, '{line_gift_alerts}', (metadata->'line_gift_alerts') - ?::text)
       WHERE id = ? AND (metadata->'line_gift_alerts'->?::text) IS NOT NULL
       RETURNING id`,
      [condition, id, condition]
    )
    return rows.length > 0
  }

  /**
   * Starts an authorisation: makes a signed, single-use state (10 minutes) and stores its
   * nonce on the shop (a newer start replaces an older pending one).
   * @returns the `state` to put in the authorize URL.
   * @throws MedusaError NOT_FOUND for an unknown shop; INVALID_DATA without encryption key.
   */
  async startOAuthState(id: string): Promise<string> {
    await this.retrieveLineGiftShop(id)
    const { state, nonce, expiresAt } = createOAuthState(
      id,
      stateSigningKey(this.getKey())
    )
    await this.updateLineGiftShops({
      id,
      oauth_state_nonce: nonce,
      oauth_state_expires_at: expiresAt,
    } as any)
    return state
  }

  /**
   * Verifies and consumes a state from the OAuth callback (signature, expiry, single use).
   * @returns the shop id it was made for.
   * @throws MedusaError NOT_ALLOWED with a merchant-readable reason.
   */
  async consumeOAuthStateToken(state: string): Promise<string> {
    let verified: { shopId: string; nonce: string }
    try {
      verified = verifyOAuthState(state, stateSigningKey(this.getKey()))
    } catch (e) {
      if (e instanceof OAuthStateError) {
        throw new MedusaError(MedusaError.Types.NOT_ALLOWED, e.message)
      }
      throw e
    }
    const ok = await this.consumeOAuthState(verified.shopId, verified.nonce)
    if (!ok) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        "This authorisation was already used or replaced by a newer one; start it again."
      )
    }
    return verified.shopId
  }

  /**
   * Consumes the pending OAuth state: true when `nonce` is the pending one and not expired;
   * either way the pending state is cleared (single use).
   */
  @InjectManager()
  async consumeOAuthState(
    id: string,
    nonce: string,
    now: Date = new Date(),
    @MedusaContext() sharedContext: Context = {}
  ): Promise<boolean> {
    const manager = sharedContext.manager as any
    const rows = await manager.execute(
      `UPDATE line_gift_shop SET oauth_state_nonce = NULL, oauth_state_expires_at = NULL, updated_at = now()
       WHERE id = ? AND oauth_state_nonce = ? AND oauth_state_expires_at > ? RETURNING id`,
      [id, nonce, now]
    )
    if (rows.length) {
      return true
    }
    await manager.execute(
      `UPDATE line_gift_shop SET oauth_state_nonce = NULL, oauth_state_expires_at = NULL WHERE id = ?`,
      [id]
    )
    return false
  }

  /**
   * Atomically claims a LINE Gift order for import. Creates the record (state `importing`),
   * or takes over a `failed` or `seen` one. Two importers racing for the same order: exactly one wins.
   * @returns the record id when this caller won; null when it is already imported or being
   *   imported by someone else.
   */
  @InjectManager()
  async claimOrder(
    data: {
      shop_id: string
      line_gift_order_id: string
      line_gift_status: string | null
      raw: unknown
      run_id: string | null
      bought_at?: Date | null
    },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<string | null> {
    const manager = sharedContext.manager as any
    const rows = await manager.execute(
      `INSERT INTO line_gift_order
         (id, shop_id, line_gift_order_id, line_gift_status, raw, state, last_run_id, bought_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?::jsonb, 'importing', ?, ?, now(), now())
       ON CONFLICT (shop_id, line_gift_order_id) DO UPDATE SET
         state = 'importing', failure_reason = NULL, deleted_at = NULL,
         bought_at = COALESCE(EXCLUDED.bought_at, line_gift_order.bought_at),
         line_gift_status = EXCLUDED.line_gift_status, raw = EXCLUDED.raw,
         last_run_id = EXCLUDED.last_run_id, updated_at = now()
       WHERE line_gift_order.state IN ('failed', 'seen')
       RETURNING id`,
      [
        generateEntityId(undefined, "lgord"),
        data.shop_id,
        data.line_gift_order_id,
        data.line_gift_status,
        JSON.stringify(data.raw ?? null),
        data.run_id,
        data.bought_at ?? null,
      ]
    )
    return rows[0]?.id ?? null
  }

  /**
   * claimOrder for many orders of one shop in ONE statement (the bulk import's page): the
   * same rule per row (new, `failed` or `seen` → ours; `importing`/`imported` → not).
   * Rows are written in line_gift_order_id order, so two runs claiming overlapping pages
   * wait for each other instead of deadlocking; an id given twice is claimed once.
   * @returns LINE Gift order id → record id, for the orders this caller won.
   */
  @InjectManager()
  async claimOrders(
    shopId: string,
    runId: string | null,
    orders: Array<{
      line_gift_order_id: string
      line_gift_status: string | null
      raw: unknown
      bought_at?: Date | null
    }>,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<Map<string, string>> {
    const won = new Map<string, string>()
    const unique = [
      ...new Map(orders.map((o) => [o.line_gift_order_id, o])).values(),
    ].sort((a, b) => (a.line_gift_order_id < b.line_gift_order_id ? -1 : 1))
    if (!unique.length) return won
    const manager = sharedContext.manager as {
      execute(
        sql: string,
        params: unknown[]
      ): Promise<Array<Record<string, string>>>
    }
    const rows = await manager.execute(
      `INSERT INTO line_gift_order
         (id, shop_id, line_gift_order_id, line_gift_status, raw, state, last_run_id, bought_at, created_at, updated_at)
       VALUES ${unique.map(() => "(?, ?, ?, ?, ?::jsonb, 'importing', ?, ?::timestamptz, now(), now())").join(", ")}
       ON CONFLICT (shop_id, line_gift_order_id) DO UPDATE SET
         state = 'importing', failure_reason = NULL, deleted_at = NULL,
         bought_at = COALESCE(EXCLUDED.bought_at, line_gift_order.bought_at),
         line_gift_status = EXCLUDED.line_gift_status, raw = EXCLUDED.raw,
         last_run_id = EXCLUDED.last_run_id, updated_at = now()
       WHERE line_gift_order.state IN ('failed', 'seen')
       RETURNING id, line_gift_order_id`,
      unique.flatMap((o) => [
        generateEntityId(undefined, "lgord"),
        shopId,
        o.line_gift_order_id,
        o.line_gift_status,
        JSON.stringify(o.raw ?? null),
        runId,
        o.bought_at ?? null,
      ])
    )
    for (const r of rows) won.set(r.line_gift_order_id, r.id)
    return won
  }

  /**
   * Records an order that cannot be imported (e.g. malformed) without claiming it: creates a
   * `failed` record, or updates an existing `failed` one; never touches imported or
   * importing records.
   */
  @InjectManager()
  async recordUnimportable(
    data: {
      shop_id: string
      line_gift_order_id: string
      line_gift_status: string | null
      raw: unknown
      reason: string
      run_id: string | null
    },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<void> {
    const manager = sharedContext.manager as any
    await manager.execute(
      `INSERT INTO line_gift_order
         (id, shop_id, line_gift_order_id, line_gift_status, raw, state, failure_reason, last_run_id, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?::jsonb, 'failed', ?, ?, now(), now())
       ON CONFLICT (shop_id, line_gift_order_id) DO UPDATE SET
         failure_reason = EXCLUDED.failure_reason, raw = EXCLUDED.raw,
         line_gift_status = EXCLUDED.line_gift_status, last_run_id = EXCLUDED.last_run_id,
         updated_at = now()
       WHERE line_gift_order.state = 'failed'`,
      [
        generateEntityId(undefined, "lgord"),
        data.shop_id,
        data.line_gift_order_id,
        data.line_gift_status,
        JSON.stringify(data.raw ?? null),
        data.reason,
        data.run_id,
      ]
    )
  }

  /**
   * LINE Gift codes (variation.code, else item.code) of imported orders flagged `unknown_sku`,
   * grouped, with the names LINE Gift shows and the number of orders; most frequent first.
   */
  @InjectManager()
  async listUnknownSkus(
    shopId: string,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<
    Array<{
      code: string
      item_name: string | null
      variation_name: string | null
      orders_count: number
    }>
  > {
    const manager = sharedContext.manager as any
    const rows = await manager.execute(
      `SELECT COALESCE(raw->'variation'->>'code', raw->'item'->>'code') AS code,
              max(raw->'item'->>'name') AS item_name,
              max(raw->'variation'->>'name') AS variation_name,
              count(*)::int AS orders_count
         FROM line_gift_order
        WHERE shop_id = ? AND deleted_at IS NULL AND flags @> '["unknown_sku"]'::jsonb
        GROUP BY 1
        HAVING COALESCE(max(raw->'variation'->>'code'), max(raw->'item'->>'code')) IS NOT NULL
        ORDER BY orders_count DESC, code ASC`,
      [shopId]
    )
    return rows.map((r: any) => ({
      code: r.code,
      item_name: r.item_name ?? null,
      variation_name: r.variation_name ?? null,
      orders_count: Number(r.orders_count),
    }))
  }

  /** Existing records of these LINE Gift order ids of one shop (id → state). */
  async getOrderStates(
    shopId: string,
    lineGiftOrderIds: string[]
  ): Promise<
    Map<string, { id: string; state: string; line_gift_status: string | null }>
  > {
    const map = new Map<
      string,
      { id: string; state: string; line_gift_status: string | null }
    >()
    if (!lineGiftOrderIds.length) {
      return map
    }
    const records = (await this.listLineGiftOrders(
      { shop_id: shopId, line_gift_order_id: lineGiftOrderIds },
      { select: ["id", "line_gift_order_id", "state", "line_gift_status"] }
    )) as unknown as Array<{
      id: string
      line_gift_order_id: string
      state: string
      line_gift_status: string | null
    }>
    for (const r of records) {
      map.set(r.line_gift_order_id, {
        id: r.id,
        state: r.state,
        line_gift_status: r.line_gift_status,
      })
    }
    return map
  }

  // ---------------------------------------------------------------- hardening (issue 6)

  /**
   * Re-encrypts every stored secret (client_secret, access and refresh tokens) of every shop,
   * soft-deleted ones included, from `oldKey` to `newKey`, in ONE transaction: either every
   * value is re-encrypted or none is. A value that already decrypts with `newKey` (a rotation
   * run twice, or interrupted before its commit) is left as is. Pending OAuth authorisations
   * are cancelled, because their `state` is signed with a key derived from the encryption key.
   * @param oldKey / newKey 32 bytes each (see parseEncryptionKey)
   * @returns how many shops and values were re-encrypted, and how many were already on newKey
   * @throws MedusaError INVALID_DATA naming the shop and column of a value that neither key
   *   decrypts (never the value); nothing is changed then.
   */
  @InjectTransactionManager()
  async reencryptSecrets(
    oldKey: Buffer,
    newKey: Buffer,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<{ shops: number; reencrypted: number; already_new: number }> {
    const manager = sharedContext.transactionManager as any
    const rows: Array<Record<string, string | null>> = await manager.execute(
      `SELECT id, client_secret_encrypted, access_token_encrypted, refresh_token_encrypted
         FROM line_gift_shop
        WHERE client_secret_encrypted IS NOT NULL OR access_token_encrypted IS NOT NULL
           OR refresh_token_encrypted IS NOT NULL
        ORDER BY id
        FOR UPDATE`
    )
    const columns = [
      "client_secret_encrypted",
      "access_token_encrypted",
      "refresh_token_encrypted",
    ]
    let shops = 0
    let reencrypted = 0
    let alreadyNew = 0
    for (const row of rows) {
      const next: Record<string, string | null> = {}
      for (const column of columns) {
        const stored = row[column]
        if (!stored) {
          next[column] = null
          continue
        }
        let plain: string
        try {
          plain = decryptSecret(stored, oldKey)
        } catch {
          try {
            decryptSecret(stored, newKey)
            next[column] = stored
            alreadyNew++
            continue
          } catch {
            throw new MedusaError(
              MedusaError.Types.INVALID_DATA,
              `LINE Gift shop ${row.id}: ${column.replace(/_encrypted$/, "")} decrypts with neither the old nor the new key; ` +
                `nothing was re-encrypted. Check LINE_GIFT_ENCRYPTION_KEY_OLD, or clear that shop's secret and re-enter it.`
            )
          }
        }
        next[column] = encryptSecret(plain, newKey)
        reencrypted++
      }
      await manager.execute(
        `UPDATE line_gift_shop
            SET client_secret_encrypted = ?, access_token_encrypted = ?, refresh_token_encrypted = ?,
                oauth_state_nonce = NULL, oauth_state_expires_at = NULL, updated_at = now()
          WHERE id = ?`,
        [
          next.client_secret_encrypted,
          next.access_token_encrypted,
          next.refresh_token_encrypted,
          row.id,
        ]
      )
      shops++
    }
    // This instance may have cached the old key.
    this.key_ = undefined
    return { shops, reencrypted, already_new: alreadyNew }
  }

  /**
   * Records left in state `importing` by an import that died (process killed, crash) before
   * marking them imported or failed: claimed longer than `leaseMs` ago.
   * @param leaseMs how long a live import may hold a claim (see importLeaseMs)
   * @returns id, LINE Gift order id and claim time (`updated_at`) of each, oldest first
   */
  async listInterruptedImports(
    shopId: string,
    leaseMs: number,
    now: Date = new Date()
  ): Promise<
    Array<{ id: string; line_gift_order_id: string; claimed_at: Date }>
  > {
    const records = (await this.listLineGiftOrders(
      {
        shop_id: shopId,
        state: "importing",
        updated_at: { $lt: new Date(now.getTime() - leaseMs) },
      } as any,
      {
        select: ["id", "line_gift_order_id", "updated_at"],
        order: { updated_at: "ASC" },
      }
    )) as unknown as Array<{
      id: string
      line_gift_order_id: string
      updated_at: Date
    }>
    return records.map((r) => ({
      id: r.id,
      line_gift_order_id: r.line_gift_order_id,
      claimed_at: new Date(r.updated_at),
    }))
  }

  /**
   * Takes over an interrupted claim: atomically renews the lease of a record still in
   * `importing` whose claim is older than `leaseMs`. Two recoverers racing: one wins.
   * @returns the time of the interrupted claim (the old `updated_at`) when this caller won,
   *   else null (imported meanwhile, or taken over by someone else).
   */
  @InjectManager()
  async takeOverInterruptedImport(
    recordId: string,
    leaseMs: number,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<Date | null> {
    const manager = sharedContext.manager as any
    const rows = await manager.execute(
      `UPDATE line_gift_order AS r SET updated_at = now()
         FROM (SELECT id, updated_at FROM line_gift_order WHERE id = ? FOR UPDATE) AS old
        WHERE r.id = old.id AND r.state = 'importing' AND r.updated_at < now() - (? * interval '1 millisecond')
        RETURNING old.updated_at AS claimed_at`,
      [recordId, leaseMs]
    )
    return rows[0]?.claimed_at ? new Date(rows[0].claimed_at) : null
  }
}

export default LineGiftModuleService
export { EncryptionKeyError }
