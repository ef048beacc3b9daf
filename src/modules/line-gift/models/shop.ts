import { model } from "@medusajs/framework/utils"
import {
  DEFAULT_FETCH_DAYS,
  DEFAULT_FETCH_INTERVAL_MINUTES,
} from "../../../lib/shop-defaults"

/**
 * One LINE Gift shop connection (a merchant may connect several shops).
 *
 * Secrets are stored only encrypted (`*_encrypted`, see src/lib/crypto.ts) and never leave
 * the module service in API answers. Times are timestamps (UTC in the database; the admin
 * shows them in Asia/Tokyo).
 */
export const LineGiftShop = model
  .define("line_gift_shop", {
    id: model.id({ prefix: "lgshop" }).primaryKey(),
    /** Display name in the admin, e.g. "本店 (LINEギフト)". */
    name: model.text(),
    /** API使用: when false, no automatic or manual call reaches LINE Gift. */
    api_enabled: model.boolean().default(true),
    /** LINE Gift app client_id (not secret). */
    client_id: model.text().nullable(),
    /** LINE Gift app client_secret, AES-256-GCM encrypted. */
    client_secret_encrypted: model.text().nullable(),
    access_token_encrypted: model.text().nullable(),
    access_token_expires_at: model.dateTime().nullable(),
    refresh_token_encrypted: model.text().nullable(),
    refresh_token_expires_at: model.dateTime().nullable(),
    /** Bumped on every token change; lets a refresher see that another one already refreshed. */
    token_version: model.number().default(0),
    /** Nonce of the pending OAuth authorisation (single-use `state`), and when it lapses. */
    oauth_state_nonce: model.text().nullable(),
    oauth_state_expires_at: model.dateTime().nullable(),
    /** LINE Gift status codes to import; default ["payment"] (発送待ち). */
    fetch_statuses: model.json().nullable(),
    /** Import orders bought in the last N days (default DEFAULT_FETCH_DAYS, 7). */
    fetch_days: model.number().default(DEFAULT_FETCH_DAYS),
    /** Medusa region (Japan, JPY) and sales channel the imported orders go to. */
    region_id: model.text().nullable(),
    sales_channel_id: model.text().nullable(),
    /** Shipping option set on imported orders' shipping method (so they can be fulfilled). */
    shipping_option_id: model.text().nullable(),
    /** When the last import run of this shop finished. */
    last_fetched_at: model.dateTime().nullable(),

    // Automatic fetch (issue: fetching on the merchant's schedule). Times are Asia/Tokyo.
    /** off: manual only; interval: every N minutes (optionally inside an hour window); schedule: weekday/time entries. */
    auto_fetch_mode: model.enum(["off", "interval", "schedule"]).default("off"),
    /** Minutes between automatic fetches in `interval` mode (5–1440; default DEFAULT_FETCH_INTERVAL_MINUTES, 30). */
    fetch_interval_minutes: model
      .number()
      .default(DEFAULT_FETCH_INTERVAL_MINUTES),
    /** Optional hour window of `interval` mode, 0–23, end exclusive; may cross midnight. */
    fetch_window_start_hour: model.number().nullable(),
    fetch_window_end_hour: model.number().nullable(),
    /** `schedule` mode: up to 10 entries `{ weekdays: number[] (0=Sun…6=Sat), time: "HH:MM" }`. */
    fetch_schedules: model.json().nullable(),
    /** When the next automatic fetch is due (computed; null when auto fetch is off). */
    next_fetch_at: model.dateTime().nullable(),
    /** Import gifts still waiting for the recipient's address as provisional orders. */
    provisional_import: model.boolean().default(false),

    // Shipments back to LINE Gift (issue: shipments).
    /** fulfilled: push once a fulfilment carries a tracking number (also not yet shipped); shipped: push only when marked shipped. */
    export_scope: model.enum(["fulfilled", "shipped"]).default("fulfilled"),
    /** Push shipment info automatically (on the event, and in sweeps). */
    auto_export: model.boolean().default(true),
    /** Shipping option id or fulfilment provider id → LINE Gift carrier name (配送業者). */
    carrier_map: model.json().nullable(),
    /** Carrier used when neither the fulfilment metadata nor the map names one. */
    default_carrier: model.text().nullable(),
    /** Room for settings later issues add (schedules, export scope, carrier map…). */
    settings: model.json().nullable(),
    metadata: model.json().nullable(),
  })
  .indexes([{ on: ["name"] }])
