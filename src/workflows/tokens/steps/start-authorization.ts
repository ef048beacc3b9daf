import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { LINE_GIFT_MODULE } from "../../../modules/line-gift"
import type LineGiftModuleService from "../../../modules/line-gift/service"
import {
  getLineGiftClient,
  oauthRedirectUri,
} from "../../helpers/line-gift-client"

/**
 * Makes the LINE Gift authorize URL for a shop (with a signed single-use state stored on the
 * shop). Compensation: clears the pending state.
 * @returns `{ authorize_url, redirect_uri }`
 */
export const startLineGiftAuthorizationStep = createStep(
  "start-line-gift-authorization",
  async (input: { shop_id: string }, { container }) => {
    const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
    const client = await getLineGiftClient(container, input.shop_id)
    const state = await service.startOAuthState(input.shop_id)
    const redirectUri = oauthRedirectUri(container)
    return new StepResponse(
      {
        authorize_url: client.buildAuthorizeUrl({ redirectUri, state }),
        redirect_uri: redirectUri,
      },
      input.shop_id
    )
  },
  async (shopId, { container }) => {
    if (!shopId) {
      return
    }
    const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
    await service.updateLineGiftShops({
      id: shopId,
      oauth_state_nonce: null,
      oauth_state_expires_at: null,
    })
  }
)
