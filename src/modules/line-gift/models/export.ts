import { model } from "@medusajs/framework/utils"

/**
 * The shipment outbox: what must be (or was) told to LINE Gift about one LINE Gift order's
 * shipment — tracking number (伝票番号) and carrier (配送業者). One row per LINE Gift order
 * (LINE Gift keeps one shipment per order); a later fulfilment or a changed tracking number
 * updates the row and makes it pending again.
 *
 * `state`: `pending` (to send; `next_attempt_at` says when), `sent`, `held` (cannot be sent
 * correctly yet: `last_error` says what is missing), `failed` (permanently: LINE Gift refused,
 * e.g. the order was cancelled). `next_attempt_at` is when the export sweep retries or
 * re-checks a `pending` or `held` row. `fulfillment_id`, `tracking_number` and `carrier`
 * always belong together (that fulfilment's values); what LINE Gift has is in `sent_*`.
 *
 * `due_at` / `mark_seq`: a fulfilment event's due mark, written WITHOUT the export lock (so no
 * event is lost) and touching nothing else: `due_at` = when the sweep is to plan the row again
 * (null: no mark outstanding), `mark_seq` counts marks (never reset), `due_fulfillment_id` is
 * the fulfilment the latest marking event named (the sweep's export prefers it, as the event's
 * own export would; the row's own fulfilment, number and carrier are left as recorded). An
 * export clears the mark only by compare-and-set on the `mark_seq` it read before planning,
 * so a mark that landed while an export was running is never cleared by it.
 *
 * `last_error` and `reasons` are the current truth: replaced or cleared whenever the row's
 * state is decided again. `reasons`: `[{ code, message, params? }]` (ExportReason in
 * src/lib/carrier.ts; the admin translates by `code`). `attempts` counts pushes to LINE Gift
 * (corrections included) and exports that ended in an error (the sweep's backoff counts
 * them). `sent_fulfillment_cancelled`: LINE Gift shows a shipment whose
 * fulfilment was cancelled in Medusa since, until a new fulfilment corrects it.
 */
export const LineGiftExport = model
  .define("line_gift_export", {
    id: model.id({ prefix: "lgexp" }).primaryKey(),
    shop_id: model.text(),
    line_gift_order_id: model.text(),
    /** Medusa order and the fulfilment whose labels carry the tracking number. */
    order_id: model.text(),
    fulfillment_id: model.text().nullable(),
    tracking_number: model.text().nullable(),
    carrier: model.text().nullable(),
    state: model.enum(["pending", "sent", "held", "failed"]).default("pending"),
    attempts: model.number().default(0),
    next_attempt_at: model.dateTime().nullable(),
    last_error: model.text().nullable(),
    /** What LINE Gift last accepted (to detect changes that need a correction). */
    sent_tracking_number: model.text().nullable(),
    sent_carrier: model.text().nullable(),
    sent_at: model.dateTime().nullable(),
    /** Ship date LINE Gift records: the day of the push, Asia/Tokyo, "YYYY-MM-DD". */
    ship_date: model.text().nullable(),
    /** Why the row is held or flagged now (see above); null when nothing stands in the way. */
    reasons: model.json().nullable(),
    /** The fulfilment whose values LINE Gift last accepted. */
    sent_fulfillment_id: model.text().nullable(),
    sent_fulfillment_cancelled: model.boolean().default(false),
    /** A fulfilment event's due mark (see above): when the sweep plans the row again. */
    due_at: model.dateTime().nullable(),
    /** Marks so far: the value an export clears the mark by (compare-and-set). */
    mark_seq: model.number().default(0),
    /** The fulfilment the latest marking event named: the one the sweep's export prefers. */
    due_fulfillment_id: model.text().nullable(),
  })
  .indexes([
    {
      name: "IDX_line_gift_export_shop_order_unique",
      on: ["shop_id", "line_gift_order_id"],
      unique: true,
      where: null,
    },
    { on: ["state", "next_attempt_at"] },
    { on: ["order_id"] },
    { on: ["due_at"] },
  ])
