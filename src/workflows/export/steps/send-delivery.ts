import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import {
  AWAITING_ADDRESS_STATUSES,
  awaitingAddressReason,
  japanDate,
  type ExportReason,
} from "../../../lib/carrier"
import {
  isLineGiftApiError,
  type LineGiftApiError,
} from "../../../lib/line-gift"
import { getLineGiftClient } from "../../helpers/line-gift-client"
import { readLineGiftStatuses } from "../line-gift-statuses"
import type { PushOutcome } from "../types"
import { safeErrorMessage } from "../../../lib/safe-error"

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
  reason: null,
  kind: null,
  retry_after_ms: null,
  sent_at: null,
  ship_date: null,
}

/** LINE Gift refused this order's shipment: 409 (not in 発送待ち), 404, 400. */
const PERMANENT_KINDS = new Set(["conflict", "not_found", "bad_request"])

/**
 * Turns a failed push into an outcome with a merchant-readable message that says what
 * actually happened. A conflict (LINE Gift takes shipments only from 発送待ち) is judged by the
 * order's current status `currentStatus` (read live after the refusal; undefined: unknown):
 * still waiting for the recipient's address → `held` (sent by itself later); cancelled →
 * `failed` for good; anything else → `failed`, naming the status. not_found / bad_request:
 * `failed`. Everything else is retried later: transient errors, and shop-level ones a merchant
 * fixes once for all orders (re-authorise, credentials, unexpected answers).
 */
export function outcomeOfError(
  e: unknown,
  lineGiftOrderId: string,
  currentStatus?: string | null
): PushOutcome {
  if (isLineGiftApiError(e)) {
    const err = e as LineGiftApiError
    const detail = err.reason ? `: ${err.reason}` : ""
    if (err.kind === "conflict")
      return outcomeOfConflict(lineGiftOrderId, detail, currentStatus)
    if (PERMANENT_KINDS.has(err.kind)) {
      const reason: ExportReason =
        err.kind === "not_found"
          ? {
              code: "line_gift_refused",
              message: `LINE Gift does not know order ${lineGiftOrderId} (not found${detail}). Not retried.`,
            }
          : {
              code: "line_gift_refused",
              message: `LINE Gift rejected the shipment data of order ${lineGiftOrderId} (bad request${detail}). Fix the tracking number or carrier, then push again.`,
            }
      return {
        ...SKIPPED,
        status: "failed",
        message: reason.message,
        reason,
        kind: err.kind,
      }
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
    e instanceof MedusaError || e instanceof Error
      ? safeErrorMessage(e)
      : `unexpected error: ${safeErrorMessage(e)}`
  return {
    ...SKIPPED,
    status: "retry",
    message: `${message}; will retry`,
    kind: "error",
  }
}

function outcomeOfConflict(
  lineGiftOrderId: string,
  detail: string,
  status: string | null | undefined
): PushOutcome {
  if (status === undefined) {
    return {
      ...SKIPPED,
      status: "retry",
      message: `LINE Gift refused the shipment of order ${lineGiftOrderId} (conflict${detail}) and its current status could not be read; will retry`,
      kind: "conflict",
    }
  }
  if (status && AWAITING_ADDRESS_STATUSES.has(status)) {
    const reason = awaitingAddressReason(status)
    return {
      ...SKIPPED,
      status: "held",
      message: `Held: ${reason.message}`,
      reason,
      kind: "conflict",
    }
  }
  const reason: ExportReason =
    status === "cancel"
      ? {
          code: "line_gift_cancelled",
          message: `LINE Gift refused the shipment of order ${lineGiftOrderId}: the order was cancelled on LINE Gift (status cancel, キャンセル). Not retried.`,
        }
      : {
          code: "line_gift_refused",
          message: `LINE Gift refused the shipment of order ${lineGiftOrderId} (conflict${detail}); its LINE Gift status is ${status ?? "unknown (not among LINE Gift's recent orders)"}. Check it in the LINE Gift shop admin, then push again.`,
          params: { status: status ?? "" },
        }
  return {
    ...SKIPPED,
    status: "failed",
    message: reason.message,
    reason,
    kind: "conflict",
  }
}

/**
 * Pushes tracking number and carrier to LINE Gift (client.updateDelivery) when asked to.
 * After a conflict it reads the order's current status on LINE Gift (see outcomeOfError).
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
    let client: Awaited<ReturnType<typeof getLineGiftClient>> | null = null
    try {
      client = await getLineGiftClient(container, input.shop_id)
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
      let status: string | null | undefined
      if (
        client &&
        isLineGiftApiError(e) &&
        (e as LineGiftApiError).kind === "conflict"
      ) {
        // What did LINE Gift refuse? Read the order's current status (null: not found).
        status = await readLineGiftStatuses(client, [input.line_gift_order_id])
          .then((m) => m.get(input.line_gift_order_id) ?? null)
          .catch(() => undefined)
      }
      return new StepResponse(
        outcomeOfError(e, input.line_gift_order_id, status)
      )
    }
  }
)
