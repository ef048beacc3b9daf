import {
  Modules,
  PaymentCollectionStatus,
  PaymentSessionStatus,
} from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { newEntityId } from "../../../lib/entity-id"
import type {
  CreatePaymentCollectionDTO,
  IPaymentModuleService,
  MedusaContainer,
} from "@medusajs/framework/types"

/**
 * Input: one paid amount per order about to be written (JPY, tax included), with the id the
 * order will be written under (chosen when preparing) and its line_gift_order record.
 */
export type CapturePaymentsBulkInput = Array<{
  order_id: string
  record_id: string
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
 * Metadata key on a payment collection the import wrote: `{ order_id, record_id }` — the Medusa
 * order it pays (written right after it, under that id) and the line_gift_order record. Crash
 * recovery finds a collection by it when the process died before the order or the link.
 */
export const PAYMENT_COLLECTION_ORDER_KEY = "line_gift_import"

/** The import's mark on a payment collection (metadata PAYMENT_COLLECTION_ORDER_KEY). */
export type PaymentCollectionImportMark = {
  order_id?: string
  record_id?: string
}

/** Rows written by id, made by the payment module's generated CRUD (not in its interface). */
type Row = { id: string }

/**
 * The payment module's generated delete methods for sessions, payments and captures
 * (MedusaService CRUD: plain rows, no provider call), which IPaymentModuleService omits.
 */
type PaymentRows = IPaymentModuleService & {
  deletePaymentSessions(ids: string[]): Promise<void>
  deletePayments(ids: string[]): Promise<void>
  deleteCaptures(ids: string[]): Promise<void>
}

function paymentModule(container: MedusaContainer): PaymentRows {
  return container.resolve(Modules.PAYMENT) as PaymentRows
}

/** What the step wrote for one order (ids), for its compensation. */
type Written = {
  order_id: string
  collection: string
  session?: string
  payment?: string
  capture?: string
}

/** A payment collection as written, with its session, payment and capture (nested). */
type WrittenCollection = Row & {
  payment_sessions?: Array<
    Row & { payment?: (Row & { captures?: Row[] | null }) | null }
  > | null
}

/**
 * Records that the page's orders are paid (they were paid on LINE Gift), in bulk, BEFORE the
 * orders are written (their `capture` transactions name these captures): the rows
 * `createOrderPaymentCollectionWorkflow` + `markPaymentCollectionAsPaid` (system provider)
 * leave behind, in ONE `createPaymentCollections` call (one database transaction: all or
 * none) — per order a collection (amount = order total; written `completed`, authorized and
 * captured; metadata PAYMENT_COLLECTION_ORDER_KEY names the order and its record) with its
 * session (`authorized`, system provider) → payment (`captured_at`) → capture (full amount)
 * nested. The order ↔ collection links and the transactions are written with the orders
 * (createLineGiftOrdersBulkStep). The system provider authorises and captures with no
 * outside call, so nothing is lost by not calling it once per order.
 * A crash after this step and before the orders leaves collections whose order does not
 * exist: crash recovery deletes them when it releases the record (see
 * recoverInterruptedLineGiftImports).
 * Compensation: deletes every row it made, except the payments of orders that exist (their
 * own rollback failed: the order keeps its payment, and crash recovery finishes the import on
 * it; an order whose `capture` transaction names a deleted capture could not be repaired).
 */
export const captureLineGiftPaymentsBulkStep = createStep(
  "capture-line-gift-payments-bulk",
  async (input: CapturePaymentsBulkInput, { container }) => {
    if (!input.length) {
      return new StepResponse([] as CapturedPayment[], [] as Written[])
    }
    const { result, undo } = await writePayments(container, input)
    return new StepResponse(result, undo)
  },
  async (undo, { container }) => {
    if (!undo?.length) return
    const orders = await container
      .resolve<OrdersById>(Modules.ORDER)
      .listOrders({ id: undo.map((w) => w.order_id) }, { select: ["id"] })
    const kept = new Set(orders.map((o) => o.id))
    await undoPayments(
      container,
      undo.filter((w) => !kept.has(w.order_id))
    )
  }
)

/** The order module's listOrders by id (orders not deleted). */
type OrdersById = {
  listOrders(
    filters: { id: string[] },
    config: { select: string[] }
  ): Promise<Array<{ id: string }>>
}

/** One collection per order, its session → payment → capture nested, in one call. */
async function writePayments(
  container: MedusaContainer,
  input: CapturePaymentsBulkInput
): Promise<{ result: CapturedPayment[]; undo: Written[] }> {
  const now = new Date()
  // Ids chosen here so that each payment can name its collection in the same write.
  const collectionIds = input.map(() => newEntityId("pay_col"))
  const written = (await paymentModule(container).createPaymentCollections(
    input.map((i, n) => ({
      id: collectionIds[n],
      currency_code: i.currency_code,
      amount: i.amount,
      // Written in their final state (what the capture leaves them in).
      status: PaymentCollectionStatus.COMPLETED,
      authorized_amount: i.amount,
      captured_amount: i.amount,
      refunded_amount: 0,
      completed_at: now,
      metadata: {
        [PAYMENT_COLLECTION_ORDER_KEY]: {
          order_id: i.order_id,
          record_id: i.record_id,
        } satisfies PaymentCollectionImportMark,
      },
      payment_sessions: [
        {
          id: newEntityId("payses"),
          provider_id: SYSTEM_PAYMENT_PROVIDER_ID,
          amount: i.amount,
          currency_code: i.currency_code,
          data: {},
          context: {},
          status: PaymentSessionStatus.AUTHORIZED,
          authorized_at: now,
          payment: {
            id: newEntityId("pay"),
            amount: i.amount,
            currency_code: i.currency_code,
            provider_id: SYSTEM_PAYMENT_PROVIDER_ID,
            payment_collection_id: collectionIds[n],
            data: {},
            captured_at: now,
            captures: [{ id: newEntityId("capt"), amount: i.amount }],
          },
        },
      ],
    })) as unknown as CreatePaymentCollectionDTO[]
  )) as unknown as WrittenCollection[]
  const byId = new Map(written.map((c) => [c.id, c]))
  const undo: Written[] = []
  const result = input.map((i, n) => {
    const session = byId.get(collectionIds[n])?.payment_sessions?.[0]
    const paid = session?.payment
    const capture = paid?.captures?.[0]
    undo.push({
      order_id: i.order_id,
      collection: collectionIds[n],
      session: session?.id,
      payment: paid?.id,
      capture: capture?.id,
    })
    return {
      order_id: i.order_id,
      payment_collection_id: collectionIds[n],
      payment_id: paid?.id ?? "",
      capture_id: capture?.id ?? "",
    }
  })
  if (result.some((r) => !r.capture_id)) {
    // Not what the payment module does; never write an order against a missing capture.
    await undoPayments(container, undo)
    throw new Error("payment collections written without their captures")
  }
  return { result, undo }
}

/** Deletes what writePayments wrote: captures, payments, sessions, then the collections. */
async function undoPayments(container: MedusaContainer, undo: Written[]) {
  const payment = paymentModule(container)
  const ids = (kind: keyof Written) =>
    undo.flatMap((w) => (w[kind] ? [w[kind]] : []))
  const captures = ids("capture")
  const payments = ids("payment")
  const sessions = ids("session")
  const collections = ids("collection")
  if (captures.length) await payment.deleteCaptures(captures)
  if (payments.length) await payment.deletePayments(payments)
  if (sessions.length) await payment.deletePaymentSessions(sessions)
  if (collections.length) await payment.deletePaymentCollections(collections)
}
