/**
 * Finishes an import that died after its Medusa order was created (see
 * recover-interrupted-imports.ts): the order exists but some of the later writes of the
 * import did not happen. Each part runs only when recovery read that it is missing, and each
 * write is itself idempotent where Medusa allows it, so the result is the same as an import
 * that never stopped — and a recovery that dies itself is finished by the next one.
 */
import {
  addOrderTransactionStep,
  capturePaymentWorkflow,
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
  type WorkflowData,
} from "@medusajs/framework/workflows-sdk"
import { LINE_GIFT_MODULE } from "../../modules/line-gift"
import { markLineGiftOrderImportedStep } from "../import/steps/mark-line-gift-order-imported"
import { markImportPaymentCollectionStep } from "../import/steps/mark-import-payment-collection"
import { reserveLineGiftStockStep } from "../import/steps/reserve-stock"
import { removeOrderPromotionsStep } from "../import/steps/remove-order-promotions"
import { resetLineGiftPaymentCollectionStep } from "./steps/reset-payment-collection"

/**
 * How to make the order paid exactly once, from what exists (decided by
 * recoverInterruptedLineGiftImports; at most one of create / mark_paid / capture / transaction).
 */
export type PaymentRepair = {
  /** An existing collection of the order (found by its metadata) to link to the order first. */
  link_collection_id: string | null
  /** A collection the import wrote with no capture: back to `not_paid` before marking it paid. */
  reset_collection_id: string | null
  /** No collection at all: create one (Medusa's workflow, which links it) and mark it paid. */
  create_collection: boolean
  /** An existing `not_paid` collection to mark paid (Medusa's markPaymentCollectionAsPaid). */
  mark_paid_collection_id: string | null
  /** An authorised payment not captured yet: capture it (Medusa's capturePaymentWorkflow). */
  capture_payment_id: string | null
  /** A capture exists: make sure the order has its `capture` transaction (idempotent core step). */
  transaction: {
    capture_id: string
    amount: number
    currency_code: string
  } | null
}

/** What is missing of an interrupted import (decided by recoverInterruptedLineGiftImports). */
export type FinishInterruptedImportInput = {
  record_id: string
  order_id: string
  sales_channel_id: string | null
  /** JPY integer, tax included: the LINE Gift selling_price (the order total). */
  amount: number
  /** The record ↔ order link is missing. */
  link: boolean
  payment: PaymentRepair
  /** Some managed-inventory line item has no reservation yet (the step reserves only those). */
  reserve: boolean
  flags: string[]
  provisional: boolean
}

/** Workflow id of finishInterruptedLineGiftImportWorkflow. */
export const finishInterruptedLineGiftImportWorkflowId =
  "finish-interrupted-line-gift-import"

/** The workflow's input as its composition sees it. */
type Input = WorkflowData<FinishInterruptedImportInput>

/**
 * Completes an interrupted import of one LINE Gift order on its existing Medusa order, only
 * what is missing, in this order: the record ↔ order link (first, so a recovery that dies is
 * found again through it) → the store's automatic promotions off (removeOrderPromotionsStep;
 * an import stopped right after createOrderWorkflow left them) → the payment (see PaymentRepair: link an existing collection,
 * reset an unfinished one, create and/or mark paid, capture, or add the missing order
 * transaction — never a second captured collection) → stock reservations for the line items
 * that have none → record `imported`.
 * Compensation: Medusa's own for the core workflows and steps, the reservation step deletes
 * what it reserved; the record stays `importing` on failure and the next recovery re-reads
 * the state and tries again.
 */
export const finishInterruptedLineGiftImportWorkflow = createWorkflow(
  finishInterruptedLineGiftImportWorkflowId,
  (input: Input) => {
    linkRecordIfMissing(input)
    // An import stopped between createOrderWorkflow and this step left its promotions on.
    removeOrderPromotionsStep(
      transform({ input }, ({ input }) => ({ order_id: input.order_id }))
    )
    linkCollectionIfMissing(input)
    resetCollectionIfUnfinished(input)
    payCollectionIfUnpaid(input)
    capturePaymentIfAuthorised(input)
    addCaptureTransactionIfMissing(input)
    reserveStockIfMissing(input)
    markLineGiftOrderImportedStep(
      transform({ input }, ({ input }) => ({
        record_id: input.record_id,
        flags: input.flags,
        provisional: input.provisional,
      }))
    )
    return new WorkflowResponse(
      transform({ input }, ({ input }) => ({
        order_id: input.order_id,
        record_id: input.record_id,
      }))
    )
  }
)

