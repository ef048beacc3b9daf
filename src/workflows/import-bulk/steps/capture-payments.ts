import {
  ContainerRegistrationKeys,
  Modules,
  PaymentCollectionStatus,
  PaymentSessionStatus,
} from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type {
  CreatePaymentCollectionDTO,
  IPaymentModuleService,
  MedusaContainer,
} from "@medusajs/framework/types"

/** Input: one paid amount per created order (JPY, tax included). */
export type CapturePaymentsBulkInput = Array<{
  order_id: string
  amount: number
  currency_code: string
}>

/** Result: per order, its payment collection and the captured payment. */
export type CapturedPayment = {
  order_id: string
  payment_collection_id: string
  payment_id: string
  capture_id: string
}

/** The system payment provider (paid outside Medusa: on LINE Gift). */
export const SYSTEM_PAYMENT_PROVIDER_ID = "pp_system_default"

/**
 * Metadata key on a payment collection the import wrote: `{ order_id }` of the Medusa order it
 * pays. Crash recovery finds a collection by it even when the process died before its link.
 */
export const PAYMENT_COLLECTION_ORDER_KEY = "line_gift_import"

/** Rows written by id, made by the payment module's generated CRUD (not in its interface). */
type Row = { id: string }

/**
 * The payment module's generated create/delete methods for sessions, payments and captures
 * (MedusaService CRUD: plain rows, no provider call), which IPaymentModuleService omits.
 */
type PaymentRows = IPaymentModuleService & {
  createPaymentSessions(data: Array<Record<string, unknown>>): Promise<Row[]>
  createPayments(data: Array<Record<string, unknown>>): Promise<Row[]>
  createCaptures(data: Array<Record<string, unknown>>): Promise<Row[]>
  deletePaymentSessions(ids: string[]): Promise<void>
  deletePayments(ids: string[]): Promise<void>
  deleteCaptures(ids: string[]): Promise<void>
}

function paymentModule(container: MedusaContainer): PaymentRows {
  return container.resolve(Modules.PAYMENT) as PaymentRows
}

type Undo = {
  /** Order ids whose order ↔ collection link this step made (collections[n] ↔ links[n]). */
  links: Array<{ order_id: string; payment_collection_id: string }>
  collections: string[]
  sessions: string[]
  payments: string[]
  captures: string[]
  transactions: string[]
}

/**
 * Records that the page's orders are paid (they were paid on LINE Gift), in bulk: the rows
 * `createOrderPaymentCollectionWorkflow` + `markPaymentCollectionAsPaid` (system provider)
 * leave behind, each kind written with one call —
 * payment collections (amount = order total; written `completed`, authorized and captured;
 * metadata PAYMENT_COLLECTION_ORDER_KEY names the order) → the order ↔ collection links, at
 * once, before anything else is written (a crash after this point leaves a collection its order
 * reaches; crash recovery completes it instead of making a second one) → sessions
 * (`authorized`, system provider) → payments (`captured_at`) → captures (full amount) → order
 * transactions (`reference: "capture"`, which set the order summary's paid total).
 * The system provider authorises and captures without any outside call, so nothing is lost
 * by not calling it once per order.
 * Compensation: deletes every row it made (transactions first, so the summary goes back) and
 * dismisses the links.
 */
export const captureLineGiftPaymentsBulkStep = createStep(
  "capture-line-gift-payments-bulk",
  async (input: CapturePaymentsBulkInput, { container }) => {
    const undo: Undo = {
      links: [],
      collections: [],
      sessions: [],
      payments: [],
      captures: [],
      transactions: [],
    }
    if (!input.length) {
      return new StepResponse([] as CapturedPayment[], undo)
    }
    try {
      const result = await writePayments(container, input, undo)
      return new StepResponse(result, undo)
    } catch (e) {
      // A failed step is not compensated by the engine: undo what this call made here.
      await undoPayments(container, undo)
      throw e
    }
  },
  async (undo, { container }) => {
    if (undo) await undoPayments(container, undo)
  }
)

