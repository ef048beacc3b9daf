/**
 * Repair of already-imported orders flagged `unknown_sku` once the merchant saved a SKU mapping:
 * the custom line (no variant, `metadata.line_gift_unknown_sku = <code>`) is replaced by the
 * mapped variant at the same unit price(s) and quantity, tax-inclusive, through Medusa's order
 * edit (so Medusa keeps the change history, re-computes tax lines and reserves the stock).
 *
 * Orchestration: `repairLineGiftSkuMappingOrders(container, mappingId)` (routes call it); the
 * Medusa writes are Medusa's order-edit workflows and `markLineGiftSkuRepairedWorkflow` below.
 */
import type {
  BigNumberInput,
  MedusaContainer,
  RemoteQueryFunction,
} from "@medusajs/framework/types"
import {
  ContainerRegistrationKeys,
  MathBN,
  MedusaError,
} from "@medusajs/framework/utils"
import {
  createStep,
  createWorkflow,
  StepResponse,
  WorkflowResponse,
} from "@medusajs/framework/workflows-sdk"
import {
  beginOrderEditOrderWorkflow,
  cancelBeginOrderEditWorkflow,
  confirmOrderEditRequestWorkflow,
  orderEditAddNewItemWorkflow,
  orderEditUpdateItemQuantityWorkflow,
} from "@medusajs/medusa/core-flows"
import { LINE_GIFT_MODULE } from "../../modules/line-gift"
import type LineGiftModuleService from "../../modules/line-gift/service"
import type {
  LineGiftOrderRecord,
  LineGiftSkuMappingRecord,
} from "../../modules/line-gift/types"
import { jsonColumn } from "../../modules/line-gift/json-column"
import { errorMessage } from "../helpers/logging"

/** Flag set on a record whose unknown-SKU line was replaced by the mapped variant. */
export const SKU_REPAIRED_FLAG = "sku_repaired"

/** Why an order was not repaired (skipped: nothing wrong, just not eligible). */
export type SkuRepairSkipReason =
  | "not_imported"
  | "cancelled"
  | "fulfilled"
  | "order_edit_pending"
  | "no_unknown_sku_line"

/**
 * Result of one repair call, per Medusa order.
 * - repaired: the custom line was replaced, the record flag `unknown_sku` became `sku_repaired`;
 * - skipped: not eligible (`reason`: see SkuRepairSkipReason), left untouched;
 * - failed: the order edit was refused or would change the total; left untouched, `reason`
 *   is Medusa's message (merchant-readable).
 */
export type SkuRepairResult = {
  repaired: Array<{ order_id: string; line_gift_order_id: string }>
  skipped: Array<{
    order_id: string | null
    line_gift_order_id: string
    reason: SkuRepairSkipReason
  }>
  failed: Array<{
    order_id: string
    line_gift_order_id: string
    reason: string
  }>
}

type FlagsUndo = { id: string; flags: string[] | null }

/** Query (`ContainerRegistrationKeys.QUERY`) as the container gives it. */
type Query = Omit<RemoteQueryFunction, symbol>

/** A record's `flags` JSON column as the list of flag codes it holds (null when not a list). */
function flagsOf(flags: unknown): string[] | null {
  return Array.isArray(flags) ? (flags as string[]) : null
}

/**
 * Replaces `unknown_sku` by `sku_repaired` in the record's flags.
 * Compensation: restores the previous flags.
 */
export const markLineGiftSkuRepairedStep = createStep(
  "mark-line-gift-sku-repaired",
  async (input: { id: string }, { container }) => {
    const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
    const record = await service.retrieveLineGiftOrder(input.id, {
      select: ["id", "flags"],
    })
    const previous = flagsOf(record.flags)
    const flags = [
      ...(previous ?? []).filter(
        (f) => f !== "unknown_sku" && f !== SKU_REPAIRED_FLAG
      ),
      SKU_REPAIRED_FLAG,
    ]
    await service.updateLineGiftOrders({
      id: input.id,
      flags: jsonColumn(flags),
    })
    const undo: FlagsUndo = { id: input.id, flags: previous }
    return new StepResponse(flags, undo)
  },
  async (undo: FlagsUndo | undefined, { container }) => {
    if (!undo) return
    const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
    await service.updateLineGiftOrders({
      id: undo.id,
      flags: undo.flags ? jsonColumn(undo.flags) : null,
    })
  }
)

