/**
 * Atomic writes on a shop row, each one SQL statement so that racing writers cannot both
 * win: the tokens' compare-and-set on `token_version` (a new pair, or the switch to another
 * app that deletes them), the refresh-token rejection mark, the alert claims, the single-use
 * OAuth state. Secrets arrive here already encrypted.
 */
import { CONNECTION_METADATA_KEY } from "./shop-types"
import type { ConnectionFacts } from "./connection"
import { sqlRows, type SqlRunner } from "./sql"

/** An encrypted token pair to store (see TokensToStore); `refreshToken: null` keeps the stored one. */
export type SealedTokens = {
  accessToken: string
  accessTokenExpiresAt: Date
  refreshToken: string | null
  refreshTokenExpiresAt: Date | null
}

/**
 * Stores a sealed token pair and bumps `token_version` only if the stored version is still
 * `expectedVersion`; records `facts` as the shop's connection facts (clearing a rejection).
 * @returns the new token_version, or null when the version moved on (or the shop is gone:
 *   nothing written).
 */
export async function saveTokensIfVersionSql(
  manager: SqlRunner,
  id: string,
  expectedVersion: number,
  tokens: SealedTokens,
  facts: ConnectionFacts
): Promise<number | null> {
  const rows = await sqlRows<{ token_version: number | string }>(
    manager,
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
      tokens.accessToken,
      tokens.accessTokenExpiresAt,
      tokens.refreshToken,
      tokens.refreshToken,
      tokens.refreshTokenExpiresAt,
      JSON.stringify(facts),
      id,
      expectedVersion,
    ]
  )
  return rows.length ? Number(rows[0].token_version) : null
}

/** The new LINE Gift app of a shop (see switchAppIfVersionSql); the secret already sealed. */
export type SealedApp = {
  clientId: string | null
  /** `undefined` keeps the stored secret; null clears it. */
  clientSecretEncrypted?: string | null
}

/**
 * Switches a shop to another LINE Gift app, in ONE statement and only if the stored
 * `token_version` is still `expectedVersion`: stores the new client_id (and the secret, when
 * given), deletes the tokens the old app issued (access and refresh token and their
 * expiries) and the pending OAuth authorisation (started with the old app), bumps
 * `token_version` — so a token write that read the old version (a refresh in flight with the
 * old app) fails its own compare-and-set and cannot put the old app's tokens back — and
 * replaces the connection facts with `facts` (a recorded rejection goes with the tokens).
 * @returns the new token_version, or null when the version moved on (or the shop is gone:
 *   nothing written).
 */
export async function switchAppIfVersionSql(
  manager: SqlRunner,
  id: string,
  expectedVersion: number,
  app: SealedApp,
  facts: ConnectionFacts
): Promise<number | null> {
  const rows = await sqlRows<{ token_version: number | string }>(
    manager,
    `UPDATE line_gift_shop SET
         client_id = ?,
         client_secret_encrypted = CASE WHEN ?::boolean THEN ?::text ELSE client_secret_encrypted END,
         access_token_encrypted = NULL, access_token_expires_at = NULL,
         refresh_token_encrypted = NULL, refresh_token_expires_at = NULL,
         oauth_state_nonce = NULL, oauth_state_expires_at = NULL,
         token_version = token_version + 1,
         metadata = jsonb_set(COALESCE(metadata, '{}'::jsonb), '{${CONNECTION_METADATA_KEY}}', ?::jsonb),
         updated_at = now()
       WHERE id = ? AND deleted_at IS NULL AND token_version = ?
       RETURNING token_version`,
    [
      app.clientId,
      app.clientSecretEncrypted !== undefined,
      app.clientSecretEncrypted ?? null,
      JSON.stringify(facts),
      id,
      expectedVersion,
    ]
  )
  return rows.length ? Number(rows[0].token_version) : null
}

/**
 * Marks the refresh token of version `rejectedVersion` as rejected (reason cut to 300
 * characters), unless the stored version moved on. @returns true when recorded.
 */
export async function markRefreshRejectedSql(
  manager: SqlRunner,
  id: string,
  rejectedVersion: number,
  reason: string,
  now: Date
): Promise<boolean> {
  const rows = await sqlRows<{ id: string }>(
    manager,
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

/** Sets `metadata.line_gift_alerts.<condition>` if unset. @returns true for the one caller that set it. */
export async function claimAlertSql(
  manager: SqlRunner,
  id: string,
  condition: string,
  now: Date
): Promise<boolean> {
  const rows = await sqlRows<{ id: string }>(
    manager,
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

/** Removes `metadata.line_gift_alerts.<condition>`. @returns true when one was set. */
export async function clearAlertSql(
  manager: SqlRunner,
  id: string,
  condition: string
): Promise<boolean> {
  const rows = await sqlRows<{ id: string }>(
    manager,
    `UPDATE line_gift_shop SET metadata = jsonb_set(metadata, '{line_gift_alerts}', (metadata->'line_gift_alerts') - ?::text)
       WHERE id = ? AND (metadata->'line_gift_alerts'->?::text) IS NOT NULL
       RETURNING id`,
    [condition, id, condition]
  )
  return rows.length > 0
}

/**
 * Consumes the pending OAuth state: true when `nonce` is the pending one and not expired at
 * `now`; either way the pending state is cleared (single use).
 */
export async function consumeOAuthStateSql(
  manager: SqlRunner,
  id: string,
  nonce: string,
  now: Date
): Promise<boolean> {
  const rows = await sqlRows<{ id: string }>(
    manager,
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
