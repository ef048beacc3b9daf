/** react-query hook of the shipment exports a person must look at (held, failed, flagged). */
import { useQuery } from "@tanstack/react-query"
import { sdk } from "../lib/sdk"
import type { LineGiftExport } from "../lib/types"
import { lineGiftKeys } from "./query-keys"

/** GET /admin/line-gift/exports?attention=true (optionally one shop), newest change first. */
export const useLineGiftExportsNeedingAttention = (q: {
  shop_id?: string
  limit: number
  offset: number
}) =>
  useQuery({
    queryKey: lineGiftKeys.exports.list({ attention: true, ...q }),
    queryFn: () =>
      sdk.client.fetch<{ exports: LineGiftExport[]; count: number }>(
        "/admin/line-gift/exports",
        {
          query: {
            attention: "true",
            ...(q.shop_id ? { shop_id: q.shop_id } : {}),
            limit: q.limit,
            offset: q.offset,
          },
        }
      ),
  })
