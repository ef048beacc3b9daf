/**
 * Start-up check of the encryption key (module loader). LINE Gift secrets (client_secret,
 * tokens) are stored encrypted with the key from the plugin option `encryptionKey`, else env
 * LINE_GIFT_ENCRYPTION_KEY (see docs/security.md):
 * - secrets stored and the key missing, malformed or not the one they were encrypted with →
 *   start-up is refused with a message saying what to do (otherwise every import, export and
 *   token refresh would fail later, one by one);
 * - the key decrypts nothing but LINE_GIFT_ENCRYPTION_KEY_OLD does → a rotation is pending:
 *   start, and warn to run `npm run rotate-key`;
 * - no secret stored yet → start; warn when there is no valid key (a shop cannot be
 *   connected until there is one).
 * Never prints a key or a secret.
 */
import type { LoaderOptions } from "@medusajs/framework/types"
import {
  ENCRYPTION_KEY_ENV,
  decryptSecret,
  parseEncryptionKey,
} from "../../../lib/crypto"
import type { LineGiftModuleOptions } from "../options"
import { sqlRows, type SqlRunner } from "../services/sql"

/** Environment variable holding the previous key during a rotation. */
export const OLD_ENCRYPTION_KEY_ENV = "LINE_GIFT_ENCRYPTION_KEY_OLD"

/** Facts the decision needs: the configured keys (raw) and a sample of the stored secrets. */
export type KeyCheckInput = {
  rawKey: string | undefined | null
  rawOldKey?: string | undefined | null
  /** Shops (not deleted) holding at least one stored secret. */
  shopsWithSecrets: number
  /** One stored (encrypted) secret, to check the key against; null when none. */
  sample: string | null
}

/** Outcome: start quietly, start with a warning, or refuse to start (message says what to do). */
export type KeyCheckOutcome = {
  level: "ok" | "warn" | "refuse"
  message: string | null
}

const ROTATE_HOW =
  `set ${OLD_ENCRYPTION_KEY_ENV} to the previous key and ${ENCRYPTION_KEY_ENV} to the new one, ` +
  `then run \`npm run rotate-key\` (docs/security.md)`

/** Pure decision of the start-up check (see file comment). Messages never contain a key. */
export function assessEncryptionKey(input: KeyCheckInput): KeyCheckOutcome {
  let key: Buffer | null = null
  let keyProblem: string | null = null
  try {
    key = parseEncryptionKey(input.rawKey)
  } catch (e) {
    keyProblem = (e as Error).message
  }
  if (input.shopsWithSecrets === 0) {
    return keyProblem
      ? {
          level: "warn",
          message: `LINE Gift: no usable encryption key, so no shop can be connected yet. ${keyProblem}`,
        }
      : { level: "ok", message: null }
  }
  const stored = `${input.shopsWithSecrets} LINE Gift shop(s) have stored secrets`
  if (keyProblem) {
    return {
      level: "refuse",
      message:
        `${stored}, but they cannot be read: ${keyProblem} Use the key they were stored with ` +
        `(if it is lost: clear the shops' client_secret in the database and re-enter it, then re-authorise).`,
    }
  }
  if (!input.sample || decrypts(input.sample, key!)) {
    return { level: "ok", message: null }
  }
  let oldKey: Buffer | null
  try {
    oldKey = input.rawOldKey ? parseEncryptionKey(input.rawOldKey) : null
  } catch {
    oldKey = null
  }
  if (oldKey && decrypts(input.sample, oldKey)) {
    return {
      level: "warn",
      message:
        `LINE Gift: the stored secrets are still encrypted with ${OLD_ENCRYPTION_KEY_ENV}; ` +
        `imports and exports fail until they are re-encrypted: run \`npm run rotate-key\` now (docs/security.md).`,
    }
  }
  return {
    level: "refuse",
    message:
      `${stored}, but the configured encryption key (${ENCRYPTION_KEY_ENV} / option encryptionKey) ` +
      `does not decrypt them: it is not the key they were stored with. Restore that key; to change keys, ${ROTATE_HOW}.`,
  }
}

/** Whether `stored` opens with `key`. */
function decrypts(stored: string, key: Buffer): boolean {
  try {
    decryptSecret(stored, key)
    return true
  } catch {
    return false
  }
}

/** SQL of the facts: shops with secrets, and one secret to test the key on. */
export const SECRETS_SAMPLE_SQL = `SELECT count(*)::int AS shops,
  min(COALESCE(client_secret_encrypted, refresh_token_encrypted, access_token_encrypted)) AS sample
  FROM line_gift_shop
 WHERE deleted_at IS NULL
   AND (client_secret_encrypted IS NOT NULL OR access_token_encrypted IS NOT NULL OR refresh_token_encrypted IS NOT NULL)`

/**
 * The module loader. Skipped when Medusa only runs loaders for migrations/sync
 * (`dataLoaderOnly`), and when the table does not exist yet (before the first migration).
 * @throws Error (Medusa refuses to start) in the "refuse" case.
 */
export default async function checkEncryptionKeyLoader({
  container,
  options,
  logger,
  dataLoaderOnly,
}: LoaderOptions<LineGiftModuleOptions>): Promise<void> {
  if (dataLoaderOnly) {
    return
  }
  let facts: { shops: number; sample: string | null }
  try {
    const manager = container.resolve<{ fork(): SqlRunner }>("manager")
    const rows = await sqlRows<{ shops: number | null; sample: string | null }>(
      manager.fork(),
      SECRETS_SAMPLE_SQL
    )
    facts = {
      shops: Number(rows[0]?.shops ?? 0),
      sample: rows[0]?.sample ?? null,
    }
  } catch {
    facts = { shops: 0, sample: null }
  }
  const outcome = assessEncryptionKey({
    rawKey: options?.encryptionKey ?? process.env[ENCRYPTION_KEY_ENV],
    rawOldKey: process.env[OLD_ENCRYPTION_KEY_ENV],
    shopsWithSecrets: facts.shops,
    sample: facts.sample,
  })
  if (outcome.level === "warn") {
    logger?.warn(outcome.message!)
  }
  if (outcome.level === "refuse") {
    throw new Error(outcome.message!)
  }
}
