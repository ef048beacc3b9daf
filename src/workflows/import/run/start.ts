/**
 * Stage "start" of an import run: the sync run record (state `running`), what the run fetches,
 * and where its orders go.
 */
import type { MedusaContainer } from "@medusajs/framework/types"
import type LineGiftModuleService from "../../../modules/line-gift/service"
import type { LineGiftShopRecord } from "../../../modules/line-gift/types"
import { ensureLineGiftShopCustomer } from "../../customers/line-gift-shop-customer"
import { jsonColumn } from "../../../modules/line-gift/json-column"
import type { RunImportInput } from "../run-import"
import { RunSummary } from "../run-summary"
import { safeLogger, type ImportFilter, type ImportRun } from "./context"

/** A shop an import can run for (retrieveImportableShop checked it): it has a region. */
export type ImportableShop = LineGiftShopRecord & { region_id: string }

/**
 * Creates the run record (announced through `input.onRunCreated`), then reads the merchant's
 * SKU mappings and makes sure the shop's customer exists (ensureLineGiftShopCustomer).
 * Statuses: `input.statuses`, else the shop's fetch_statuses, else `payment`.
 * @throws whatever the module or the customer workflows throw (before any order is read).
 */
export async function startImportRun(
  container: MedusaContainer,
  service: LineGiftModuleService,
  shop: ImportableShop,
  input: RunImportInput
): Promise<ImportRun> {
  const filter = importFilter(shop, input)
  const record = await service.createLineGiftSyncRuns({
    shop_id: shop.id,
    kind: "import",
    trigger: input.trigger ?? "manual",
    state: "running",
    window_from: input.from,
    window_to: input.to,
    statuses: jsonColumn([...filter.statuses]),
    started_at: new Date(),
  })
  input.onRunCreated?.(record)

  const summary = new RunSummary()
  // The merchant's SKU mappings, read once per run and used by both import paths.
  const mappings = await service.listLineGiftSkuMappings({ shop_id: shop.id })
  const skuOverrides: Record<string, string> = Object.fromEntries(
    mappings.map((m) => [m.code, m.variant_id])
  )
  return {
    container,
    service,
    shop,
    record,
    filter,
    target: {
      shop_id: shop.id,
      run_id: record.id,
      region_id: shop.region_id,
      sales_channel_id: shop.sales_channel_id ?? null,
      shipping_option_id: shop.shipping_option_id ?? null,
      email: await ensureLineGiftShopCustomer(container, shop),
      sku_overrides: skuOverrides,
    },
    summary,
    readIds: new Set(),
    progressSavedAt: 0,
    statusReads: { ids: [], readAt: null },
    error: null,
    logger: safeLogger(container),
  }
}

/** What the run fetches: statuses and the purchase window in Unix seconds. */
function importFilter(
  shop: LineGiftShopRecord,
  input: RunImportInput
): ImportFilter {
  const stored: unknown = shop.fetch_statuses
  const statuses = new Set<string>(
    input.statuses?.length
      ? input.statuses
      : Array.isArray(stored) && stored.length
        ? (stored as string[])
        : ["payment"]
  )
  return {
    statuses,
    provisionalImport: !!shop.provisional_import,
    fromSec: Math.floor(input.from.getTime() / 1000),
    toSec: Math.floor(input.to.getTime() / 1000),
  }
}
