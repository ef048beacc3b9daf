import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/**
 * A fulfilment event's due mark gets its own columns (`due_at`, `mark_seq`,
 * `due_fulfillment_id`; see the line_gift_export model), so that an export clears only a mark
 * it saw (compare-and-set on `mark_seq`) and the mark leaves the row's recorded values alone.
 * Rows marked the old way — `sent` or `failed` with `next_attempt_at` set (the old mark had
 * moved `fulfillment_id` to the event's) — keep their mark as `due_at`.
 */
export class Migration20261201185829 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table if exists "line_gift_export" add column if not exists "due_at" timestamptz null, add column if not exists "mark_seq" integer not null default 0, add column if not exists "due_fulfillment_id" text null;`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_line_gift_export_due_at" ON "line_gift_export" ("due_at") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `update "line_gift_export" set "due_at" = "next_attempt_at", "mark_seq" = "mark_seq" + 1, "due_fulfillment_id" = "fulfillment_id", "next_attempt_at" = null where "state" in ('sent', 'failed') and "next_attempt_at" is not null;`
    )
  }

  override async down(): Promise<void> {
    this.addSql(
      `update "line_gift_export" set "next_attempt_at" = "due_at" where "state" in ('sent', 'failed') and "due_at" is not null;`
    )
    this.addSql(`drop index if exists "IDX_line_gift_export_due_at";`)
    this.addSql(
      `alter table if exists "line_gift_export" drop column if exists "due_at", drop column if exists "mark_seq", drop column if exists "due_fulfillment_id";`
    )
  }
}
