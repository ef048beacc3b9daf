/** react-query hooks of LINE Gift order records and their shipment exports. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { sdk } from "../lib/sdk"
import type { LineGiftExport, LineGiftOrderRecord } from "../lib/types"
import { lineGiftKeys } from "./query-keys"

export type OrdersQuery = {
  shop_id?: string
  state?: string
  limit: number
  offset: number
}

export const useLineGiftOrderRecords = (
  query: OrdersQuery,
  options: { enabled?: boolean } = {}
) =>
  useQuery({
    queryKey: lineGiftKeys.orders.list(query),
    queryFn: () =>
      sdk.client.fetch<{ orders: LineGiftOrderRecord[]; count: number }>(
        "/admin/line-gift/orders",
        {
          query: Object.fromEntries(
            Object.entries(query).filter(([, v]) => v !== undefined)
          ),
        }
      ),
    enabled: options.enabled ?? true,
  })

/**
 * Answer of POST /admin/line-gift/orders/:id/retry, for both outcomes (the API answers 200 when
 * imported and 422 `retry_failed` when it failed again; both bodies have this shape).
 */
export type RetryResult = {
  record: LineGiftOrderRecord
  outcome: "imported" | "failed"
  reason: string | null
  reason_code: string | null
  /** `line_gift`: read again from LINE Gift; `stored`: the copy of the last import (see source_note). */
  source: "line_gift" | "stored"
  source_note: "not_found" | "unreachable" | null
  source_error: string | null
}

/** An error of the retry route that is not "failed again" (e.g. 400 not failed, 404). */
export class RetryError extends Error {
  constructor(
    message: string,
    readonly status: number
  ) {
    super(message)
  }
}

const BACKEND_URL = (
  (typeof __BACKEND_URL__ !== "undefined" && __BACKEND_URL__) ||
  "/"
).replace(/\/$/, "")

/**
 * Imports a failed LINE Gift order again (read anew from LINE Gift). Resolves with the
 * RetryResult whether it was imported or failed again (check `outcome`); rejects (RetryError)
 * only when the retry could not be attempted. Plain fetch with the admin's session cookie: the
 * SDK's fetch drops the body of a non-2xx answer, and the 422 body says why.
 */
export const useRetryLineGiftOrder = () => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async (id: string): Promise<RetryResult> => {
      const res = await fetch(
        `${BACKEND_URL}/admin/line-gift/orders/${encodeURIComponent(id)}/retry`,
        {
          method: "POST",
          credentials: "include",
          headers: {
            accept: "application/json",
            "content-type": "application/json",
          },
          body: "{}",
        }
      )
      const body = await res.json().catch(() => ({}))
      if (res.ok || (res.status === 422 && body?.type === "retry_failed"))
        return body as RetryResult
      throw new RetryError(body?.message ?? res.statusText, res.status)
    },
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
      // The link field is not in the SDK's AdminOrder type: read it as the field it is.
      const linked = order as typeof order & {
        line_gift_order?: LineGiftOrderRecord | null
      }
      return linked.line_gift_order ?? null
    },
    retry: false,
  })

export const useLineGiftExports = (orderId: string) =>
  useQuery({
    queryKey: lineGiftKeys.exports.list({ order_id: orderId }),
    queryFn: () =>
      sdk.client.fetch<{ exports: LineGiftExport[]; count: number }>(
        "/admin/line-gift/exports",
        {
          query: { order_id: orderId },
        }
      ),
    // A fulfilment made on the same page creates the export a moment later (subscriber).
    refetchInterval: (q) =>
      q.state.data?.exports.some((e) => e.state === "pending") ? 3000 : 10000,
  })

export const usePushLineGiftExport = () => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (id: string) =>
      sdk.client.fetch<{ export: LineGiftExport }>(
        `/admin/line-gift/exports/${id}/push`,
        {
          method: "POST",
        }
      ),
    onSuccess: () =>
      qc.invalidateQueries({ queryKey: lineGiftKeys.exports.all }),
  })
}
