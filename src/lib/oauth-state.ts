/**
 * The OAuth `state` parameter of the LINE Gift authorisation: signed (HMAC-SHA256), bound to
 * one shop, expiring after 10 minutes, and single-use (its nonce is stored on the shop and
 * consumed by the callback).
 *
 * Format: `<payload base64url>.<signature base64url>`, payload `{"s": shopId, "n": nonce, "e": expiry Unix seconds}`.
 */
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from "crypto"

/** Lifetime of a pending authorisation, seconds. */
export const OAUTH_STATE_TTL_SEC = 10 * 60

/** Thrown when a state is forged, altered, expired or malformed. */
export class OAuthStateError extends Error {
  constructor(message: string) {
    super(message)
    this.name = "OAuthStateError"
  }
}

/** Derives the state-signing key from the encryption key, so the two are never the same. */
export function stateSigningKey(encryptionKey: Buffer): Buffer {
  return Buffer.from(
    hkdfSync(
      "sha256",
      encryptionKey,
      Buffer.alloc(0),
      "line-gift-oauth-state",
      32
    )
  )
}

const b64url = (b: Buffer) => b.toString("base64url")

/**
 * Makes a signed state for `shopId`.
 * @param nowSec current Unix seconds
 * @returns the state string, its nonce (store it on the shop) and its expiry (Date)
 */
export function createOAuthState(
  shopId: string,
  signingKey: Buffer,
  nowSec: number = Math.floor(Date.now() / 1000)
): { state: string; nonce: string; expiresAt: Date } {
  const nonce = randomBytes(16).toString("hex")
  const exp = nowSec + OAUTH_STATE_TTL_SEC
  const payload = b64url(
    Buffer.from(JSON.stringify({ s: shopId, n: nonce, e: exp }))
  )
  const sig = b64url(createHmac("sha256", signingKey).update(payload).digest())
  return { state: `${payload}.${sig}`, nonce, expiresAt: new Date(exp * 1000) }
}

/**
 * Checks a state's signature and expiry.
 * @returns `{shopId, nonce}`; the caller must still consume the nonce (single use).
 * @throws OAuthStateError with a merchant-readable reason.
 */
export function verifyOAuthState(
  state: string,
  signingKey: Buffer,
  nowSec: number = Math.floor(Date.now() / 1000)
): { shopId: string; nonce: string } {
  const [payload, sig, extra] = String(state ?? "").split(".")
  if (!payload || !sig || extra !== undefined) {
    throw new OAuthStateError("The authorisation answer has no valid state.")
  }
  // Compared as text, in the one encoding createOAuthState writes: decoding the given text
  // instead would accept other spellings of the same bytes (base64url's last character
  // carries unused bits, so four characters decode alike there).
  const expected = Buffer.from(
    b64url(createHmac("sha256", signingKey).update(payload).digest())
  )
  const given = Buffer.from(sig)
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new OAuthStateError(
      "The authorisation answer's state is not ours (signature mismatch)."
    )
  }
  let data: { s?: unknown; n?: unknown; e?: unknown }
  try {
    data = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"))
  } catch {
    throw new OAuthStateError("The authorisation answer's state is malformed.")
  }
  if (
    typeof data.s !== "string" ||
    typeof data.n !== "string" ||
    typeof data.e !== "number"
  ) {
    throw new OAuthStateError("The authorisation answer's state is malformed.")
  }
  if (data.e < nowSec) {
    throw new OAuthStateError(
      "The authorisation took longer than 10 minutes; start it again."
    )
  }
  return { shopId: data.s, nonce: data.n }
}
