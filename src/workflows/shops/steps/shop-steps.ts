import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { LINE_GIFT_MODULE } from "../../../modules/line-gift"
import type LineGiftModuleService from "../../../modules/line-gift/service"
import type { ShopInput } from "../../../modules/line-gift/service"

/** Creates a shop (secret encrypted). Compensation: deletes it. */
export const createLineGiftShopStep = createStep(
  "create-line-gift-shop",
  async (input: ShopInput & { name: string }, { container }) => {
    const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
    const shop = await service.createShop(input)
    return new StepResponse(shop, shop.id)
  },
  async (id, { container }) => {
    if (id) {
      await (container.resolve(LINE_GIFT_MODULE) as LineGiftModuleService).deleteLineGiftShops(id)
    }
  }
)

/**
 * Updates a shop's settings. Compensation: restores the previous stored columns (secrets
 * stay encrypted; nothing is decrypted for it).
 */
export const updateLineGiftShopStep = createStep(
  "update-line-gift-shop",
  async (input: { id: string; data: ShopInput }, { container }) => {
    const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
    const before = (await service.retrieveLineGiftShop(input.id)) as any
    const shop = await service.updateShop(input.id, input.data)
    const previous: Record<string, unknown> = { id: input.id }
    for (const key of Object.keys(input.data)) {
      const column = key === "client_secret" ? "client_secret_encrypted" : key
      previous[column] = before[column]
    }
    return new StepResponse(shop, previous)
  },
  async (previous, { container }) => {
    if (previous) {
      await (container.resolve(LINE_GIFT_MODULE) as LineGiftModuleService).updateLineGiftShops(
        previous as any
      )
    }
  }
)

/** Soft-deletes a shop (its records and runs stay for history). Compensation: restores it. */
export const deleteLineGiftShopStep = createStep(
  "delete-line-gift-shop",
  async (input: { id: string }, { container }) => {
    const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
    await service.retrieveLineGiftShop(input.id)
    await service.softDeleteLineGiftShops(input.id)
    return new StepResponse(input.id, input.id)
  },
  async (id, { container }) => {
    if (id) {
      await (container.resolve(LINE_GIFT_MODULE) as LineGiftModuleService).restoreLineGiftShops(id)
    }
  }
)
