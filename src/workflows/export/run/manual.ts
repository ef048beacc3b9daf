/**
 * The manual export ("送信情報の更新") as named stages: open the run → select the shop's
 * recent imported orders → re-check those waiting for the address against LINE Gift → push
 * each under the shop's export lock → tally → finish the run.
 */
import type { MedusaContainer } from "@medusajs/framework/types"
import {
  ContainerRegistrationKeys,
  MedusaError,
} from "@medusajs/framework/utils"
import { LINE_GIFT_MODULE } from "../../../modules/line-gift"
import type LineGiftModuleService from "../../../modules/line-gift/service"
import type {
  LineGiftOrderRecord,
  LineGiftShopRecord,
  LineGiftSyncRunRecord,
} from "../../../modules/line-gift/types"
import { AWAITING_ADDRESS_STATUSES } from "../../../lib/carrier"
import type { ExportLineGiftShipmentOutput } from "../workflows/export-line-gift-shipment"
import type { ExportTarget } from "../types"
import { jsonColumn } from "../../../modules/line-gift/json-column"
import { errorMessage, safeLogger } from "../../helpers/logging"
import {
  asExportRows,
  EVENT_LOCK_TIMEOUT_SEC,
  isAwaitingAddress,
  liveStatuses,
  runExport,
  withExportLock,
  type ExportRunCounts,
  type ExportRunError,
  type LockResult,
} from "./shared"

/** Default and bounds of the manual export window, days. */
export const MANUAL_EXPORT_DEFAULT_DAYS = 3
/** Longest manual export window, days. */
export const MANUAL_EXPORT_MAX_DAYS = 30

const DAY_MS = 24 * 3600 * 1000

/** Counts of a manual export. */
export type ManualExportCounts = {
  sent: number
  unchanged: number
  held: number
  failed: number
}

/** Result of a manual export: counts and the `line_gift_sync_run` (kind `export`) recorded. */
export type ManualExportResult = {
  counts: ManualExportCounts
  run: LineGiftSyncRunRecord
}

/** An imported LINE Gift order to push, with its status as last recorded. */
type ManualTarget = ExportTarget & { line_gift_status: string | null }

/** The run's tally so far; `error` set ends the run as `failed`. */
type ManualTally = {
  counts: ManualExportCounts
  errors: ExportRunError[]
  error: string | null
  seen: number
}

/** Stage 1: checks the input and the shop, then records the run as `running`. */
async function openManualRun(
  service: LineGiftModuleService,
  input: { shop_id: string; days?: number; trigger?: "manual" | "automatic" }
): Promise<{
  shop: LineGiftShopRecord
  run: LineGiftSyncRunRecord
  since: Date
}> {
  const days = input.days ?? MANUAL_EXPORT_DEFAULT_DAYS
  if (!Number.isInteger(days) || days < 1 || days > MANUAL_EXPORT_MAX_DAYS) {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      `days must be a whole number from 1 to ${MANUAL_EXPORT_MAX_DAYS}`
    )
  }
  const shop = await service.retrieveLineGiftShop(input.shop_id)
  if (!shop.api_enabled) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `LINE Gift shop "${shop.name}": API usage is off. Turn it on in Settings → LINE Gift.`
    )
  }
  await service.getShopCredentials(shop.id)
  const now = new Date()
  const since = new Date(now.getTime() - days * DAY_MS)
  const run = await service.createLineGiftSyncRuns({
    shop_id: shop.id,
    kind: "export",
    trigger: input.trigger ?? "manual",
    state: "running",
    window_from: since,
    window_to: now,
    started_at: now,
  })
  return { shop, run, since }
}

/** A LINE Gift order record with its linked Medusa order (query.graph). */
type RecordWithOrder = Pick<
  LineGiftOrderRecord,
  "id" | "shop_id" | "line_gift_order_id" | "line_gift_status"
> & { order?: { id: string } | null }

/**
 * Stage 2: imported LINE Gift orders of a shop bought (or, without a purchase time, recorded)
 * since `since`, and those whose shipment was recorded or changed since then (their export
 * row written since `since`, whenever they were bought): a gift accepted days after purchase,
 * or a pre-order, ships long after it was bought, and with auto export off this run is how
 * its shipment reaches LINE Gift.
 */
