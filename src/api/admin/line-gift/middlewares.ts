import {
  validateAndTransformBody,
  type MiddlewareRoute,
} from "@medusajs/framework/http"
import { validateQuery } from "./validate-query"
import {
  AdminCreateLineGiftShop,
  AdminCreateLineGiftSkuMapping,
  AdminListLineGiftOrders,
  AdminListLineGiftRuns,
  AdminStartLineGiftImport,
  AdminUpdateLineGiftShop,
} from "./validators"

/** Middlewares of /admin/line-gift/*. /admin routes need an admin session (Medusa's own). */
export const adminLineGiftMiddlewares: MiddlewareRoute[] = [
  {
    method: ["POST"],
    matcher: "/admin/line-gift/shops",
    middlewares: [validateAndTransformBody(AdminCreateLineGiftShop)],
  },
  {
    method: ["POST"],
    matcher: "/admin/line-gift/shops/:id",
    middlewares: [validateAndTransformBody(AdminUpdateLineGiftShop)],
  },
  {
    method: ["POST"],
    matcher: "/admin/line-gift/shops/:id/import",
    middlewares: [validateAndTransformBody(AdminStartLineGiftImport)],
  },
  {
    method: ["POST"],
    matcher: "/admin/line-gift/shops/:id/sku-mappings",
    middlewares: [validateAndTransformBody(AdminCreateLineGiftSkuMapping)],
  },
  {
    method: ["GET"],
    matcher: "/admin/line-gift/runs",
    middlewares: [validateQuery(AdminListLineGiftRuns)],
  },
  {
    method: ["GET"],
    matcher: "/admin/line-gift/orders",
    middlewares: [validateQuery(AdminListLineGiftOrders)],
  },
]
