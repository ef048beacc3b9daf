/**
 * SKU mapping of one shop: LINE Gift product/variation codes that matched no Medusa variant
 * (with a variant picker each), and the saved mappings. A mapping is used by later imports; its
 * "Repair flagged orders" button fixes the orders already imported with that code unknown.
 */
import { Container } from "@medusajs/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { useVariantsByIds } from "../hooks/medusa"
import { useSkuMappings, useUnmatchedSkus } from "../hooks/sku"
import type { UnmatchedSku } from "../lib/types"
import { SectionHeader } from "./layout"
import { SkuMappings } from "./sku-mapping/sku-mappings"
import { UnmatchedSkus } from "./sku-mapping/unmatched-skus"
import type { VariantLite } from "./sku-mapping/variant"
import { VariantPicker } from "./sku-mapping/variant-picker"

export const SkuMappingSection = ({ shopId }: { shopId: string }) => {
  const { t } = useTranslation("line-gift")
  const unmatched = useUnmatchedSkus(shopId)
  const mappings = useSkuMappings(shopId)
  const [picking, setPicking] = useState<UnmatchedSku | null>(null)
  const mapped = mappings.data?.mappings ?? []
  const variants = useVariantsByIds(mapped.map((m) => m.variant_id))
  const byId = new Map<string, VariantLite>(
    (variants.data?.variants ?? []).map((v) => [v.id, v])
  )
  // A code with a mapping is listed under the mappings (with "repair"), not as unmatched.
  const mappedCodes = new Set(mapped.map((m) => m.code))
  const skus = (unmatched.data?.skus ?? []).filter(
    (s) => !s.mapping_id && !mappedCodes.has(s.code)
  )

  return (
    <Container className="divide-y p-0" data-testid="line-gift-sku-mapping">
      <SectionHeader
        title={t("sku.title")}
        description={t("sku.description")}
      />
      <UnmatchedSkus unmatched={unmatched} skus={skus} onPick={setPicking} />
      <SkuMappings mappings={mappings} mapped={mapped} byId={byId} />
      <VariantPicker
        shopId={shopId}
        sku={picking}
        onClose={() => setPicking(null)}
      />
    </Container>
  )
}
