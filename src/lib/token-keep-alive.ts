/**
 * When a shop's tokens are due for a keep-alive refresh (issue 11 item 3). Pure.
 *
 * LINE Gift refresh tokens rotate and expire (90 days; access tokens 60 days — observed on a
 * vendor help page; `expires_in` / `refresh_token_expires_in` honoured when sent). A shop
 * that is switched on must never lapse: refresh at least weekly, and whenever a token has
 * less than 30 days left — or less than half its lifetime, for tokens shorter than 60 days.
 */

/** Refresh at least this often (ms): 7 days. */
export const KEEP_ALIVE_MAX_AGE_MS = 7 * 86400_000
/** Refresh when a token has less than this left (ms): 30 days (capped by half its lifetime). */
export const KEEP_ALIVE_MARGIN_MS = 30 * 86400_000

/**
 * @param t.now ms since epoch
 * @param t.refreshedAt when the pair was last written (null: unknown → due)
 * @param t.accessTokenExpiresAt / t.refreshTokenExpiresAt stored expiries (null: unknown)
 * @returns `{ due, reason }`; reason is one of "never_refreshed", "weekly", "access_expiring",
 *   "refresh_expiring", or null when not due.
 */
export function keepAliveDue(t: {
  now: number
  refreshedAt: Date | null
  accessTokenExpiresAt: Date | null
  refreshTokenExpiresAt: Date | null
}): { due: boolean; reason: string | null } {
  if (!t.refreshedAt) return { due: true, reason: "never_refreshed" }
  const since = t.now - t.refreshedAt.getTime()
  if (since >= KEEP_ALIVE_MAX_AGE_MS) return { due: true, reason: "weekly" }
  const expiring = (expiresAt: Date | null) => {
    if (!expiresAt) return false
    const lifetime = expiresAt.getTime() - t.refreshedAt!.getTime()
    const margin = Math.min(KEEP_ALIVE_MARGIN_MS, Math.max(0, lifetime / 2))
    return expiresAt.getTime() - t.now < margin
  }
  if (expiring(t.refreshTokenExpiresAt))
    return { due: true, reason: "refresh_expiring" }
  if (expiring(t.accessTokenExpiresAt))
    return { due: true, reason: "access_expiring" }
  return { due: false, reason: null }
}
