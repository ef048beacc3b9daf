import {
  emitEventStep,
  findOrCreateCustomerStep,
  findSalesChannelStep,
} from "@medusajs/medusa/core-flows"
import {
  createWorkflow,
  parallelize,
  transform,
  when,
  WorkflowResponse,
} from "@medusajs/framework/workflows-sdk"
import { PaymentEvents } from "@medusajs/framework/utils"
import type { LineGiftOrder } from "../../../lib/line-gift/schemas"
import {
  claimLineGiftOrdersBulkStep,
  type ClaimOrdersBulkOutput,
} from "../steps/claim-orders"
import {
  prepareBulkOrdersStep,
  type PrepareBulkOrdersInput,
  type PrepareBulkOrdersOutput,
} from "../steps/prepare-orders"
import {
  createLineGiftOrdersBulkStep,
  type CreatedBulkOrder,
} from "../steps/create-orders"
import { captureLineGiftPaymentsBulkStep } from "../steps/capture-payments"
import { reserveLineGiftStockBulkStep } from "../steps/reserve-stock"
import { finishLineGiftRecordsBulkStep } from "../steps/finish-records"

/** Input of importLineGiftOrdersBulkWorkflow: one page of parsed, filtered orders of a shop. */
export type ImportLineGiftOrdersBulkInput = {
  shop_id: string
  run_id: string | null
  region_id: string
  sales_channel_id: string | null
  shipping_option_id: string | null
  /** Placeholder customer email (LINE Gift gives none). */
  email: string
  /** The validated orders (parseLineGiftOrder) with the payload exactly as LINE Gift sent it. */
  orders: Array<{ order: LineGiftOrder; raw: unknown }>
  /** Merchant's own SKU mapping (LINE Gift code → Medusa variant id), if any. */
  sku_overrides?: Record<string, string>
}

/** What happened to one LINE Gift order of the page. */
export type BulkImportOrderResult =
  | { status: "created"; order_id: string; record_id: string; flags: string[] }
  | { status: "already_imported" }
  | { status: "failed"; reason: string }

/** Output: LINE Gift order id → result, for every order of the input. */
export type ImportLineGiftOrdersBulkOutput = Record<
  string,
  BulkImportOrderResult
>

export const importLineGiftOrdersBulkWorkflowId = "import-line-gift-orders-bulk"

type Claim = ClaimOrdersBulkOutput
type Prepared = PrepareBulkOrdersOutput
type Found = {
  salesChannel: { id: string } | null | undefined
  customer: { id: string; email: string } | null | undefined
}

/** The claim step's input: every order of the page with its payload and purchase time. */
function claimInput({ input }: { input: ImportLineGiftOrdersBulkInput }) {
  return {
    shop_id: input.shop_id,
    run_id: input.run_id,
    orders: input.orders.map(({ order, raw }) => ({
      line_gift_order_id: order.id,
      line_gift_status: order.status,
      raw,
      bought_at:
        order.bought_on !== undefined ? new Date(order.bought_on * 1000) : null,
    })),
  }
}

/** The prepare step's input: the claimed orders, with the channel and customer found. */
function prepareInput({
  input,
  claim,
  found,
}: {
  input: ImportLineGiftOrdersBulkInput
  claim: Claim
  found: Found
}): PrepareBulkOrdersInput {
  return {
    orders: input.orders
      .filter(({ order }) => claim.claimed[order.id])
      .map(({ order }) => ({ order, record_id: claim.claimed[order.id] })),
    shop_id: input.shop_id,
    region_id: input.region_id,
    sales_channel: found.salesChannel ? { id: found.salesChannel.id } : null,
    customer: found.customer
      ? { id: found.customer.id, email: found.customer.email }
      : null,
    shipping_option_id: input.shipping_option_id,
    email: input.email,
    sku_overrides: input.sku_overrides,
  }
}

/** The capture step's input: per created order, the amount paid on LINE Gift. */
function captureInput({
  prepared,
  created,
}: {
  prepared: Prepared
  created: CreatedBulkOrder[]
}) {
  const amounts = new Map(
    prepared.prepared.map((p) => [p.line_gift_order_id, p.amount])
  )
  return created.map((c) => ({
    order_id: c.order_id,
    amount: amounts.get(c.line_gift_order_id) as number,
    currency_code: c.currency_code,
  }))
}

/** The reserve step's input: orders imported `out_of_stock` get no reservation (stock was short). */
function reserveInput({
  prepared,
  created,
}: {
  prepared: Prepared
  created: CreatedBulkOrder[]
}) {
  const short = new Set(
    prepared.prepared
      .filter((p) => p.flags.includes("out_of_stock"))
      .map((p) => p.line_gift_order_id)
  )
  return {
    orders: created.filter((c) => !short.has(c.line_gift_order_id)),
    stock: prepared.stock,
    location_ids: prepared.location_ids,
  }
}

