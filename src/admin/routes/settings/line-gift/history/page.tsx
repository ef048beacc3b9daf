/**
 * Settings → LINE Gift → Sync history (/app/settings/line-gift/history): import and export
 * runs, newest first, with time, trigger, window and counts; a run opens with its per-order
 * errors. Below, LINE Gift orders whose import failed, each with Retry.
 * `?shop_id=` filters by shop; `?run=` opens that run (the orders widget links here).
 */
import {
  Container,
  DataTable,
  Heading,
  Select,
  Text,
  createDataTableColumnHelper,
  useDataTable,
  type DataTablePaginationState,
} from "@medusajs/ui"
import { useMemo, useState } from "react"
import { useTranslation } from "react-i18next"
import { useSearchParams } from "react-router-dom"
import { RunStateBadge } from "../../../../components/badges"
import { FailedOrders } from "../../../../components/history/failed-orders"
import {
  RunCountsInline,
  RunKindCell,
} from "../../../../components/history/run-counts"
import { RunDrawer } from "../../../../components/history/run-drawer"
import { ShipmentsNeedingAttention } from "../../../../components/shipments-attention"
import { useLineGiftRuns } from "../../../../hooks/runs"
import { useLineGiftShops } from "../../../../hooks/shops"
import { usePaginationTranslations } from "../../../../lib/data-table"
import { errorMessage } from "../../../../lib/errors"
import { formatJst } from "../../../../lib/format"
import { shownRunState } from "../../../../lib/run-outcome"
import type { LineGiftRun } from "../../../../lib/types"

const PAGE_SIZE = 20
const ALL = "__all"
const runColumns = createDataTableColumnHelper<LineGiftRun>()

const SyncHistoryPage = () => {
  const { t, i18n } = useTranslation("line-gift")
  const paginationTranslations = usePaginationTranslations()
  const lang = i18n.language
  const [params, setParams] = useSearchParams()
  const shopId = params.get("shop_id") ?? undefined
  const kind = (params.get("kind") as "import" | "export" | null) ?? undefined
  const openRunId = params.get("run") ?? undefined
  const [pagination, setPagination] = useState<DataTablePaginationState>({
    pageIndex: 0,
    pageSize: PAGE_SIZE,
  })
  const shops = useLineGiftShops()
  const shopName = useMemo(
    () => new Map((shops.data?.shops ?? []).map((s) => [s.id, s.name])),
    [shops.data]
  )

  const runs = useLineGiftRuns({
    shop_id: shopId,
    kind,
    limit: pagination.pageSize,
    offset: pagination.pageIndex * pagination.pageSize,
  })

  const setParam = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params)
    if (value) next.set(key, value)
    else next.delete(key)
    setParams(next, { replace: key === "run" })
    if (key !== "run") setPagination((p) => ({ ...p, pageIndex: 0 }))
  }

  const columns = useMemo(
    () => [
      runColumns.accessor("started_at", {
        header: t("history.columns.started"),
        cell: ({ getValue }) => (
          <span className="whitespace-nowrap">
            {formatJst(getValue(), lang)}
          </span>
        ),
      }),
      runColumns.accessor("shop_id", {
        header: t("history.columns.shop"),
        cell: ({ getValue }) => (
          <span
            className="block max-w-[10rem] truncate"
            title={shopName.get(getValue()) ?? getValue()}
          >
            {shopName.get(getValue()) ?? getValue()}
          </span>
        ),
      }),
      // Kind and trigger share a cell (two lines) and the window lives in the run's drawer:
      // the table fits 1440 px with long counts and does not scroll sideways at 1024 px.
      runColumns.accessor("kind", {
        header: t("history.columns.kind"),
        cell: ({ row }) => <RunKindCell run={row.original} />,
      }),
      runColumns.display({
        id: "counts",
        header: t("history.columns.counts"),
        cell: ({ row }) => <RunCountsInline run={row.original} />,
      }),
      runColumns.accessor("state", {
        header: t("history.columns.state"),
        cell: ({ row }) => (
          <RunStateBadge state={shownRunState(row.original)} />
        ),
      }),
    ],
    [t, lang, shopName]
  )

  const table = useDataTable({
    columns,
    data: runs.data?.runs ?? [],
    getRowId: (r) => r.id,
    rowCount: runs.data?.count ?? 0,
    isLoading: runs.isLoading,
    pagination: { state: pagination, onPaginationChange: setPagination },
    onRowClick: (_e, row) => setParam("run", row.id),
  })

  return (
    <div className="flex flex-col gap-y-3">
      <Container className="divide-y p-0">
        <DataTable instance={table}>
          <DataTable.Toolbar className="flex flex-wrap items-start justify-between gap-4 px-6 py-4">
            <div className="flex flex-col gap-y-1">
              <Heading level="h1">{t("history.title")}</Heading>
              <Text size="small" className="text-ui-fg-subtle">
                {t("history.description")}
              </Text>
            </div>
            <div className="flex items-center gap-x-2">
              <Select
                size="small"
                value={shopId ?? ALL}
                onValueChange={(v) =>
                  setParam("shop_id", v === ALL ? undefined : v)
                }
              >
                <Select.Trigger className="w-48">
                  <Select.Value />
                </Select.Trigger>
                <Select.Content>
                  <Select.Item value={ALL}>{t("history.allShops")}</Select.Item>
                  {(shops.data?.shops ?? []).map((s) => (
                    <Select.Item key={s.id} value={s.id}>
                      {s.name}
                    </Select.Item>
                  ))}
                </Select.Content>
              </Select>
              <Select
                size="small"
                value={kind ?? ALL}
                onValueChange={(v) =>
                  setParam("kind", v === ALL ? undefined : v)
                }
              >
                <Select.Trigger className="w-36">
                  <Select.Value />
                </Select.Trigger>
                <Select.Content>
                  <Select.Item value={ALL}>{t("history.allKinds")}</Select.Item>
                  <Select.Item value="import">
                    {t("history.kinds.import")}
                  </Select.Item>
                  <Select.Item value="export">
                    {t("history.kinds.export")}
                  </Select.Item>
                </Select.Content>
              </Select>
            </div>
          </DataTable.Toolbar>
          {runs.data && runs.data.count === 0 ? (
            <div className="px-6 py-10 text-center">
              <Text size="small" className="text-ui-fg-subtle">
                {t("history.noRuns")}
              </Text>
            </div>
          ) : (
            <>
              <DataTable.Table />
              <DataTable.Pagination translations={paginationTranslations} />
            </>
          )}
        </DataTable>
        {runs.isError ? (
          <div className="px-6 py-4">
            <Text size="small" className="text-ui-fg-error">
              {errorMessage(runs.error)}
            </Text>
          </div>
        ) : null}
      </Container>
      <ShipmentsNeedingAttention shopId={shopId} shopName={shopName} />
      <FailedOrders shopId={shopId} shopName={shopName} />
      <RunDrawer
        runId={openRunId}
        shopName={shopName}
        onClose={() => setParam("run", undefined)}
      />
    </div>
  )
}

const Breadcrumb = () => {
  const { t } = useTranslation("line-gift")
  return <>{t("history.title")}</>
}

export const handle = {
  breadcrumb: () => <Breadcrumb />,
}

export default SyncHistoryPage
