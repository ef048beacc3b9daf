import {
  createOrderPaymentCollectionWorkflow,
  createOrderWorkflow,
  createRemoteLinkStep,
  markPaymentCollectionAsPaid,
} from "@medusajs/medusa/core-flows"
import {
  createWorkflow,
  transform,
  when,
  WorkflowResponse,
  type WorkflowData,
} from "@medusajs/framework/workflows-sdk"
import { Modules } from "@medusajs/framework/utils"
import type { CreateOrderDTO } from "@medusajs/framework/types"
import type { LineGiftOrder } from "../../../lib/line-gift/schemas"
import {
  isPricedLineGiftOrder,
  type MappedOrder,
  type MappedOrderInput,
  type ProvisionalFlag,
} from "../../../lib/mapping"
import { LINE_GIFT_MODULE } from "../../../modules/line-gift"
import { claimLineGiftOrderStep } from "../steps/claim-line-gift-order"
import { buildOrderInputStep } from "../steps/build-order-input"
import { reserveLineGiftStockStep } from "../steps/reserve-stock"
import { markImportPaymentCollectionStep } from "../steps/mark-import-payment-collection"
import { removeOrderPromotionsStep } from "../steps/remove-order-promotions"
import { markLineGiftOrderImportedStep } from "../steps/mark-line-gift-order-imported"

/** Input of importLineGiftOrderWorkflow. */
export type ImportLineGiftOrderInput = {
  shop_id: string
  run_id: string | null
  /** The validated order (parseLineGiftOrder). */
  order: LineGiftOrder
  /** The order exactly as LINE Gift sent it (stored on the record). */
  raw: unknown
  region_id: string
  sales_channel_id: string | null
  shipping_option_id: string | null
  /** Placeholder customer email (LINE Gift gives none). */
  email: string
  sku_overrides?: Record<string, string>
  /**
   * Import as a provisional order: its address is not final — the gift waits for the
   * recipient (gift_message_wait / gift_message_send), or LINE Gift sent no or part of the
   * address. The order gets the address parts LINE Gift sent (else a Japan-only address),
   * reserves stock, carries `provisional_flag`; the record is marked `provisional`.
   */
  provisional?: boolean
  /**
   * The flag of a provisional order: `provisional` (default; waiting for the recipient),
   * `no_address` or `partial_address` (a ready-to-ship order LINE Gift sent without its whole
   * address). Each is completed when the whole address arrives.
   */
  provisional_flag?: ProvisionalFlag
}

/** Output: the Medusa order made and the record linked to it. */
export type ImportLineGiftOrderOutput = {
  order_id: string
  record_id: string
  flags: string[]
}

/** Workflow id of importLineGiftOrderWorkflow. */
export const importLineGiftOrderWorkflowId = "import-line-gift-order"

/**
 * The createOrderWorkflow input of the mapped order. A provisional order has no address yet:
 * a country-only address keeps it in Japan (taxes, and updateOrderWorkflow refuses to change
 * the country later), and its `metadata.line_gift` says provisional, with the flags.
 */
function orderInput({
  mapped,
  input,
  flags,
}: {
  mapped: MappedOrder
  input: ImportLineGiftOrderInput
  flags: string[]
}): CreateOrderDTO {
  const data: MappedOrderInput = { ...mapped.input }
  if (input.provisional) {
    data.shipping_address = data.shipping_address ?? { country_code: "jp" }
    data.metadata = {
      ...data.metadata,
      line_gift: {
        ...(data.metadata.line_gift as Record<string, unknown> | undefined),
        provisional: true,
        flags,
      },
    }
  }
  return data
}

/**
 * Composition stage of importLineGiftOrderWorkflow: the order's payment collection (Medusa's
 * createOrderPaymentCollectionWorkflow), marked with the order and the record (as the bulk
 * import's), then marked paid (captured with the system provider: it is paid on LINE Gift).
 */
