import { defineMiddlewares } from "@medusajs/framework/http"
import { adminLineGiftMiddlewares } from "./admin/line-gift/middlewares"
import { adminLineGiftExportMiddlewares } from "./admin/line-gift/export-middlewares"
import { adminLineGiftConnectionMiddlewares } from "./admin/line-gift/connection-middlewares"

export default defineMiddlewares({
  routes: [
    ...adminLineGiftMiddlewares,
    ...adminLineGiftExportMiddlewares,
    ...adminLineGiftConnectionMiddlewares,
  ],
})
