/**
 * Logging helpers of the orchestration code: a logger that may be absent (tests resolve a bare
 * container) and the message of any thrown value (never a secret: client errors are redacted).
 */
import type { Logger, MedusaContainer } from "@medusajs/framework/types"

/** The message of any thrown value (an Error's `message`, else its string form). */
export function errorMessage(e: unknown): string {
  if (e && typeof e === "object" && "message" in e) return String(e.message)
  return String(e)
}

/** The container's logger, or null when none is registered. */
export function safeLogger(container: MedusaContainer): Logger | null {
  try {
    return container.resolve<Logger>("logger")
  } catch {
    return null
  }
}
