/**
 * `npm run rotate-key` — re-encrypts every stored LINE Gift secret (client_secret, access and
 * refresh tokens) from the previous encryption key to the new one, in one database
 * transaction (all or nothing). Run with Medusa's CLI, so it uses the store's database:
 *
 *   LINE_GIFT_ENCRYPTION_KEY_OLD=<previous key> LINE_GIFT_ENCRYPTION_KEY=<new key> \
 *     npx medusa exec ./scripts/rotate-encryption-key.ts
 *
 * The new key is the plugin option `encryptionKey` when the store sets it, else
 * LINE_GIFT_ENCRYPTION_KEY. Running it twice is harmless (values already on the new key are
 * left as they are). Pending OAuth authorisations are cancelled (their state is signed with a
 * key derived from the encryption key): start them again. Prints counts only, never a key or
 * a secret. See docs/security.md.
 */
import type { ExecArgs } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { ENCRYPTION_KEY_ENV, parseEncryptionKey } from "../src/lib/crypto"
import { LINE_GIFT_MODULE } from "../src/modules/line-gift"
import { OLD_ENCRYPTION_KEY_ENV } from "../src/modules/line-gift/loaders/check-encryption-key"
import type LineGiftModuleService from "../src/modules/line-gift/service"

/**
 * The rotation (the default export is what `medusa exec` runs).
 * @returns counts of shops and values re-encrypted
 * @throws Error when a key is missing or malformed, when both keys are the same, or when a
 *   stored value decrypts with neither key (nothing is changed then).
 */
export default async function rotateEncryptionKey({ container }: ExecArgs) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
  const rawOld = process.env[OLD_ENCRYPTION_KEY_ENV]
  const rawNew =
    service.getOptions().encryptionKey ?? process.env[ENCRYPTION_KEY_ENV]
  if (!rawOld) {
    throw new Error(
      `${OLD_ENCRYPTION_KEY_ENV} is not set: set it to the key the secrets are stored with now.`
    )
  }
  const oldKey = parseEncryptionKey(rawOld)
  const newKey = parseEncryptionKey(rawNew)
  if (oldKey.equals(newKey)) {
    throw new Error(
      `${OLD_ENCRYPTION_KEY_ENV} and ${ENCRYPTION_KEY_ENV} are the same key: nothing to rotate.`
    )
  }
  const result = await service.reencryptSecrets(oldKey, newKey)
  logger.info(
    `LINE Gift key rotation: ${result.reencrypted} secret(s) of ${result.shops} shop(s) re-encrypted ` +
      `with the new key` +
      (result.already_new ? `, ${result.already_new} already on it` : "") +
      `. Keep ${ENCRYPTION_KEY_ENV} set to the new key and remove ${OLD_ENCRYPTION_KEY_ENV}.`
  )
  return result
}
