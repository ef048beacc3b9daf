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

/**
 * The 32-byte encryption key: `configured` (module option `encryptionKey`), else env
 * LINE_GIFT_ENCRYPTION_KEY.
 * @throws MedusaError INVALID_DATA with instructions when absent or malformed.
 */
export function loadEncryptionKey(configured: string | undefined): Buffer {
  try {
    return parseEncryptionKey(configured ?? process.env[ENCRYPTION_KEY_ENV])
  } catch (e) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, (e as Error).message)
  }
}

/** Encrypts and decrypts shop secrets with the key its owner provides (read on each use). */
export class SecretBox {
  /** @param key returns the module key (the service caches it); throws without one. */
  constructor(private readonly key: () => Buffer) {}

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
