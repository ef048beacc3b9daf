/**
 * Automatic fetches: which shops are due, and one import each (the tick job calls this every
 * minute). Safe on many instances and many ticks:
 * - a due shop is claimed under its import lock (the same lock as manual imports): due-ness is
 *   re-read inside the lock and `next_fetch_at` moved past `now` before the import starts, so
 *   a second process or a later tick finds it not due (no duplicate, no stacking);
 * - a shop whose import is running is skipped (the lock says "already running");
 * - hours of missed ticks give one catch-up run (schedule.ts: the stored next fetch is in the
 *   past once, the next one is computed from `now`).
 * Window of an automatic run: the shop's last `fetch_days` days up to `now`.
 */
import type { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import { fetchSettingsOf, isDue, nextFetchAt } from "../../lib/schedule"
import { LINE_GIFT_MODULE } from "../../modules/line-gift"
import type LineGiftModuleService from "../../modules/line-gift/service"
import {
  importUnderLock,
  retrieveImportableShop,
  withShopImportLock,
  type RunImportResult,
} from "./run-import"

const DAY_MS = 24 * 3600 * 1000

/** What the tick did with one shop. */
export type DueImportOutcome = {
  shop_id: string
  /** `ran`: an import ran (see run); `not_due`: another process/tick took it first;
   * `busy`: an import of the shop was running; `error`: could not start (error says why). */
  outcome: "ran" | "not_due" | "busy" | "error"
  run?: Record<string, any>
  error?: string
}

/**
 * Starts the imports that are due at `now` (one after the other) and returns what happened.
 * Shops with auto fetch on but no `next_fetch_at` yet get it computed (and run when that is now).
 * A shop that cannot be imported (API off, no credentials…) gets its next fetch moved on, so it
 * is retried at its next slot rather than every minute.
 * @param now the clock (tests pass a fake one)
 */
export async function runDueLineGiftImports(
  container: MedusaContainer,
  now: Date = new Date()
): Promise<DueImportOutcome[]> {
  const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
  const shops = (await service.listLineGiftShops({
    auto_fetch_mode: ["interval", "schedule"],
    api_enabled: true,
  } as any)) as any[]
  const outcomes: DueImportOutcome[] = []
  for (const shop of shops) {
    if (!isDue(fetchSettingsOf(shop), shop, now)) {
      continue
    }
    outcomes.push(await runDueLineGiftImport(container, shop.id, now))
  }
  return outcomes
}

/**
 * One automatic import of one shop if it is (still) due at `now` — see file comment.
 */
export async function runDueLineGiftImport(
  container: MedusaContainer,
  shopId: string,
  now: Date = new Date()
): Promise<DueImportOutcome> {
  const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
  let shop: any
  try {
    shop = await retrieveImportableShop(service, shopId)
  } catch (e) {
    const current = (await service
      .retrieveLineGiftShop(shopId)
      .catch(() => null)) as any
    if (current) {
      await service.updateLineGiftShops({
        id: shopId,
        next_fetch_at: nextFetchAt(fetchSettingsOf(current), now, now),
      } as any)
    }
    logWarn(
      container,
      `LINE Gift automatic import of shop ${shopId} not started: ${(e as Error).message}`
    )
    return { shop_id: shopId, outcome: "error", error: (e as Error).message }
  }
  try {
    const result = await withShopImportLock(
      container,
      shop,
      async (): Promise<RunImportResult | null> => {
        // Re-read inside the lock: another process may have claimed this slot meanwhile.
        const fresh = (await service.retrieveLineGiftShop(shopId)) as any
        const settings = fetchSettingsOf(fresh)
        if (!isDue(settings, fresh, now)) {
          return null
        }
        // The claim: the slot is taken before the import starts.
        await service.updateLineGiftShops({
          id: shopId,
          next_fetch_at: nextFetchAt(settings, now, now),
        } as any)
        const days = fresh.fetch_days ?? 7
        return await importUnderLock(container, service, fresh, {
          shop_id: shopId,
          from: new Date(now.getTime() - days * DAY_MS),
          to: now,
          trigger: "automatic",
        })
      }
    )
    return result
      ? { shop_id: shopId, outcome: "ran", run: result.run }
      : { shop_id: shopId, outcome: "not_due" }
  } catch (e) {
    if (
      e instanceof MedusaError &&
      e.type === MedusaError.Types.NOT_ALLOWED &&
      /already running/.test(e.message)
    ) {
      return { shop_id: shopId, outcome: "busy" }
    }
    logWarn(
      container,
      `LINE Gift automatic import of shop ${shopId} failed: ${(e as Error).message}`
    )
    return { shop_id: shopId, outcome: "error", error: (e as Error).message }
  }
}

function logWarn(container: MedusaContainer, message: string) {
  try {
    ;(container.resolve("logger") as any).warn(message)
  } catch {
    // no logger registered (unit contexts)
  }
}
