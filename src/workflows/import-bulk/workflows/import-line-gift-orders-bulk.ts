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
  type PrepareBulkOrdersOutput,
  type PrepareBulkOrdersStepInput,
} from "../steps/prepare-orders"
import { pack, type Packed } from "../utils/packed"
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

/**
 * The page as the steps take it: the settings, and the orders packed into one string (the
 * engine walks and copies every input it resolves; see utils/packed). Made once per page.
 */
type Page = Omit<ImportLineGiftOrdersBulkInput, "orders"> & {
  orders: Packed<ImportLineGiftOrdersBulkInput["orders"]>
}

function packPage({ input }: { input: ImportLineGiftOrdersBulkInput }): Page {
  const { orders, ...settings } = input
  return { ...settings, orders: pack(orders) }
}

/** The prepare step's input: the page, the claims won, the channel and customer found. */
function prepareInput({
  page,
  claim,
  found,
}: {
  page: Page
  claim: Claim
  found: Found
}): PrepareBulkOrdersStepInput {
  return {
    orders: page.orders,
    claimed: claim.claimed,
    shop_id: page.shop_id,
    region_id: page.region_id,
    sales_channel: found.salesChannel ? { id: found.salesChannel.id } : null,
    customer: found.customer
      ? { id: found.customer.id, email: found.customer.email }
      : null,
    shipping_option_id: page.shipping_option_id,
    email: page.email,
    sku_overrides: page.sku_overrides,
  }
}

/** The reserve step's input: orders imported `out_of_stock` get no reservation (stock was short). */
function reserveInput({
  created,
  stock,
  location_ids,
}: {
  created: CreatedBulkOrder[]
  stock: Prepared["stock"]
  location_ids: Prepared["location_ids"]
}) {
  return {
    orders: created.filter((c) => !c.flags.includes("out_of_stock")),
    stock,
    location_ids,
  }
}

/** The finish step's input: records to mark imported (flags) or failed (reason). */
function finishInput({
  created,
  failed,
}: {
  created: CreatedBulkOrder[]
  failed: Prepared["failed"]
}) {
  return {
    imported: created.map((c) => ({ record_id: c.record_id, flags: c.flags })),
    failed: failed.map((f) => ({ record_id: f.record_id, reason: f.reason })),
  }
}

/** The workflow's output: a result for every order of the input (each claimed or already). */
function pageResult({
  claim,
  failed,
  created,
}: {
  claim: Claim
  failed: Prepared["failed"]
  created: CreatedBulkOrder[]
}): ImportLineGiftOrdersBulkOutput {
  const out: ImportLineGiftOrdersBulkOutput = {}
  for (const id of claim.already) out[id] = { status: "already_imported" }
  for (const f of failed)
    out[f.line_gift_order_id] = { status: "failed", reason: f.reason }
  for (const c of created) {
    out[c.line_gift_order_id] = {
      status: "created",
      order_id: c.order_id,
      record_id: c.record_id,
      flags: c.flags,
    }
  }
  for (const id of Object.keys(claim.claimed)) {
    out[id] ??= {
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
 * items and tax lines as createOrderWorkflow computes them, each order's id chosen) → payment
 * collections captured in bulk (collection, session, payment, capture: one write) →
 * `orderModule.createOrders` for all, each with the `capture` transaction of its collection,
 * then the record ↔ order and order ↔ collection links in one call → reservations in bulk →
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
    const page = transform({ input }, packPage)
    const claim = claimLineGiftOrdersBulkStep(
      transform({ page }, ({ page }) => ({
        shop_id: page.shop_id,
        run_id: page.run_id,
        orders: page.orders,
      }))
    )

    const [salesChannel, customerData] = parallelize(
      findSalesChannelStep(
        transform({ page }, ({ page }) => ({
          salesChannelId: page.sales_channel_id ?? undefined,
        }))
      ),
      findOrCreateCustomerStep(
        transform({ page }, ({ page }) => ({ email: page.email }))
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
      transform({ page, claim, found }, prepareInput)
    )

    // Each read of `prepared.<x>` resolves (copies) the whole output: its big part, the
    // prepared orders, is packed. Payments first: each order is written with the `capture` transaction of its collection.
    const payments = captureLineGiftPaymentsBulkStep(prepared.payments)

    const created = createLineGiftOrdersBulkStep({
      orders: prepared.prepared,
      payments,
    })

    reserveLineGiftStockBulkStep(
      transform(
        {
          created,
          stock: prepared.stock,
          location_ids: prepared.location_ids,
        },
        reserveInput
      )
    )

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

    finishLineGiftRecordsBulkStep(
      transform({ created, failed: prepared.failed }, finishInput)
    )

    return new WorkflowResponse(
      transform({ claim, failed: prepared.failed, created }, pageResult)
    )
  }
)
