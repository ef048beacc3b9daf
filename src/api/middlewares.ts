import { defineMiddlewares } from "@medusajs/framework/http"
import { adminLineGiftMiddlewares } from "./admin/line-gift/middlewares"
import { adminLineGiftExportMiddlewares } from "./admin/line-gift/export-middlewares"
import { adminLineGiftConnectionMiddlewares } from "./admin/line-gift/connection-middlewares"

/** The plugin's route middlewares: each resource's validation, spread in one list. */
export default defineMiddlewares({
  routes: [
    ...adminLineGiftMiddlewares,
    ...adminLineGiftExportMiddlewares,
    ...adminLineGiftConnectionMiddlewares,
  ],
})
