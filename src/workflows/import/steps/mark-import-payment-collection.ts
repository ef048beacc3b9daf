import type {
  IPaymentModuleService,
  PaymentCollectionDTO,
} from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import {
  PAYMENT_COLLECTION_ORDER_KEY,
  type PaymentCollectionImportMark,
} from "../../import-bulk/steps/capture-payments"

/** Input: the order's new payment collection, the order and its line_gift_order record. */
export type MarkImportPaymentCollectionInput = {
  payment_collection_id: string
  order_id: string
  record_id: string
}

/**
 * Marks the payment collection Medusa's `createOrderPaymentCollectionWorkflow` made for an
 * imported order with the order and the record (metadata PAYMENT_COLLECTION_ORDER_KEY), as the
 * bulk import writes its collections, BEFORE it is captured: core `capturePaymentStep` has no
 * compensation, so a rollback whose collection deletion fails leaves a captured collection —
 * the mark is how the claim's compensation sees it (the record is kept for recovery, not
 * imported again) and how recovery deletes it. Other metadata is kept.
 * No compensation: the mark goes with the collection, or stays to be found.
 */
export const markImportPaymentCollectionStep = createStep(
  "mark-line-gift-import-payment-collection",
  async (input: MarkImportPaymentCollectionInput, { container }) => {
    const payment = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
    const [current] = await payment.listPaymentCollections(
      { id: input.payment_collection_id },
      { select: ["id", "metadata"] }
    )
    const metadata: PaymentCollectionDTO["metadata"] = {
      ...(current?.metadata ?? {}),
      [PAYMENT_COLLECTION_ORDER_KEY]: {
        order_id: input.order_id,
        record_id: input.record_id,
      } satisfies PaymentCollectionImportMark,
    }
    await payment.updatePaymentCollections(input.payment_collection_id, {
      metadata,
    })
    return new StepResponse(input.payment_collection_id)
  }
)
