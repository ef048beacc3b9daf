/**
 * Defaults of a LINE Gift shop's import settings, in one place: the module's model (column
 * defaults of a shop created through the API), its public view (a stored null), and the
 * admin's shop form (a value the API answer lacks) all read them, so a shop has the same
 * settings however it was created.
 *
 * Pure and import-free: the admin bundle takes this file as it is.
 */

/** Statuses a new shop imports: `payment` (発送待ち, ready to ship). */
export const DEFAULT_FETCH_STATUSES: string[] = ["payment"]

/** Window of an import, days: orders bought in the last 7 days. */
export const DEFAULT_FETCH_DAYS = 7

/**
 * Minutes between automatic fetches in `interval` mode (one of the admin API's
 * FETCH_INTERVAL_CHOICES); used once a merchant turns interval mode on.
 */
export const DEFAULT_FETCH_INTERVAL_MINUTES = 30
