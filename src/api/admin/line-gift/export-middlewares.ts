/**
 * Middlewares of the shipment-export routes (spread into src/api/middlewares.ts).
 * /admin routes need an admin session (Medusa's own).
 */
import {
  validateAndTransformBody,
  type MedusaNextFunction,
  type MedusaRequest,
  type MedusaResponse,
  type MiddlewareRoute,
} from "@medusajs/framework/http"
import type { z } from "@medusajs/framework/zod"
import { MedusaError } from "@medusajs/framework/utils"
import {
  AdminListLineGiftExports,
  AdminPushLineGiftExport,
  AdminRunLineGiftExport,
} from "./export-validators"

/** Validates `req.query` into `req.validatedQuery` with a plain zod schema. */
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

export const adminLineGiftExportMiddlewares: MiddlewareRoute[] = [
  {
    method: ["GET"],
    matcher: "/admin/line-gift/exports",
    middlewares: [validateQuery(AdminListLineGiftExports)],
  },
  {
    method: ["POST"],
    matcher: "/admin/line-gift/exports/:id/push",
    middlewares: [validateAndTransformBody(AdminPushLineGiftExport)],
  },
  {
    method: ["POST"],
    matcher: "/admin/line-gift/shops/:id/export",
    middlewares: [validateAndTransformBody(AdminRunLineGiftExport)],
  },
]