/** Marks a LINE Gift order record as SKU-repaired. Output: the new flags. */
export const markLineGiftSkuRepairedWorkflow = createWorkflow(
  "mark-line-gift-sku-repaired",
  (input: { id: string }) =>
    new WorkflowResponse(markLineGiftSkuRepairedStep(input))
)

/** The SKU fields of a stored LINE Gift order payload (`raw`). */
type RawSkuFields = {
  variation?: { code?: string | null } | null
  item?: { code?: string | null } | null
}

/** The LINE Gift SKU of a raw payload: variation.code, else item.code (as the import uses). */
function rawSku(raw: unknown): string | null {
  const r = raw as RawSkuFields | null | undefined
  return r?.variation?.code ?? r?.item?.code ?? null
}

/** A Medusa amount (number, string or BigNumber) in whole yen. */
function yen(amount: BigNumberInput): number {
  return Math.round(MathBN.convert(amount).toNumber())
}

const ORDER_FIELDS = [
  "id",
  "status",
  "canceled_at",
  "total",
  "items.*",
  "fulfillments.id",
  "fulfillments.canceled_at",
]

/** A line item as the repair reads it (query.graph `items.*`). */
type RepairItem = {
  id: string
  variant_id: string | null
  quantity: BigNumberInput | null
  unit_price: BigNumberInput
  is_tax_inclusive?: boolean | null
  metadata?: Record<string, unknown> | null
  fulfilled_quantity?: BigNumberInput | null
  detail?: { fulfilled_quantity?: BigNumberInput | null } | null
}

/** The order as the repair reads it (ORDER_FIELDS). */
type RepairOrder = {
  id: string
  status: string
  canceled_at: string | Date | null
  total: BigNumberInput
  items?: RepairItem[] | null
  fulfillments?: Array<{ id: string; canceled_at: string | Date | null }> | null
}

/** A record flagged `unknown_sku`, with the Medusa order it became (if any). */
type RepairCandidate = Pick<LineGiftOrderRecord, "id" | "line_gift_order_id">

/** What one repair works with. */
type RepairContext = {
  container: MedusaContainer
  query: Query
  mapping: LineGiftSkuMappingRecord
  /** The mapped variant as the merchant knows it (see describeVariant). */
  variantName: string
  actorId: string | undefined
}

/** One order's verdict: repair these lines, or skip for a reason. */
type Eligibility =
  | { repair: true; order: RepairOrder; customLines: RepairItem[] }
  | { repair: false; reason: SkuRepairSkipReason }

/** Stage 1: records of the mapping's shop, imported, flagged `unknown_sku`, with the mapping's code. */
async function unknownSkuRecords(
  service: LineGiftModuleService,
  mapping: LineGiftSkuMappingRecord
): Promise<RepairCandidate[]> {
  // JSON filtering done here; few records.
  const records = await service.listLineGiftOrders(
    { shop_id: mapping.shop_id, state: "imported" },
    { select: ["id", "line_gift_order_id", "flags", "raw"] }
  )
  return records.filter(
    (r) =>
      !!flagsOf(r.flags)?.includes("unknown_sku") &&
      rawSku(r.raw) === mapping.code
  )
}

/** Stage 2: record id → its Medusa order id (through the module link). */
async function linkedOrderIds(
  query: Query,
  records: RepairCandidate[]
): Promise<Map<string, string | undefined>> {
  const { data } = await query.graph({
    entity: "line_gift_order",
    fields: ["id", "order.id"],
    filters: { id: records.map((r) => r.id) },
  })
  const linked = data as Array<{ id: string; order?: { id: string } | null }>
  return new Map(linked.map((l) => [l.id, l.order?.id]))
}

