import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { LINE_GIFT_MODULE } from "../../../modules/line-gift"
import type LineGiftModuleService from "../../../modules/line-gift/service"

/** Input: the orders of a page to claim for this import. */
export type ClaimOrdersBulkInput = {
  shop_id: string
  run_id: string | null
  orders: Array<{
    line_gift_order_id: string
    line_gift_status: string
    raw: unknown
    bought_at: Date | null
  }>
}

/** Result: who won each claim. */
export type ClaimOrdersBulkOutput = {
  /** LINE Gift order id → record id, for the orders this run now holds (`importing`). */
  claimed: Record<string, string>
  /** LINE Gift order ids already imported or being imported by another run. */
  already: string[]
}

/**
 * Claims every order of the page with the module's atomic `claimOrder` (one SQL statement per
 * order, the same as the per-order import: a record in `failed`/`seen` or none → ours; in
 * `importing`/`imported` → someone else's). Two runs racing for one order: exactly one wins.
 * Compensation: the records this step claimed go to `failed` ("import rolled back"), so
 * that the next run retries them; they are not deleted.
 */
export const claimLineGiftOrdersBulkStep = createStep(
  "claim-line-gift-orders-bulk",
  async (input: ClaimOrdersBulkInput, { container }) => {
    const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
    const out: ClaimOrdersBulkOutput = { claimed: {}, already: [] }
    for (const o of input.orders) {
      const id = await service.claimOrder({
        shop_id: input.shop_id,
        line_gift_order_id: o.line_gift_order_id,
        line_gift_status: o.line_gift_status,
        raw: o.raw,
        run_id: input.run_id,
        bought_at: o.bought_at,
      })
      if (id) out.claimed[o.line_gift_order_id] = id
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
        state: "failed",
        failure_reason: "import rolled back",
      })) as any
    )
  }
)
