import { Migration } from "@medusajs/framework/mikro-orm/migrations"

export class Migration20261129175525 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table if exists "line_gift_order" drop constraint if exists "line_gift_order_shop_order_unique";`
    )
    this.addSql(
      `create table if not exists "line_gift_order" ("id" text not null, "shop_id" text not null, "line_gift_order_id" text not null, "line_gift_status" text null, "raw" jsonb null, "state" text check ("state" in ('importing', 'imported', 'failed')) not null default 'importing', "failure_reason" text null, "flags" jsonb null, "last_run_id" text null, "imported_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "line_gift_order_pkey" primary key ("id"));`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_line_gift_order_deleted_at" ON "line_gift_order" ("deleted_at") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE UNIQUE INDEX IF NOT EXISTS "IDX_line_gift_order_shop_order_unique" ON "line_gift_order" ("shop_id", "line_gift_order_id");`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_line_gift_order_shop_id_state" ON "line_gift_order" ("shop_id", "state") WHERE deleted_at IS NULL;`
    )

    this.addSql(
      `create table if not exists "line_gift_shop" ("id" text not null, "name" text not null, "api_enabled" boolean not null default true, "client_id" text null, "client_secret_encrypted" text null, "access_token_encrypted" text null, "access_token_expires_at" timestamptz null, "refresh_token_encrypted" text null, "refresh_token_expires_at" timestamptz null, "token_version" integer not null default 0, "oauth_state_nonce" text null, "oauth_state_expires_at" timestamptz null, "fetch_statuses" jsonb null, "fetch_days" integer not null default 7, "region_id" text null, "sales_channel_id" text null, "shipping_option_id" text null, "last_fetched_at" timestamptz null, "settings" jsonb null, "metadata" jsonb null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "line_gift_shop_pkey" primary key ("id"));`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_line_gift_shop_deleted_at" ON "line_gift_shop" ("deleted_at") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_line_gift_shop_name" ON "line_gift_shop" ("name") WHERE deleted_at IS NULL;`
    )

    this.addSql(
      `create table if not exists "line_gift_sync_run" ("id" text not null, "shop_id" text not null, "kind" text check ("kind" in ('import', 'export')) not null default 'import', "trigger" text check ("trigger" in ('manual', 'automatic')) not null default 'manual', "state" text check ("state" in ('running', 'succeeded', 'partial', 'failed')) not null default 'running', "window_from" timestamptz null, "window_to" timestamptz null, "statuses" jsonb null, "started_at" timestamptz not null, "finished_at" timestamptz null, "pages_read" integer not null default 0, "seen_count" integer not null default 0, "created_count" integer not null default 0, "already_imported_count" integer not null default 0, "skipped_count" integer not null default 0, "failed_count" integer not null default 0, "errors" jsonb null, "error" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "line_gift_sync_run_pkey" primary key ("id"));`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_line_gift_sync_run_deleted_at" ON "line_gift_sync_run" ("deleted_at") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_line_gift_sync_run_shop_id_started_at" ON "line_gift_sync_run" ("shop_id", "started_at") WHERE deleted_at IS NULL;`
    )
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "line_gift_order" cascade;`)

    this.addSql(`drop table if exists "line_gift_shop" cascade;`)

    this.addSql(`drop table if exists "line_gift_sync_run" cascade;`)
  }
}
