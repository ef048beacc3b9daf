/**
 * What the stages of one import run share (see importUnderLock in ../run-import.ts): the run
 * record, the shop, what the run fetches, where its orders go, the summary it fills in, and
 * the work of the page being read.
 */
import type { PageRecord } from "../../../modules/line-gift/services/order-records"
import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import type { LineGiftOrder } from "../../../lib/line-gift/schemas"
import type LineGiftModuleService from "../../../modules/line-gift/service"
import type {
  LineGiftShopRecord,
  LineGiftSyncRunRecord,
} from "../../../modules/line-gift/types"
import type { RunSummary } from "../run-summary"

/** Which orders the run imports: LINE Gift statuses and the purchase window (Unix seconds). */
export type ImportFilter = {
  /** LINE Gift status codes to import. */
  statuses: ReadonlySet<string>
  /** The shop imports gifts still waiting for their address (provisional_import). */
  provisionalImport: boolean
  /** Window start and end, inclusive, Unix seconds (bought_on, else payed_on). */
  fromSec: number
  toSec: number
}

/** Where the run's Medusa orders go (the input both import workflows share). */
export type ImportTarget = {
  shop_id: string
  run_id: string
  region_id: string
  sales_channel_id: string | null
  shipping_option_id: string | null
  /** The shop customer's placeholder email (ensureLineGiftShopCustomer). */
  email: string
  /** The merchant's SKU mappings: LINE Gift code → Medusa variant id (read once per run). */
  sku_overrides: Record<string, string>
}

/** One import run under way: created by startImportRun, passed to every stage. */
export type ImportRun = {
  container: MedusaContainer
  service: LineGiftModuleService
  shop: LineGiftShopRecord
  /** The sync run record (state `running` until finishImportRun). */
  record: LineGiftSyncRunRecord
  filter: ImportFilter
  target: ImportTarget
  summary: RunSummary
  /** LINE Gift order ids read so far: an order repeated on a later page counts once. */
  readIds: Set<string>
  /** When the run's progress was last written to its record (ms since epoch; 0: never). */
  progressSavedAt: number
  /**
   * Records whose unchanged LINE Gift status was read since the progress was last written,
   * and when the first of them was read: their `status_read_at` is written with the progress.
   */
  statusReads: { ids: string[]; readAt: Date | null }
  /** Why reading stopped with an error (the run then ends `failed`), or null. */
  error: string | null
  logger: Logger | null
}

/** A LINE Gift order of the page with the payload exactly as LINE Gift sent it. */
export type PageOrder = { order: LineGiftOrder; raw: unknown }

/** A record of a LINE Gift order, as the run reads it (loadRecords). */
export type OrderRecord = PageRecord

/** What a page leaves for after its orders are classified (reset for every page). */
export type PageWork = {
  /** New orders to import in bulk (importNewOrders). */
  toImport: PageOrder[]
  /** Orders not importable yet, tracked as `seen` (trackSeen). */
  toTrack: Array<PageOrder & { record?: OrderRecord }>
  /**
   * Records whose LINE Gift status was read on this page (refreshStatuses); `stored`: the
   * status the record held before (an unchanged status only gets its read time).
   */
  statusRead: Array<{
    id: string
    line_gift_status: string
    stored: string | null
  }>
}

/** An empty PageWork. */
export function newPageWork(): PageWork {
  return { toImport: [], toTrack: [], statusRead: [] }
}

/** A message of any error, safe to log and to store (helpers/logging.ts). */
export { errorMessage } from "../../helpers/logging"

/** The container's logger, or null when none is registered (some tests). */
export function safeLogger(container: MedusaContainer): Logger | null {
  try {
    return container.resolve<Logger>("logger")
  } catch {
    return null
  }
}
