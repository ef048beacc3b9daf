import { Migration } from "@medusajs/framework/mikro-orm/migrations"

export class Migration20261129182637 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table if exists "line_gift_sku_mapping" drop constraint if exists "line_gift_sku_mapping_shop_code_unique";`
    )
    this.addSql(
      `alter table if exists "line_gift_export" drop constraint if exists "line_gift_export_shop_order_unique";`
    )
    this.addSql(
      `create table if not exists "line_gift_export" ("id" text not null, "shop_id" text not null, "line_gift_order_id" text not null, "order_id" text not null, "fulfillment_id" text null, "tracking_number" text null, "carrier" text null, "state" text check ("state" in ('pending', 'sent', 'held', 'failed')) not null default 'pending', "attempts" integer not null default 0, "next_attempt_at" timestamptz null, "last_error" text null, "sent_tracking_number" text null, "sent_carrier" text null, "sent_at" timestamptz null, "ship_date" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "line_gift_export_pkey" primary key ("id"));`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_line_gift_export_deleted_at" ON "line_gift_export" ("deleted_at") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE UNIQUE INDEX IF NOT EXISTS "IDX_line_gift_export_shop_order_unique" ON "line_gift_export" ("shop_id", "line_gift_order_id");`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_line_gift_export_state_next_attempt_at" ON "line_gift_export" ("state", "next_attempt_at") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_line_gift_export_order_id" ON "line_gift_export" ("order_id") WHERE deleted_at IS NULL;`
    )

    this.addSql(
      `create table if not exists "line_gift_sku_mapping" ("id" text not null, "shop_id" text not null, "code" text not null, "variant_id" text not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "line_gift_sku_mapping_pkey" primary key ("id"));`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_line_gift_sku_mapping_deleted_at" ON "line_gift_sku_mapping" ("deleted_at") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE UNIQUE INDEX IF NOT EXISTS "IDX_line_gift_sku_mapping_shop_code_unique" ON "line_gift_sku_mapping" ("shop_id", "code");`
    )

    this.addSql(
      `alter table if exists "line_gift_order" drop constraint if exists "line_gift_order_state_check";`
    )

    this.addSql(
      `alter table if exists "line_gift_order" add column if not exists "bought_at" timestamptz null, add column if not exists "provisional" boolean not null default false, add column if not exists "attention_reason" text null;`
    )
    this.addSql(
      `alter table if exists "line_gift_order" add constraint "line_gift_order_state_check" check("state" in ('seen', 'importing', 'imported', 'failed'));`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_line_gift_order_shop_id_bought_at" ON "line_gift_order" ("shop_id", "bought_at") WHERE deleted_at IS NULL;`
    )

    this.addSql(
      `alter table if exists "line_gift_shop" add column if not exists "auto_fetch_mode" text check ("auto_fetch_mode" in ('off', 'interval', 'schedule')) not null default 'off', add column if not exists "fetch_interval_minutes" integer not null default 30, add column if not exists "fetch_window_start_hour" integer null, add column if not exists "fetch_window_end_hour" integer null, add column if not exists "fetch_schedules" jsonb null, add column if not exists "next_fetch_at" timestamptz null, add column if not exists "provisional_import" boolean not null default false, add column if not exists "export_scope" text check ("export_scope" in ('fulfilled', 'shipped')) not null default 'fulfilled', add column if not exists "auto_export" boolean not null default true, add column if not exists "carrier_map" jsonb null, add column if not exists "default_carrier" text null;`
    )
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "line_gift_export" cascade;`)

    this.addSql(`drop table if exists "line_gift_sku_mapping" cascade;`)

    this.addSql(
      `alter table if exists "line_gift_order" drop constraint if exists "line_gift_order_state_check";`
    )

    this.addSql(`drop index if exists "IDX_line_gift_order_shop_id_bought_at";`)
    this.addSql(
      `alter table if exists "line_gift_order" drop column if exists "bought_at", drop column if exists "provisional", drop column if exists "attention_reason";`
    )

    this.addSql(
      `alter table if exists "line_gift_order" add constraint "line_gift_order_state_check" check("state" in ('importing', 'imported', 'failed'));`
    )

    this.addSql(
      `alter table if exists "line_gift_shop" drop column if exists "auto_fetch_mode", drop column if exists "fetch_interval_minutes", drop column if exists "fetch_window_start_hour", drop column if exists "fetch_window_end_hour", drop column if exists "fetch_schedules", drop column if exists "next_fetch_at", drop column if exists "provisional_import", drop column if exists "export_scope", drop column if exists "auto_export", drop column if exists "carrier_map", drop column if exists "default_carrier";`
    )
  }
}