function recordPayment(
  order: WorkflowData<{ id: string }>,
  recordId: WorkflowData<string>,
  input: ImportLineGiftOrderInput
) {
  const paymentCollections = createOrderPaymentCollectionWorkflow.runAsStep({
    input: transform({ order, input }, ({ order, input }) => ({
      order_id: order.id,
      amount: input.order.selling_price as number,
    })),
  })

  markImportPaymentCollectionStep(
    transform(
      { order, paymentCollections, recordId },
      ({ order, paymentCollections, recordId }) => ({
        payment_collection_id: paymentCollections[0].id,
        order_id: order.id,
        record_id: recordId,
      })
    )
  )

  markPaymentCollectionAsPaid.runAsStep({
    input: transform(
      { order, paymentCollections },
      ({ order, paymentCollections }) => ({
        order_id: order.id,
        payment_collection_id: paymentCollections[0].id,
      })
    ),
  })
}

/**
 * One LINE Gift order → one Medusa order, all or nothing:
 * claim the record → map (variant by SKU) → createOrderWorkflow (tax-inclusive JPY prices,
 * recipient address) → the store's automatic promotions taken off (removeOrderPromotionsStep:
 * the total is LINE Gift's selling_price) → payment collection, marked with the order and record (as the bulk
 * import's) → marked paid (captured: it is paid on LINE Gift; none for a ¥0 order) →
 * stock reservations → link record ↔ order → record `imported` (provisional: see input).
 * Any failure compensates the steps before it (the order is deleted by Medusa's own
 * compensations, reservations removed, the record set to `failed`).
 * @throws MedusaError DUPLICATE_ERROR (ALREADY_CLAIMED) when the order is already imported.
 */
export const importLineGiftOrderWorkflow = createWorkflow(
  importLineGiftOrderWorkflowId,
  (input: ImportLineGiftOrderInput) => {
    const claimInput = transform({ input }, ({ input }) => ({
      shop_id: input.shop_id,
      line_gift_order_id: input.order.id,
      line_gift_status: input.order.status,
      raw: input.raw,
      run_id: input.run_id,
      bought_at:
        input.order.bought_on !== undefined
          ? new Date(input.order.bought_on * 1000)
          : null,
    }))
    const recordId = claimLineGiftOrderStep(claimInput)

    const mapped = buildOrderInputStep(
      transform({ input }, ({ input }) => ({
        order: input.order,
        shop_id: input.shop_id,
        region_id: input.region_id,
        sales_channel_id: input.sales_channel_id,
        shipping_option_id: input.shipping_option_id,
        email: input.email,
        sku_overrides: input.sku_overrides,
      }))
    )

    const flags = transform({ mapped, input }, ({ mapped, input }): string[] =>
      input.provisional
        ? [...mapped.flags, input.provisional_flag ?? "provisional"]
        : mapped.flags
    )

    const order = createOrderWorkflow.runAsStep({
      input: transform({ mapped, input, flags }, orderInput),
    })
    // Priced and paid on LINE Gift: the store's automatic promotions do not apply.
    removeOrderPromotionsStep(
      transform({ order }, ({ order }) => ({ order_id: order.id }))
    )

    // A ¥0 order (a free gift) has nothing to capture (Medusa refuses a capture of 0): as core
    // completes a cart whose total is 0, it gets no payment (paid total 0 = total).
    when("line-gift-order-has-a-price", { input }, ({ input }) =>
      isPricedLineGiftOrder(input.order.selling_price)
    ).then(() => {
      recordPayment(order, recordId, input)
    })

    reserveLineGiftStockStep(
      transform({ order, input, flags }, ({ order, input, flags }) => ({
        order_id: order.id,
        sales_channel_id: input.sales_channel_id,
        skip: flags.includes("out_of_stock"),
      }))
    )

    createRemoteLinkStep(
      transform({ order, recordId }, ({ order, recordId }) => [
        {
          [LINE_GIFT_MODULE]: { line_gift_order_id: recordId },
          [Modules.ORDER]: { order_id: order.id },
        },
      ])
    )

    markLineGiftOrderImportedStep(
      transform({ recordId, flags, input }, ({ recordId, flags, input }) => ({
        record_id: recordId,
        flags,
        provisional: !!input.provisional,
      }))
    )

    return new WorkflowResponse(
      transform({ order, recordId, flags }, ({ order, recordId, flags }) => ({
        order_id: order.id,
        record_id: recordId,
        flags,
      }))
    )
  }
)