/** The record ↔ order link, when missing. */
function linkRecordIfMissing(input: Input): void {
  when(
    "line-gift-recovery-record-link",
    { input },
    ({ input }) => input.link
  ).then(() => {
    createRemoteLinkStep(
      transform({ input }, ({ input }) => [
        {
          [LINE_GIFT_MODULE]: { line_gift_order_id: input.record_id },
          [Modules.ORDER]: { order_id: input.order_id },
        },
      ])
    ).config({ name: "line-gift-recovery-record-link" })
  })
}

/** The order ↔ payment collection link of a collection the import wrote, when missing. */
function linkCollectionIfMissing(input: Input): void {
  when(
    "line-gift-recovery-collection-link",
    { input },
    ({ input }) => !!input.payment.link_collection_id
  ).then(() => {
    createRemoteLinkStep(
      transform({ input }, ({ input }) => [
        {
          [Modules.ORDER]: { order_id: input.order_id },
          [Modules.PAYMENT]: {
            payment_collection_id: input.payment.link_collection_id,
          },
        },
      ])
    ).config({ name: "line-gift-recovery-collection-link" })
  })
}

/** A collection the import wrote but never captured: back to `not_paid`. */
function resetCollectionIfUnfinished(input: Input): void {
  when(
    "line-gift-recovery-reset-collection",
    { input },
    ({ input }) => !!input.payment.reset_collection_id
  ).then(() => {
    resetLineGiftPaymentCollectionStep(
      transform({ input }, ({ input }) => ({
        payment_collection_id: input.payment.reset_collection_id!,
      }))
    )
  })
}

/**
 * No collection: one is created (Medusa's workflow, which links it); then the new or the
 * existing `not_paid` collection is marked paid (Medusa's markPaymentCollectionAsPaid).
 */
function payCollectionIfUnpaid(input: Input): void {
  const created = when(
    "line-gift-recovery-create-collection",
    { input },
    ({ input }) => input.payment.create_collection
  ).then(() =>
    createOrderPaymentCollectionWorkflow.runAsStep({
      input: transform({ input }, ({ input }) => ({
        order_id: input.order_id,
        amount: input.amount,
      })),
    })
  )
  const toMark = transform({ input, created }, ({ input, created }) => ({
    order_id: input.order_id,
    // Null only when there is nothing to mark paid: the `when` below skips it then.
    payment_collection_id: (created?.[0]?.id ??
      input.payment.mark_paid_collection_id) as string,
  }))
  when(
    "line-gift-recovery-mark-paid",
    { toMark },
    ({ toMark }) => !!toMark.payment_collection_id
  ).then(() => {
    markImportPaymentCollectionStep(
      transform({ input, toMark }, ({ input, toMark }) => ({
        payment_collection_id: toMark.payment_collection_id,
        order_id: input.order_id,
        record_id: input.record_id,
      }))
    ).config({ name: "line-gift-recovery-mark-collection" })
    markPaymentCollectionAsPaid.runAsStep({ input: toMark })
  })
}

/** An authorised payment not captured yet: captured (Medusa's capturePaymentWorkflow). */
function capturePaymentIfAuthorised(input: Input): void {
  when(
    "line-gift-recovery-capture",
    { input },
    ({ input }) => !!input.payment.capture_payment_id
  ).then(() => {
    capturePaymentWorkflow.runAsStep({
      input: transform({ input }, ({ input }) => ({
        payment_id: input.payment.capture_payment_id!,
        amount: input.amount,
      })),
    })
  })
}

/** A capture without its `capture` order transaction: the transaction (core step). */
function addCaptureTransactionIfMissing(input: Input): void {
  when(
    "line-gift-recovery-transaction",
    { input },
    ({ input }) => !!input.payment.transaction
  ).then(() => {
    addOrderTransactionStep(
      transform({ input }, ({ input }) => ({
        order_id: input.order_id,
        amount: input.payment.transaction!.amount,
        currency_code: input.payment.transaction!.currency_code,
        reference: "capture",
        reference_id: input.payment.transaction!.capture_id,
      }))
    )
  })
}

/** Reservations for the managed line items that have none. */
function reserveStockIfMissing(input: Input): void {
  when(
    "line-gift-recovery-reserve",
    { input },
    ({ input }) => input.reserve
  ).then(() => {
    reserveLineGiftStockStep(
      transform({ input }, ({ input }) => ({
        order_id: input.order_id,
        sales_channel_id: input.sales_channel_id,
      }))
    )
  })
}
