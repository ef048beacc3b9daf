/**
 * The shop settings form as plain data: built from a shop, checked in the browser (the same
 * rules the API applies, so most mistakes show before saving), and turned into the POST body.
 */
import {
  FETCH_INTERVAL_CHOICES,
  MAX_FETCH_SCHEDULES,
  type AutoFetchMode,
  type ExportScope,
  type FetchSchedule,
  type LineGiftShop,
  type LineGiftShopInput,
  type ImportableLineGiftStatus,
  isImportableStatus,
} from "../lib/types"
import { isClockTime, normalizeClockTime } from "../../lib/clock-time"
import {
  DEFAULT_FETCH_DAYS,
  DEFAULT_FETCH_INTERVAL_MINUTES,
  DEFAULT_FETCH_STATUSES,
} from "../../lib/shop-defaults"
import type { FieldErrors } from "../lib/errors"

export type CarrierRow = { key: string; carrier: string }

export type ShopFormState = {
  name: string
  api_enabled: boolean
  client_id: string
  /** "" = keep the stored secret. */
  client_secret: string
  /** Only statuses a shop may fetch (IMPORTABLE_LINE_GIFT_STATUSES). */
  fetch_statuses: ImportableLineGiftStatus[]
  fetch_days: string
  region_id: string | null
  sales_channel_id: string | null
  shipping_option_id: string | null
  provisional_import: boolean
  auto_fetch_mode: AutoFetchMode
  fetch_interval_minutes: number
  /** "" = no window. */
  fetch_window_start_hour: string
  fetch_window_end_hour: string
  fetch_schedules: FetchSchedule[]
  export_scope: ExportScope
  auto_export: boolean
  carrier_rows: CarrierRow[]
  default_carrier: string | null
}

/** Every field name the API may report an error for (and the form shows inline). */
export const SHOP_FORM_FIELDS = [
  "name",
  "api_enabled",
  "client_id",
  "client_secret",
  "fetch_statuses",
  "fetch_days",
  "region_id",
  "sales_channel_id",
  "shipping_option_id",
  "provisional_import",
  "auto_fetch_mode",
  "fetch_interval_minutes",
  "fetch_window_start_hour",
  "fetch_window_end_hour",
  "fetch_schedules",
  "export_scope",
  "auto_export",
  "carrier_map",
  "default_carrier",
] as const

/**
 * What the shop stores, in the form's shape: formFromShop with the statuses as saved (a refused
 * one — cvs, received, cancel — included). The form differs from it while a refused status is
 * stored, so the save bar offers to save (which removes it), as the warning says.
 */
export function storedFormOf(shop: LineGiftShop): Omit<
  ShopFormState,
  "fetch_statuses"
> & {
  fetch_statuses: LineGiftShop["fetch_statuses"]
} {
  return {
    ...formFromShop(shop),
    fetch_statuses: [...(shop.fetch_statuses ?? DEFAULT_FETCH_STATUSES)],
  }
}

export function formFromShop(shop: LineGiftShop): ShopFormState {
  return {
    name: shop.name,
    api_enabled: shop.api_enabled,
    client_id: shop.client_id ?? "",
    client_secret: "",
    // A status saved before it was refused (cvs, received, cancel) is dropped: saving removes it.
    fetch_statuses: (shop.fetch_statuses ?? DEFAULT_FETCH_STATUSES).filter(
      isImportableStatus
    ),
    fetch_days: String(shop.fetch_days ?? DEFAULT_FETCH_DAYS),
    region_id: shop.region_id,
    sales_channel_id: shop.sales_channel_id,
    shipping_option_id: shop.shipping_option_id,
    provisional_import: shop.provisional_import,
    auto_fetch_mode: shop.auto_fetch_mode ?? "off",
    fetch_interval_minutes:
      shop.fetch_interval_minutes ?? DEFAULT_FETCH_INTERVAL_MINUTES,
    fetch_window_start_hour:
      shop.fetch_window_start_hour === null
        ? ""
        : String(shop.fetch_window_start_hour),
    fetch_window_end_hour:
      shop.fetch_window_end_hour === null
        ? ""
        : String(shop.fetch_window_end_hour),
    fetch_schedules: (shop.fetch_schedules ?? []).map((s) => ({
      weekdays: [...s.weekdays],
      time: s.time,
    })),
    export_scope: shop.export_scope ?? "fulfilled",
    auto_export: shop.auto_export,
    carrier_rows: Object.entries(shop.carrier_map ?? {}).map(
      ([key, carrier]) => ({ key, carrier })
    ),
    default_carrier: shop.default_carrier,
  }
}

