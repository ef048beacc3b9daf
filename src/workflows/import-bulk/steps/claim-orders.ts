import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { LINE_GIFT_MODULE } from "../../../modules/line-gift"
import type LineGiftModuleService from "../../../modules/line-gift/service"
import type { LineGiftOrder } from "../../../lib/line-gift/schemas"
import {
  releaseClaimedRecords,
  type ClaimedRecord,
} from "../../recovery/import-leftovers"
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
 * that the next run retries them; they are not deleted. A record whose import left an order
 * or a payment collection behind (a later compensation failed) stays `importing` for crash
 * recovery, which finishes it on that order or deletes the orphan payments before releasing
 * it: retried at once, it would be ordered or paid twice (releaseClaimedRecords).
 */
export const claimLineGiftOrdersBulkStep = createStep(
  "claim-line-gift-orders-bulk",
  async (input: ClaimOrdersBulkInput, { container }) => {
    const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
    const claimedAt = Date.now()
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
    const undo: ClaimUndo = {
      shop_id: input.shop_id,
      claimed_at: claimedAt,
      records: Object.entries(out.claimed).map(([lineGiftId, id]) => ({
        id,
        line_gift_order_id: lineGiftId,
      })),
    }
    return new StepResponse(out, undo)
  },
  async (undo, { container }) => {
    if (!undo?.records.length) return
    await releaseClaimedRecords(
      container,
      undo.shop_id,
      undo.records,
      undo.claimed_at
    )
  }
)

/** What the compensation needs: the records claimed, and when (Unix milliseconds). */
type ClaimUndo = {
  shop_id: string
  claimed_at: number
  records: ClaimedRecord[]
}
