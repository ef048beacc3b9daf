import { Modules, PaymentCollectionStatus } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { RecoveryPaymentModule } from "../payment-module"

/** Input: a payment collection the import wrote whose payment was never captured. */
export type ResetPaymentCollectionInput = { payment_collection_id: string }

/**
 * Puts a payment collection the bulk import wrote but did not finish (the process died between
 * its writes: the collection is written in its final `completed` state first, its session,
 * payment and capture after) back to `not_paid`, without its uncaptured payments and sessions,
 * so that Medusa's markPaymentCollectionAsPaid can pay it once. Only for collections with no
 * capture (recovery decides; see recover-interrupted-imports.ts).
 * @throws Error when the collection has a capture after all (nothing is changed then).
 * No compensation: recovery re-reads the state each time, and a collection left `not_paid`
 * is what the next recovery expects to mark paid.
 */
export const resetLineGiftPaymentCollectionStep = createStep(
  "reset-line-gift-payment-collection",
  async (input: ResetPaymentCollectionInput, { container }) => {
    const payment = container.resolve<RecoveryPaymentModule>(Modules.PAYMENT)
    const payments = await payment.listPayments(
      { payment_collection_id: input.payment_collection_id },
      { relations: ["captures"] }
    )
    if (payments.some((p) => (p.captures ?? []).length)) {
      throw new Error(
        `payment collection ${input.payment_collection_id} has a capture: not reset`
      )
    }
    if (payments.length) await payment.deletePayments(payments.map((p) => p.id))
    const sessions = await payment.listPaymentSessions(
      { payment_collection_id: input.payment_collection_id },
      { select: ["id"] }
    )
    if (sessions.length)
      await payment.deletePaymentSessions(sessions.map((s) => s.id))
    await payment.updatePaymentCollections(input.payment_collection_id, {
      status: PaymentCollectionStatus.NOT_PAID,
      authorized_amount: 0,
      captured_amount: 0,
      completed_at: null,
    })
    return new StepResponse(input.payment_collection_id)
  }
)