/** Whether anything of the order was fulfilled (a live fulfilment or a fulfilled quantity). */
function isFulfilled(order: RepairOrder): boolean {
  return (
    (order.fulfillments ?? []).some((f) => !f.canceled_at) ||
    (order.items ?? []).some((i) =>
      MathBN.convert(
        i.detail?.fulfilled_quantity ?? i.fulfilled_quantity ?? 0
      ).gt(0)
    )
  )
}

/** Stage 3: whether the order can be repaired now, and its custom lines of the mapping's code. */
async function eligibility(
  query: Query,
  orderId: string,
  code: string
): Promise<Eligibility> {
  const { data: orders } = await query.graph({
    entity: "order",
    fields: ORDER_FIELDS,
    filters: { id: orderId },
  })
  const order = orders[0] as RepairOrder | undefined
  if (!order) return { repair: false, reason: "not_imported" }
  if (order.canceled_at || order.status === "canceled") {
    return { repair: false, reason: "cancelled" }
  }
  if (isFulfilled(order)) return { repair: false, reason: "fulfilled" }
  const customLines = (order.items ?? []).filter(
    (i) =>
      !i.variant_id &&
      i.metadata?.line_gift_unknown_sku === code &&
      MathBN.convert(i.quantity ?? 0).gt(0)
  )
  if (!customLines.length) {
    return { repair: false, reason: "no_unknown_sku_line" }
  }
  const { data: pendingChanges } = await query.graph({
    entity: "order_change",
    fields: ["id"],
    filters: { order_id: orderId, status: ["pending", "requested"] },
  })
  if (pendingChanges.length) {
    return { repair: false, reason: "order_edit_pending" }
  }
  return { repair: true, order, customLines }
}

/**
 * Stage 4: the order edit — add the mapped variant at the custom lines' prices, set the
 * custom lines to 0, confirm only when the total (whole yen) stays the same.
 * @param onStarted called once the edit exists (the caller cancels it on failure)
 * @throws MedusaError NOT_ALLOWED when the total would change; Medusa's errors otherwise
 */
async function editOrder(
  ctx: RepairContext,
  order: RepairOrder,
  customLines: RepairItem[],
  onStarted: () => void
): Promise<void> {
  const { container, mapping, variantName } = ctx
  await beginOrderEditOrderWorkflow(container).run({
    input: {
      order_id: order.id,
      created_by: ctx.actorId,
      description: `LINE Gift: ${mapping.code} → ${variantName}`,
      // Shown in the order's timeline: names the merchant knows, no internal ids.
      internal_note: `LINE Gift: unknown product code ${mapping.code} replaced by ${variantName} (SKU mapping)`,
    },
  })
  onStarted()
  await orderEditAddNewItemWorkflow(container).run({
    input: {
      order_id: order.id,
      items: customLines.map((line) => ({
        variant_id: mapping.variant_id,
        quantity: line.quantity ?? 0,
        unit_price: line.unit_price,
        // Kept from the custom line (true on import): the price is what the buyer paid.
        is_tax_inclusive: line.is_tax_inclusive ?? true,
        // A gift already paid on LINE Gift: ship it even if the variant is short.
        allow_backorder: true,
        metadata: {
          ...(line.metadata ?? {}),
          line_gift_unknown_sku: undefined,
          line_gift_repaired_from: line.id,
        },
      })),
    },
  })
  const { result: preview } = await orderEditUpdateItemQuantityWorkflow(
    container
  ).run({
    input: {
      order_id: order.id,
      items: customLines.map((line) => ({ id: line.id, quantity: 0 })),
    },
  })
  // JPY has no minor unit: totals are compared in whole yen (tax-inclusive lines of uneven
  // prices leave sub-yen residues in Medusa's arithmetic).
  const before = yen(order.total)
  const after = yen(preview.total)
  if (before !== after) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `The order edit would change the order total from ¥${before} to ¥${after}; order left unchanged.`
    )
  }
  await confirmOrderEditRequestWorkflow(container).run({
    input: { order_id: order.id, confirmed_by: ctx.actorId },
  })
}

