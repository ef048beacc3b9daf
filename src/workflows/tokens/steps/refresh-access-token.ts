import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MedusaError } from "@medusajs/framework/utils"
import { LINE_GIFT_MODULE } from "../../../modules/line-gift"
import type LineGiftModuleService from "../../../modules/line-gift/service"
import {
  getLineGiftClient,
  merchantTokenError,
  ShopTokenStore,
} from "../../helpers/line-gift-client"

/**
 * Re-acquires the shop's access token with its refresh token (LINE Gift rotates both),
 * under the shop's token lock; the new pair is saved before it is used.
 * No compensation: a rotated refresh token cannot be un-rotated; the saved pair is the only
 * working one.
 * @throws MedusaError NOT_ALLOWED when the shop was never authorised, or LINE Gift refused
 *   (the refresh token is dead and a person must re-authorise; the app's credentials), with
 *   LINE Gift's reason; UNEXPECTED_STATE when LINE Gift could not be reached (merchantTokenError).
 */
export const refreshLineGiftAccessTokenStep = createStep(
  "refresh-line-gift-access-token",
  async (input: { shop_id: string }, { container }) => {
    const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
    const creds = await service.getShopCredentials(input.shop_id)
    if (!creds.refreshToken) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        'This LINE Gift shop has no refresh token yet: use "Get refresh token" first.'
      )
    }
    const client = await getLineGiftClient(container, input.shop_id)
    const store = new ShopTokenStore(container, input.shop_id)
    await store
      .refreshAccessToken(creds.accessToken, (rt) => client.refreshTokens(rt))
      .catch((e: unknown) => {
        throw merchantTokenError(e)
      })
    return new StepResponse(input.shop_id)
  }
)
