/**
 * When to try a failed shipment export again: exponential backoff with 0–20 % jitter
 * (axios-retry's `exponentialDelay`, the same helper the LINE Gift client retries with),
 * capped, and never sooner than the server's `Retry-After`.
 */
import { exponentialDelay } from "axios-retry"

/** Backoff settings, milliseconds. */
export type ExportBackoffOptions = {
  /** Delay after the first failed attempt (default 30 s). */
  baseMs?: number
  /** Longest delay (default 1 hour). */
  maxMs?: number
}

/** Backoff of export retries when the options set none: 30 s, doubling, at most 1 hour. */
export const DEFAULT_EXPORT_BACKOFF: Required<ExportBackoffOptions> = {
  baseMs: 30_000,
  maxMs: 60 * 60_000,
}

/**
 * Milliseconds to wait after failed attempt number `attempts` (1 = the first failure):
 * base × 2^(attempts−1) plus 0–20 % jitter, at most `maxMs` (+20 % jitter), and at least
 * `retryAfterMs` (LINE Gift's 429 `Retry-After`) when given.
 */
export function exportRetryDelayMs(
  attempts: number,
  retryAfterMs?: number | null,
  options: ExportBackoffOptions = {}
): number {
  const { baseMs, maxMs } = { ...DEFAULT_EXPORT_BACKOFF, ...options }
  const n = Math.max(
    0,
    Math.floor(Number.isFinite(attempts) ? attempts : 1) - 1
  )
  // 2^n explodes long before n gets large: cap the plain delay first, then let
  // exponentialDelay(0, _, d) add its 0–20 % jitter to it (d × 2^0 + jitter).
  const plain = Math.min(baseMs * 2 ** Math.min(n, 40), maxMs)
  const delay = exponentialDelay(0, undefined, plain)
  const floor = retryAfterMs && retryAfterMs > 0 ? retryAfterMs : 0
  return Math.round(Math.max(delay, floor))
}

/** `now` + exportRetryDelayMs(...). */
export function nextExportAttemptAt(
  now: Date,
  attempts: number,
  retryAfterMs?: number | null,
  options?: ExportBackoffOptions
): Date {
  return new Date(
    now.getTime() + exportRetryDelayMs(attempts, retryAfterMs, options)
  )
}
