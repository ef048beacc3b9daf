import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/**
 * `line_gift_order` pages filled to half: every record is written again after its insert (the
 * claim, the end of its import, the status read time of each run that reads it), and with room
 * on its page PostgreSQL writes the new row version there without touching the table's five
 * indexes (a HOT update). Measured on 10,000 records (docs/architecture.md, "Import speed"):
 * the read-time update of 5,000 of them 120–200 ms → 17–77 ms, and the table no longer grows
 * by a copy of every record per run until autovacuum. New pages use it at once; pages written
 * before keep their fill until rewritten (VACUUM FULL).
 */
export class Migration20261201130000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table if exists "line_gift_order" set (fillfactor = 50);`
    )
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "line_gift_order" reset (fillfactor);`)
  }
}
