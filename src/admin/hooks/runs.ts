/** react-query hooks of sync runs: manual import / export, progress polling, history. */
import {
  keepPreviousData,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query"
import { sdk } from "../lib/sdk"
import type { LineGiftRun } from "../lib/types"
import { lineGiftKeys } from "./query-keys"

export type RunsQuery = {
  shop_id?: string
  kind?: "import" | "export"
  limit: number
  offset: number
}

export const useLineGiftRuns = (query: RunsQuery) =>
  useQuery({
    queryKey: lineGiftKeys.runs.list(query),
    queryFn: () =>
      sdk.client.fetch<{ runs: LineGiftRun[]; count: number }>(
        "/admin/line-gift/runs",
        {
          query: Object.fromEntries(
            Object.entries(query).filter(([, v]) => v !== undefined)
          ),
        }
      ),
    placeholderData: keepPreviousData,
  })

/** One run; polled every second while it is running (progress: pages read, orders created). */
export const useLineGiftRun = (id: string | undefined) =>
  useQuery({
    queryKey: lineGiftKeys.runs.detail(id ?? ""),
    queryFn: () =>
      sdk.client.fetch<{ run: LineGiftRun }>(`/admin/line-gift/runs/${id}`),
    enabled: !!id,
    refetchInterval: (q) =>
      q.state.data?.run.state === "running" ? 1000 : false,
  })

export type ImportInput = { from?: string; to?: string; statuses?: string[] }

/**
 * Starts an import without waiting (`wait: false` → 202 `{ run }`); the caller polls the run.
 * A server that waits anyway answers 200 `{ run }` with the finished run — same handling.
 */
export const useStartLineGiftImport = (shopId: string | undefined) => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: ImportInput) =>
      sdk.client.fetch<{ run: LineGiftRun }>(
        `/admin/line-gift/shops/${shopId}/import`,
        {
          method: "POST",
          body: { ...body, wait: false },
        }
      ),
    onSuccess: ({ run }) => {
      qc.setQueryData(lineGiftKeys.runs.detail(run.id), { run })
      return qc.invalidateQueries({ queryKey: lineGiftKeys.runs.lists() })
    },
  })
}

export type ExportCounts = {
  sent: number
  unchanged: number
  held: number
  failed: number
}

/** Sends shipment info (tracking numbers) of the last `days` days to LINE Gift now. */
export const useStartLineGiftExport = (shopId: string | undefined) => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: { days: number }) =>
      sdk.client.fetch<{ counts: ExportCounts; run: LineGiftRun }>(
        `/admin/line-gift/shops/${shopId}/export`,
        { method: "POST", body }
      ),
    onSuccess: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: lineGiftKeys.runs.all }),
        qc.invalidateQueries({ queryKey: lineGiftKeys.exports.all }),
      ]),
  })
}

/** Runs finishing change the orders list, so the admin's own order queries are refreshed too. */
export const useInvalidateOrders = () => {
  const qc = useQueryClient()
  return () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: ["orders"] }),
      qc.invalidateQueries({ queryKey: lineGiftKeys.orders.all }),
      qc.invalidateQueries({ queryKey: lineGiftKeys.shops.all }),
    ])
}
