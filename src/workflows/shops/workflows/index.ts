import {
  createWorkflow,
  transform,
  WorkflowResponse,
} from "@medusajs/framework/workflows-sdk"
import type { ShopInput } from "../../../modules/line-gift/service"
import {
  createLineGiftShopStep,
  deleteLineGiftShopStep,
  holdExportsOfDeletedShopStep,
  readLineGiftShopClientIdStep,
  refreshNextFetchStep,
  refuseSecondShopOnAppStep,
  SCHEDULE_FIELDS,
  type ScheduleField,
  updateLineGiftShopStep,
} from "../steps/shop-steps"

/**
 * Shop changes are kept by the workflow engine for 7 days (Medusa's workflow executions, an
 * audit of who changed a shop when). Their input therefore must never hold a clear secret:
 * `client_secret` is sealed before the workflow (src/api/admin/line-gift/shop-workflow-input.ts,
 * issue 15 item 5b) and travels as `client_secret_encrypted`.
 */
const STORED = { store: true, retentionTime: 7 * 24 * 3600 }

const touchesSchedule = (data: Partial<Record<ScheduleField, unknown>>) =>
  SCHEDULE_FIELDS.some((key) => data[key] !== undefined)

/**
 * Creates a LINE Gift shop connection and computes its first automatic fetch
 * (`next_fetch_at`). Output: the shop without secrets (PublicShop).
 * @throws MedusaError INVALID_DATA when another live shop has its client_id
 *   (refuseSecondShopOnAppStep; the shop is not kept).
 */
export const createLineGiftShopWorkflow = createWorkflow(
  { name: "create-line-gift-shop", ...STORED },
  (input: ShopInput & { name: string }) => {
    const shop = createLineGiftShopStep(input)
    refuseSecondShopOnAppStep(
      transform({ shop }, ({ shop }) => ({
        id: shop.id,
        previous_client_id: null,
      }))
    )
    return new WorkflowResponse(
      refreshNextFetchStep(
        transform({ shop, input }, ({ shop, input }) => ({
          id: shop.id,
          changed: touchesSchedule(input),
        }))
      )
    )
  }
)

/**
 * Updates a shop's settings; when a schedule setting got another value (scheduleChanged — not
 * merely sent: the admin sends every field), recomputes `next_fetch_at` (Asia/Tokyo,
 * src/lib/schedule.ts). Output: PublicShop.
 * @throws MedusaError INVALID_DATA when the client_id changed to one another live shop has
 *   (refuseSecondShopOnAppStep; the update is undone).
 */
export const updateLineGiftShopWorkflow = createWorkflow(
  { name: "update-line-gift-shop", ...STORED },
  (input: { id: string; data: ShopInput }) => {
    const previousClientId = readLineGiftShopClientIdStep({ id: input.id })
    const updated = updateLineGiftShopStep(input)
    refuseSecondShopOnAppStep(
      transform({ input, previousClientId }, ({ input, previousClientId }) => ({
        id: input.id,
        previous_client_id: previousClientId,
      }))
    )
    return new WorkflowResponse(
      refreshNextFetchStep(
        transform({ input, updated }, ({ input, updated }) => ({
          id: input.id,
          changed: updated.schedule_changed,
        }))
      )
    )
  }
)

/**
 * Removes a shop (soft delete; refused while its import runs), and holds its shipments not yet
 * sent with the reason (holdExportsOfDeletedShopStep). Output: its id.
 */
export const deleteLineGiftShopWorkflow = createWorkflow(
  "delete-line-gift-shop",
  (input: { id: string }) => {
    const id = deleteLineGiftShopStep(input)
    holdExportsOfDeletedShopStep(input)
    return new WorkflowResponse(id)
  }
)
