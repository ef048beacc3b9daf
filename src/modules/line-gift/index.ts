import { Module } from "@medusajs/framework/utils"
import checkEncryptionKeyLoader from "./loaders/check-encryption-key"
import LineGiftModuleService from "./service"

/** The module's registration name: `container.resolve(LINE_GIFT_MODULE)`. */
export const LINE_GIFT_MODULE = "lineGift"

/** The line-gift module (service + start-up key check), registered under LINE_GIFT_MODULE. */
export default Module(LINE_GIFT_MODULE, {
  service: LineGiftModuleService,
  // Start-up check of the encryption key: refuses to start when stored secrets cannot be read.
  loaders: [checkEncryptionKeyLoader],
})

export { LineGiftModuleService }
