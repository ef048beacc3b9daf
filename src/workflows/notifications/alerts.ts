/**
 * Admin notifications of a shop's troubles (issue 11 item 5), through Medusa's Notification
 * Module on the `feed` channel (the admin's bell; Medusa registers its local provider there
 * by default, so a store needs no set-up). Channel option: `notifications.channel` (plugin
 * options), `false` turns them off.
 *
 * One notification per condition and shop until it clears: `notifyOncePerCondition` claims
 * a mark in the shop's metadata atomically (one winner across instances), and removes it
 * when the condition no longer holds, so the next occurrence notifies again.
 *
 * Conditions: `token_expiring` (refresh token expires within 14 days), `token_rejected`
 * (LINE Gift answered invalid_grant), `import_failures` (the last 3 automatic imports
 * failed), `exports_stuck` (shipment pushes held or failed for more than 6 hours),
 * `unknown_statuses` (unknown LINE Gift status codes seen: `reportUnknownLineGiftStatuses`).
 */
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { LINE_GIFT_MODULE } from "../../modules/line-gift"
import type LineGiftModuleService from "../../modules/line-gift/service"
import { connectionStateOf } from "../../modules/line-gift/service"
import { safeErrorMessage } from "../../lib/safe-error"

/** Condition names (stable: stored in the shop's metadata `line_gift_alerts`). */
export type LineGiftAlertCondition =
  | "token_expiring"
  | "token_rejected"
  | "import_failures"
  | "exports_stuck"
  | "unknown_statuses"

/** Refresh token expiring within this many days raises `token_expiring`. */
export const TOKEN_EXPIRING_DAYS = 14
/** This many automatic imports failing in a row raise `import_failures`. */
export const IMPORT_FAILURES_IN_A_ROW = 3
/** Exports held or failed for longer than this (ms) raise `exports_stuck`. */
export const EXPORT_STUCK_MS = 6 * 3600_000

const DAY_MS = 86400_000

/** The channel notifications go to, or null when turned off (option `notifications.channel`). */
export function notificationChannel(
  service: LineGiftModuleService
): string | null {
  const opt = (
    service.getOptions() as { notifications?: { channel?: string | false } }
  ).notifications
  if (opt?.channel === false) return null
  return typeof opt?.channel === "string" && opt.channel.trim()
    ? opt.channel.trim()
    : "feed"
}

/** Admin path of a shop's settings page (the notification names it: the feed shows text only). */
export const shopAdminPath = (shopId: string) =>
  `/app/settings/line-gift/${shopId}`

/**
 * Sends one notification for (`shopId`, `condition`) while `active` holds; when it no longer
 * holds, clears the mark so that a later occurrence notifies again. Safe to call every tick
 * and from several instances at once.
 * @param message `{ title, description }` shown in the admin's notification feed.
 * @returns "sent" | "already" (active, notified before) | "cleared" | "inactive"
 * Never throws for a notification failure (the mark is released so it is retried).
 */
export async function notifyOncePerCondition(
  container: MedusaContainer,
  args: {
    shopId: string
    condition: LineGiftAlertCondition
    active: boolean
    message: () => { title: string; description: string }
    now?: Date
  }
): Promise<"sent" | "already" | "cleared" | "inactive"> {
  const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
  if (!args.active) {
    return (await service.clearAlert(args.shopId, args.condition))
      ? "cleared"
      : "inactive"
  }
  const channel = notificationChannel(service)
  if (!channel) return "inactive"
  if (
    !(await service.claimAlert(
      args.shopId,
      args.condition,
      args.now ?? new Date()
    ))
  ) {
    return "already"
  }
  const { title, description } = args.message()
  try {
    const notifications = container.resolve(Modules.NOTIFICATION)
    await notifications.createNotifications({
      to: "",
      channel,
      template: "admin-ui",
      data: {
        title,
        description: `${description} (${shopAdminPath(args.shopId)})`,
        url: shopAdminPath(args.shopId),
        line_gift_shop_id: args.shopId,
        line_gift_condition: args.condition,
      },
    })
    return "sent"
  } catch (e) {
    await service.clearAlert(args.shopId, args.condition)
    logWarn(
      container,
      `LINE Gift: could not create the "${args.condition}" notification: ${safeErrorMessage(e)}`
    )
    return "inactive"
  }
}

function logWarn(container: MedusaContainer, msg: string): void {
  try {
    container.resolve(ContainerRegistrationKeys.LOGGER).warn(msg)
  } catch {
    // no logger
  }
}

/** Shop fields the alert checks read. */
type ShopRow = {
  id: string
  name: string
  api_enabled: boolean
  refresh_token_encrypted: string | null
  refresh_token_expires_at: Date | null
  token_version: number
  metadata?: unknown
}