/**
 * Stages 3–5 for one record: check, edit, mark the record repaired; a refused edit is
 * cancelled and reported as failed.
 */
async function repairRecord(
  ctx: RepairContext,
  record: RepairCandidate,
  orderId: string | undefined,
  result: SkuRepairResult
): Promise<void> {
  const lineGiftOrderId = record.line_gift_order_id
  if (!orderId) {
    result.skipped.push({
      order_id: null,
      line_gift_order_id: lineGiftOrderId,
      reason: "not_imported",
    })
    return
  }
  const verdict = await eligibility(ctx.query, orderId, ctx.mapping.code)
  if (!verdict.repair) {
    result.skipped.push({
      order_id: orderId,
      line_gift_order_id: lineGiftOrderId,
      reason: verdict.reason,
    })
    return
  }
  let editStarted = false
  try {
    await editOrder(ctx, verdict.order, verdict.customLines, () => {
      editStarted = true
    })
    editStarted = false
    await markLineGiftSkuRepairedWorkflow(ctx.container).run({
      input: { id: record.id },
    })
    result.repaired.push({
      order_id: orderId,
      line_gift_order_id: lineGiftOrderId,
    })
  } catch (e) {
    if (editStarted) {
      // Discards the pending edit and the line items it added.
      await cancelBeginOrderEditWorkflow(ctx.container)
        .run({ input: { order_id: orderId } })
        .catch(() => undefined)
    }
    result.failed.push({
      order_id: orderId,
      line_gift_order_id: lineGiftOrderId,
      reason: errorMessage(e),
    })
  }
}

/**
 * Repairs the orders of the mapping's shop that were imported with the mapping's code unknown:
 * for each record flagged `unknown_sku` whose raw SKU equals the code and whose Medusa order is
 * neither cancelled nor (partly) fulfilled, runs an order edit that adds the mapped variant with
 * the custom line's unit price, quantity and tax inclusion, sets the custom line to quantity 0,
 * and confirms it only when the order total stays the same (JPY; = LINE Gift's selling_price);
 * confirming reserves the stock of a managed-inventory variant. Otherwise the edit is cancelled
 * and the order reported as failed. Records are handled one by one; one failure does not stop
 * the others. A second call finds nothing left to repair (the flag is gone).
 * @throws MedusaError NOT_FOUND when the mapping does not exist.
 */
export async function repairLineGiftSkuMappingOrders(
  container: MedusaContainer,
  mappingId: string,
  options: { actor_id?: string } = {}
): Promise<SkuRepairResult> {
  const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const mapping = await service.retrieveLineGiftSkuMapping(mappingId)
  const result: SkuRepairResult = { repaired: [], skipped: [], failed: [] }
  const records = await unknownSkuRecords(service, mapping)
  if (!records.length) {
    return result
  }
  const ctx: RepairContext = {
    container,
    query,
    mapping,
    variantName: await describeVariant(query, mapping.variant_id),
    actorId: options.actor_id,
  }
  const orderIdOf = await linkedOrderIds(query, records)
  for (const record of records) {
    await repairRecord(ctx, record, orderIdOf.get(record.id), result)
  }
  return result
}

/** A variant's names as describeVariant reads them. */
type VariantNames = {
  title?: string | null
  sku?: string | null
  product?: { title?: string | null } | null
}

/**
 * A variant as a merchant knows it: "Product / Variant (SKU)"; the SKU alone, or "the mapped
 * variant" when it cannot be read. Never an internal id.
 */
async function describeVariant(
  query: Query,
  variantId: string
): Promise<string> {
  try {
    const { data } = await query.graph({
      entity: "product_variant",
      fields: ["id", "title", "sku", "product.title"],
      filters: { id: variantId },
    })
    const v = data?.[0] as VariantNames | undefined
    if (!v) return "the mapped variant"
    const name = [v.product?.title, v.title].filter(Boolean).join(" / ")
    return v.sku
      ? name
        ? `${name} (${v.sku})`
        : String(v.sku)
      : name || "the mapped variant"
  } catch {
    return "the mapped variant"
  }
}
