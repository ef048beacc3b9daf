import type {
  AuthenticatedMedusaRequest,
  MedusaResponse,
} from "@medusajs/framework/http"
import { retryLineGiftOrderRecord } from "../../../../../../workflows/records/retry-line-gift-order"

/** What a retry answers: the outcome, plus `type`/`message` when it failed again (422). */
type RetryResponse = Awaited<ReturnType<typeof retryLineGiftOrderRecord>> & {
  type?: "retry_failed"
  message?: string
}

/**
 * POST /admin/line-gift/orders/:id/retry — reads the order again from LINE Gift (or re-uses the
 * stored copy, saying so) and imports it:
 * - imported → 200 `{ record, outcome: "imported", source, source_note, … }`;
 * - failed again → 422 `{ type: "retry_failed", message: "Retry failed again: <reason>",
 *   record, outcome: "failed", reason, reason_code, source, source_note, source_error }`:
 *   never a plain 200 when nothing was imported.
 * The record never includes the raw payload. 400 when the record is not failed; 404 unknown.
 */
export const POST = async (
  req: AuthenticatedMedusaRequest,
  res: MedusaResponse<RetryResponse>
) => {
  const result = await retryLineGiftOrderRecord(req.scope, req.params.id)
  if (result.outcome === "failed") {
    res.status(422).json({
      type: "retry_failed",
      message: `Retry failed again: ${result.reason ?? "unknown reason"}`,
      ...result,
    })
    return
  }
  res.json(result)
}
