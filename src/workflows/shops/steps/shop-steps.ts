import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { LINE_GIFT_MODULE } from "../../../modules/line-gift"
import type LineGiftModuleService from "../../../modules/line-gift/service"
import {
  clientIdChanges,
  type PublicShop,
  type ShopAppInput,
  type ShopInput,
} from "../../../modules/line-gift/service"
import { withShopTokenLock } from "../../helpers/line-gift-client"
import { evaluateTokenAlerts } from "../../notifications/alerts"
import type {
  LineGiftExportRecord,
  LineGiftShopRecord,
} from "../../../modules/line-gift/types"
import {
  DELETED_SHOP_EXPORT_REASON,
  deletedShopExportReasons,
} from "../../export/run/event"
import { withShopImportLock } from "../../import/run-import"
import { withExportLock } from "../../export/run/shared"
import {
  fetchSettingsOf,
  nextFetchAt,
  type FetchScheduleEntry,
} from "../../../lib/schedule"

/** Creates a shop (secret encrypted). Compensation: deletes it. */
export const createLineGiftShopStep = createStep(
  "create-line-gift-shop",
  async (input: ShopInput & { name: string }, { container }) => {
    const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
    const shop = await service.createShop(input)
    return new StepResponse(shop, shop.id)
  },
  async (id, { container }) => {
    if (id) {
      await (
        container.resolve(LINE_GIFT_MODULE) as LineGiftModuleService
      ).deleteLineGiftShops(id)
    }
  }
)

/** Stored columns of a shop, with its id: what a compensation restores. */
type ShopColumns = Partial<LineGiftShopRecord> & { id: string }

/**
 * Updates a shop's settings. Output: `{ shop, schedule_changed }` — whether a schedule field
 * (SCHEDULE_FIELDS) got another value (scheduleChanged). Compensation: restores the previous
 * stored columns (secrets stay encrypted; nothing is decrypted for it).
 */
export const updateLineGiftShopStep = createStep(
  "update-line-gift-shop",
  async (input: { id: string; data: ShopInput }, { container }) => {
    const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
    const before = await service.retrieveLineGiftShop(input.id)
    const shop = await service.updateShop(input.id, input.data)
    const previous: ShopColumns = { id: input.id }
    for (const key of Object.keys(input.data)) {
      const column = (
        key === "client_secret" ? "client_secret_encrypted" : key
      ) as keyof LineGiftShopRecord // (client_secret_encrypted maps to itself)
      Object.assign(previous, { [column]: before[column] })
    }
    return new StepResponse(
      { shop, schedule_changed: scheduleChanged(before, input.data) },
      previous
    )
  },
  async (previous, { container }) => {
    if (previous) {
      await (
        container.resolve(LINE_GIFT_MODULE) as LineGiftModuleService
      ).updateLineGiftShops(previous)
    }
  }
)

/**
 * Saves the shop's LINE Gift app (client_id / sealed client_secret) — the last step of the shop
 * update, after the other settings. Another client_id (`clientIdChanges`) deletes the tokens
 * the old app issued and its pending authorisation (`updateShopApp`), holding the shop's token
 * lock like every token write: a refresh in flight finishes first, then its pair is deleted
 * too; a refresh that read the old `token_version` can no longer save. Afterwards the token
 * notifications are re-evaluated (an "expires soon" or "rejected" notice of the old app's token
 * clears). A new secret alone (same app) keeps the tokens and needs no lock.
 * Output: the shop in public form (`shop` as given when no app field was sent).
 * No compensation: it is the workflow's last step, so no later step can fail after it, and
 * its write cannot be undone — the deleted tokens are not kept anywhere (not in the workflow
 * engine's stored executions either).
 */
export const updateLineGiftShopAppStep = createStep(
  "update-line-gift-shop-app",
  async (
    input: { id: string; app: ShopAppInput; shop: PublicShop },
    { container }
  ) => {
    if (!Object.keys(input.app).length) {
      return new StepResponse(input.shop)
    }
    const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
    const before = await service.retrieveLineGiftShop(input.id)
    const save = () => service.updateShopApp(input.id, input.app)
    const { shop, tokens_cleared } = clientIdChanges(
      before.client_id,
      input.app.client_id
    )
      ? await withShopTokenLock(container, input.id, save)
      : await save()
    if (tokens_cleared) {
      await evaluateTokenAlerts(container, input.id).catch(() => {
        // a notification never fails a settings save
      })
    }
    return new StepResponse(shop)
  }
)