/** Problems the browser can see before saving, keyed like the API's (translation keys). */
export function validateShopForm(form: ShopFormState): FieldErrors {
  const errors: FieldErrors = {}
  if (!form.name.trim()) errors.name = "errors.required"
  if (form.api_enabled && !form.client_id.trim())
    errors.client_id = "adminTruth.form.clientIdRequired"
  if (form.fetch_statuses.length === 0)
    errors.fetch_statuses = "errors.statusesRequired"
  const days = Number(form.fetch_days)
  if (!/^\d+$/.test(form.fetch_days.trim()) || days < 1 || days > 90)
    errors.fetch_days = "errors.fetchDays"
  if (
    !(FETCH_INTERVAL_CHOICES as readonly number[]).includes(
      form.fetch_interval_minutes
    )
  ) {
    errors.fetch_interval_minutes = "errors.interval"
  }
  const start = form.fetch_window_start_hour
  const end = form.fetch_window_end_hour
  if ((start === "") !== (end === ""))
    errors.fetch_window_end_hour = "errors.windowBoth"
  else if (start !== "" && start === end)
    errors.fetch_window_end_hour = "errors.windowEmpty"
  if (form.fetch_schedules.length > MAX_FETCH_SCHEDULES)
    errors.fetch_schedules = "errors.tooManySchedules"
  else if (form.fetch_schedules.some((s) => s.weekdays.length === 0))
    errors.fetch_schedules = "errors.scheduleWeekdays"
  else if (
    form.fetch_schedules.some((s) => !isClockTime(normalizeClockTime(s.time)))
  ) {
    errors.fetch_schedules = "errors.scheduleTime"
  } else if (hasDuplicateSchedules(form.fetch_schedules))
    errors.fetch_schedules = "adminTruth.form.scheduleDuplicate"
  if (
    form.auto_fetch_mode === "schedule" &&
    form.fetch_schedules.length === 0
  ) {
    errors.fetch_schedules = "errors.scheduleNone"
  }
  const keys = form.carrier_rows.map((r) => r.key)
  if (form.carrier_rows.some((r) => !r.key || !r.carrier.trim()))
    errors.carrier_map = "errors.carrierRow"
  else if (new Set(keys).size !== keys.length)
    errors.carrier_map = "errors.carrierDuplicate"
  return errors
}

/** Two schedules with the same weekdays (in any order) and time. */
export function hasDuplicateSchedules(schedules: FetchSchedule[]): boolean {
  const keys = schedules.map(
    (s) =>
      `${[...s.weekdays].sort((a, b) => a - b).join(",")}@${normalizeClockTime(s.time)}`
  )
  return new Set(keys).size !== keys.length
}

const hourOrNull = (v: string) => (v === "" ? null : Number(v))

/**
 * The POST body: every field, trimmed — except the credentials: the secret only when typed,
 * and, when the loaded shop `saved` is given, the client_id only when it differs from the
 * saved one (a stored client_id the API's pasted-credential check would now refuse must not
 * block saving other settings).
 * @param form the form's values
 * @param saved the shop as loaded (its `client_id`); omitted: client_id always sent
 */
export function bodyFromForm(
  form: ShopFormState,
  saved?: Pick<LineGiftShop, "client_id">
): LineGiftShopInput {
  const clientId = form.client_id.trim() || null
  const sendClientId =
    !saved || clientId !== ((saved.client_id ?? "").trim() || null)
  return {
    name: form.name.trim(),
    api_enabled: form.api_enabled,
    ...(sendClientId ? { client_id: clientId } : {}),
    ...(form.client_secret.trim()
      ? { client_secret: form.client_secret.trim() }
      : {}),
    fetch_statuses: form.fetch_statuses,
    fetch_days: Number(form.fetch_days),
    region_id: form.region_id,
    sales_channel_id: form.sales_channel_id,
    shipping_option_id: form.shipping_option_id,
    provisional_import: form.provisional_import,
    auto_fetch_mode: form.auto_fetch_mode,
    fetch_interval_minutes: form.fetch_interval_minutes,
    fetch_window_start_hour: hourOrNull(form.fetch_window_start_hour),
    fetch_window_end_hour: hourOrNull(form.fetch_window_end_hour),
    fetch_schedules: form.fetch_schedules.map((s) => ({
      weekdays: [...s.weekdays].sort((a, b) => a - b),
      time: normalizeClockTime(s.time),
    })),
    export_scope: form.export_scope,
    auto_export: form.auto_export,
    carrier_map: Object.fromEntries(
      form.carrier_rows.map((r) => [r.key, r.carrier.trim()])
    ),
    default_carrier: form.default_carrier?.trim() || null,
  }
}

/** True when the credentials in the form differ from the saved ones (OAuth uses saved ones). */
export function credentialsChanged(
  form: ShopFormState,
  shop: LineGiftShop
): boolean {
  return (
    form.client_id.trim() !== (shop.client_id ?? "") ||
    form.client_secret.trim() !== ""
  )
}