/**
 * Collections (final state) → their order links → sessions → payments → captures → the
 * orders' `capture` transactions, one call each; `undo` records each kind once written.
 */
async function writePayments(
  container: MedusaContainer,
  input: CapturePaymentsBulkInput,
  undo: Undo
): Promise<CapturedPayment[]> {
  const payment = paymentModule(container)
  const now = new Date()
  const collections = await payment.createPaymentCollections(
    // Written in their final state (what the capture leaves them in).
    input.map((i) => ({
      currency_code: i.currency_code,
      amount: i.amount,
      status: PaymentCollectionStatus.COMPLETED,
      authorized_amount: i.amount,
      captured_amount: i.amount,
      refunded_amount: 0,
      completed_at: now,
      metadata: { [PAYMENT_COLLECTION_ORDER_KEY]: { order_id: i.order_id } },
    })) as CreatePaymentCollectionDTO[]
  )
  undo.collections = collections.map((c) => c.id)
  const links = input.map((i, n) => ({
    order_id: i.order_id,
    payment_collection_id: collections[n].id,
  }))
  await container
    .resolve(ContainerRegistrationKeys.LINK)
    .create(links.map(orderCollectionLink))
  undo.links = links
  const sessions = await payment.createPaymentSessions(
    input.map((i, n) => ({
      payment_collection_id: collections[n].id,
      provider_id: SYSTEM_PAYMENT_PROVIDER_ID,
      amount: i.amount,
      currency_code: i.currency_code,
      data: {},
      context: {},
      status: PaymentSessionStatus.AUTHORIZED,
      authorized_at: now,
    }))
  )
  undo.sessions = sessions.map((s) => s.id)
  const payments = await payment.createPayments(
    input.map((i, n) => ({
      amount: i.amount,
      currency_code: i.currency_code,
      provider_id: SYSTEM_PAYMENT_PROVIDER_ID,
      payment_collection_id: collections[n].id,
      payment_session_id: sessions[n].id,
      data: {},
      captured_at: now,
    }))
  )
  undo.payments = payments.map((p) => p.id)
  const captures = await payment.createCaptures(
    input.map((i, n) => ({ payment_id: payments[n].id, amount: i.amount }))
  )
  undo.captures = captures.map((c) => c.id)
  const transactions = await container
    .resolve(Modules.ORDER)
    .addOrderTransactions(
      input.map((i, n) => ({
        order_id: i.order_id,
        amount: i.amount,
        currency_code: i.currency_code,
        reference: "capture",
        reference_id: captures[n].id,
      }))
    )
  undo.transactions = transactions.map((t) => t.id)
  return input.map((i, n) => ({
    order_id: i.order_id,
    payment_collection_id: collections[n].id,
    payment_id: payments[n].id,
    capture_id: captures[n].id,
  }))
}

function orderCollectionLink(l: {
  order_id: string
  payment_collection_id: string
}) {
  return {
    [Modules.ORDER]: { order_id: l.order_id },
    [Modules.PAYMENT]: { payment_collection_id: l.payment_collection_id },
  }
}

/** Deletes what writePayments recorded in `undo` (transactions first: the summary goes back). */
async function undoPayments(container: MedusaContainer, undo: Undo) {
  const payment = paymentModule(container)
  const orderModule = container.resolve(Modules.ORDER)
  if (undo.transactions.length)
    await orderModule.deleteOrderTransactions(undo.transactions)
  if (undo.captures.length) await payment.deleteCaptures(undo.captures)
  if (undo.payments.length) await payment.deletePayments(undo.payments)
  if (undo.sessions.length) await payment.deletePaymentSessions(undo.sessions)
  if (undo.links.length) {
    await container
      .resolve(ContainerRegistrationKeys.LINK)
      .dismiss(undo.links.map(orderCollectionLink))
  }
  if (undo.collections.length)
    await payment.deletePaymentCollections(undo.collections)
}
