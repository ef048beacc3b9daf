/** A Medusa variant as the SKU mapping shows it ("Product / Variant (SKU)"). */
import type { HttpTypes } from "@medusajs/types"

/** The fields the SKU mapping reads of a variant (`id,title,sku,product.title`). */
export type VariantLite = Pick<
  HttpTypes.AdminProductVariant,
  "id" | "title" | "sku"
> & { product?: { title?: string | null } | null }

/** "Product / Variant (SKU)". */
export const variantLabel = (v: VariantLite) =>
  [v.product?.title, v.title].filter(Boolean).join(" / ") +
  (v.sku ? ` (${v.sku})` : "")
