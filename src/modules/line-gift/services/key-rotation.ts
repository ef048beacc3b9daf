/**
 * Key rotation of the module's stored secrets: every shop's client secret and tokens
 * re-encrypted from the old key to the new one, in the caller's transaction.
 */
import { MedusaError } from "@medusajs/framework/utils"
import { decryptSecret, encryptSecret } from "../../../lib/crypto"
import { sqlRows, type SqlRunner } from "./sql"

/** The encrypted columns of `line_gift_shop`. */
const SECRET_COLUMNS = [
  "client_secret_encrypted",
  "access_token_encrypted",
  "refresh_token_encrypted",
] as const

type SecretColumn = (typeof SECRET_COLUMNS)[number]

type SecretRow = { id: string } & Record<SecretColumn, string | null>

/** What a rotation did: shops written, values re-encrypted, values already on the new key. */
export type ReencryptResult = {
  shops: number
  reencrypted: number
  already_new: number
}

/**
 * One stored value on the new key: re-encrypted from the old key, or left as is when it
 * already opens with the new one.
 * @throws MedusaError INVALID_DATA naming shop and column (never the value) when neither opens it.
 */
function rekeyValue(
  stored: string,
  keys: { oldKey: Buffer; newKey: Buffer },
  where: { shopId: string; column: SecretColumn }
): { value: string; reencrypted: boolean } {
  let plain: string
  try {
    plain = decryptSecret(stored, keys.oldKey)
  } catch {
    try {
      decryptSecret(stored, keys.newKey)
      return { value: stored, reencrypted: false }
    } catch {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `LINE Gift shop ${where.shopId}: ${where.column.replace(/_encrypted$/, "")} decrypts with neither the old nor the new key; ` +
          `nothing was re-encrypted. Check LINE_GIFT_ENCRYPTION_KEY_OLD, or clear that shop's secret and re-enter it.`
      )
    }
  }
  return { value: encryptSecret(plain, keys.newKey), reencrypted: true }
}

/**
 * Re-encrypts every stored secret of every shop (soft-deleted ones included) from `oldKey` to
 * `newKey` (see LineGiftModuleService.reencryptSecrets for the rules). Run it inside ONE
 * transaction (`manager` is the transaction manager): the rows are locked FOR UPDATE.
 * @throws MedusaError INVALID_DATA naming the shop and column of a value neither key opens.
 */
export async function reencryptShopSecrets(
  manager: SqlRunner,
  oldKey: Buffer,
  newKey: Buffer
): Promise<ReencryptResult> {
  const rows = await sqlRows<SecretRow>(
    manager,
    `SELECT id, client_secret_encrypted, access_token_encrypted, refresh_token_encrypted
         FROM line_gift_shop
        WHERE client_secret_encrypted IS NOT NULL OR access_token_encrypted IS NOT NULL
           OR refresh_token_encrypted IS NOT NULL
        ORDER BY id
        FOR UPDATE`
  )

  let shops = 0
  let reencrypted = 0
  let alreadyNew = 0
  for (const row of rows) {
    const next: Record<SecretColumn, string | null> = {
      client_secret_encrypted: null,
      access_token_encrypted: null,
      refresh_token_encrypted: null,
    }
    for (const column of SECRET_COLUMNS) {
      const stored = row[column]
      if (!stored) {
        next[column] = null
        continue
      }
      const done = rekeyValue(
        stored,
        { oldKey, newKey },
        { shopId: row.id, column }
      )
      next[column] = done.value
      if (done.reencrypted) reencrypted++
      else alreadyNew++
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
  return { shops, reencrypted, already_new: alreadyNew }
}
