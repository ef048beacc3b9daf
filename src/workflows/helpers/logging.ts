/**
 * Logging helpers of the orchestration code: a logger that may be absent (tests resolve a bare
 * container) and the message of any thrown value (never a secret: client errors are redacted).
 */
import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { safeErrorMessage } from "../../lib/safe-error"

/**
 * The message of any thrown value, safe to log and to store: a database error keeps only
 * PostgreSQL's message and code, never the statement's values (safeErrorMessage).
 */
export function errorMessage(e: unknown): string {
  return safeErrorMessage(e)
}

/** The container's logger, or null when none is registered. */
export function safeLogger(container: MedusaContainer): Logger | null {
  try {
    return container.resolve<Logger>("logger")
  } catch {
    return null
  }
}
