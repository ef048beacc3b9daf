/** Sync history → LINE Gift orders whose import failed, each with its reason and Retry. */
import {
  Button,
  createDataTableColumnHelper,
  useDataTable,
  type DataTablePaginationState,
} from "@medusajs/ui"
import { useMemo, useState } from "react"
import { useTranslation } from "react-i18next"
import { RecordStateBadge, useStatusLabel } from "../badges"
import { FailureReason } from "../failure-reason"
import { PagedTableCard } from "../paged-table"
import { announceRetry, announceRetryError } from "../retry-result"
import {
  useLineGiftOrderRecords,
  useRetryLineGiftOrder,
} from "../../hooks/orders"
import type { LineGiftOrderRecord } from "../../lib/types"

const recordColumns = createDataTableColumnHelper<LineGiftOrderRecord>()

/** LINE Gift orders whose import failed, with Retry. */
export const FailedOrders = ({
  shopId,
  shopName,
}: {
  shopId?: string
  shopName: Map<string, string>
}) => {
  const { t, i18n } = useTranslation("line-gift")
  const statusLabel = useStatusLabel()
  const [pagination, setPagination] = useState<DataTablePaginationState>({
    pageIndex: 0,
    pageSize: 10,
  })
  const records = useLineGiftOrderRecords({
    shop_id: shopId,
    state: "failed",
    limit: pagination.pageSize,
    offset: pagination.pageIndex * pagination.pageSize,
  })
  const retry = useRetryLineGiftOrder()

  const columns = useMemo(
    () => [
      recordColumns.accessor("line_gift_order_id", {
        header: t("history.records.orderId"),
        cell: ({ getValue }) => <span className="font-mono">{getValue()}</span>,
      }),
      recordColumns.accessor("shop_id", {
        header: t("history.columns.shop"),
        cell: ({ getValue }) => shopName.get(getValue()) ?? getValue(),
      }),
      recordColumns.accessor("line_gift_status", {
        header: t("history.records.status"),
        cell: ({ getValue }) => statusLabel(getValue()),
      }),
      recordColumns.accessor("failure_reason", {
        header: t("history.records.reason"),
        cell: ({ getValue, row }) => (
          <FailureReason code={row.original.failure_code} reason={getValue()} />
        ),
      }),
      recordColumns.accessor("state", {
        header: t("history.columns.state"),
        cell: ({ getValue }) => <RecordStateBadge state={getValue()} />,
      }),
      recordColumns.display({
        id: "retry",
        header: "",
        cell: ({ row }) => (
          <Button
            size="small"
            variant="secondary"
            isLoading={retry.isPending && retry.variables === row.original.id}
            onClick={(e) => {
              e.stopPropagation()
              retry.mutate(row.original.id, {
                onSuccess: (result) =>
                  announceRetry(t, row.original.line_gift_order_id, result),
                onError: (err) => announceRetryError(t, err),
              })
            }}
          >
            {t("common.retry")}
          </Button>
        ),
      }),
    ],
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [t, i18n.language, shopName, retry.isPending, retry.variables]
  )

  const table = useDataTable({
    columns,
    data: records.data?.orders ?? [],
    getRowId: (r) => r.id,
    rowCount: records.data?.count ?? 0,
    isLoading: records.isLoading,
    pagination: { state: pagination, onPaginationChange: setPagination },
  })

  return (
    <PagedTableCard
      table={table}
      testId="failed-orders"
      title={t("history.records.title")}
      description={t("history.records.description")}
      empty={!!records.data && records.data.count === 0}
      emptyText={t("history.records.none")}
    />
  )
}
