/**
 * Sync history → "Shipments needing attention": the exports list of held, failed and flagged
 * shipments (LINE Gift shows a fulfilment that was cancelled since), each with its reason in
 * the admin's language and a link to the order. Reasons wrap inside the column: the table
 * never scrolls sideways at 1024 px.
 */
import {
  createDataTableColumnHelper,
  useDataTable,
  type DataTablePaginationState,
} from "@medusajs/ui"
import { useMemo, useState } from "react"
import { useTranslation } from "react-i18next"
import { Link } from "react-router-dom"
import { ExportStateBadge } from "./badges"
import { PagedTableCard } from "./paged-table"
import { ExportReasons } from "./order-widget/export-reasons"
import { useLineGiftExportsNeedingAttention } from "../hooks/exports"
import type { LineGiftExport } from "../lib/types"

const columns = createDataTableColumnHelper<LineGiftExport>()

export const ShipmentsNeedingAttention = ({
  shopId,
  shopName,
}: {
  shopId?: string
  shopName: Map<string, string>
}) => {
  const { t, i18n } = useTranslation("line-gift")
  const [pagination, setPagination] = useState<DataTablePaginationState>({
    pageIndex: 0,
    pageSize: 10,
  })
  const exports = useLineGiftExportsNeedingAttention({
    shop_id: shopId,
    limit: pagination.pageSize,
    offset: pagination.pageIndex * pagination.pageSize,
  })

  const cols = useMemo(
    () => [
      columns.accessor("line_gift_order_id", {
        header: t("shipments.attention.order"),
        cell: ({ row }) => (
          <div className="flex flex-col">
            <Link
              to={`/orders/${row.original.order_id}`}
              className="text-ui-fg-interactive font-mono whitespace-nowrap"
            >
              {row.original.line_gift_order_id}
            </Link>
            <span className="text-ui-fg-muted txt-compact-xsmall block max-w-[10rem] truncate">
              {shopName.get(row.original.shop_id) ?? row.original.shop_id}
            </span>
          </div>
        ),
      }),
      columns.accessor("tracking_number", {
        header: t("shipments.attention.tracking"),
        cell: ({ row }) => (
          <div className="flex flex-col">
            <span className="font-mono whitespace-nowrap">
              {row.original.tracking_number ?? "-"}
            </span>
            <span className="text-ui-fg-muted txt-compact-xsmall whitespace-nowrap">
              {row.original.carrier ?? "-"}
            </span>
          </div>
        ),
      }),
      columns.display({
        id: "reason",
        header: t("shipments.attention.reason"),
        cell: ({ row }) => (
          <div className="min-w-[12rem] max-w-[32rem] whitespace-normal">
            <ExportReasons ex={row.original} />
          </div>
        ),
      }),
      columns.accessor("state", {
        header: t("history.columns.state"),
        cell: ({ row }) => (
          <div className="flex flex-col items-start gap-y-1">
            <ExportStateBadge
              state={row.original.state}
              reasons={row.original.reasons}
              sentFulfillmentCancelled={row.original.sent_fulfillment_cancelled}
            />
            {row.original.sent_fulfillment_cancelled ? (
              <span
                className="text-ui-fg-error txt-compact-xsmall"
                data-testid="export-stale-flag"
              >
                {t("shipments.staleTitle")}
              </span>
            ) : null}
          </div>
        ),
      }),
    ],
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [t, i18n.language, shopName]
  )

  const table = useDataTable({
    columns: cols,
    data: exports.data?.exports ?? [],
    getRowId: (r) => r.id,
    rowCount: exports.data?.count ?? 0,
    isLoading: exports.isLoading,
    pagination: { state: pagination, onPaginationChange: setPagination },
  })

  return (
    <PagedTableCard
      table={table}
      testId="shipments-attention"
      title={t("shipments.attention.title")}
      description={t("shipments.attention.description")}
      toolbarClassName="flex flex-col items-start gap-y-1 px-6 py-4"
      error={exports.isError ? exports.error : null}
      empty={!!exports.data && exports.data.count === 0}
      emptyText={t("shipments.attention.none")}
    />
  )
}
