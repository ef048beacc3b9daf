import type {
  LineGiftEndpointOverrides,
  LineGiftHttpOptions,
} from "../../lib/line-gift"

/**
 * Plugin options (the `options` of the plugin's entry in the store's medusa-config; Medusa
 * hands them to this module). Every one is optional.
 */
export type LineGiftModuleOptions = LineGiftEndpointOverrides & {
  /**
   * 32 random bytes, base64 or hex, that encrypt client_secret and tokens at rest
   * (AES-256-GCM). Defaults to env LINE_GIFT_ENCRYPTION_KEY. Without it no secret can be
   * stored (a clear error says so).
   */
  encryptionKey?: string
  /**
   * Public URL of this Medusa server. The OAuth redirect URI is
   * `{backendUrl}/line-gift/oauth/callback`; register exactly that in the LINE Gift app.
   * Default env MEDUSA_BACKEND_URL, else http://localhost:9000.
   */
  backendUrl?: string
  /** Where the OAuth callback sends the merchant back to; default `{backendUrl}/app`. */
  adminUrl?: string
  /**
   * Admin notifications (src/workflows/notifications/alerts.ts): the Notification Module
   * channel, default "feed" (the admin's bell, Medusa's local provider); false turns them off.
   */
  notifications?: { channel?: string | false }
  /** Timeouts, retries and the pause between order pages (see LineGiftHttpOptions). */
  http?: LineGiftHttpOptions
  /**
   * Seconds a fulfilment event waits for the shop's export lock before leaving its shipment to
   * the export sweep (it is marked due either way); default 120.
   */
  exportEventLockWaitSec?: number
}
