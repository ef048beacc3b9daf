import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { LINE_GIFT_MODULE } from "../../../modules/line-gift"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { CreateOrderDTO, OrderDTO } from "@medusajs/framework/types"
import type { PreparedOrder } from "./prepare-orders"
import type { CapturedPayment } from "./capture-payments"
import { unpack, type Packed } from "../utils/packed"
import { newEntityId } from "../../../lib/entity-id"
import { isPricedLineGiftOrder } from "../../../lib/mapping"

/**
 * A created order, by the LINE Gift order it came from, with what the later steps need of its
 * prepared order (so that they do not take the whole prepared page as input: the workflow
 * engine copies every step input).
 */
export type CreatedBulkOrder = {
  line_gift_order_id: string
  order_id: string
  currency_code: string
  /** Its line items: quantity in units, unit price in JPY (tax included). */
  items: Array<{
    id: string
    variant_id: string | null
    quantity: number
    unit_price: number
  }>
  /** The order's line_gift_order record. */
  record_id: string
  /** Import flags of the prepared order (e.g. `out_of_stock`). */
  flags: PreparedOrder["flags"]
  /** JPY, tax included: what its payment collection captured (= order total). */
  amount: number
}

/**
 * Input: the prepared orders (packed: see utils/packed) and, per order id, its captured
 * payment (written just before).
 */
export type CreateOrdersBulkInput = {
  orders: Packed<PreparedOrder[]>
  payments: CapturedPayment[]
}

type RecordLink = { record_id: string; order_id: string }
type CollectionLink = { order_id: string; payment_collection_id: string }

/** The links the step writes (record ↔ order, order ↔ payment collection), as link.create takes them. */
function linkDefinitions(records: RecordLink[], collections: CollectionLink[]) {
  return [
    ...records.map((l) => ({
      [LINE_GIFT_MODULE]: { line_gift_order_id: l.record_id },
      [Modules.ORDER]: { order_id: l.order_id },
    })),
    ...collections.map((l) => ({
      [Modules.ORDER]: { order_id: l.order_id },
      [Modules.PAYMENT]: { payment_collection_id: l.payment_collection_id },
    })),
  ]
}

/**
 * The order input with its `capture` transaction (what markPaymentCollectionAsPaid adds:
 * amount = the capture, reference "capture" → the capture id), so that createOrders computes
 * the summary's paid total as the per-order path leaves it. A ¥0 order (no payment:
 * isPricedLineGiftOrder) is written as prepared, without a transaction.
 * @throws Error when an order with a price has no captured payment
 */
function withCaptureTransaction(
  p: PreparedOrder,
  paid: CapturedPayment | undefined
): CreateOrderDTO {
  // A ¥0 order has no payment (isPricedLineGiftOrder) and so no transaction.
  if (!isPricedLineGiftOrder(p.amount))
    return p.order as unknown as CreateOrderDTO
  if (!paid) throw new Error(`no captured payment for order ${p.order.id}`)
  return {
    ...p.order,
    transactions: [
      {
        id: newEntityId("ordtrx"),
        order_id: p.order.id,
        amount: p.amount,
        currency_code: p.order.currency_code,
        reference: "capture",
        reference_id: paid.capture_id,
      },
    ],
    // BulkOrderInput is createOrderWorkflow's order input; the DTO types the same fields looser.
  } as unknown as CreateOrderDTO
}

/**
 * Creates the page's orders with ONE `orderModule.createOrders` call, each under the id chosen
 * when preparing (its payment collection names it) and with its `capture` transaction (line
 * items with their tax lines, shipping methods with theirs, addresses, customer, channel,
 * region, metadata): what createOrderWorkflow's createOrdersStep + updateOrderTaxLinesWorkflow
 * and the capture's addOrderTransactions write, without one workflow per order. No
 * `order.placed` event, as createOrderWorkflow emits none.
 * Then, in ONE link call, the record ↔ order and order ↔ payment collection links (a crash
 * after the orders leaves orders their records reach through metadata, and collections that
 * name them: crash recovery links them).
 * Compensation: dismisses the links and deletes the orders it created, with their
 * transactions (as core createOrdersStep does).
 */
export const createLineGiftOrdersBulkStep = createStep(
  "create-line-gift-orders-bulk",
  async (input: CreateOrdersBulkInput, { container }) => {
    const prepared = unpack(input.orders)
    const { payments } = input
    if (!prepared.length) {
      return new StepResponse([] as CreatedBulkOrder[], {
        orders: [] as string[],
        records: [] as RecordLink[],
        collections: [] as CollectionLink[],
      })
    }
    const orderModule = container.resolve(Modules.ORDER)
    const paidByOrder = new Map(payments.map((p) => [p.order_id, p]))
    const created = await orderModule.createOrders(
      prepared.map((p) =>
        withCaptureTransaction(p, paidByOrder.get(p.order.id))
      )
    )
    const byId = new Map<string, OrderDTO>(created.map((o) => [o.id, o]))
    const result: CreatedBulkOrder[] = prepared.map((p) => {
      const o = byId.get(p.order.id)!
      return {
        line_gift_order_id: p.line_gift_order_id,
        order_id: o.id,
        currency_code: o.currency_code,
        record_id: p.record_id,
        flags: p.flags,
        amount: p.amount,
        items: (o.items ?? []).map((i) => ({
          id: i.id,
          variant_id: i.variant_id ?? null,
          quantity: Number(i.quantity),
          unit_price: Number(i.unit_price),
        })),
      }
    })
    const orderIds = created.map((o) => o.id)
    const records: RecordLink[] = result.map((r) => ({
      record_id: r.record_id,
      order_id: r.order_id,
    }))
    const collections: CollectionLink[] = result.flatMap((r) => {
      const paid = paidByOrder.get(r.order_id)
      return paid
        ? [
            {
              order_id: r.order_id,
              payment_collection_id: paid.payment_collection_id,
            },
          ]
        : []
    })
    const link = container.resolve(ContainerRegistrationKeys.LINK)
    try {
      await link.create(linkDefinitions(records, collections))
    } catch (e) {
      // A failed step is not compensated by the engine: undo it here. The two link tables are
      // written separately (not in one transaction): one may have committed — a record ↔ order
      // link left to a deleted order would refuse every later import of that record.
      await link
        .dismiss(linkDefinitions(records, collections))
        .catch(() => undefined)
      await orderModule.deleteOrders(orderIds)
      throw e
    }
    return new StepResponse(result, { orders: orderIds, records, collections })
  },
  async (undo, { container }) => {
    if (!undo?.orders.length) return
    if (undo.records.length || undo.collections.length) {
      await container
        .resolve(ContainerRegistrationKeys.LINK)
        .dismiss(linkDefinitions(undo.records, undo.collections))
    }
    await container.resolve(Modules.ORDER).deleteOrders(undo.orders)
  }
)
