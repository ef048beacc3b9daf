import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import type { ShopInput } from "../../../modules/line-gift/service"
import {
  createLineGiftShopStep,
  deleteLineGiftShopStep,
  updateLineGiftShopStep,
} from "../steps/shop-steps"

/** Creates a LINE Gift shop connection. Output: the shop without secrets (PublicShop). */
export const createLineGiftShopWorkflow = createWorkflow(
  "create-line-gift-shop",
  (input: ShopInput & { name: string }) => new WorkflowResponse(createLineGiftShopStep(input))
)

/** Updates a shop's settings. Output: PublicShop. */
export const updateLineGiftShopWorkflow = createWorkflow(
  "update-line-gift-shop",
  (input: { id: string; data: ShopInput }) => new WorkflowResponse(updateLineGiftShopStep(input))
)

/** Removes a shop (soft delete). Output: its id. */
export const deleteLineGiftShopWorkflow = createWorkflow(
  "delete-line-gift-shop",
  (input: { id: string }) => new WorkflowResponse(deleteLineGiftShopStep(input))
)
