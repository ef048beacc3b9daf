import { model } from "@medusajs/framework/utils"

/**
 * A merchant's mapping of a LINE Gift product/variation code that matches no Medusa SKU to a
 * Medusa variant. Used by later imports (before the SKU lookup) and to repair flagged orders.
 */
export const LineGiftSkuMapping = model
  .define("line_gift_sku_mapping", {
    id: model.id({ prefix: "lgsku" }).primaryKey(),
    shop_id: model.text(),
    /** LINE Gift variation.code (or item.code when the item has no variations). */
    code: model.text(),
    variant_id: model.text(),
  })
  .indexes([
    {
      name: "IDX_line_gift_sku_mapping_shop_code_unique",
      on: ["shop_id", "code"],
      unique: true,
      where: null,
    },
  ])
