/**
 * Middlewares of the shipment-export routes (spread into src/api/middlewares.ts).
 * /admin routes need an admin session (Medusa's own).
 */
import {
  validateAndTransformBody,
  type MiddlewareRoute,
} from "@medusajs/framework/http"
import { validateQuery } from "./validate-query"
import {
  AdminListLineGiftExports,
  AdminPushLineGiftExport,
  AdminRunLineGiftExport,
} from "./export-validators"

/** Middlewares of the shipment-export routes: query / body validation. */
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
