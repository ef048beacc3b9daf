import { model } from "@medusajs/framework/utils"

/**
 * One synchronisation run with LINE Gift: an import (orders in) or an export (shipments
 * out: manual, the sweep, an event, push again). Counts are what the admin's sync history shows.
 *
 * `errors`: `[{ line_gift_order_id: string | null, reason: string }]`, one per order that
 * failed in this run (reasons name the field; never personal data).
 */
export const LineGiftSyncRun = model
  .define("line_gift_sync_run", {
    id: model.id({ prefix: "lgrun" }).primaryKey(),
    shop_id: model.text(),
    kind: model.enum(["import", "export"]).default("import"),
    trigger: model.enum(["manual", "automatic"]).default("manual"),
    state: model
      .enum(["running", "succeeded", "partial", "failed"])
      .default("running"),
    /** Purchase-time window of an import (bought_on within [from, to]). */
    window_from: model.dateTime().nullable(),
    window_to: model.dateTime().nullable(),
    statuses: model.json().nullable(),
    started_at: model.dateTime(),
    finished_at: model.dateTime().nullable(),
    pages_read: model.number().default(0),
    seen_count: model.number().default(0),
    created_count: model.number().default(0),
    already_imported_count: model.number().default(0),
    skipped_count: model.number().default(0),
    failed_count: model.number().default(0),
    errors: model.json().nullable(),
    /**
     * Why orders of an import were not new Medusa orders, beyond `errors` (see
     * SkippedReasons in src/workflows/import/run-summary.ts): skipped by status (per code),
     * by unknown status (per code), by window, imported earlier, repeated across pages;
     * imported with a flag (out_of_stock naming the SKU, no_address, sku_loose_match); why
     * reading stopped early.
     */
    skipped_reasons: model.json().nullable(),
    /**
     * Counts of an export run: `{ sent, unchanged, held, failed, pending }` (pending: to be
     * retried later, e.g. LINE Gift unreachable). Null for imports.
     */
    export_counts: model.json().nullable(),
    /**
     * Import: why orders were skipped, `{ reason: count }` (reasons: `before_window`,
     * `after_window`, `already_imported`, `status:<code>`; see SkipReason in run-import).
     */
    skip_reasons: model.json().nullable(),
    /** Run-level failure (e.g. LINE Gift unreachable, re-authorisation needed). */
    error: model.text().nullable(),
  })
  .indexes([{ on: ["shop_id", "started_at"] }])
