/**
 * Repair of already-imported orders flagged `unknown_sku` once the merchant saved a SKU mapping:
 * the custom line (no variant, `metadata.line_gift_unknown_sku = <code>`) is replaced by the
 * mapped variant at the same unit price(s) and quantity, tax-inclusive, through Medusa's order
 * edit (so Medusa keeps the change history, re-computes tax lines and reserves the stock).
 *
 * Orchestration: `repairLineGiftSkuMappingOrders(container, mappingId)` (routes call it); the
 * Medusa writes are Medusa's order-edit workflows and `markLineGiftSkuRepairedWorkflow` below.
 */
import type { MedusaContainer } from "@medusajs/framework/types"
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

/**
 * Replaces `unknown_sku` by `sku_repaired` in the record's flags.
 * Compensation: restores the previous flags.
 */
export const markLineGiftSkuRepairedStep = createStep(
  "mark-line-gift-sku-repaired",
  async (input: { id: string }, { container }) => {
    const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
    const record = (await service.retrieveLineGiftOrder(input.id, {
      select: ["id", "flags"],
    })) as any
    const previous: string[] | null = Array.isArray(record.flags)
      ? record.flags
      : null
    const flags = [
      ...(previous ?? []).filter(
        (f) => f !== "unknown_sku" && f !== SKU_REPAIRED_FLAG
      ),
      SKU_REPAIRED_FLAG,
    ]
    await service.updateLineGiftOrders({ id: input.id, flags } as any)
    const undo: FlagsUndo = { id: input.id, flags: previous }
    return new StepResponse(flags, undo)
  },
  async (undo: FlagsUndo | undefined, { container }) => {
    if (!undo) return
    const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
    await service.updateLineGiftOrders({
      id: undo.id,
      flags: undo.flags,
    } as any)
  }
)

/** Marks a LINE Gift order record as SKU-repaired. Output: the new flags. */
export const markLineGiftSkuRepairedWorkflow = createWorkflow(
  "mark-line-gift-sku-repaired",
  (input: { id: string }) =>
    new WorkflowResponse(markLineGiftSkuRepairedStep(input))
)

/** The LINE Gift SKU of a raw payload: variation.code, else item.code (as the import uses). */
function rawSku(raw: any): string | null {
  return raw?.variation?.code ?? raw?.item?.code ?? null
}

