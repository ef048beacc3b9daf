import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { LINE_GIFT_MODULE } from "../../../modules/line-gift"
import type LineGiftModuleService from "../../../modules/line-gift/service"
import type { LineGiftOrder } from "../../../lib/line-gift/schemas"
import { unpack, type Packed } from "../utils/packed"

/** Input: the orders of a page to claim for this import (packed: see utils/packed). */
export type ClaimOrdersBulkInput = {
  shop_id: string
  run_id: string | null
  /** The validated orders with the payload exactly as LINE Gift sent it. */
  orders: Packed<Array<{ order: LineGiftOrder; raw: unknown }>>
}

/** Result: who won each claim. */
export type ClaimOrdersBulkOutput = {
  /** LINE Gift order id → record id, for the orders this run now holds (`importing`). */
  claimed: Record<string, string>
  /** LINE Gift order ids already imported or being imported by another run. */
  already: string[]
}

/**
 * Claims every order of the page with the module's atomic `claimOrders` (ONE SQL statement
 * for the page, the same rule per order as the per-order import's `claimOrder`: a record in
 * `failed`/`seen` or none → ours; in `importing`/`imported` → someone else's). Two runs
 * racing for one order: exactly one wins. An order id given twice is claimed once.
 * Compensation: the records this step claimed go to `failed` ("import rolled back"), so
 * that the next run retries them; they are not deleted.
 */
export const claimLineGiftOrdersBulkStep = createStep(
  "claim-line-gift-orders-bulk",
  async (input: ClaimOrdersBulkInput, { container }) => {
    const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
    const orders = unpack(input.orders).map(({ order, raw }) => ({
      line_gift_order_id: order.id,
      line_gift_status: order.status,
      raw,
      bought_at:
        order.bought_on !== undefined ? new Date(order.bought_on * 1000) : null,
    }))
    const won = await service.claimOrders(input.shop_id, input.run_id, orders)
    const out: ClaimOrdersBulkOutput = { claimed: {}, already: [] }
    for (const o of orders) {
      const id = won.get(o.line_gift_order_id)
      if (id && !out.claimed[o.line_gift_order_id])
        out.claimed[o.line_gift_order_id] = id
      else out.already.push(o.line_gift_order_id)
    }
    return new StepResponse(out, Object.values(out.claimed))
  },
  async (recordIds, { container }) => {
    if (!recordIds?.length) return
    const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
    await service.updateLineGiftOrders(
      recordIds.map((id) => ({
        id,
        state: "failed" as const,
        failure_reason: "import rolled back",
      }))
    )
  }
)
