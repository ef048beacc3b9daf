/**
 * Settings → LINE Gift → Sync history (/app/settings/line-gift/history): import and export
 * runs, newest first, with time, trigger, window and counts; a run opens with its per-order
 * errors. Below, LINE Gift orders whose import failed, each with Retry.
 * `?shop_id=` filters by shop; `?run=` opens that run (the orders widget links here).
 */
import {
  Button,
  Container,
  DataTable,
  Drawer,
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
import {
  RecordStateBadge,
  RunStateBadge,
  useStatusLabel,
} from "../../../../components/badges"
import { InfoRow } from "../../../../components/layout"
import {
  useLineGiftOrderRecords,
  useRetryLineGiftOrder,
} from "../../../../hooks/orders"
import { useLineGiftRun, useLineGiftRuns } from "../../../../hooks/runs"
import { useLineGiftShops } from "../../../../hooks/shops"
import { errorMessage } from "../../../../lib/errors"
import {
  RunBreakdown,
  type RunSkippedReasons,
} from "../../../../components/run-breakdown"
import { formatJst } from "../../../../lib/format"
import type {
  ExportRunCounts,
  LineGiftOrderRecord,
  LineGiftRun,
} from "../../../../lib/types"
import { ShipmentsNeedingAttention } from "../../../../components/shipments-attention"
import { FailureReason } from "../../../../components/failure-reason"
import { SkipReasons } from "../../../../components/orders-widget/skip-reasons"
import {
  announceRetry,
  announceRetryError,
} from "../../../../components/retry-result"
import { usePaginationTranslations } from "../../../../lib/data-table"

const PAGE_SIZE = 20
const ALL = "__all"
const runColumns = createDataTableColumnHelper<LineGiftRun>()
const recordColumns = createDataTableColumnHelper<LineGiftOrderRecord>()

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
        cell: ({ getValue }) => <RunStateBadge state={getValue()} />,
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

/** What an export run did: its counts, from `export_counts` (older runs: the generic columns). */
function exportCounts(run: LineGiftRun): Omit<ExportRunCounts, "source"> {
  const c = run.export_counts
  return {
    sent: c?.sent ?? run.created_count ?? 0,
    unchanged: c?.unchanged ?? run.already_imported_count ?? 0,
    held: c?.held ?? run.skipped_count ?? 0,
    failed: c?.failed ?? run.failed_count ?? 0,
    pending: c?.pending ?? 0,
  }
}

const EXPORT_COUNT_KEYS = [
  "sent",
  "unchanged",
  "held",
  "failed",
  "pending",
] as const

/** Kind, and below it what ran it (trigger, or an export's source: on fulfilment, push again…). */
const RunKindCell = ({ run }: { run: LineGiftRun }) => {
  const { t } = useTranslation("line-gift")
  const source = run.export_counts?.source
  return (
    <div className="flex flex-col">
      <span className="whitespace-nowrap">
        {t(`history.kinds.${run.kind}`)}
      </span>
      <span
        className="text-ui-fg-muted txt-compact-xsmall whitespace-nowrap"
        data-run-source={source ?? run.trigger}
      >
        {source
          ? t(`shipments.runs.sources.${source}`)
          : t(`history.triggers.${run.trigger}`)}
      </span>
    </div>
  )
}

/** "created 3 · already 2 · failed 1" / "sent 1 · unchanged 4 · held 0 …" (wraps, never widens the table). */
const RunCountsInline = ({ run }: { run: LineGiftRun }) => {
  const { t } = useTranslation("line-gift")
  if (run.kind === "export") {
    const c = exportCounts(run)
    // sent / unchanged / held / failed always (the widget's words), "to retry" when any.
    const keys = EXPORT_COUNT_KEYS.filter(
      (k) => k !== "pending" || c.pending > 0
    )
    return (
      <span
        className="block min-w-[8rem] max-w-[22rem] whitespace-normal break-words"
        data-testid="run-counts"
      >
        {keys
          .map((k) => t(`shipments.runs.counts.${k}`, { count: c[k] }))
          .join(" · ")}
      </span>
    )
  }
  const parts = [
    ["created", run.created_count],
    ["alreadyImported", run.already_imported_count],
    ["skipped", run.skipped_count],
    ["failed", run.failed_count],
  ] as const
  const shown = parts.filter(([, n]) => (n ?? 0) > 0)
  if (!shown.length)
    return (
      <span className="text-ui-fg-muted">
        {t("counts.seen", { count: run.seen_count ?? 0 })}
      </span>
    )
  return (
    <span
      className="block min-w-[8rem] max-w-[22rem] whitespace-normal break-words"
      data-testid="run-counts"
    >
      {shown.map(([k, n]) => t(`counts.${k}`, { count: n ?? 0 })).join(" · ")}
    </span>
  )
}

/** A run with all its counts and per-order errors. */
const RunDrawer = ({
  runId,
  shopName,
  onClose,
}: {
  runId?: string
  shopName: Map<string, string>
  onClose: () => void
}) => {
  const { t, i18n } = useTranslation("line-gift")
  const lang = i18n.language
  const { data } = useLineGiftRun(runId)
  const run = data?.run
  const errors = run?.errors ?? []
  return (
    <Drawer open={!!runId} onOpenChange={(open) => !open && onClose()}>
      <Drawer.Content data-testid="run-drawer">
        <Drawer.Header>
          <Drawer.Title>
            {run ? t(`history.kinds.${run.kind}`) : t("common.loading")}
          </Drawer.Title>
          <Drawer.Description>
            {run ? formatJst(run.started_at, lang) : ""}
          </Drawer.Description>
        </Drawer.Header>
        <Drawer.Body className="overflow-y-auto p-0">
          {run ? (
            <div className="flex flex-col divide-y">
              <InfoRow
                label={t("history.columns.state")}
                value={<RunStateBadge state={run.state} />}
              />
              <InfoRow
                label={t("history.columns.shop")}
                value={shopName.get(run.shop_id) ?? run.shop_id}
              />
              <InfoRow
                label={t("history.columns.trigger")}
                value={
                  run.export_counts?.source
                    ? `${t(`history.triggers.${run.trigger}`)} · ${t(`shipments.runs.sources.${run.export_counts.source}`)}`
                    : t(`history.triggers.${run.trigger}`)
                }
              />
              <InfoRow
                label={t("history.columns.window")}
                value={`${formatJst(run.window_from, lang)} – ${formatJst(run.window_to, lang)}`}
              />
              <InfoRow
                label={t("history.finished")}
                value={formatJst(run.finished_at, lang)}
              />
              <RunCounts run={run} />
              {run.skip_reasons && Object.keys(run.skip_reasons).length ? (
                <div className="px-6 py-3">
                  <SkipReasons reasons={run.skip_reasons} />
                </div>
              ) : null}
              <RunBreakdown
                reasons={
                  (run as { skipped_reasons?: RunSkippedReasons | null })
                    .skipped_reasons
                }
              />
              {run.error ? (
                <InfoRow label={t("history.error")} value={run.error} />
              ) : null}
              <div className="px-6 py-4">
                <Text size="small" weight="plus" className="mb-2">
                  {t("history.errors", { count: errors.length })}
                </Text>
                {errors.length === 0 ? (
                  <Text size="small" className="text-ui-fg-subtle">
                    {t("history.noErrors")}
                  </Text>
                ) : (
                  <ul
                    className="flex flex-col gap-y-2"
                    data-testid="run-errors"
                  >
                    {errors.map((e, i) => (
                      <li
                        key={i}
                        className="bg-ui-bg-subtle rounded-md px-3 py-2"
                      >
                        <Text size="small" weight="plus" className="font-mono">
                          {e.line_gift_order_id ?? t("history.noOrderId")}
                        </Text>
                        <FailureReason code={e.code} reason={e.reason} />
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            </div>
          ) : null}
        </Drawer.Body>
        <Drawer.Footer>
          <Drawer.Close asChild>
            <Button size="small" variant="secondary">
              {t("common.close")}
            </Button>
          </Drawer.Close>
        </Drawer.Footer>
      </Drawer.Content>
    </Drawer>
  )
}

/** Every count of a run as label/value rows. */
export const RunCounts = ({ run }: { run: LineGiftRun }) => {
  const { t } = useTranslation("line-gift")
  const rows: [string, number | null][] =
    run.kind === "import"
      ? [
          ["pagesRead", run.pages_read],
          ["seenLabel", run.seen_count],
          ["createdLabel", run.created_count],
          ["alreadyImportedLabel", run.already_imported_count],
          ["skippedLabel", run.skipped_count],
          ["failedLabel", run.failed_count],
        ]
      : [["seenLabel", run.seen_count]]
  const exportRows = run.kind === "export" ? exportCounts(run) : null
  return (
    <>
      {rows.map(([k, n]) => (
        <InfoRow key={k} label={t(`counts.${k}`)} value={String(n ?? 0)} />
      ))}
      {exportRows
        ? EXPORT_COUNT_KEYS.map((k) => (
            <InfoRow
              key={k}
              label={t(`shipments.runs.labels.${k}`)}
              value={String(exportRows[k])}
            />
          ))
        : null}
    </>
  )
}

/** LINE Gift orders whose import failed, with Retry. */
const FailedOrders = ({
  shopId,
  shopName,
}: {
  shopId?: string
  shopName: Map<string, string>
}) => {
  const { t, i18n } = useTranslation("line-gift")
  const paginationTranslations = usePaginationTranslations()
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
    <Container className="divide-y p-0" data-testid="failed-orders">
      <DataTable instance={table}>
        <DataTable.Toolbar className="flex flex-col gap-y-1 px-6 py-4">
          <Heading level="h2">{t("history.records.title")}</Heading>
          <Text size="small" className="text-ui-fg-subtle">
            {t("history.records.description")}
          </Text>
        </DataTable.Toolbar>
        {records.data && records.data.count === 0 ? (
          <div className="px-6 py-6">
            <Text size="small" className="text-ui-fg-subtle">
              {t("history.records.none")}
            </Text>
          </div>
        ) : (
          <>
            <DataTable.Table />
            <DataTable.Pagination translations={paginationTranslations} />
          </>
        )}
      </DataTable>
    </Container>
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
