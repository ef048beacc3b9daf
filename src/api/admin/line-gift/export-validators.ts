/**
 * zod validators of the shipment-export routes (wired in ./export-middlewares.ts).
 */
import { z } from "@medusajs/framework/zod"

/** Query of GET /admin/line-gift/exports. */
export const AdminListLineGiftExports = z.object({
  order_id: z.string().trim().min(1).optional(),
  shop_id: z.string().trim().min(1).optional(),
  state: z.enum(["pending", "sent", "held", "failed"]).optional(),
  /** "true": only exports whose sent fulfilment was cancelled since (LINE Gift shows a stale shipment). */
  flagged: z.enum(["true", "false"]).optional(),
  /** "true": exports a person must look at — held, failed, or flagged (see `flagged`). */
  attention: z.enum(["true"]).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  offset: z.coerce.number().int().min(0).default(0),
})
/** The validated (parsed) value of `AdminListLineGiftExports`. */
export type AdminListLineGiftExportsType = z.infer<
  typeof AdminListLineGiftExports
>

/** Body of POST /admin/line-gift/exports/:id/push (none). */
export const AdminPushLineGiftExport = z.object({}).strict()
/** The validated (parsed) value of `AdminPushLineGiftExport`. */
export type AdminPushLineGiftExportType = z.infer<
  typeof AdminPushLineGiftExport
>

/** Body of POST /admin/line-gift/shops/:id/export ("送信情報の更新"): the last N days, 1–30 (default 3). */
export const AdminRunLineGiftExport = z
  .object({
    days: z
      .number({ error: "must be a number of days from 1 to 30" })
      .int("must be a whole number of days")
      .min(1, "must be at least 1 day")
      .max(30, "must be at most 30 days")
      .default(3),
  })
  .strict()
/** The validated (parsed) value of `AdminRunLineGiftExport`. */
export type AdminRunLineGiftExportType = z.infer<typeof AdminRunLineGiftExport>
