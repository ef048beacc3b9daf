import { defineMiddlewares } from "@medusajs/framework/http"
import { adminLineGiftMiddlewares } from "./admin/line-gift/middlewares"
import { adminLineGiftExportMiddlewares } from "./admin/line-gift/export-middlewares"

export default defineMiddlewares({
  routes: [
    ...adminLineGiftMiddlewares,
    ...adminLineGiftExportMiddlewares,
  ],
})