/** `token_rejected` and `token_expiring` of one shop, at `now`. */
export async function evaluateTokenAlerts(
  container: MedusaContainer,
  shopId: string,
  now: Date = new Date()
): Promise<void> {
  const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
  const shop: ShopRow = await service.retrieveLineGiftShop(shopId)
  const { state, problem } = connectionStateOf(shop, now)
  await notifyOncePerCondition(container, {
    shopId,
    condition: "token_rejected",
    active: state === "needs_reauthorization",
    now,
    message: () => ({
      title: `LINEギフト「${shop.name}」: 再認証が必要です / needs re-authorisation`,
      description:
        `LINE Gift rejected the refresh token (${problem ?? "invalid_grant"}). Imports and shipment pushes of this shop stop until ` +
        `someone uses "Get refresh token" or pastes a new code/refresh token in Settings → LINE Gift.`,
    }),
  })
  const expiresAt = shop.refresh_token_expires_at
    ? new Date(shop.refresh_token_expires_at)
    : null
  const expiring =
    state !== "needs_reauthorization" &&
    !!shop.refresh_token_encrypted &&
    !!expiresAt &&
    expiresAt.getTime() - now.getTime() < TOKEN_EXPIRING_DAYS * DAY_MS
  await notifyOncePerCondition(container, {
    shopId,
    condition: "token_expiring",
    active: expiring,
    now,
    message: () => ({
      title: `LINEギフト「${shop.name}」: リフレッシュトークンの期限が近づいています / refresh token expires soon`,
      description:
        `The refresh token expires on ${expiresAt?.toISOString().slice(0, 10)} (UTC). The keep-alive job renews it while API usage is on; ` +
        `if it cannot, use "Get refresh token" in Settings → LINE Gift before then.`,
    }),
  })
}

/** `import_failures` of one shop: the last 3 automatic imports failed. */
export async function evaluateImportAlert(
  container: MedusaContainer,
  shop: { id: string; name: string },
  now: Date = new Date()
): Promise<void> {
  const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
  const runs: Array<{ state: string; error: string | null }> =
    await service.listLineGiftSyncRuns(
      {
        shop_id: shop.id,
        kind: "import",
        trigger: "automatic",
        state: ["succeeded", "partial", "failed"],
      },
      {
        select: ["id", "state", "error"],
        order: { started_at: "DESC" },
        take: IMPORT_FAILURES_IN_A_ROW,
      }
    )
  const active =
    runs.length === IMPORT_FAILURES_IN_A_ROW &&
    runs.every((r) => r.state === "failed")
  await notifyOncePerCondition(container, {
    shopId: shop.id,
    condition: "import_failures",
    active,
    now,
    message: () => ({
      title: `LINEギフト「${shop.name}」: 自動取込が${IMPORT_FAILURES_IN_A_ROW}回続けて失敗しました / automatic imports failed ${IMPORT_FAILURES_IN_A_ROW} times in a row`,
      description: `Last reason: ${runs[0]?.error ?? "unknown"}. See Settings → LINE Gift → history.`,
    }),
  })
}

/** `exports_stuck` of one shop: shipment pushes held or failed for more than 6 hours. */
export async function evaluateExportAlert(
  container: MedusaContainer,
  shop: { id: string; name: string },
  now: Date = new Date()
): Promise<void> {
  const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
  const stuck: Array<{
    line_gift_order_id: string
    state: string
    last_error: string | null
  }> = await service.listLineGiftExports(
    {
      shop_id: shop.id,
      state: ["held", "failed"],
      updated_at: { $lt: new Date(now.getTime() - EXPORT_STUCK_MS) },
    },
    { select: ["id", "line_gift_order_id", "state", "last_error"], take: 5 }
  )
  await notifyOncePerCondition(container, {
    shopId: shop.id,
    condition: "exports_stuck",
    active: stuck.length > 0,
    now,
    message: () => ({
      title: `LINEギフト「${shop.name}」: 発送情報を送信できていません / shipment info not sent for over 6 hours`,
      description: `Held or failed: ${stuck.map((e) => `${e.line_gift_order_id} (${e.state}: ${(e.last_error ?? "").slice(0, 80)})`).join("; ")}.`,
    }),
  })
}

/**
 * Hook for unknown LINE Gift status codes seen by a run (the import wires it with its per-run
 * counts). Notifies once while unknown codes keep being seen; an empty `counts` clears it.
 * @param counts status code → number of orders with it in the run
 */
export async function reportUnknownLineGiftStatuses(
  container: MedusaContainer,
  shop: { id: string; name: string },
  counts: Record<string, number>,
  now: Date = new Date()
): Promise<void> {
  const seen = Object.entries(counts).filter(([, n]) => n > 0)
  await notifyOncePerCondition(container, {
    shopId: shop.id,
    condition: "unknown_statuses",
    active: seen.length > 0,
    now,
    message: () => ({
      title: `LINEギフト「${shop.name}」: 未知のステータスを受信しました / unknown LINE Gift statuses`,
      description: `Seen: ${seen.map(([code, n]) => `${code} ×${n}`).join(", ")}. Orders with these statuses are not imported; tell the plugin's maintainers.`,
    }),
  })
}

/**
 * Evaluates every condition of every shop (the alerts job). Deleted shops are skipped;
 * shops with API usage off get their token/import alerts cleared.
 */
export async function evaluateLineGiftAlerts(
  container: MedusaContainer,
  now: Date = new Date()
): Promise<void> {
  const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
  const shops: Array<{ id: string; name: string; api_enabled: boolean }> =
    await service.listLineGiftShops(
      {},
      {
        select: ["id", "name", "api_enabled"],
      }
    )
  for (const shop of shops) {
    try {
      await evaluateTokenAlerts(container, shop.id, now)
      await evaluateImportAlert(container, shop, now)
      await evaluateExportAlert(container, shop, now)
    } catch (e) {
      logWarn(
        container,
        `LINE Gift alerts of shop ${shop.id}: ${safeErrorMessage(e)}`
      )
    }
  }
}