/** The finish step's input: records to mark imported (flags) or failed (reason). */
function finishInput({ prepared }: { prepared: Prepared }) {
  return {
    imported: prepared.prepared.map((p) => ({
      record_id: p.record_id,
      flags: p.flags,
    })),
    failed: prepared.failed.map((f) => ({
      record_id: f.record_id,
      reason: f.reason,
    })),
  }
}

/** The workflow's output: a result for every order of the input. */
function pageResult({
  input,
  claim,
  prepared,
  created,
}: {
  input: ImportLineGiftOrdersBulkInput
  claim: Claim
  prepared: Prepared
  created: CreatedBulkOrder[]
}): ImportLineGiftOrdersBulkOutput {
  const out: ImportLineGiftOrdersBulkOutput = {}
  const byId = new Map(prepared.prepared.map((p) => [p.line_gift_order_id, p]))
  for (const id of claim.already) out[id] = { status: "already_imported" }
  for (const f of prepared.failed)
    out[f.line_gift_order_id] = { status: "failed", reason: f.reason }
  for (const c of created) {
    const p = byId.get(c.line_gift_order_id)!
    out[c.line_gift_order_id] = {
      status: "created",
      order_id: c.order_id,
      record_id: p.record_id,
      flags: p.flags,
    }
  }
  for (const { order } of input.orders) {
    out[order.id] ??= {
      status: "failed",
      reason: "not imported (unknown reason)",
    }
  }
  return out
}

/**
 * A page of LINE Gift orders → Medusa orders, with the semantics of importLineGiftOrderWorkflow
 * applied to each order, but with one write per kind of data instead of one
 * createOrderWorkflow (+ payment workflows) per order:
 * claim each record (atomic, as per order) → sales channel and customer (core steps) →
 * prepare (ONE variant lookup for every SKU of the page, mapLineGiftOrder, stock check, line
 * items and tax lines as createOrderWorkflow computes them) → `orderModule.createOrders` for
 * all, with the record ↔ order links in the same step → payment collections captured in bulk,
 * each linked to its order right after it is written → reservations in bulk →
 * `payment.captured` events →
 * records `imported` (or `failed` with the reason for orders that could not be mapped or had
 * no stock: they do not stop the others).
 *
 * A failing write (database, module) fails the whole page: every step is compensated (orders,
 * payments, reservations, links deleted; records back to `failed`, "import rolled back") and
 * the error is thrown. `importLineGiftOrdersPage` (../run-page) then imports that page order
 * by order, so that one bad order cannot lose the page.
 */
export const importLineGiftOrdersBulkWorkflow = createWorkflow(
  importLineGiftOrdersBulkWorkflowId,
  (input: ImportLineGiftOrdersBulkInput) => {
    const claim = claimLineGiftOrdersBulkStep(transform({ input }, claimInput))

    const [salesChannel, customerData] = parallelize(
      findSalesChannelStep(
        transform({ input }, ({ input }) => ({
          salesChannelId: input.sales_channel_id ?? undefined,
        }))
      ),
      findOrCreateCustomerStep(
        transform({ input }, ({ input }) => ({ email: input.email }))
      )
    )
    const found = transform(
      { salesChannel, customerData },
      ({ salesChannel, customerData }): Found => ({
        salesChannel: salesChannel as Found["salesChannel"],
        customer: customerData?.customer as Found["customer"],
      })
    )

    const prepared = prepareBulkOrdersStep(
      transform({ input, claim, found }, prepareInput)
    )

    const created = createLineGiftOrdersBulkStep(
      transform({ prepared }, ({ prepared }) => prepared.prepared)
    )

    const payments = captureLineGiftPaymentsBulkStep(
      transform({ prepared, created }, captureInput)
    )

    reserveLineGiftStockBulkStep(transform({ prepared, created }, reserveInput))

    when(
      "line-gift-bulk-payments-captured",
      { payments },
      ({ payments }) => payments.length > 0
    ).then(() => {
      emitEventStep({
        eventName: PaymentEvents.CAPTURED,
        data: transform({ payments }, ({ payments }) =>
          payments.map((p) => ({ id: p.payment_id }))
        ),
      })
    })

    finishLineGiftRecordsBulkStep(transform({ prepared }, finishInput))

    return new WorkflowResponse(
      transform({ input, claim, prepared, created }, pageResult)
    )
  }
)
