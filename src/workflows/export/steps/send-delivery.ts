import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { japanDate } from "../../../lib/carrier"
import { isLineGiftApiError, type LineGiftApiError } from "../../../lib/line-gift"
import { getLineGiftClient } from "../../helpers/line-gift-client"
import type { PushOutcome } from "../types"

/** Input: what to push, and whether to push at all. */
export type SendDeliveryInput = {
  send: boolean
  shop_id: string
  shop_name: string
  api_enabled: boolean
  line_gift_order_id: string
  tracking_number: string | null
  carrier: string | null
}

const SKIPPED: PushOutcome = {
  status: "skipped",
  message: null,
  kind: null,
  retry_after_ms: null,
  sent_at: null,
  ship_date: null,
}

/** LINE Gift refused this order's shipment for good: 409 (not in 発送待ち, e.g. cancelled), 404, 400. */
const PERMANENT_KINDS = new Set(["conflict", "not_found", "bad_request"])

/**
 * Turns a failed push into an outcome with a merchant-readable message. Permanent: LINE Gift
 * refused this order (conflict, not_found, bad_request). Everything else is retried later:
 * transient errors, and shop-level ones a merchant fixes once for all orders (re-authorise,
 * credentials, unexpected answers).
 */
export function outcomeOfError(e: unknown, lineGiftOrderId: string): PushOutcome {
  if (isLineGiftApiError(e)) {
    const err = e as LineGiftApiError
    const detail = err.reason ? `: ${err.reason}` : ""
    if (PERMANENT_KINDS.has(err.kind)) {
      const what =
        err.kind === "conflict"
          ? `LINE Gift refused the shipment of order ${lineGiftOrderId} (conflict${detail}). It is not waiting for shipment (発送待ち) any more, e.g. it was cancelled: check it in the LINE Gift shop admin. Not retried.`
          : err.kind === "not_found"
            ? `LINE Gift does not know order ${lineGiftOrderId} (not found${detail}). Not retried.`
            : `LINE Gift rejected the shipment data of order ${lineGiftOrderId} (bad request${detail}). Fix the tracking number or carrier, then push again.`
      return { ...SKIPPED, status: "failed", message: what, kind: err.kind }
    }
    return {
      ...SKIPPED,
      status: "retry",
      message: `${err.message}; will retry`,
      kind: err.kind,
      retry_after_ms: err.retryAfterMs ?? null,
    }
  }
  const message =
    e instanceof MedusaError || e instanceof Error ? e.message : `unexpected error: ${String(e)}`
  return { ...SKIPPED, status: "retry", message: `${message}; will retry`, kind: "error" }
}

/**
 * Pushes tracking number and carrier to LINE Gift (client.updateDelivery) when asked to.
 * LINE Gift errors do not fail the workflow: they become the outcome the next step records.
 * No compensation: LINE Gift has no "un-ship"; pushing the same values again is a no-op
 * success there, so a workflow rolled back after this step is simply pushed again later.
 */
export const sendLineGiftDeliveryStep = createStep(
  "send-line-gift-delivery",
  async (input: SendDeliveryInput, { container }) => {
    if (!input.send || !input.tracking_number || !input.carrier) {
      return new StepResponse(SKIPPED)
    }
    if (!input.api_enabled) {
      return new StepResponse<PushOutcome>({
        ...SKIPPED,
        status: "retry",
        kind: "api_disabled",
        message: `LINE Gift shop "${input.shop_name}": API usage is off; turn it on in Settings → LINE Gift. Will retry`,
      })
    }
    try {
      const client = await getLineGiftClient(container, input.shop_id)
      await client.updateDelivery(input.line_gift_order_id, {
        deliveryCode: input.tracking_number,
        deliveryAgent: input.carrier,
      })
      const now = new Date()
      return new StepResponse<PushOutcome>({
        ...SKIPPED,
        status: "sent",
        sent_at: now.toISOString(),
        ship_date: japanDate(now),
      })
    } catch (e) {
      return new StepResponse(outcomeOfError(e, input.line_gift_order_id))
    }
  }
)
