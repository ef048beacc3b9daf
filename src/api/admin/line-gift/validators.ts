/**
 * zod validators of the /admin/line-gift routes (wired in ./middlewares.ts).
 */
import { z } from "@medusajs/framework/zod"
import { isClockTime, normalizeClockTime } from "../../../lib/clock-time"
import { pastedCredential } from "./pasted-credential-schema"
import {
  IMPORTABLE_LINE_GIFT_STATUSES,
  isImportableLineGiftStatus,
} from "../../../lib/line-gift/schemas"

/**
 * Statuses an import fetches (IMPORTABLE_LINE_GIFT_STATUSES), at least one. Any other code is
 * refused with a message naming the field, the refused codes and the allowed ones (a custom
 * issue: Medusa words an enum refusal inside an array as "is required").
 */
const statuses = (field: string) =>
  z
    .array(z.string(), { error: `${field}: must be a list of status codes` })
    .min(1, "choose at least one status")
    .superRefine((list, ctx) => {
      const refused = list
        .filter((s) => !isImportableLineGiftStatus(s))
        .map((s) => JSON.stringify(s.slice(0, 40)))
      if (!refused.length) return
      ctx.addIssue({
        code: "custom",
        message:
          `${field}: ${refused.slice(0, 10).join(", ")} cannot be imported; choose among ` +
          `${IMPORTABLE_LINE_GIFT_STATUSES.join(", ")} (cvs: not paid yet, ` +
          "received: already shipped on LINE Gift, cancel: cancelled — never imported as orders)",
      })
    })

const nullableId = z.string().trim().min(1).nullable()

/** Interval choices of automatic fetch, minutes (as merchants know them from GoQ). */
export const FETCH_INTERVAL_CHOICES = [
  5, 10, 15, 20, 30, 60, 120, 180, 360, 720, 1440,
] as const
/** At most this many weekday schedules per shop. */
export const MAX_FETCH_SCHEDULES = 10

const hour = z
  .number({ error: "must be an hour 0–23" })
  .int("must be a whole hour 0–23")
  .min(0, "must be an hour 0–23")
  .max(23, "must be an hour 0–23")

/** One weekday schedule: weekdays 0=Sunday … 6=Saturday, time "HH:MM" in Japan time. */
export const FetchSchedule = z
  .object({
    weekdays: z
      .array(z.number().int().min(0).max(6), {
        error: "must be a list of weekdays 0–6",
      })
      .min(1, "choose at least one weekday")
      .max(7)
      .refine((d) => new Set(d).size === d.length, "must not repeat a weekday"),
    // Typed times normalised first (９：００, 9:00 → 09:00; normalizeClockTime).
    time: z
      .string()
      .transform(normalizeClockTime)
      .refine(isClockTime, 'must be a time "HH:MM" (00:00–23:59, Japan time)'),
  })
  .strict()

const carrierName = z.string().trim().min(1).max(100)

