/**
 * The line-gift module's service: storage of shops (with encrypted secrets), LINE Gift order
 * records (with the atomic claim that makes imports duplicate-free) and sync runs.
 * It knows nothing of HTTP or of LINE Gift's protocol (see src/lib/line-gift).
 *
 * One class (Medusa generates the CRUD methods of every model from `MedusaService({...})`);
 * its own methods are thin and delegate by concern to `services/`: shop views and columns
 * (`shop-view.ts`), the key and sealing (`secret-box.ts`, `key-rotation.ts`), atomic shop
 * writes — tokens by compare-and-set, alerts, OAuth state (`shop-sql.ts`) — and order
 * records (`order-records.ts`). Methods that run SQL get their manager from Medusa's
 * `@InjectManager` / `@InjectTransactionManager` and pass it down.
 */
import {
  InjectManager,
  InjectTransactionManager,
  MedusaContext,
  MedusaError,
  MedusaService,
} from "@medusajs/framework/utils"
import type { Context } from "@medusajs/framework/types"
import { EncryptionKeyError } from "../../lib/crypto"
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
import {
  DEFAULT_FETCH_DAYS,
  DEFAULT_FETCH_STATUSES,
  TokenVersionConflictError,
  type PublicShop,
  type ShopAppInput,
  type ShopCredentials,
  type ShopInput,
  type TokenSource,
  type TokensToStore,
} from "./services/shop-types"
import { clientIdChanges, type ConnectionFacts } from "./services/connection"
import { jsonColumn } from "./json-column"
import {
  credentialsOf,
  shopColumns,
  splitAppInput,
  toPublicShop,
  writableColumns,
  type StoredShop,
  type WritableShopColumns,
} from "./services/shop-view"
import { loadEncryptionKey, SecretBox } from "./services/secret-box"
import {
  reencryptShopSecrets,
  type ReencryptResult,
} from "./services/key-rotation"
import {
  claimAlertSql,
  clearAlertSql,
  consumeOAuthStateSql,
  markRefreshRejectedSql,
  saveTokensIfVersionSql,
  switchAppIfVersionSql,
} from "./services/shop-sql"
import {
  claimOrderSql,
  claimOrdersSql,
  touchStatusReadSql,
  finishRecordsSql,
  listPageRecordsSql,
  type PageRecord,
  type FinishRecordsInput,
  type ClaimOrdersItem,
  listUnknownSkusSql,
  recordUnimportableSql,
  takeOverInterruptedImportSql,
  type ClaimOrderInput,
  type UnimportableOrderInput,
  type UnknownSku,
  KEPT_IMPORTING_REASON,
} from "./services/order-records"
import { sqlRunnerOf } from "./services/sql"
import {
  clearExportDueSql,
  deferExportAfterErrorSql,
  deleteUnmarkedExportSql,
  markExportDueSql,
  restoreExportDueSql,
  type ExportDueMark,
  type ExportDueMarkInput,
  type ExportErrorDeferral,
  type ReadDueMark,
} from "./services/export-marks"

export { KEPT_IMPORTING_REASON } from "./services/order-records"
export {
  DEFAULT_FETCH_DAYS,
  DEFAULT_FETCH_STATUSES,
  CONNECTION_METADATA_KEY,
  TokenVersionConflictError,
} from "./services/shop-types"
/** Shapes of the service's shop methods (defined in services/shop-types.ts). */
export type {
  ConnectionState,
  PublicShop,
  ShopAppInput,
  ShopCredentials,
  ShopInput,
  TokenSource,
  TokensToStore,
} from "./services/shop-types"
export { clientIdChanges, connectionStateOf } from "./services/connection"
export { splitAppInput } from "./services/shop-view"

/** The module's container (Medusa passes it; the generated methods use it). */
type InjectedDependencies = Record<string, unknown>

/** An existing record's state, as `getOrderStates` returns it per LINE Gift order id. */
type OrderStateEntry = {
  id: string
  state: string
  line_gift_status: string | null
}

