/**
 * Encryption at rest for LINE Gift secrets (client_secret, access and refresh tokens).
 * AES-256-GCM from Node's crypto module (OpenSSL); we only choose the format and the key rules.
 *
 * Stored format (a string column): `v1:<iv base64>:<auth tag base64>:<ciphertext base64>`.
 * A 12-byte random IV per value; the tag authenticates the ciphertext, so a value encrypted
 * with another key, or tampered with, fails to decrypt instead of yielding garbage.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "crypto"

const FORMAT_VERSION = "v1"
const IV_BYTES = 12
const KEY_BYTES = 32

/** The environment variable read when the plugin option `encryptionKey` is not set. */
export const ENCRYPTION_KEY_ENV = "LINE_GIFT_ENCRYPTION_KEY"

/** Thrown when a secret must be stored or read but no valid key is configured. */
export class EncryptionKeyError extends Error {
  constructor(message: string) {
    super(message)
    this.name = "EncryptionKeyError"
  }
}

const HOW_TO =
  `Set the plugin option "encryptionKey" or the environment variable ${ENCRYPTION_KEY_ENV} ` +
  `to 32 random bytes in base64 or hex, e.g. the output of \`openssl rand -base64 32\`.`

/**
 * Parses a key given as base64 (44 chars) or hex (64 chars) into 32 bytes.
 * @throws EncryptionKeyError when the key is absent or not 32 bytes; the message says how
 *   to make one and never echoes the given value.
 */
export function parseEncryptionKey(raw: string | undefined | null): Buffer {
  if (!raw || !raw.trim()) {
    throw new EncryptionKeyError(
      `No encryption key: LINE Gift secrets (client_secret, tokens) are stored encrypted. ${HOW_TO}`
    )
  }
  const value = raw.trim()
  let key: Buffer | null = null
  if (/^[0-9a-fA-F]{64}$/.test(value)) {
    key = Buffer.from(value, "hex")
  } else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) {
    key = Buffer.from(value.replace(/-/g, "+").replace(/_/g, "/"), "base64")
  }
  if (!key || key.length !== KEY_BYTES) {
    throw new EncryptionKeyError(
      `The LINE Gift encryption key is not 32 bytes (base64 or hex). ${HOW_TO}`
    )
  }
  return key
}

/**
 * Encrypts a UTF-8 string with AES-256-GCM.
 * @param plaintext the secret
 * @param key 32 bytes from `parseEncryptionKey`
 * @returns `v1:iv:tag:ciphertext` (base64 parts)
 */
export function encryptSecret(plaintext: string, key: Buffer): string {
  const iv = randomBytes(IV_BYTES)
  const cipher = createCipheriv("aes-256-gcm", key, iv)
  const ciphertext = Buffer.concat([
    cipher.update(plaintext, "utf8"),
    cipher.final(),
  ])
  const tag = cipher.getAuthTag()
  return [
    FORMAT_VERSION,
    iv.toString("base64"),
    tag.toString("base64"),
    ciphertext.toString("base64"),
  ].join(":")
}

/**
 * Decrypts a value made by `encryptSecret`.
 * @throws EncryptionKeyError when the value was encrypted with another key or was altered
 *   (the message names neither the value nor the key).
 */
export function decryptSecret(stored: string, key: Buffer): string {
  const parts = stored.split(":")
  if (parts.length !== 4 || parts[0] !== FORMAT_VERSION) {
    throw new EncryptionKeyError(
      "A stored LINE Gift secret has an unknown format."
    )
  }
  try {
    const [, iv, tag, data] = parts
    const decipher = createDecipheriv(
      "aes-256-gcm",
      key,
      Buffer.from(iv, "base64")
    )
    decipher.setAuthTag(Buffer.from(tag, "base64"))
    return Buffer.concat([
      decipher.update(Buffer.from(data, "base64")),
      decipher.final(),
    ]).toString("utf8")
  } catch {
    throw new EncryptionKeyError(
      "A stored LINE Gift secret cannot be decrypted with the configured key (was the key changed?). " +
        "Restore the previous key, or re-enter the client_secret and re-authorise the shop."
    )
  }
}
