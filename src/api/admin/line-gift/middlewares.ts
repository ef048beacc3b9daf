import {
  validateAndTransformBody,
  type MiddlewareRoute,
} from "@medusajs/framework/http"
import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { z } from "@medusajs/framework/zod"
import { MedusaError } from "@medusajs/framework/utils"
import {
  AdminCreateLineGiftShop,
  AdminCreateLineGiftSkuMapping,
  AdminListLineGiftOrders,
  AdminListLineGiftRuns,
  AdminStartLineGiftImport,
  AdminUpdateLineGiftShop,
} from "./validators"

/** Validates `req.query` with a plain zod schema into `req.validatedQuery` (no field selection). */
function validateQuery(schema: z.ZodType) {
  return (req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction) => {
    const result = schema.safeParse(req.query)
    if (!result.success) {
      const message = result.error.issues
        .map((i) => `${i.path.join(".") || "query"}: ${i.message}`)
        .join("; ")
      return next(new MedusaError(MedusaError.Types.INVALID_DATA, message))
    }
    ;(req as any).validatedQuery = result.data
    next()
  }
}

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
