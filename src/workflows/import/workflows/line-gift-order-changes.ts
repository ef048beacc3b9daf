/**
 * Workflows that follow a LINE Gift order after its import: cancelled on LINE Gift → cancel the
 * Medusa order; a provisional order's recipient address arrived → fill it in.
 */
import {
  cancelOrderWorkflow,
  updateOrderWorkflow,
} from "@medusajs/medusa/core-flows"
import {
  createWorkflow,
  transform,
  WorkflowResponse,
} from "@medusajs/framework/workflows-sdk"
import { updateLineGiftOrderRecordStep } from "../steps/update-line-gift-order-record"

/** Input of cancelLineGiftOrderWorkflow. */
export type CancelLineGiftOrderInput = {
  /** The Medusa order (it must have no fulfilment that is not cancelled). */
  order_id: string
  /** The LINE Gift order record linked to it. */
  record_id: string
  raw: unknown
  run_id: string | null
}

/**
 * A gift cancelled on LINE Gift whose Medusa order has nothing fulfilled: Medusa's
 * cancelOrderWorkflow (releases the stock reservations, refunds the captured system payment),
 * then the record takes status `cancel` and loses its provisional mark.
 * @throws MedusaError NOT_ALLOWED (from Medusa) when a fulfilment exists or it is already cancelled.
 */
export const cancelLineGiftOrderWorkflow = createWorkflow(
  "cancel-line-gift-order",
  (input: CancelLineGiftOrderInput) => {
    cancelOrderWorkflow.runAsStep({
      input: transform({ input }, ({ input }) => ({
        order_id: input.order_id,
      })),
    })
    updateLineGiftOrderRecordStep(
      transform({ input }, ({ input }) => ({
        id: input.record_id,
        line_gift_status: "cancel",
        raw: input.raw,
        provisional: false,
        attention_reason: null,
        last_run_id: input.run_id,
      }))
    )
    return new WorkflowResponse(input.order_id)
  }
)

/** Recipient address, as createOrderWorkflow / updateOrderWorkflow take it. */
export type LineGiftShippingAddress = {
  first_name?: string
  last_name?: string
  postal_code?: string
  province?: string
  city?: string
  address_1?: string
  phone?: string
  country_code: "jp"
}

/** Input of completeProvisionalLineGiftOrderWorkflow. */
export type CompleteProvisionalInput = {
  order_id: string
  record_id: string
  shipping_address: LineGiftShippingAddress
  /** The order's metadata with `line_gift` brought up to date (status, sender). */
  metadata: Record<string, unknown>
  /** The record's flags without `provisional` (with `partial_address` when still partial). */
  flags: string[]
  line_gift_status: string
  raw: unknown
  run_id: string | null
  /**
   * true: only part of the address arrived (flag `partial_address`); the record stays
   * provisional and the rest is filled in when LINE Gift has it. Default false.
   */
  still_provisional?: boolean
}

/**
 * The recipient of a provisionally imported gift entered the address: updateOrderWorkflow sets
 * the shipping address (and the order's LINE Gift metadata); the record stops being provisional
 * (stays so with `still_provisional`: part of the address arrived).
 */
export const completeProvisionalLineGiftOrderWorkflow = createWorkflow(
  "complete-provisional-line-gift-order",
  (input: CompleteProvisionalInput) => {
    updateOrderWorkflow.runAsStep({
      input: transform({ input }, ({ input }) => ({
        id: input.order_id,
        // The order change records who changed it; the import is not an admin user.
        user_id: "line-gift-import",
        shipping_address: input.shipping_address,
        metadata: input.metadata,
      })),
    })
    updateLineGiftOrderRecordStep(
      transform({ input }, ({ input }) => ({
        id: input.record_id,
        line_gift_status: input.line_gift_status,
        raw: input.raw,
        provisional: input.still_provisional ?? false,
        flags: input.flags,
        last_run_id: input.run_id,
      }))
    )
    return new WorkflowResponse(input.order_id)
  }
)