/** A Medusa amount (number, string or BigNumber) in whole yen. */
function yen(amount: unknown): number {
  return Math.round(MathBN.convert(amount as any).toNumber())
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
  const mapping = (await service.retrieveLineGiftSkuMapping(mappingId)) as any
  const result: SkuRepairResult = { repaired: [], skipped: [], failed: [] }

  // Candidate records: imported, flagged, same code (JSON filtering done here; few records).
  const records = (
    (await service.listLineGiftOrders(
      { shop_id: mapping.shop_id, state: "imported" } as any,
      { select: ["id", "line_gift_order_id", "flags", "raw"] }
    )) as any[]
  ).filter(
    (r) =>
      Array.isArray(r.flags) &&
      r.flags.includes("unknown_sku") &&
      rawSku(r.raw) === mapping.code
  )
  if (!records.length) {
    return result
  }
  const variantName = await describeVariant(query, mapping.variant_id)
  const { data: linked } = await query.graph({
    entity: "line_gift_order",
    fields: ["id", "order.id"],
    filters: { id: records.map((r) => r.id) },
  })
  const orderIdOf = new Map(
    (linked as any[]).map((l) => [l.id, l.order?.id as string | undefined])
  )

  for (const record of records) {
    const lineGiftOrderId: string = record.line_gift_order_id
    const orderId = orderIdOf.get(record.id)
    if (!orderId) {
      result.skipped.push({
        order_id: null,
        line_gift_order_id: lineGiftOrderId,
        reason: "not_imported",
      })
      continue
    }
    const { data: orders } = await query.graph({
      entity: "order",
      fields: ORDER_FIELDS,
      filters: { id: orderId },
    })
    const order = orders[0] as any
    if (!order) {
      result.skipped.push({
        order_id: orderId,
        line_gift_order_id: lineGiftOrderId,
        reason: "not_imported",
      })
      continue
    }
    if (order.canceled_at || order.status === "canceled") {
      result.skipped.push({
        order_id: orderId,
        line_gift_order_id: lineGiftOrderId,
        reason: "cancelled",
      })
      continue
    }
    const items = (order.items ?? []) as any[]
    const fulfilled =
      (order.fulfillments ?? []).some((f: any) => !f.canceled_at) ||
      items.some((i) =>
        MathBN.convert(
          i.detail?.fulfilled_quantity ?? i.fulfilled_quantity ?? 0
        ).gt(0)
      )
    if (fulfilled) {
      result.skipped.push({
        order_id: orderId,
        line_gift_order_id: lineGiftOrderId,
        reason: "fulfilled",
      })
      continue
    }
    const customLines = items.filter(
      (i) =>
        !i.variant_id &&
        i.metadata?.line_gift_unknown_sku === mapping.code &&
        MathBN.convert(i.quantity ?? 0).gt(0)
    )
    if (!customLines.length) {
      result.skipped.push({
        order_id: orderId,
        line_gift_order_id: lineGiftOrderId,
        reason: "no_unknown_sku_line",
      })
      continue
    }
    const { data: pendingChanges } = await query.graph({
      entity: "order_change",
      fields: ["id"],
      filters: { order_id: orderId, status: ["pending", "requested"] } as any,
    })
    if (pendingChanges.length) {
      result.skipped.push({
        order_id: orderId,
        line_gift_order_id: lineGiftOrderId,
        reason: "order_edit_pending",
      })
      continue
    }

    let editStarted = false
    try {
      await beginOrderEditOrderWorkflow(container).run({
        input: {
          order_id: orderId,
          created_by: options.actor_id,
          description: `LINE Gift: ${mapping.code} → ${variantName}`,
          // Shown in the order's timeline: names the merchant knows, no internal ids.
          internal_note: `LINE Gift: unknown product code ${mapping.code} replaced by ${variantName} (SKU mapping)`,
        },
      })
      editStarted = true
      await orderEditAddNewItemWorkflow(container).run({
        input: {
          order_id: orderId,
          items: customLines.map((line) => ({
            variant_id: mapping.variant_id,
            quantity: line.quantity,
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
          })) as any,
        },
      })
      const { result: preview } = await orderEditUpdateItemQuantityWorkflow(
        container
      ).run({
        input: {
          order_id: orderId,
          items: customLines.map((line) => ({ id: line.id, quantity: 0 })),
        },
      })
      // JPY has no minor unit: totals are compared in whole yen (tax-inclusive lines of uneven
      // prices leave sub-yen residues in Medusa's arithmetic).
      const before = yen(order.total)
      const after = yen((preview as any).total)
      if (before !== after) {
        throw new MedusaError(
          MedusaError.Types.NOT_ALLOWED,
          `The order edit would change the order total from ¥${before} to ¥${after}; order left unchanged.`
        )
      }
      await confirmOrderEditRequestWorkflow(container).run({
        input: { order_id: orderId, confirmed_by: options.actor_id },
      })
      editStarted = false
      await markLineGiftSkuRepairedWorkflow(container).run({
        input: { id: record.id },
      })
      result.repaired.push({
        order_id: orderId,
        line_gift_order_id: lineGiftOrderId,
      })
    } catch (e: any) {
      if (editStarted) {
        // Discards the pending edit and the line items it added.
        await cancelBeginOrderEditWorkflow(container)
          .run({ input: { order_id: orderId } })
          .catch(() => undefined)
      }
      result.failed.push({
        order_id: orderId,
        line_gift_order_id: lineGiftOrderId,
        reason: e?.message ?? String(e),
      })
    }
  }
  return result
}

/**
 * A variant as a merchant knows it: "Product / Variant (SKU)"; the SKU alone, or "the mapped
 * variant" when it cannot be read. Never an internal id.
 */
async function describeVariant(query: any, variantId: string): Promise<string> {
  try {
    const { data } = await query.graph({
      entity: "product_variant",
      fields: ["id", "title", "sku", "product.title"],
      filters: { id: variantId },
    })
    const v = data?.[0]
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