async function manualExportTargets(
  container: MedusaContainer,
  service: LineGiftModuleService,
  shopId: string,
  since: Date
): Promise<ManualTarget[]> {
  const shippedSince = (
    await service.listLineGiftExports(
      { shop_id: shopId, updated_at: { $gte: since } },
      { select: ["line_gift_order_id"] }
    )
  ).map((row) => row.line_gift_order_id)
  const records = await service.listLineGiftOrders(
    {
      shop_id: shopId,
      state: "imported",
      $or: [
        { bought_at: { $gte: since } },
        { bought_at: null, created_at: { $gte: since } },
        ...(shippedSince.length ? [{ line_gift_order_id: shippedSince }] : []),
      ],
    },
    { select: ["id"], order: { bought_at: "ASC" } }
  )
  if (!records.length) return []
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "line_gift_order",
    fields: [
      "id",
      "shop_id",
      "line_gift_order_id",
      "line_gift_status",
      "order.id",
    ],
    filters: { id: records.map((r) => r.id) },
  })
  const byId = new Map(
    (data as RecordWithOrder[]).map((r) => [r.id, r] as const)
  )
  const targets: ManualTarget[] = []
  for (const { id } of records) {
    const r = byId.get(id)
    if (!r?.order?.id) continue
    targets.push({
      shop_id: shopId,
      line_gift_order_id: r.line_gift_order_id,
      record_id: r.id,
      order_id: r.order.id,
      line_gift_status: r.line_gift_status ?? null,
    })
  }
  return targets
}

/**
 * Stage 3: shipments held for the recipient's address (or orders last seen waiting for it),
 * to re-check against LINE Gift's current status.
 */
async function addressRechecks(
  service: LineGiftModuleService,
  shopId: string,
  targets: ManualTarget[]
): Promise<Set<string>> {
  const heldRows = asExportRows(
    await service.listLineGiftExports({
      shop_id: shopId,
      state: "held",
      line_gift_order_id: targets.map((t) => t.line_gift_order_id),
    })
  )
  return new Set([
    ...heldRows.filter(isAwaitingAddress).map((r) => r.line_gift_order_id),
    ...targets
      .filter(
        (t) =>
          t.line_gift_status &&
          AWAITING_ADDRESS_STATUSES.has(t.line_gift_status)
      )
      .map((t) => t.line_gift_order_id),
  ])
}

/**
 * Stage 5: adds one push's result to the tally.
 * @returns true when the run must stop (a retryable failure: LINE Gift unreachable)
 */
function tallyManual(
  tally: ManualTally,
  lgId: string,
  locked: LockResult<ExportLineGiftShipmentOutput>
): boolean {
  const { counts, errors } = tally
  if (!locked.ran) {
    counts.failed++
    errors.push({
      line_gift_order_id: lgId,
      reason: "another export of this shop was running; run the export again",
    })
    return false
  }
  const { export: row, plan, outcome } = locked.value
  if (!row) return false // no fulfilment yet: nothing to tell LINE Gift
  if (outcome.status === "sent") {
    counts.sent++
  } else if (outcome.status === "retry") {
    counts.failed++
    errors.push({ line_gift_order_id: lgId, reason: outcome.message ?? "" })
    tally.error = `stopped: ${outcome.message}`
    return true
  } else if (row.state === "failed") {
    counts.failed++
    errors.push({ line_gift_order_id: lgId, reason: row.last_error ?? "" })
  } else if (row.state === "held") {
    counts.held++
    errors.push({ line_gift_order_id: lgId, reason: row.last_error ?? "" })
  } else if (plan.action === "unchanged" || row.state === "sent") {
    counts.unchanged++
  }
  return false
}

