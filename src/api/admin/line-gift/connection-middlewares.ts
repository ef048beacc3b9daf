import {
  validateAndTransformBody,
  type MiddlewareRoute,
} from "@medusajs/framework/http"
import {
  AdminLineGiftConnectionCheck,
  AdminLineGiftManualCredentials,
} from "./connection-validators"

/** Middlewares of the connection routes (admin session required by Medusa for /admin). */
export const adminLineGiftConnectionMiddlewares: MiddlewareRoute[] = [
  {
    method: ["POST"],
    matcher: "/admin/line-gift/shops/:id/connection-check",
    middlewares: [validateAndTransformBody(AdminLineGiftConnectionCheck)],
  },
  {
    method: ["POST"],
    matcher: "/admin/line-gift/shops/:id/credentials",
    middlewares: [validateAndTransformBody(AdminLineGiftManualCredentials)],
  },
]