class LineGiftModuleService extends MedusaService({
  LineGiftShop,
  LineGiftOrder,
  LineGiftSyncRun,
  LineGiftExport,
  LineGiftSkuMapping,
}) {
  protected readonly options_: LineGiftModuleOptions
  /** The parsed key, cached (cleared after a key rotation). */
  private key_: Buffer | null | undefined
  private readonly secrets_: SecretBox

  constructor(
    container: InjectedDependencies,
    options: LineGiftModuleOptions = {}
  ) {
    // eslint-disable-next-line prefer-rest-params
    super(...arguments)
    this.options_ = options ?? {}
    this.secrets_ = new SecretBox(() => this.getKey())
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
    // Read on each miss: the options object may change (a key rotation sets the new key).
    this.key_ = loadEncryptionKey(this.options_.encryptionKey)
    return this.key_
  }

  /** Seals a value with the module key. @throws MedusaError INVALID_DATA without key. */
  protected encrypt(value: string): string {
    return this.secrets_.encrypt(value)
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

  /** Opens a stored secret (null stays null). @throws MedusaError INVALID_DATA when it does not open. */
  protected decrypt(value: string | null): string | null {
    return this.secrets_.decrypt(value)
  }

  /** Turns merchant input into stored columns (encrypting the secret). */
  protected toColumns(input: ShopInput): WritableShopColumns {
    return writableColumns(shopColumns(input, this.secrets_))
  }

  // ---------------------------------------------------------------- shops

  /**
   * Creates a shop. Defaults: api_enabled true, statuses ["payment"], 7 days.
   * @throws MedusaError INVALID_DATA when a client_secret is given but no key is configured.
   */
  async createShop(input: ShopInput & { name: string }): Promise<PublicShop> {
    const created = await this.createLineGiftShops({
      fetch_statuses: jsonColumn(DEFAULT_FETCH_STATUSES),
      fetch_days: DEFAULT_FETCH_DAYS,
      ...this.toColumns(input),
      name: input.name,
    })
    return this.toPublicShop(created)
  }

  /**
   * Updates a shop: its settings, then its app (client_id / client_secret) through
   * `updateShopApp` — another client_id deletes the old app's tokens and pending
   * authorisation; a new secret alone keeps them. Token writers hold the shop's token lock
   * (`withShopTokenLock`): a caller that may change the client_id holds it too (the shop
   * workflow does), so the switch waits for a refresh in flight rather than failing it.
   * @throws MedusaError NOT_FOUND for an unknown id; INVALID_DATA as in createShop;
   *   TokenVersionConflictError as in updateShopApp (the settings are then saved, the app not).
   */
  async updateShop(id: string, input: ShopInput): Promise<PublicShop> {
    await this.retrieveLineGiftShop(id)
    const { settings, app } = splitAppInput(input)
    const updated = await this.updateLineGiftShops({
      id,
      ...this.toColumns(settings),
    })
    if (!Object.keys(app).length) {
      return this.toPublicShop(updated)
    }
    return (await this.updateShopApp(id, app)).shop
  }

  /**
   * Saves a shop's LINE Gift app: client_id and/or client_secret (plaintext, or already sealed).
   * - The client_id names another app (`clientIdChanges`: trimmed, null and "" alike): the
   *   tokens were issued to the old app, so in ONE statement by compare-and-set on the
   *   `token_version` read here (switchAppIfVersionSql) the new client_id (and secret) are
   *   stored, the access and refresh tokens, their expiries and the pending OAuth state
   *   deleted, `token_version` bumped (a refresh in flight with the old app then loses its
   *   own compare-and-set and cannot write the old app's tokens back) and the connection
   *   facts replaced by `{ tokens_cleared_at, tokens_cleared_reason: "client_id_changed" }`:
   *   the shop shows `not_connected` until it is authorised again.
   * - Otherwise (same client_id; a rotated secret of the same app) a plain write: tokens kept.
   * The caller should hold the shop's token lock when the client_id may change (see updateShop).
   * @returns the shop (public form) and whether the tokens were deleted.
   * @throws MedusaError NOT_FOUND for an unknown shop; INVALID_DATA as in createShop;
   *   TokenVersionConflictError when a token write landed between the read and the switch
   *   (nothing is written; possible only for a writer without the lock).
   */
  @InjectManager()
  async updateShopApp(
    id: string,
    input: ShopAppInput,
    now: Date = new Date(),
    @MedusaContext() sharedContext: Context = {}
  ): Promise<{ shop: PublicShop; tokens_cleared: boolean }> {
    const stored = await this.retrieveLineGiftShop(id)
    const columns = this.toColumns(input)
    if (!clientIdChanges(stored.client_id, input.client_id)) {
      if (!Object.keys(columns).length) {
        return { shop: this.toPublicShop(stored), tokens_cleared: false }
      }
      const updated = await this.updateLineGiftShops({ id, ...columns })
      return { shop: this.toPublicShop(updated), tokens_cleared: false }
    }
    const version = await switchAppIfVersionSql(
      sqlRunnerOf(sharedContext.manager),
      id,
      stored.token_version ?? 0,
      {
        clientId: columns.client_id ?? null,
        clientSecretEncrypted: columns.client_secret_encrypted,
      },
      {
        tokens_cleared_at: now.toISOString(),
        tokens_cleared_reason: "client_id_changed",
      }
    )
    if (version === null) {
      await this.retrieveLineGiftShop(id)
      throw new TokenVersionConflictError(id)
    }
    return { shop: await this.retrievePublicShop(id), tokens_cleared: true }
  }

  /** Reads one shop in its public form. @throws MedusaError NOT_FOUND */
  async retrievePublicShop(id: string): Promise<PublicShop> {
    return this.toPublicShop(await this.retrieveLineGiftShop(id))
  }

  /** Lists shops in their public form, oldest first. */
  async listPublicShops(
    filters: Record<string, unknown> = {}
  ): Promise<PublicShop[]> {
    const shops = await this.listLineGiftShops(filters, {
      order: { created_at: "ASC" },
    })
    return shops.map((s) => this.toPublicShop(s))
  }

  /** Strips every secret; says which ones are set. */
  toPublicShop(shop: StoredShop): PublicShop {
    return toPublicShop(shop)
  }

  /**
   * Decrypted credentials of a shop, for building a LINE Gift client.
   * @throws MedusaError NOT_ALLOWED when client_id / client_secret are not set.
   */
  async getShopCredentials(id: string): Promise<ShopCredentials> {
    return credentialsOf(await this.retrieveLineGiftShop(id), this.secrets_)
  }

  // ---------------------------------------------------------------- tokens

  /**
   * Stores a new token pair (encrypted) unconditionally against the version stored now.
   * For seeding tests and scripts only: the plugin's own token writes go through
   * `saveTokensIfVersion` under the shop's token lock (this is the same write).
   */
  async saveTokens(id: string, tokens: TokensToStore): Promise<void> {
    const shop = await this.retrieveLineGiftShop(id)
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
    const facts: ConnectionFacts = {
      refreshed_at: now.toISOString(),
      last_source: source,
    }
    const version = await saveTokensIfVersionSql(
      sqlRunnerOf(sharedContext.manager),
      id,
      expectedVersion,
      {
        accessToken: this.encrypt(tokens.accessToken),
        accessTokenExpiresAt: tokens.accessTokenExpiresAt,
        refreshToken: tokens.refreshToken
          ? this.encrypt(tokens.refreshToken)
          : null,
        refreshTokenExpiresAt: tokens.refreshTokenExpiresAt,
      },
      facts
    )
    if (version === null) {
      await this.retrieveLineGiftShop(id)
      throw new TokenVersionConflictError(id)
    }
    return version
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
    return markRefreshRejectedSql(
      sqlRunnerOf(sharedContext.manager),
      id,
      rejectedVersion,
      reason,
      now
    )
  }

  // ---------------------------------------------------------------- alerts

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
    return claimAlertSql(sqlRunnerOf(sharedContext.manager), id, condition, now)
  }

  /** Clears the "notified" mark of an alert condition (it cleared). @returns true when one was set. */
  @InjectManager()
  async clearAlert(
    id: string,
    condition: string,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<boolean> {
    return clearAlertSql(sqlRunnerOf(sharedContext.manager), id, condition)
  }

  // ---------------------------------------------------------------- OAuth state

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
    })
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
    return consumeOAuthStateSql(
      sqlRunnerOf(sharedContext.manager),
      id,
      nonce,
      now
    )
  }

  // ---------------------------------------------------------------- export due marks

  /**
   * Marks the export row of one LINE Gift order due now (a fulfilment event, without the
   * export lock), or creates it as a bare due `pending` row — one statement; nothing but the
   * mark (`due_at`, `mark_seq`) changes on an existing row (services/export-marks.ts).
   */
  @InjectManager()
  async markExportDue(
    input: ExportDueMarkInput,
    now: Date = new Date(),
    @MedusaContext() sharedContext: Context = {}
  ): Promise<ExportDueMark> {
    return markExportDueSql(sqlRunnerOf(sharedContext.manager), input, now)
  }

  /**
   * Clears an export row's due mark by compare-and-set on the `mark_seq` read before the
   * export planned it. @returns true when cleared (false: none, or a later mark stays)
   */
  @InjectManager()
  async clearExportDue(
    id: string,
    markSeq: number,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<boolean> {
    return clearExportDueSql(sqlRunnerOf(sharedContext.manager), id, markSeq)
  }

  /** Puts back a due mark clearExportDue cleared, unless a later mark made the row due again. */
  @InjectManager()
  async restoreExportDue(
    mark: ReadDueMark,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<void> {
    await restoreExportDueSql(sqlRunnerOf(sharedContext.manager), mark)
  }

  /** Deletes an export row an export created, unless an event marked it since. @returns true when deleted */
  @InjectManager()
  async deleteUnmarkedExport(
    id: string,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<boolean> {
    return deleteUnmarkedExportSql(sqlRunnerOf(sharedContext.manager), id)
  }

  /**
   * After an export that threw: `attempts` + 1, the next attempt and the error on a pending or
   * held row, a mark read before the export moved to the next attempt (services/export-marks.ts).
   */
  @InjectManager()
  async deferExportAfterError(
    deferral: ExportErrorDeferral,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<void> {
    await deferExportAfterErrorSql(sqlRunnerOf(sharedContext.manager), deferral)
  }

  // ---------------------------------------------------------------- order records

  /**
   * Atomically claims a LINE Gift order for import. Creates the record (state `importing`),
   * or takes over a `failed` or `seen` one. Two importers racing for the same order: exactly one wins.
   * Refused when another shop of the same LINE Gift app (client_id, deleted shops included)
   * holds the order `importing` or `imported` (HELD_BY_SAME_APP, services/order-records.ts).
   * @returns the record id when this caller won; null when it is already imported or being
   *   imported by someone else (this shop or another of its app).
   */
  @InjectManager()
  async claimOrder(
    data: ClaimOrderInput,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<string | null> {
    return claimOrderSql(sqlRunnerOf(sharedContext.manager), data)
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
    orders: ClaimOrdersItem[],
    @MedusaContext() sharedContext: Context = {}
  ): Promise<Map<string, string>> {
    return claimOrdersSql(
      sqlRunnerOf(sharedContext.manager),
      shopId,
      runId,
      orders
    )
  }

  /**
   * Notes that LINE Gift still reports the same status for these records: `status_read_at`
   * = `readAt` in ONE statement (the no-change re-fetch of a known backlog must not load and
   * rewrite every record; a status that changed goes through updateLineGiftOrders instead).
   */
  @InjectManager()
  async touchStatusRead(
    ids: string[],
    readAt: Date,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<void> {
    await touchStatusReadSql(sqlRunnerOf(sharedContext.manager), ids, readAt)
  }

  /**
   * The shop's live records of these LINE Gift order ids with what an import run classifies
   * by (state, last status read, provisional, flags, attention reason), in one statement.
   */
  @InjectManager()
  async listPageRecords(
    shopId: string,
    lineGiftOrderIds: string[],
    @MedusaContext() sharedContext: Context = {}
  ): Promise<PageRecord[]> {
    return listPageRecordsSql(
      sqlRunnerOf(sharedContext.manager),
      shopId,
      lineGiftOrderIds
    )
  }

  /**
   * The end of a bulk import page, in one statement: records `imported` (flags, imported_at =
   * `at`) or `failed` (failure_reason), by record id (see finishRecordsSql).
   * @returns the number of records written
   */
  @InjectManager()
  async finishRecords(
    input: FinishRecordsInput,
    at: Date,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<number> {
    return finishRecordsSql(sqlRunnerOf(sharedContext.manager), input, at)
  }

  /**
   * Records an order that cannot be imported (e.g. malformed) without claiming it: creates a
   * `failed` record, or updates an existing `failed` one; never touches imported or
   * importing records.
   */
  @InjectManager()
  async recordUnimportable(
    data: UnimportableOrderInput,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<void> {
    await recordUnimportableSql(sqlRunnerOf(sharedContext.manager), data)
  }

  /**
   * LINE Gift codes (variation.code, else item.code) of imported orders flagged `unknown_sku`,
   * grouped, with the names LINE Gift shows and the number of orders; most frequent first.
   */
  @InjectManager()
  async listUnknownSkus(
    shopId: string,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<UnknownSku[]> {
    return listUnknownSkusSql(sqlRunnerOf(sharedContext.manager), shopId)
  }

  /** Existing records of these LINE Gift order ids of one shop (id → state). */
  async getOrderStates(
    shopId: string,
    lineGiftOrderIds: string[]
  ): Promise<Map<string, OrderStateEntry>> {
    const map = new Map<string, OrderStateEntry>()
    if (!lineGiftOrderIds.length) {
      return map
    }
    const records = await this.listLineGiftOrders(
      { shop_id: shopId, line_gift_order_id: lineGiftOrderIds },
      { select: ["id", "line_gift_order_id", "state", "line_gift_status"] }
    )
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
  ): Promise<ReencryptResult> {
    const result = await reencryptShopSecrets(
      sqlRunnerOf(sharedContext.transactionManager),
      oldKey,
      newKey
    )
    // This instance may have cached the old key.
    this.key_ = undefined
    return result
  }

  /**
   * Records left in state `importing` by an import that died (process killed, crash) before
   * marking them imported or failed: claimed longer than `leaseMs` ago; and those their
   * rollback kept (KEPT_IMPORTING_REASON), whatever their age.
   * @param leaseMs how long a live import may hold a claim (see importLeaseMs)
   * @param recordIds only these records (all of the shop when omitted)
   * @returns id, LINE Gift order id and claim time (`updated_at`) of each, oldest first
   */
  async listInterruptedImports(
    shopId: string,
    leaseMs: number,
    now: Date = new Date(),
    recordIds?: string[]
  ): Promise<
    Array<{ id: string; line_gift_order_id: string; claimed_at: Date }>
  > {
    const records = await this.listLineGiftOrders(
      {
        shop_id: shopId,
        state: "importing",
        $or: [
          { updated_at: { $lt: new Date(now.getTime() - leaseMs) } },
          { failure_reason: KEPT_IMPORTING_REASON },
        ],
        ...(recordIds ? { id: recordIds } : {}),
      },
      {
        select: ["id", "line_gift_order_id", "updated_at"],
        order: { updated_at: "ASC" },
      }
    )
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
    return takeOverInterruptedImportSql(
      sqlRunnerOf(sharedContext.manager),
      recordId,
      leaseMs
    )
  }
}

/** The service class Medusa instantiates for the module (see index.ts). */
export default LineGiftModuleService
export { EncryptionKeyError }
