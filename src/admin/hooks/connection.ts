/** react-query hooks of the connection check and manual credentials (issue 11 items 1, 2). */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { postKeepingCode, sdk } from "../lib/sdk"
import type { LineGiftShop } from "../lib/types"
import { lineGiftKeys } from "./query-keys"

/** One call (or skipped step) of the connection check, as the API returns it. */
export type ConnectionCheckEntry = {
  step: "refresh" | "order_search" | "items" | "shipment_probe"
  call: {
    endpoint: string
    method: string
    host: string
    path: string
    httpStatus: number | null
    durationMs: number
    attempts: number
    parsed: boolean
    topLevelKeys: string[]
    bodyError: { code: number; reason?: string } | null
    errorKind: string | null
    bodyEncoding?: "form" | "json"
  } | null
  ok: boolean
  verdict: string
  option: string | null
  next_step: string
  error: string | null
}

/** The whole (redacted) check; downloadable as JSON. */
export type ConnectionCheckReport = {
  shop_id: string
  shop_name: string
  checked_at: string
  ok: boolean
  connection_state: string
  options: {
    orders_base_url: string
    shop_base_url: string
    paths: Record<string, string>
    shipment_call: {
      encoding: "form" | "json"
      fields: { deliveryCode: string; deliveryAgent: string }
    }
  }
  entries: ConnectionCheckEntry[]
}

/** Runs 接続テスト; the shop is re-read afterwards (a refresh may have happened). */
export const useLineGiftConnectionCheck = (id: string) => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: {
      line_gift_shop_id?: string
      probe_shipment?: boolean
    }) =>
      sdk.client.fetch<{ check: ConnectionCheckReport }>(
        `/admin/line-gift/shops/${id}/connection-check`,
        {
          method: "POST",
          body,
        }
      ),
    onSettled: () => qc.invalidateQueries({ queryKey: lineGiftKeys.shops.all }),
  })
}

/**
 * Pastes an authorization code or a refresh token (exactly one). A refusal is an
 * AdminApiError whose `code` may name LINE Gift's OAuth error (tokenErrorText).
 */
export const useLineGiftManualCredentials = (id: string) => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: {
      authorization_code?: string
      refresh_token?: string
    }) =>
      postKeepingCode<{ shop: LineGiftShop }>(
        `/admin/line-gift/shops/${id}/credentials`,
        body
      ),
    onSuccess: ({ shop }) => {
      qc.setQueryData(lineGiftKeys.shops.detail(shop.id), { shop })
      return qc.invalidateQueries({ queryKey: lineGiftKeys.shops.all })
    },
  })
}

/**
 * The Redirect URI to register in the LINE Gift app (the same for every shop), whether it
 * comes from the plugin's `backendUrl` / MEDUSA_BACKEND_URL (false: the localhost default) and
 * whether it points at this machine (`local`: localhost, 127.x, ::1).
 */
export const useLineGiftRedirectUri = () =>
  useQuery({
    queryKey: [...lineGiftKeys.all, "oauth-redirect-uri"],
    queryFn: () =>
      sdk.client.fetch<{
        redirect_uri: string
        configured: boolean
        local: boolean
      }>("/admin/line-gift/oauth/redirect-uri"),
    staleTime: Infinity,
  })
