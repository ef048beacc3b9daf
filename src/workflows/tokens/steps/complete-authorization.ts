import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { LINE_GIFT_MODULE } from "../../../modules/line-gift"
import type LineGiftModuleService from "../../../modules/line-gift/service"
import { getLineGiftClient, oauthRedirectUri } from "../../helpers/line-gift-client"

/**
 * Completes the browser authorisation: checks and consumes the state, exchanges the code
 * for a token pair and stores it (encrypted).
 * No compensation: the state and the code are single-use on both sides, and the new pair
 * replaces the old one at LINE Gift; undoing would only lose the working pair.
 * @returns the shop id.
 * @throws MedusaError NOT_ALLOWED (bad/used/expired state); LineGiftApiError from the exchange.
 */
export const completeLineGiftAuthorizationStep = createStep(
  "complete-line-gift-authorization",
  async (input: { state: string; code: string }, { container }) => {
    const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
    const shopId = await service.consumeOAuthStateToken(input.state)
    const client = await getLineGiftClient(container, shopId)
    const tokens = await client.exchangeAuthorizationCode({
      code: input.code,
      redirectUri: oauthRedirectUri(container),
    })
    await service.saveTokens(shopId, tokens)
    return new StepResponse(shopId)
  }
)