/** Every shop field a merchant may set (bodies of create / update). */
const ShopFields = z
  .object({
    name: z.string().trim().min(1, "is required").max(100),
    api_enabled: z.boolean(),
    // Pasted values cleaned of invisible characters and quotes, refused when still not a
    // credential (src/lib/pasted-credential.ts); "" is kept (no credential).
    client_id: pastedCredential("client_id", { max: 200 }).nullable(),
    /** Write-only; never returned. */
    client_secret: pastedCredential("client_secret", { max: 500 }).nullable(),
    fetch_statuses: statuses("fetch_statuses"),
    fetch_days: z.number().int().min(1).max(90),
    region_id: nullableId,
    sales_channel_id: nullableId,
    shipping_option_id: nullableId,
    auto_fetch_mode: z.enum(["off", "interval", "schedule"]),
    fetch_interval_minutes: z
      .number()
      .int()
      .refine(
        (m) => (FETCH_INTERVAL_CHOICES as readonly number[]).includes(m),
        {
          message: `must be one of ${FETCH_INTERVAL_CHOICES.join(", ")} minutes`,
        }
      ),
    /** Hour window of interval mode (Japan time, end exclusive, may cross midnight); both or neither. */
    fetch_window_start_hour: hour.nullable(),
    fetch_window_end_hour: hour.nullable(),
    fetch_schedules: z
      .array(FetchSchedule)
      // refine, not max(): Medusa's validator rewrites max() messages.
      .refine((list) => list.length <= MAX_FETCH_SCHEDULES, {
        // The field is named in the text: Medusa drops the path of refinement messages.
        message: `fetch_schedules: at most ${MAX_FETCH_SCHEDULES} schedules`,
      })
      .refine(
        (list) => {
          const keys = list.map(
            (s) =>
              `${[...s.weekdays].sort((x, y) => x - y).join(",")}@${s.time}`
          )
          return new Set(keys).size === keys.length
        },
        {
          message:
            "fetch_schedules: two schedules have the same weekdays and time",
        }
      )
      .nullable(),
    provisional_import: z.boolean(),
    export_scope: z.enum(["fulfilled", "shipped"]),
    auto_export: z.boolean(),
    /** Shipping option id or fulfilment provider id → LINE Gift carrier name. */
    carrier_map: z.record(z.string().min(1), carrierName).nullable(),
    default_carrier: carrierName.nullable(),
  })
  .partial()
  .strict()

/** Hour window: both ends or neither, and not empty. */
const checkHourWindow = (
  v: {
    fetch_window_start_hour?: number | null
    fetch_window_end_hour?: number | null
  },
  ctx: z.RefinementCtx
) => {
  const start = v.fetch_window_start_hour ?? null
  const end = v.fetch_window_end_hour ?? null
  const touched =
    v.fetch_window_start_hour !== undefined ||
    v.fetch_window_end_hour !== undefined
  if (touched && (start === null) !== (end === null)) {
    ctx.addIssue({
      code: "custom",
      message:
        "set both fetch_window_start_hour and fetch_window_end_hour, or neither",
      path: ["fetch_window_end_hour"],
    })
  }
  if (start !== null && start === end) {
    ctx.addIssue({
      code: "custom",
      message: "the hour window must not be empty (start = end)",
      path: ["fetch_window_end_hour"],
    })
  }
}

/** Body of POST /admin/line-gift/shops (`name` required). */
export const AdminCreateLineGiftShop = ShopFields.required({
  name: true,
}).superRefine(checkHourWindow)
/** The validated (parsed) value of `AdminCreateLineGiftShop`. */
export type AdminCreateLineGiftShopType = z.infer<
  typeof AdminCreateLineGiftShop
>

/** Body of POST /admin/line-gift/shops/:id (every field optional). */
export const AdminUpdateLineGiftShop = ShopFields.superRefine(checkHourWindow)
/** The validated (parsed) value of `AdminUpdateLineGiftShop`. */
export type AdminUpdateLineGiftShopType = z.infer<
  typeof AdminUpdateLineGiftShop
>

const INSTANT_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/
const INSTANT_MESSAGE =
  "must be an ISO 8601 date-time, e.g. 2026-11-29T09:30 (Japan time) or 2026-11-29T00:30:00Z"

/** True when year-month-day is a day of the calendar (not 2026-02-30, which Date rolls over). */
function isCalendarDay(year: number, month: number, day: number): boolean {
  const d = new Date(0)
  d.setUTCFullYear(year, month - 1, day)
  return (
    d.getUTCFullYear() === year &&
    d.getUTCMonth() === month - 1 &&
    d.getUTCDate() === day
  )
}

/**
 * An instant: ISO 8601. Without an offset it is read as Japan time (Asia/Tokyo is UTC+9 all
 * year, no DST), e.g. "2026-11-29T09:30" = 09:30 JST. What is not written is filled in to the
 * edge: a date alone is the start of that day (`edge: "start"`, for `from`) or its last
 * millisecond (`edge: "end"`, for `to`), Japan time, so `from = to = 2026-12-01` covers that
 * whole day; likewise a `to` given to the minute ("23:59", as the admin sends it) is the last
 * millisecond of that minute, so an order bought at 23:59:59 is in "00:00–23:59" and two
 * ranges typed to the minute ("10:00–10:59", "11:00–11:59") leave no second between them.
 * A day or time that does not exist (2026-02-30, 24:00, 23:60) is refused, never rolled over.
 */
