/**
 * Finishes an import that died after its Medusa order was created (see
 * recover-interrupted-imports.ts): the order exists but some of the later steps of
 * importLineGiftOrderWorkflow did not run. Each step runs only when its part is missing,
 * so the result is the same as an import that never stopped.
 */
import {
  createOrderPaymentCollectionWorkflow,
  createRemoteLinkStep,
  markPaymentCollectionAsPaid,
} from "@medusajs/medusa/core-flows"
import { Modules } from "@medusajs/framework/utils"
import {
  createWorkflow,
  transform,
  when,
  WorkflowResponse,
} from "@medusajs/framework/workflows-sdk"
import { LINE_GIFT_MODULE } from "../../modules/line-gift"
import { markLineGiftOrderImportedStep } from "../import/steps/mark-line-gift-order-imported"
import { reserveLineGiftStockStep } from "../import/steps/reserve-stock"

/** What is missing of an interrupted import (decided by recoverInterruptedLineGiftImports). */
export type FinishInterruptedImportInput = {
  record_id: string
  order_id: string
  sales_channel_id: string | null
  /** JPY integer, tax included: the LINE Gift selling_price (the order total). */
  amount: number
  /** The record ↔ order link is missing. */
  link: boolean
  /** The order has no payment collection yet: create one and mark it paid. */
  create_payment_collection: boolean
  /** An existing payment collection that is not captured yet: mark it paid. */
  payment_collection_id: string | null
  /** No stock is reserved for the order yet. */
  reserve: boolean
  flags: string[]
  provisional: boolean
}

export const finishInterruptedLineGiftImportWorkflowId = "finish-interrupted-line-gift-import"

/**
 * Completes an interrupted import of one LINE Gift order on its existing Medusa order:
 * payment collection (created and/or marked paid), stock reservations, the record ↔ order
 * link, record `imported` — only what is missing. Compensation: Medusa's own for the core
 * workflows and steps, the reservation step deletes what it reserved; the record stays
 * `importing` on failure and the next recovery tries again.
 */
export const finishInterruptedLineGiftImportWorkflow = createWorkflow(
  finishInterruptedLineGiftImportWorkflowId,
  (input: FinishInterruptedImportInput) => {
    const created = when({ input }, ({ input }) => input.create_payment_collection).then(() =>
      createOrderPaymentCollectionWorkflow.runAsStep({
        input: transform({ input }, ({ input }) => ({
          order_id: input.order_id,
          amount: input.amount,
        })),
      })
    )
    const toMark = transform({ input, created }, ({ input, created }) => ({
      order_id: input.order_id,
      payment_collection_id: (created as any)?.[0]?.id ?? input.payment_collection_id,
    }))
    when({ toMark }, ({ toMark }) => !!toMark.payment_collection_id).then(() => {
      markPaymentCollectionAsPaid.runAsStep({ input: toMark as any })
    })

    when({ input }, ({ input }) => input.reserve).then(() => {
      reserveLineGiftStockStep(
        transform({ input }, ({ input }) => ({
          order_id: input.order_id,
          sales_channel_id: input.sales_channel_id,
        }))
      )
    })

    when({ input }, ({ input }) => input.link).then(() => {
      createRemoteLinkStep(
        transform({ input }, ({ input }) => [
          {
            [LINE_GIFT_MODULE]: { line_gift_order_id: input.record_id },
            [Modules.ORDER]: { order_id: input.order_id },
          },
        ])
      )
    })

    markLineGiftOrderImportedStep(
      transform({ input }, ({ input }) => ({
        record_id: input.record_id,
        flags: input.flags,
        provisional: input.provisional,
      }))
    )
    return new WorkflowResponse(
      transform({ input }, ({ input }) => ({ order_id: input.order_id, record_id: input.record_id }))
    )
  }
)
