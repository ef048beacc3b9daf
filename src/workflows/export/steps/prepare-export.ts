import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { planShipmentExport, type FulfillmentFacts } from "../../../lib/carrier"
import { LINE_GIFT_MODULE } from "../../../modules/line-gift"
import type LineGiftModuleService from "../../../modules/line-gift/service"
import type { LineGiftShopRecord } from "../../../modules/line-gift/types"
import type { MedusaContainer } from "@medusajs/framework/types"
import {
  asExportRows,
  type ExportShopSettings,
  type ExportTarget,
  type LineGiftExportRow,
  type PreparedExport,
} from "../types"

/** Input: the LINE Gift order, and the fulfilment an event named (if any). */
export type PrepareExportInput = ExportTarget & {
  /** The fulfilment to report; default: the row's, else the order's best one. */
  fulfillment_id?: string | null
  /** Send even when LINE Gift already has these values ("Push again"). */
  force?: boolean
  /**
   * LINE Gift's current status of the order, when the caller just read it (sweep, manual
   * export); default: the status last recorded on the LINE Gift order record.
   */
  line_gift_status?: string | null
}

/** Fulfilment fields read at push time (labels are read now: a shipment may have replaced them). */
export const EXPORT_FULFILLMENT_FIELDS = [
  "fulfillments.id",
  "fulfillments.shipping_option_id",
  "fulfillments.provider_id",
  "fulfillments.metadata",
  "fulfillments.shipped_at",
  "fulfillments.canceled_at",
  "fulfillments.created_at",
  "fulfillments.labels.tracking_number",
]

const time = (v: unknown) => (v ? new Date(v as string).getTime() : 0)

/** `created_at` of a fulfilment as query.graph returned it (not part of FulfillmentFacts). */
const createdAt = (f: FulfillmentFacts): unknown =>
  (f as FulfillmentFacts & { created_at?: unknown }).created_at

/**
 * The fulfilment an export reports: the first of `preferred` that exists and is not
 * cancelled; else the newest live one with a tracking number; else the newest live one;
 * else the newest (cancelled) one; null when the order has none.
 */
export function chooseFulfillment(
  fulfillments: FulfillmentFacts[],
  preferred: Array<string | null | undefined>
): FulfillmentFacts | null {
  for (const id of preferred) {
    const f = id ? fulfillments.find((x) => x.id === id) : undefined
    if (f && !f.canceled_at) return f
  }
  const newest = [...fulfillments].sort(
    (a, b) => time(createdAt(b)) - time(createdAt(a))
  )
  const live = newest.filter((f) => !f.canceled_at)
  return (
    live.find((f) =>
      (f.labels ?? []).some((l) => l?.tracking_number?.trim())
    ) ??
    live[0] ??
    newest[0] ??
    null
  )
}

/** The export settings of a shop record (defaults for values a record may lack). */
export function exportShopSettings(s: LineGiftShopRecord): ExportShopSettings {
  const carrierMap: unknown = s.carrier_map
  return {
    id: s.id,
    name: s.name,
    api_enabled: s.api_enabled !== false,
    auto_export: s.auto_export !== false,
    export_scope: s.export_scope === "shipped" ? "shipped" : "fulfilled",
    carrier_map:
      carrierMap && typeof carrierMap === "object"
        ? (carrierMap as Record<string, string>)
        : {},
    default_carrier: s.default_carrier ?? null,
  }
}

/** An order's fulfilments as read for the export (query.graph, EXPORT_FULFILLMENT_FIELDS). */
type OrderFulfillments = {
  id: string
  fulfillments?: Array<FulfillmentFacts | null> | null
}

/** What the step reads: the row, the shop, the order's fulfilments and LINE Gift's status. */
export type ExportFacts = {
  row: LineGiftExportRow | null
  shop: ExportShopSettings
  fulfillments: FulfillmentFacts[]
  lineGiftStatus: string | null
}

/**
 * Reads the facts an export is planned from: the row FIRST (with its due mark, `mark_seq`),
 * then the shop, the order's fulfilments and the record in parallel — so a fulfilment whose
 * event marked the row before the row was read is among the fulfilments read, and a mark that
 * lands later is not cleared by this export (clearLineGiftExportDueStep).
 */
