import { Migration } from "@medusajs/framework/mikro-orm/migrations"

export class Migration20261201020136 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table if exists "line_gift_sync_run" add column if not exists "skip_reasons" jsonb null;`
    )
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table if exists "line_gift_sync_run" drop column if exists "skip_reasons";`
    )
  }
}
