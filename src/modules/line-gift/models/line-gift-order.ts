import { model } from "@medusajs/framework/utils"

/**
 * What we know of one LINE Gift order: its last status and raw payload, and whether it became
 * a Medusa order (module link `line_gift_order` ↔ `order`, see src/links).
 *
 * `state`:
 * - `seen`: known, not (yet) eligible for import (e.g. still waiting for the recipient);
 *   tracked so that an order entering a fetched status later is imported even when it was
 *   bought before the fetch window;
 * - `importing`: claimed by a running import (the claim is what prevents duplicates);
 * - `imported`: a Medusa order exists and is linked;
 * - `failed`: could not be imported, `failure_reason` says why; a later run retries it.
 *
 * Unique per shop on (shop_id, line_gift_order_id), over all rows including soft-deleted ones,
 * so a LINE Gift order can never be claimed twice; the claim also refuses an order another
 * shop of the same LINE Gift app (client_id) holds (HELD_BY_SAME_APP in
 * services/order-records.ts), so a shop deleted and created again imports nothing twice.
 */
export const LineGiftOrder = model
  .define("line_gift_order", {
    id: model.id({ prefix: "lgord" }).primaryKey(),
    shop_id: model.text(),
    /** LINE Gift order id, an opaque string. */
    line_gift_order_id: model.text(),
    /** Last LINE Gift status seen (`payment`, `received`, …; also codes LINE Gift added later). */
    line_gift_status: model.text().nullable(),
    /** When LINE Gift last reported `line_gift_status` (a fetch reading it, or a successful push). */
    status_read_at: model.dateTime().nullable(),
    /** The order exactly as LINE Gift sent it last (personal data: never logged). */
    raw: model.json().nullable(),
    state: model
      .enum(["seen", "importing", "imported", "failed"])
      .default("importing"),
    failure_reason: model.text().nullable(),
    /** e.g. ["unknown_sku"], ["price_split"]. */
    flags: model.json().nullable(),
    /** When the gift was bought on LINE Gift (bought_on). */
    bought_at: model.dateTime().nullable(),
    /** Imported as a provisional order (no recipient address yet). */
    provisional: model.boolean().default(false),
    /** Set when a person must look (e.g. cancelled on LINE Gift after fulfilment). */
    attention_reason: model.text().nullable(),
    /** The run that last touched this record. */
    last_run_id: model.text().nullable(),
    imported_at: model.dateTime().nullable(),
  })
  .indexes([
    {
      name: "IDX_line_gift_order_shop_order_unique",
      on: ["shop_id", "line_gift_order_id"],
      unique: true,
      where: null,
    },
    { on: ["shop_id", "state"] },
    { on: ["shop_id", "bought_at"] },
  ])