/**
 * Soft-deletes a shop (its records and runs stay for history), holding the shop's import lock:
 * a run in progress would go on creating orders for a shop that no longer exists (their
 * shipments never sent), so the delete is refused while one runs.
 * @throws MedusaError NOT_FOUND (unknown shop); NOT_ALLOWED "already running" while an import
 *   of the shop runs.
 * Compensation: restores it.
 */
export const deleteLineGiftShopStep = createStep(
  "delete-line-gift-shop",
  async (input: { id: string }, { container }) => {
    const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
    const shop = await service.retrieveLineGiftShop(input.id)
    await withShopImportLock(container, shop, () =>
      service.softDeleteLineGiftShops(input.id)
    )
    return new StepResponse(input.id, input.id)
  },
  async (id, { container }) => {
    if (id) {
      await (
        container.resolve(LINE_GIFT_MODULE) as LineGiftModuleService
      ).restoreLineGiftShops(id)
    }
  }
)

/** A shop field whose change moves the next automatic fetch. */
export type ScheduleField = (typeof SCHEDULE_FIELDS)[number]

/** Shop fields whose change moves the next automatic fetch. */
export const SCHEDULE_FIELDS = [
  "auto_fetch_mode",
  "fetch_interval_minutes",
  "fetch_window_start_hour",
  "fetch_window_end_hour",
  "fetch_schedules",
  "api_enabled",
] as const

/** A schedule field's value in a form that compares across jsonb's key order. */
function scheduleValue(key: ScheduleField, value: unknown): string {
  if (key !== "fetch_schedules") {
    return JSON.stringify(value ?? null)
  }
  const entries = Array.isArray(value) ? (value as FetchScheduleEntry[]) : []
  return JSON.stringify(
    entries.map((e) => [
      [...(e?.weekdays ?? [])].sort((a, b) => a - b),
      e?.time ?? null,
    ])
  )
}

/**
 * Whether `data` gives a schedule field another value than the stored shop has. The admin's
 * settings page sends every field on each save: a field that is merely present must not move
 * the next fetch (a due, not yet served fetch would be skipped to the next slot).
 */
export function scheduleChanged(
  before: Partial<Record<ScheduleField, unknown>>,
  data: Partial<Record<ScheduleField, unknown>>
): boolean {
  return SCHEDULE_FIELDS.some(
    (key) =>
      data[key] !== undefined &&
      scheduleValue(key, data[key]) !== scheduleValue(key, before[key])
  )
}

type PreviousNextFetch = { id: string; next_fetch_at: Date | null }

/**
 * Recomputes the shop's `next_fetch_at` from its settings (src/lib/schedule.ts, Asia/Tokyo)
 * when `changed` (a schedule field was set), so the admin shows it and the tick honours it.
 * Off or API disabled → null. Output: the shop in public form.
 * Compensation: restores the previous `next_fetch_at`.
 */
export const refreshNextFetchStep = createStep(
  "refresh-line-gift-next-fetch",
  async (
    input: { id: string; changed: boolean; now?: Date },
    { container }
  ) => {
    const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
    const shop = await service.retrieveLineGiftShop(input.id)
    if (!input.changed) {
      return new StepResponse(
        service.toPublicShop(shop),
        null as PreviousNextFetch | null
      )
    }
    const now = input.now ? new Date(input.now) : new Date()
    const next = shop.api_enabled
      ? nextFetchAt(fetchSettingsOf(shop), shop.last_fetched_at, now)
      : null
    const updated = await service.updateLineGiftShops({
      id: input.id,
      next_fetch_at: next,
    })
    const previous: PreviousNextFetch = {
      id: input.id,
      next_fetch_at: shop.next_fetch_at ?? null,
    }
    return new StepResponse(
      service.toPublicShop(updated),
      previous as PreviousNextFetch | null
    )
  },
  async (previous, { container }) => {
    if (previous) {
      await (
        container.resolve(LINE_GIFT_MODULE) as LineGiftModuleService
      ).updateLineGiftShops(previous)
    }
  }
)

