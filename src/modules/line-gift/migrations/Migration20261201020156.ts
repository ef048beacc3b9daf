import { Migration } from "@medusajs/framework/mikro-orm/migrations"

export class Migration20261201020156 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table if exists "line_gift_export" add column if not exists "reasons" jsonb null, add column if not exists "sent_fulfillment_id" text null, add column if not exists "sent_fulfillment_cancelled" boolean not null default false;`
    )

    this.addSql(
      `alter table if exists "line_gift_sync_run" add column if not exists "export_counts" jsonb null;`
    )
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table if exists "line_gift_export" drop column if exists "reasons", drop column if exists "sent_fulfillment_id", drop column if exists "sent_fulfillment_cancelled";`
    )

    this.addSql(
      `alter table if exists "line_gift_sync_run" drop column if exists "export_counts";`
    )
  }
}
