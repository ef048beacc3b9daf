import { Module } from "@medusajs/framework/utils"
import LineGiftModuleService from "./service"

/** The module's registration name: `container.resolve(LINE_GIFT_MODULE)`. */
export const LINE_GIFT_MODULE = "lineGift"

export default Module(LINE_GIFT_MODULE, {
  service: LineGiftModuleService,
})

export { LineGiftModuleService }
