import {
  createWorkflow,
  transform,
  WorkflowResponse,
} from "@medusajs/framework/workflows-sdk"
import {
  splitAppInput,
  type ShopInput,
} from "../../../modules/line-gift/service"
import {
  createLineGiftShopStep,
  deleteLineGiftShopStep,
  holdExportsOfDeletedShopStep,
  refreshNextFetchStep,
  refuseSecondShopOnAppStep,
  SCHEDULE_FIELDS,
  type ScheduleField,
  updateLineGiftShopAppStep,
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
      transform({ shop, input }, ({ shop, input }) => ({
        id: shop.id,
        client_id: input.client_id,
        new_shop: true,
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
 * src/lib/schedule.ts). The app (client_id / client_secret) is saved last
 * (updateLineGiftShopAppStep): another client_id deletes the old app's tokens and pending
 * authorisation under the shop's token lock — last, so that nothing after it can fail and
 * roll the settings back while the tokens stay deleted. Output: PublicShop.
 * @throws MedusaError INVALID_DATA when the client_id changes to one another live shop has
 *   (refuseSecondShopOnAppStep, before anything is written).
 */
export const updateLineGiftShopWorkflow = createWorkflow(
  { name: "update-line-gift-shop", ...STORED },
  (input: { id: string; data: ShopInput }) => {
    const parts = transform({ input }, ({ input }) => splitAppInput(input.data))
    refuseSecondShopOnAppStep(
      transform({ input, parts }, ({ input, parts }) => ({
        id: input.id,
        client_id: parts.app.client_id,
      }))
    )
    const updated = updateLineGiftShopStep(
      transform({ input, parts }, ({ input, parts }) => ({
        id: input.id,
        data: parts.settings,
      }))
    )
    const shop = refreshNextFetchStep(
      transform({ input, updated }, ({ input, updated }) => ({
        id: input.id,
        changed: updated.schedule_changed,
      }))
    )
    return new WorkflowResponse(
      updateLineGiftShopAppStep(
        transform({ input, parts, shop }, ({ input, parts, shop }) => ({
          id: input.id,
          app: parts.app,
          shop,
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
