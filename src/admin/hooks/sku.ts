/** react-query hooks of SKU mapping: LINE Gift codes that matched no variant, and mappings. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { sdk } from "../lib/sdk"
import type { SkuMapping, UnmatchedSku } from "../lib/types"
import { lineGiftKeys } from "./query-keys"

export const useUnmatchedSkus = (shopId: string) =>
  useQuery({
    queryKey: lineGiftKeys.unmatchedSkus.list({ shop_id: shopId }),
    queryFn: () =>
      sdk.client.fetch<{ skus: UnmatchedSku[] }>(
        `/admin/line-gift/shops/${shopId}/unmatched-skus`
      ),
    retry: false,
  })

export const useSkuMappings = (shopId: string) =>
  useQuery({
    queryKey: lineGiftKeys.skuMappings.list({ shop_id: shopId }),
    queryFn: () =>
      sdk.client.fetch<{ mappings: SkuMapping[] }>(
        `/admin/line-gift/shops/${shopId}/sku-mappings`
      ),
    retry: false,
  })

function useSkuChanged() {
  const qc = useQueryClient()
  return () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: lineGiftKeys.skuMappings.all }),
      qc.invalidateQueries({ queryKey: lineGiftKeys.unmatchedSkus.all }),
      qc.invalidateQueries({ queryKey: lineGiftKeys.orders.all }),
    ])
}

export const useCreateSkuMapping = (shopId: string) => {
  const changed = useSkuChanged()
  return useMutation({
    mutationFn: (body: { code: string; variant_id: string }) =>
      sdk.client.fetch<{ mapping: SkuMapping }>(
        `/admin/line-gift/shops/${shopId}/sku-mappings`,
        {
          method: "POST",
          body,
        }
      ),
    onSuccess: changed,
  })
}

export const useDeleteSkuMapping = () => {
  const changed = useSkuChanged()
  return useMutation({
    mutationFn: (id: string) =>
      sdk.client.fetch(`/admin/line-gift/sku-mappings/${id}`, {
        method: "DELETE",
      }),
    onSuccess: changed,
  })
}

/** Response of POST /admin/line-gift/sku-mappings/:id/repair (per Medusa order). */
export type SkuRepairResult = {
  repaired: Array<{ order_id: string; line_gift_order_id: string }>
  skipped: Array<{
    order_id: string | null
    line_gift_order_id: string
    reason: string
  }>
  failed: Array<{
    order_id: string
    line_gift_order_id: string
    reason: string
  }>
}

/** Repairs the already-imported orders flagged "unknown SKU" with the mapping's code. */
export const useRepairSkuMapping = () => {
  const changed = useSkuChanged()
  return useMutation({
    mutationFn: (id: string) =>
      sdk.client.fetch<SkuRepairResult>(
        `/admin/line-gift/sku-mappings/${id}/repair`,
        { method: "POST" }
      ),
    onSuccess: changed,
  })
}