/** Stages 2–5: select, re-check, push each target under the lock, tally. */
async function pushManualTargets(
  container: MedusaContainer,
  service: LineGiftModuleService,
  shopId: string,
  since: Date,
  tally: ManualTally
): Promise<void> {
  const targets = await manualExportTargets(container, service, shopId, since)
  tally.seen = targets.length
  const recheck = await addressRechecks(service, shopId, targets)
  const live = await liveStatuses(container, shopId, [...recheck])
  for (const { line_gift_status: _known, ...target } of targets) {
    const lgId = target.line_gift_order_id
    const status =
      live && recheck.has(lgId)
        ? { line_gift_status: live.get(lgId) ?? null }
        : {}
    // Stage 4: the push.
    let locked: LockResult<ExportLineGiftShipmentOutput>
    try {
      locked = await withExportLock(
        container,
        shopId,
        EVENT_LOCK_TIMEOUT_SEC,
        () => runExport(container, { ...target, ...status, send: true })
      )
    } catch (e) {
      tally.counts.failed++
      tally.errors.push({ line_gift_order_id: lgId, reason: errorMessage(e) })
      continue
    }
    if (tallyManual(tally, lgId, locked)) break
  }
}

/** The run's final state: `failed` with a run error, `partial` with failed or held exports. */
function manualRunState(
  tally: ManualTally
): "failed" | "partial" | "succeeded" {
  if (tally.error) return "failed"
  return tally.counts.failed || tally.counts.held ? "partial" : "succeeded"
}

/** Stage 6: the run's final state and counts. @returns the run as recorded */
async function finishManualRun(
  service: LineGiftModuleService,
  runId: string,
  tally: ManualTally
): Promise<LineGiftSyncRunRecord> {
  const { counts, errors, error, seen } = tally
  return await service.updateLineGiftSyncRuns({
    id: runId,
    state: manualRunState(tally),
    finished_at: new Date(),
    seen_count: seen,
    created_count: counts.sent,
    already_imported_count: counts.unchanged,
    skipped_count: counts.held,
    failed_count: counts.failed,
    export_counts: jsonColumn({
      ...counts,
      pending: 0,
      source: "manual",
    } satisfies ExportRunCounts),
    errors: jsonColumn(errors),
    error,
  })
}

/**
 * Manual export ("送信情報の更新"): every imported LINE Gift order of the shop bought in the
 * last `days` days (1–30, default 3), or whose shipment was recorded or changed in them
 * (manualExportTargets), whose Medusa order has a fulfilment is pushed when its
 * shipment info is unsent or changed. Orders LINE Gift already has exactly are not sent
 * again (`unchanged`); incomplete ones are `held` with the reason; refused ones `failed`.
 * Runs whatever the shop's auto export setting. Recorded as a sync run of kind `export`
 * (created_count = sent, already_imported_count = unchanged, skipped_count = held,
 * failed_count = failed; `export_counts` with source "manual"; `errors` carry the held and
 * failed reasons). Shipments held for the recipient's address (and orders last seen waiting
 * for it) are re-checked against LINE Gift's current status first. Stops at the first
 * retryable failure (LINE Gift unreachable): the run is `failed` with that reason.
 * @throws MedusaError NOT_FOUND (unknown shop), NOT_ALLOWED (API off, no credentials),
 *   INVALID_DATA (days out of range).
 */
export async function runLineGiftManualExport(
  container: MedusaContainer,
  input: { shop_id: string; days?: number; trigger?: "manual" | "automatic" }
): Promise<ManualExportResult> {
  const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
  const { shop, run, since } = await openManualRun(service, input)
  const tally: ManualTally = {
    counts: { sent: 0, unchanged: 0, held: 0, failed: 0 },
    errors: [],
    error: null,
    seen: 0,
  }
  try {
    await pushManualTargets(container, service, shop.id, since, tally)
  } catch (e) {
    tally.error = errorMessage(e)
  }
  const finished = await finishManualRun(service, run.id, tally)
  const { counts } = tally
  safeLogger(container)?.info(
    `LINE Gift manual export ${run.id} of shop ${shop.id}: ${manualRunState(tally)}; sent ${counts.sent}, unchanged ${counts.unchanged}, held ${counts.held}, failed ${counts.failed}`
  )
  return { counts, run: finished }
}
