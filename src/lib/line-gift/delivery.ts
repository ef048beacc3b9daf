/**
 * The shipment call's body and the explanation of its refusal. The body's encoding and
 * field names are assumed (not public): they come from the `shipmentCall` option
 * (DEFAULT_SHIPMENT_CALL: form, `delivery_code`, `delivery_agent`).
 */
import { isLineGiftApiError, LineGiftApiError } from "./errors"
import { DEFAULT_SHIPMENT_CALL, type LineGiftEndpoints } from "./endpoints"

/** Tracking number (伝票番号) and carrier (配送業者) of a shipment push. */
export type DeliveryArgs = { deliveryCode: string; deliveryAgent: string }

/** The shipment call's body as the options say: `{ form }` or `{ json }`. */
export function deliveryBody(
  endpoints: LineGiftEndpoints,
  args: DeliveryArgs
): { form?: Record<string, string>; json?: Record<string, unknown> } {
  const call = endpoints.shipmentCall ?? DEFAULT_SHIPMENT_CALL
  const body = {
    [call.fields.deliveryCode]: args.deliveryCode,
    [call.fields.deliveryAgent]: args.deliveryAgent,
  }
  return call.encoding === "json" ? { json: body } : { form: body }
}

/**
 * A shipment call refused as a bad request (400/415/422) may mean LINE Gift expects another
 * body: the returned error's message then names the options to change. Other errors are
 * returned as they are.
 */
export function explainDeliveryRejection(
  endpoints: LineGiftEndpoints,
  e: unknown
): unknown {
  if (!isLineGiftApiError(e) || e.kind !== "bad_request") return e
  const call = endpoints.shipmentCall ?? DEFAULT_SHIPMENT_CALL
  return new LineGiftApiError({
    kind: e.kind,
    endpoint: e.endpoint,
    httpStatus: e.httpStatus,
    code: e.code,
    reason: e.reason,
    attempts: e.attempts,
    message:
      `${e.message}; if LINE Gift expects another body for the shipment call, change the plugin option ` +
      `shipmentCall.encoding (now "${call.encoding}") or shipmentCall.fields (now ${call.fields.deliveryCode}, ${call.fields.deliveryAgent})`,
  })
}
