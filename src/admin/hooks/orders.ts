/** react-query hooks of LINE Gift order records and their shipment exports. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { sdk } from "../lib/sdk"
import type { LineGiftExport, LineGiftOrderRecord } from "../lib/types"
import { lineGiftKeys } from "./query-keys"

export type OrdersQuery = { shop_id?: string; state?: string; limit: number; offset: number }

export const useLineGiftOrderRecords = (query: OrdersQuery, options: { enabled?: boolean } = {}) =>
  useQuery({
    queryKey: lineGiftKeys.orders.list(query),
    queryFn: () =>
      sdk.client.fetch<{ orders: LineGiftOrderRecord[]; count: number }>("/admin/line-gift/orders", {
        query: Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)),
      }),
    enabled: options.enabled ?? true,
  })

/** Imports a failed LINE Gift order again. */
export const useRetryLineGiftOrder = () => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (id: string) =>
      sdk.client.fetch<{ record: LineGiftOrderRecord }>(`/admin/line-gift/orders/${id}/retry`, {
        method: "POST",
      }),
    onSuccess: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: lineGiftKeys.orders.all }),
        qc.invalidateQueries({ queryKey: ["orders"] }),
      ]),
  })
}

/**
 * The Medusa order with its linked LINE Gift record (module link field `line_gift_order`).
 * Errors (e.g. a host that refuses the link field) leave the widget on metadata alone.
 */
export const useOrderLineGiftRecord = (orderId: string) =>
  useQuery({
    queryKey: lineGiftKeys.orders.detail(orderId),
    queryFn: async () => {
      const { order } = await sdk.admin.order.retrieve(orderId, {
        fields: "id,*line_gift_order",
      })
      return ((order as any).line_gift_order ?? null) as LineGiftOrderRecord | null
    },
    retry: false,
  })

export const useLineGiftExports = (orderId: string) =>
  useQuery({
    queryKey: lineGiftKeys.exports.list({ order_id: orderId }),
    queryFn: () =>
      sdk.client.fetch<{ exports: LineGiftExport[]; count: number }>("/admin/line-gift/exports", {
        query: { order_id: orderId },
      }),
    // A fulfilment made on the same page creates the export a moment later (subscriber).
    refetchInterval: (q) =>
      q.state.data?.exports.some((e) => e.state === "pending") ? 3000 : 10000,
  })

export const usePushLineGiftExport = () => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (id: string) =>
      sdk.client.fetch<{ export: LineGiftExport }>(`/admin/line-gift/exports/${id}/push`, {
        method: "POST",
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: lineGiftKeys.exports.all }),
  })
}
