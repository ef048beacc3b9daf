/** react-query hooks of LINE Gift shops (settings, OAuth, tokens). */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { postKeepingCode, sdk } from "../lib/sdk"
import type { LineGiftShop, LineGiftShopInput } from "../lib/types"
import { lineGiftKeys } from "./query-keys"

type ShopResponse = { shop: LineGiftShop }

export const useLineGiftShops = () =>
  useQuery({
    queryKey: lineGiftKeys.shops.list(),
    queryFn: () =>
      sdk.client.fetch<{ shops: LineGiftShop[] }>("/admin/line-gift/shops"),
  })

export const useLineGiftShop = (id: string | undefined) =>
  useQuery({
    queryKey: lineGiftKeys.shops.detail(id ?? ""),
    queryFn: () =>
      sdk.client.fetch<ShopResponse>(`/admin/line-gift/shops/${id}`),
    enabled: !!id,
  })

/** After any change of a shop: its detail and every list (names appear in several places). */
function useShopChanged() {
  const qc = useQueryClient()
  return (shop?: LineGiftShop) => {
    if (shop) qc.setQueryData(lineGiftKeys.shops.detail(shop.id), { shop })
    return qc.invalidateQueries({ queryKey: lineGiftKeys.shops.all })
  }
}

export const useCreateLineGiftShop = () => {
  const changed = useShopChanged()
  return useMutation({
    mutationFn: (body: LineGiftShopInput & { name: string }) =>
      sdk.client.fetch<ShopResponse>("/admin/line-gift/shops", {
        method: "POST",
        body,
      }),
    onSuccess: ({ shop }) => changed(shop),
  })
}

export const useUpdateLineGiftShop = (id: string) => {
  const changed = useShopChanged()
  return useMutation({
    mutationFn: (body: LineGiftShopInput) =>
      sdk.client.fetch<ShopResponse>(`/admin/line-gift/shops/${id}`, {
        method: "POST",
        body,
      }),
    onSuccess: ({ shop }) => changed(shop),
  })
}

export const useDeleteLineGiftShop = () => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (id: string) =>
      sdk.client.fetch<{ id: string; deleted: boolean }>(
        `/admin/line-gift/shops/${id}`,
        {
          method: "DELETE",
        }
      ),
    onSuccess: (_d, id) => {
      qc.removeQueries({ queryKey: lineGiftKeys.shops.detail(id) })
      return qc.invalidateQueries({ queryKey: lineGiftKeys.shops.lists() })
    },
  })
}

/** Starts OAuth: the browser then goes to LINE Gift's consent page (same window). */
export const useStartLineGiftAuthorization = (id: string) =>
  useMutation({
    mutationFn: () =>
      sdk.client.fetch<{ authorize_url: string; redirect_uri: string }>(
        `/admin/line-gift/shops/${id}/oauth/authorize`,
        { method: "POST" }
      ),
  })

/** Gets a new access token with the stored refresh token. */
export const useRefreshLineGiftToken = (id: string) => {
  const changed = useShopChanged()
  return useMutation({
    // A refusal is an AdminApiError whose `code` may name LINE Gift's OAuth error.
    mutationFn: () =>
      postKeepingCode<ShopResponse>(
        `/admin/line-gift/shops/${id}/token/refresh`
      ),
    onSuccess: ({ shop }) => changed(shop),
  })
}
