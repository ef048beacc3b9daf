/**
 * zod validators of the /admin/line-gift routes (wired in ./middlewares.ts).
 */
import { z } from "@medusajs/framework/zod"
import { LINE_GIFT_ORDER_STATUSES } from "../../../lib/line-gift/schemas"

const statuses = z
  .array(z.enum(LINE_GIFT_ORDER_STATUSES))
  .min(1, "choose at least one status")

const nullableId = z.string().trim().min(1).nullable()

/** Body of POST /admin/line-gift/shops. */
export const AdminCreateLineGiftShop = z
  .object({
    name: z.string().trim().min(1, "is required").max(100),
    api_enabled: z.boolean().optional(),
    client_id: z.string().trim().max(200).nullable().optional(),
    /** Write-only; never returned. */
    client_secret: z.string().trim().max(500).nullable().optional(),
    fetch_statuses: statuses.optional(),
    fetch_days: z.number().int().min(1).max(90).optional(),
    region_id: nullableId.optional(),
    sales_channel_id: nullableId.optional(),
    shipping_option_id: nullableId.optional(),
  })
  .strict()
export type AdminCreateLineGiftShopType = z.infer<typeof AdminCreateLineGiftShop>

/** Body of POST /admin/line-gift/shops/:id (every field optional). */
export const AdminUpdateLineGiftShop = AdminCreateLineGiftShop.partial().strict()
export type AdminUpdateLineGiftShopType = z.infer<typeof AdminUpdateLineGiftShop>

/**
 * An instant: ISO 8601. Without an offset it is read as Japan time (Asia/Tokyo is UTC+9 all
 * year, no DST), e.g. "2026-11-29T09:30" = 09:30 JST.
 */
const instant = z
  .string()
  .trim()
  .regex(
    /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/,
    "must be an ISO 8601 date-time, e.g. 2026-11-29T09:30 (Japan time) or 2026-11-29T00:30:00Z"
  )
  .transform((value, ctx) => {
    const hasTime = /[T ]\d{2}:\d{2}/.test(value)
    const hasOffset = /(Z|[+-]\d{2}:?\d{2})$/.test(value)
    const normalised = (hasTime ? value.replace(" ", "T") : `${value}T00:00`) + (hasOffset ? "" : "+09:00")
    const date = new Date(normalised)
    if (Number.isNaN(date.getTime())) {
      ctx.addIssue({ code: "custom", message: "is not a valid date-time" })
      return z.NEVER
    }
    return date
  })

/** Body of POST /admin/line-gift/shops/:id/import. Default window: the shop's last N days. */
export const AdminStartLineGiftImport = z
  .object({
    from: instant.optional(),
    to: instant.optional(),
    statuses: statuses.optional(),
  })
  .strict()
  .refine((v) => !v.from || !v.to || v.from <= v.to, {
    message: "from must not be after to",
    path: ["from"],
  })
export type AdminStartLineGiftImportType = z.infer<typeof AdminStartLineGiftImport>

/** Query of GET /admin/line-gift/runs. */
export const AdminListLineGiftRuns = z.object({
  shop_id: z.string().optional(),
  kind: z.enum(["import", "export"]).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).default(0),
})
export type AdminListLineGiftRunsType = z.infer<typeof AdminListLineGiftRuns>

/** Query of GET /admin/line-gift/orders (LINE Gift order records). */
export const AdminListLineGiftOrders = z.object({
  shop_id: z.string().optional(),
  state: z.enum(["importing", "imported", "failed"]).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  offset: z.coerce.number().int().min(0).default(0),
})
export type AdminListLineGiftOrdersType = z.infer<typeof AdminListLineGiftOrders>
