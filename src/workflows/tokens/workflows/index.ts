import {
  createWorkflow,
  WorkflowResponse,
} from "@medusajs/framework/workflows-sdk"
import { startLineGiftAuthorizationStep } from "../steps/start-authorization"
import { refreshLineGiftAccessTokenStep } from "../steps/refresh-access-token"

/** Starts the browser OAuth of a shop. Output: `{ authorize_url, redirect_uri }`. */
export const startLineGiftAuthorizationWorkflow = createWorkflow(
  "start-line-gift-authorization",
  (input: { shop_id: string }) =>
    new WorkflowResponse(startLineGiftAuthorizationStep(input))
)

/** Re-acquires a shop's access token (rotating the refresh token). Output: the shop id. */
export const refreshLineGiftAccessTokenWorkflow = createWorkflow(
  "refresh-line-gift-access-token",
  (input: { shop_id: string }) =>
    new WorkflowResponse(refreshLineGiftAccessTokenStep(input))
)

// The callback and manual credentials are NOT workflows (their input is a secret that the
// workflow engine could store): see ../credentials.ts.
export {
  completeLineGiftAuthorization,
  setLineGiftManualCredentials,
} from "../credentials"