/**
 * Refuses a shop connected to a LINE Gift app (client_id) that another live shop already
 * uses: one app is one LINE Gift shop, and two connections would each import its orders
 * (the claim keeps a LINE Gift order to one shop of an app, HELD_BY_SAME_APP in
 * services/order-records.ts, but both would fetch, and each order's shipment would have two
 * homes). `client_id` as validated (normalised); undefined or empty: nothing to check. A new
 * shop (`new_shop`, checked right after its create step, whose compensation removes it) is
 * always checked; an update only when the client_id changes (clientIdChanges) — checked
 * before anything is written, as the app is saved last and cannot be undone —, so two shops
 * an older version let share an app can still be saved (e.g. to turn one off). Soft-deleted
 * shops do not count: their app may be connected again (their orders are not imported twice).
 * @throws MedusaError INVALID_DATA naming the shop that has the app.
 * No compensation: it writes nothing.
 */
export const refuseSecondShopOnAppStep = createStep(
  "refuse-second-line-gift-shop-on-app",
  async (
    input: { id: string; client_id?: string | null; new_shop?: boolean },
    { container }
  ) => {
    const clientId = input.client_id?.trim() || null
    if (!clientId) return new StepResponse(undefined)
    const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
    if (!input.new_shop) {
      const stored = await service.retrieveLineGiftShop(input.id)
      if (!clientIdChanges(stored.client_id, clientId)) {
        return new StepResponse(undefined)
      }
    }
    const [other] = await service.listLineGiftShops(
      { client_id: clientId, id: { $ne: input.id } },
      { select: ["id", "name"], take: 1 }
    )
    if (other) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `client_id: the LINE Gift shop "${other.name}" is already connected to this LINE Gift app. ` +
          "Two shops on one app would fetch the same LINE Gift orders twice: change that shop, or delete it first."
      )
    }
    return new StepResponse(undefined)
  }
)

/** An export row's columns the hold below changes, as they were: what its compensation restores. */
type HeldExportColumns = Pick<
  LineGiftExportRecord,
  "id" | "state" | "last_error" | "reasons" | "due_at" | "next_attempt_at"
>

/** How long deleting a shop waits for a push of its shipments in flight (seconds). */
const DELETE_EXPORT_LOCK_WAIT_SEC = 30

/**
 * After a shop is deleted: its shipments not yet sent (`pending`, `held`) are `held` with
 * DELETED_SHOP_EXPORT_REASON (reason `shop_deleted`), their due mark and retry cleared — nothing will send them (the
 * sweep and the routes read live shops; no other shop's token may carry the orders' LINE Gift
 * ids), and the order widget should say so rather than "retried at …". Sent and failed rows
 * keep their history. Compensation: restores the columns it changed.
 */
export const holdExportsOfDeletedShopStep = createStep(
  "hold-line-gift-exports-of-deleted-shop",
  async (input: { id: string }, { container }) => {
    const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
    // Under the shop's export lock: a push in flight (it holds the lock) finishes first and its
    // `sent` is then not listed, so it is never overwritten with `held`.
    const locked = await withExportLock(
      container,
      input.id,
      DELETE_EXPORT_LOCK_WAIT_SEC,
      () => holdUnsentExports(service, input.id)
    )
    if (!locked.ran) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        "A shipment of this LINE Gift shop is being sent right now: try deleting the shop again in a minute."
      )
    }
    return new StepResponse(locked.value.length, locked.value)
  },
  async (rows, { container }) => {
    if (!rows?.length) return
    await (
      container.resolve(LINE_GIFT_MODULE) as LineGiftModuleService
    ).updateLineGiftExports(rows)
  }
)

/**
 * Holds the shop's `pending`/`held` exports with DELETED_SHOP_EXPORT_REASON (the caller holds
 * the shop's export lock).
 * @returns the rows as they were (the step's compensation writes them back)
 */
async function holdUnsentExports(
  service: LineGiftModuleService,
  shopId: string
): Promise<HeldExportColumns[]> {
  const rows = (await service.listLineGiftExports(
    { shop_id: shopId, state: ["pending", "held"] },
    {
      select: [
        "id",
        "state",
        "last_error",
        "reasons",
        "due_at",
        "next_attempt_at",
      ],
      take: null,
    }
  )) as HeldExportColumns[]
  if (rows.length) {
    await service.updateLineGiftExports(
      rows.map((r) => ({
        id: r.id,
        state: "held" as const,
        last_error: DELETED_SHOP_EXPORT_REASON,
        reasons: deletedShopExportReasons(),
        due_at: null,
        next_attempt_at: null,
      }))
    )
  }
  return rows
}
