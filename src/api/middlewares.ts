import { defineMiddlewares } from "@medusajs/framework/http"
import { adminLineGiftMiddlewares } from "./admin/line-gift/middlewares"

export default defineMiddlewares({
  routes: [...adminLineGiftMiddlewares],
})