const instant = (edge: "start" | "end") =>
  z
    .string()
    .trim()
    .regex(INSTANT_PATTERN, INSTANT_MESSAGE)
    .transform((value, ctx) => {
      const [, y, mo, d, h, mi, s, fraction, offset] =
        INSTANT_PATTERN.exec(value)!
      if (
        !isCalendarDay(Number(y), Number(mo), Number(d)) ||
        Number(h ?? 0) > 23 ||
        Number(mi ?? 0) > 59 ||
        Number(s ?? 0) > 59
      ) {
        ctx.addIssue({
          code: "custom",
          message: `is not a date and time that exists (got "${value.slice(0, 40)}"; times are 00:00–23:59)`,
        })
        return z.NEVER
      }
      const end = edge === "end"
      const time =
        h === undefined
          ? end
            ? "23:59:59.999"
            : "00:00:00"
          : s === undefined
            ? `${h}:${mi}:${end ? "59.999" : "00"}`
            : `${h}:${mi}:${s}${fraction ?? ""}`
      const date = new Date(`${y}-${mo}-${d}T${time}${offset ?? "+09:00"}`)
      if (Number.isNaN(date.getTime())) {
        ctx.addIssue({ code: "custom", message: "is not a valid date-time" })
        return z.NEVER
      }
      return date
    })

/** Body of POST /admin/line-gift/shops/:id/import. Default window: the last 24 hours (the route). */
export const AdminStartLineGiftImport = z
  .object({
    from: instant("start").optional(),
    /** Default: the moment the request arrives ("until now"). A date alone: the end of that day. */
    to: instant("end").optional(),
    statuses: statuses("statuses").optional(),
    /** false: answer 202 with the running run at once (poll GET /admin/line-gift/runs/:id). */
    wait: z.boolean().optional(),
  })
  .strict()
  .refine((v) => !v.from || !v.to || v.from <= v.to, {
    message: "from must not be after to",
    path: ["from"],
  })
/** The validated (parsed) value of `AdminStartLineGiftImport`. */
export type AdminStartLineGiftImportType = z.infer<
  typeof AdminStartLineGiftImport
>

/** Query of GET /admin/line-gift/runs. */
export const AdminListLineGiftRuns = z.object({
  shop_id: z.string().optional(),
  kind: z.enum(["import", "export"]).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).default(0),
})
/** The validated (parsed) value of `AdminListLineGiftRuns`. */
export type AdminListLineGiftRunsType = z.infer<typeof AdminListLineGiftRuns>

/**
 * Query of GET /admin/line-gift/orders (LINE Gift order records). Unknown parameters are
 * refused (400) rather than ignored: a filter that silently does nothing lists every record.
 */
export const AdminListLineGiftOrders = z
  .object({
    shop_id: z.string().optional(),
    state: z.enum(["seen", "importing", "imported", "failed"]).optional(),
    /** One LINE Gift order id (opaque string; exact match). */
    line_gift_order_id: z.string().trim().min(1).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict()
/** The validated (parsed) value of `AdminListLineGiftOrders`. */
export type AdminListLineGiftOrdersType = z.infer<
  typeof AdminListLineGiftOrders
>

/** Body of POST /admin/line-gift/shops/:id/sku-mappings. */
export const AdminCreateLineGiftSkuMapping = z
  .object({
    code: z.string().trim().min(1, "is required").max(200),
    variant_id: z.string().trim().min(1, "is required"),
  })
  .strict()
/** The validated (parsed) value of `AdminCreateLineGiftSkuMapping`. */
export type AdminCreateLineGiftSkuMappingType = z.infer<
  typeof AdminCreateLineGiftSkuMapping
>
