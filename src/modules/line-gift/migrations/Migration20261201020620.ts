import { Migration } from "@medusajs/framework/mikro-orm/migrations"

export class Migration20261201020620 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table if exists "line_gift_order" add column if not exists "status_read_at" timestamptz null;`
    )

    this.addSql(
      `alter table if exists "line_gift_sync_run" add column if not exists "skipped_reasons" jsonb null;`
    )
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table if exists "line_gift_order" drop column if exists "status_read_at";`
    )

    this.addSql(
      `alter table if exists "line_gift_sync_run" drop column if exists "skipped_reasons";`
    )
  }
}
