/**
 * The plugin's own records, typed from their data models (Medusa DML): use these instead of
 * `any` wherever a record of the LINE Gift module is read or passed along.
 *
 * `InferTypeOf<typeof Model>` is the shape the module service returns for that model (every
 * property, `created_at`/`updated_at`/`deleted_at` as dates, relations as their own records).
 */
import type { InferTypeOf } from "@medusajs/framework/types"
import { LineGiftExport } from "./models/export"
import { LineGiftOrder } from "./models/line-gift-order"
import { LineGiftShop } from "./models/shop"
import { LineGiftSkuMapping } from "./models/sku-mapping"
import { LineGiftSyncRun } from "./models/sync-run"

/** A connected LINE Gift shop: credentials (encrypted), fetch/export settings, schedule state. */
export type LineGiftShopRecord = InferTypeOf<typeof LineGiftShop>
/** One LINE Gift order as the plugin knows it: claim/import state, link to the Medusa order. */
export type LineGiftOrderRecord = InferTypeOf<typeof LineGiftOrder>
/** One shipment push (outbox row) for a LINE Gift order. */
export type LineGiftExportRecord = InferTypeOf<typeof LineGiftExport>
/** A merchant's mapping from a LINE Gift SKU to a Medusa variant. */
export type LineGiftSkuMappingRecord = InferTypeOf<typeof LineGiftSkuMapping>
/** One import or export run, with its counts and stored errors. */
export type LineGiftSyncRunRecord = InferTypeOf<typeof LineGiftSyncRun>
