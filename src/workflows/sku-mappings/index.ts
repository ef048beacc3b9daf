/**
 * Workflows of the merchant's SKU mappings (LINE Gift code → Medusa variant), used by later
 * imports before the SKU lookup.
 */
import {
  ContainerRegistrationKeys,
  MedusaError,
} from "@medusajs/framework/utils"
import {
  createStep,
  createWorkflow,
  StepResponse,
  WorkflowResponse,
} from "@medusajs/framework/workflows-sdk"
import { LINE_GIFT_MODULE } from "../../modules/line-gift"
import type LineGiftModuleService from "../../modules/line-gift/service"
import type { LineGiftSkuMappingRecord } from "../../modules/line-gift/types"

type SkuMappingUndo = { id: string; previous_variant_id: string | null }

/** Input: shop, LINE Gift code, Medusa variant id. */
export type UpsertSkuMappingInput = {
  shop_id: string
  code: string
  variant_id: string
}

/**
 * Creates the mapping, or points an existing one for the same code to the new variant.
 * @throws MedusaError NOT_FOUND when the shop or the variant does not exist.
 * Compensation: deletes a created mapping / restores the previous variant.
 */
export const upsertSkuMappingStep = createStep(
  "upsert-line-gift-sku-mapping",
  async (input: UpsertSkuMappingInput, { container }) => {
    const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
    await service.retrieveLineGiftShop(input.shop_id)
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data: variants } = await query.graph({
      entity: "product_variant",
      fields: ["id"],
      filters: { id: input.variant_id },
    })
    if (!variants.length) {
      throw new MedusaError(
        MedusaError.Types.NOT_FOUND,
        `Variant ${input.variant_id} does not exist.`
      )
    }
    const [existing] = await service.listLineGiftSkuMappings({
      shop_id: input.shop_id,
      code: input.code,
    })
    if (existing) {
      const updated = await service.updateLineGiftSkuMappings({
        id: existing.id,
        variant_id: input.variant_id,
      })
      const undo: SkuMappingUndo = {
        id: existing.id,
        previous_variant_id: existing.variant_id,
      }
      return new StepResponse<LineGiftSkuMappingRecord, SkuMappingUndo>(
        updated,
        undo
      )
    }
    const created = await service.createLineGiftSkuMappings(input)
    const undo: SkuMappingUndo = { id: created.id, previous_variant_id: null }
    return new StepResponse<LineGiftSkuMappingRecord, SkuMappingUndo>(
      created,
      undo
    )
  },
  async (undo: SkuMappingUndo | undefined, { container }) => {
    if (!undo) return
    const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
    if (undo.previous_variant_id) {
      await service.updateLineGiftSkuMappings({
        id: undo.id,
        variant_id: undo.previous_variant_id,
      })
    } else {
      await service.deleteLineGiftSkuMappings(undo.id)
    }
  }
)

/** Deletes a mapping. Compensation: restores it (soft delete). */
export const deleteSkuMappingStep = createStep(
  "delete-line-gift-sku-mapping",
  async (input: { id: string }, { container }) => {
    const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
    await service.retrieveLineGiftSkuMapping(input.id)
    await service.softDeleteLineGiftSkuMappings(input.id)
    return new StepResponse(input.id, input.id)
  },
  async (id, { container }) => {
    if (id) {
      await (
        container.resolve(LINE_GIFT_MODULE) as LineGiftModuleService
      ).restoreLineGiftSkuMappings(id)
    }
  }
)

/** Saves a SKU mapping. Output: the mapping `{ id, shop_id, code, variant_id }`. */
export const upsertLineGiftSkuMappingWorkflow = createWorkflow(
  "upsert-line-gift-sku-mapping",
  (input: UpsertSkuMappingInput) =>
    new WorkflowResponse(upsertSkuMappingStep(input))
)

/** Removes a SKU mapping. Output: its id. */
export const deleteLineGiftSkuMappingWorkflow = createWorkflow(
  "delete-line-gift-sku-mapping",
  (input: { id: string }) => new WorkflowResponse(deleteSkuMappingStep(input))
)