async function readExportFacts(
  container: MedusaContainer,
  input: PrepareExportInput
): Promise<ExportFacts> {
  const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const rows = await service.listLineGiftExports({
    shop_id: input.shop_id,
    line_gift_order_id: input.line_gift_order_id,
  })
  const [shopRecord, { data: orders }, records] = await Promise.all([
    service.retrieveLineGiftShop(input.shop_id),
    query.graph({
      entity: "order",
      fields: ["id", ...EXPORT_FULFILLMENT_FIELDS],
      filters: { id: input.order_id },
    }),
    input.line_gift_status === undefined && input.record_id
      ? service.listLineGiftOrders(
          { id: input.record_id },
          { select: ["id", "line_gift_status"] }
        )
      : Promise.resolve([]),
  ])
  const order = orders[0] as OrderFulfillments | undefined
  return {
    row: asExportRows(rows)[0] ?? null,
    shop: exportShopSettings(shopRecord),
    fulfillments: (order?.fulfillments ?? []).filter(
      (f): f is FulfillmentFacts => !!f
    ),
    lineGiftStatus:
      input.line_gift_status !== undefined
        ? input.line_gift_status
        : (records[0]?.line_gift_status ?? null),
  }
}

/**
 * The carrier fixed for fulfilment `fulfillmentId` (issue 16.1), only ever for the fulfilment
 * it was resolved for: recorded for sending (a `pending` row's carrier, when the row's
 * fulfilment is this one), else what LINE Gift accepted when that was this fulfilment's
 * shipment (`sent_carrier` of the sent fulfilment, whatever the row's state now). null when
 * none: the carrier is resolved afresh (today's mapping) — e.g. for a new fulfilment the row
 * moved to, a held or refused row's fulfilment that was never accepted.
 */
export function recordedCarrierFor(
  row: LineGiftExportRow | null,
  fulfillmentId: string | null
): { fulfillment_id: string; carrier: string | null } | null {
  if (!row || !fulfillmentId) return null
  if (row.state === "pending" && row.fulfillment_id === fulfillmentId) {
    return { fulfillment_id: fulfillmentId, carrier: row.carrier }
  }
  const sentFulfillmentId = row.sent_at
    ? (row.sent_fulfillment_id ?? row.fulfillment_id)
    : null
  if (sentFulfillmentId === fulfillmentId) {
    return { fulfillment_id: fulfillmentId, carrier: row.sent_carrier }
  }
  return null
}

/**
 * The plan of one export from the facts read (pure: unit tests chain it with rowValuesFor):
 * the fulfilment to report (chooseFulfillment), what LINE Gift has, the carrier fixed for that
 * fulfilment, and planShipmentExport's decision.
 */
export function planPreparedExport(
  input: PrepareExportInput,
  facts: ExportFacts
): PreparedExport {
  const { row, shop, fulfillments, lineGiftStatus } = facts
  const fulfillment = chooseFulfillment(fulfillments, [
    input.fulfillment_id,
    row?.fulfillment_id,
  ])
  const force = !!input.force
  // The fulfilment LINE Gift's values came from (rows sent before that was recorded: the row's).
  const sentFulfillmentId = row?.sent_at
    ? (row.sent_fulfillment_id ?? row.fulfillment_id)
    : null
  const sentFulfillment = sentFulfillmentId
    ? fulfillments.find((f) => f.id === sentFulfillmentId)
    : undefined
  const plan = planShipmentExport({
    scope: shop.export_scope,
    settings: shop,
    fulfillment,
    sent: row?.sent_at
      ? {
          tracking_number: row.sent_tracking_number,
          carrier: row.sent_carrier,
          fulfillment_cancelled: !!sentFulfillment?.canceled_at,
        }
      : null,
    recorded: recordedCarrierFor(row, fulfillment?.id ?? null),
    line_gift_status: lineGiftStatus,
    force,
  })
  return {
    shop_id: input.shop_id,
    line_gift_order_id: input.line_gift_order_id,
    record_id: input.record_id,
    order_id: input.order_id,
    row,
    shop,
    fulfillment,
    plan,
    skip: !fulfillment && !row,
    force,
    line_gift_status: lineGiftStatus,
  }
}

/**
 * Reads the export row, the shop's export settings and the order's fulfilments, and plans
 * the export (planPreparedExport). Read-only: no compensation needed.
 */
export const prepareLineGiftExportStep = createStep(
  "prepare-line-gift-export",
  async (input: PrepareExportInput, { container }) => {
    const facts = await readExportFacts(container, input)
    return new StepResponse(planPreparedExport(input, facts))
  }
)
