/**
 * The module's encryption key and what is done with it: AES-256-GCM sealing of shop secrets
 * (src/lib/crypto.ts), errors turned into MedusaErrors a merchant can act on.
 */
import { MedusaError } from "@medusajs/framework/utils"
import {
  EncryptionKeyError,
  ENCRYPTION_KEY_ENV,
  decryptSecret,
  encryptSecret,
  parseEncryptionKey,
} from "../../../lib/crypto"

/** Encrypts and decrypts shop secrets with the plugin key (read once, then cached). */
export class SecretBox {
  private key_: Buffer | null | undefined

  /** @param configuredKey the module option `encryptionKey` (else env LINE_GIFT_ENCRYPTION_KEY is read). */
  constructor(private readonly configuredKey: string | undefined) {}

  /**
   * The 32-byte encryption key (option `encryptionKey`, else env LINE_GIFT_ENCRYPTION_KEY).
   * @throws MedusaError INVALID_DATA with instructions when absent or malformed.
   */
  key(): Buffer {
    if (this.key_) {
      return this.key_
    }
    try {
      this.key_ = parseEncryptionKey(
        this.configuredKey ?? process.env[ENCRYPTION_KEY_ENV]
      )
      return this.key_
    } catch (e) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        (e as Error).message
      )
    }
  }

  /** Forgets the cached key (after a key rotation). */
  forget(): void {
    this.key_ = undefined
  }

  /** Seals a secret for storage. @throws MedusaError INVALID_DATA without a usable key. */
  encrypt(value: string): string {
    return encryptSecret(value, this.key())
  }

  /**
   * Opens a stored secret; null stays null.
   * @throws MedusaError INVALID_DATA when it does not open with the key (or there is none).
   */
  decrypt(value: string | null): string | null {
    if (value === null || value === undefined) {
      return null
    }
    try {
      return decryptSecret(value, this.key())
    } catch (e) {
      if (e instanceof EncryptionKeyError) {
        throw new MedusaError(MedusaError.Types.INVALID_DATA, e.message)
      }
      throw e
    }
  }
}
