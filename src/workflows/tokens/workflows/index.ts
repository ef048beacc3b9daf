import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { startLineGiftAuthorizationStep } from "../steps/start-authorization"
import { completeLineGiftAuthorizationStep } from "../steps/complete-authorization"
import { refreshLineGiftAccessTokenStep } from "../steps/refresh-access-token"

/** Starts the browser OAuth of a shop. Output: `{ authorize_url, redirect_uri }`. */
export const startLineGiftAuthorizationWorkflow = createWorkflow(
  "start-line-gift-authorization",
  (input: { shop_id: string }) => new WorkflowResponse(startLineGiftAuthorizationStep(input))
)

/** Completes the browser OAuth (callback). Output: the shop id. */
export const completeLineGiftAuthorizationWorkflow = createWorkflow(
  "complete-line-gift-authorization",
  (input: { state: string; code: string }) =>
    new WorkflowResponse(completeLineGiftAuthorizationStep(input))
)

/** Re-acquires a shop's access token (rotating the refresh token). Output: the shop id. */
export const refreshLineGiftAccessTokenWorkflow = createWorkflow(
  "refresh-line-gift-access-token",
  (input: { shop_id: string }) => new WorkflowResponse(refreshLineGiftAccessTokenStep(input))
)
