/**
 * Medusa's own admin resources the settings pick from (regions, sales channels, shipping
 * options, fulfilment providers, variants), read through the same SDK, plus LINE Gift carriers.
 */
import { keepPreviousData, useQuery } from "@tanstack/react-query"
import { sdk } from "../lib/sdk"
import { lineGiftKeys } from "./query-keys"

export const useRegionOptions = () =>
  useQuery({
    queryKey: lineGiftKeys.medusa.list({ r: "regions" }),
    queryFn: () =>
      sdk.admin.region.list({ limit: 100, fields: "id,name,currency_code" }),
  })

export const useSalesChannelOptions = () =>
  useQuery({
    queryKey: lineGiftKeys.medusa.list({ r: "sales-channels" }),
    queryFn: () =>
      sdk.admin.salesChannel.list({ limit: 100, fields: "id,name" }),
  })

export const useShippingOptionOptions = () =>
  useQuery({
    queryKey: lineGiftKeys.medusa.list({ r: "shipping-options" }),
    queryFn: () =>
      sdk.admin.shippingOption.list({
        limit: 100,
        fields: "id,name,provider_id",
      }),
  })

export const useFulfillmentProviderOptions = () =>
  useQuery({
    queryKey: lineGiftKeys.medusa.list({ r: "fulfillment-providers" }),
    queryFn: () => sdk.admin.fulfillmentProvider.list({ limit: 100 }),
  })

/** Variants matching `q` (SKU, title), for the SKU-mapping picker. */
export const useVariantSearch = (q: string, enabled: boolean) =>
  useQuery({
    queryKey: lineGiftKeys.medusa.list({ r: "variants", q }),
    queryFn: () =>
      sdk.admin.productVariant.list({
        q: q || undefined,
        limit: 20,
        fields: "id,title,sku,product.title",
      }),
    enabled,
    placeholderData: keepPreviousData,
  })

/** Variant titles of mapped ids (to show what a mapping points to). */
export const useVariantsByIds = (ids: string[]) =>
  useQuery({
    queryKey: lineGiftKeys.medusa.list({ r: "variants-by-id", ids }),
    queryFn: () =>
      sdk.admin.productVariant.list({
        id: ids,
        limit: ids.length,
        fields: "id,title,sku,product.title",
      }),
    enabled: ids.length > 0,
  })

/** Carrier names LINE Gift accepts. */
export const useLineGiftCarriers = () =>
  useQuery({
    queryKey: lineGiftKeys.carriers.list(),
    queryFn: () =>
      sdk.client.fetch<{ carriers: string[] }>("/admin/line-gift/carriers"),
    retry: false,
    staleTime: Infinity,
  })
