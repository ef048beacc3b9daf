/**
 * Orders list → LINE Gift: import orders for a date-time range now (default: the last 24 hours
 * until the moment of the click, Japan time) and send shipment info for the last N days
 * (default 3). The shop's last import run (e.g. partly failed) shows at the top. While an import
 * runs the widget shows its progress (pages read, orders created so far); at the end its counts,
 * why orders were skipped, and a link to the run in the sync history.
 *
 * Placement: Medusa 2.21's order list lays widgets out with its layout composer, which ignores
 * the `.before`/`.after` suffix and puts widgets after the 20-row table; the widget's root moves
 * itself first in that flex column (CSS `order: -1`), so it and its result are above the fold.
 */
import { NeedsReauthorizationAlert } from "../components/connection-check"
import { defineWidgetConfig } from "@medusajs/admin-sdk"
import { ArrowPath } from "@medusajs/icons"
import {
  Button,
  Container,
  Heading,
  Input,
  Label,
  Select,
  Text,
} from "@medusajs/ui"
import { useEffect, useMemo, useRef, useState, type CSSProperties } from "react"
import { useTranslation } from "react-i18next"
import { Link } from "react-router-dom"
import { RunStateBadge } from "../components/badges"
import {
  useInvalidateOrders,
  useLineGiftRun,
  useStartLineGiftExport,
  useStartLineGiftImport,
  type ExportCounts,
} from "../hooks/runs"
import { useLineGiftShops } from "../hooks/shops"
import { lineGiftKeys } from "../hooks/query-keys"
import { useQueryClient } from "@tanstack/react-query"
import { errorMessage } from "../lib/errors"
import { announceExportRun, announceImportRun } from "../lib/run-toasts"
import { formatJst, parseJstInput } from "../lib/format"
import { LastRunLine } from "../components/orders-widget/last-run"
import { SkipReasons } from "../components/orders-widget/skip-reasons"
import { JstDateTimeInput } from "../components/orders-widget/jst-input"

/** First in the order list's flex column (see file comment). */
const FIRST: CSSProperties = { order: -1 }

const LineGiftOrdersWidget = () => {
  const { t } = useTranslation("line-gift")
  const shops = useLineGiftShops()
  const list = useMemo(() => shops.data?.shops ?? [], [shops.data])
  const [shopId, setShopId] = useState<string | undefined>()
  useEffect(() => {
    if (!shopId && list.length)
      setShopId((list.find((s) => s.api_enabled) ?? list[0]).id)
  }, [list, shopId])

  if (shops.isLoading) return null
  if (!list.length) {
    return (
      <Container
        style={FIRST}
        className="flex items-center justify-between gap-x-4 px-6 py-4"
        data-testid="line-gift-orders-widget"
      >
        <div className="flex flex-col gap-y-1">
          <Heading level="h2">{t("menu.label")}</Heading>
          <Text size="small" className="text-ui-fg-subtle">
            {t("widget.noShop")}
          </Text>
        </div>
        <Button size="small" variant="secondary" asChild>
          <Link to="/settings/line-gift">{t("widget.setUp")}</Link>
        </Button>
      </Container>
    )
  }

  return (
    <Container
      style={FIRST}
      className="divide-y p-0"
      data-testid="line-gift-orders-widget"
    >
      <div className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2 px-6 py-4">
        <div className="flex min-w-0 flex-col gap-y-1">
          <Heading level="h2">{t("menu.label")}</Heading>
          <Text size="small" className="text-ui-fg-subtle">
            {t("widget.description")}
          </Text>
          <LastRunLine
            run={list.find((s) => s.id === shopId)?.last_runs?.import}
            testId="line-gift-widget-last-run"
          />
        </div>
        {list.length > 1 ? (
          <Select size="small" value={shopId} onValueChange={setShopId}>
            <Select.Trigger className="w-56" aria-label={t("widget.shop")}>
              <Select.Value />
            </Select.Trigger>
            <Select.Content>
              {list.map((s) => (
                <Select.Item key={s.id} value={s.id}>
                  {s.name}
                </Select.Item>
              ))}
            </Select.Content>
          </Select>
        ) : (
          <Text size="small" weight="plus">
            {list[0].name}
          </Text>
        )}
      </div>
      <NeedsReauthorizationAlert shop={list.find((s) => s.id === shopId)} />
      <div className="grid grid-cols-1 divide-y xl:grid-cols-2 xl:divide-x xl:divide-y-0">
        <ImportPanel shopId={shopId} />
        <ExportPanel shopId={shopId} />
      </div>
    </Container>
  )
}

const ImportPanel = ({ shopId }: { shopId?: string }) => {
  const { t } = useTranslation("line-gift")
  const { i18n } = useTranslation("line-gift")
  // Empty = the API's defaults, taken when Import is clicked: `to` is "now" at that moment.
  const [from, setFrom] = useState("")
  const [to, setTo] = useState("")
  const resultRef = useRef<HTMLDivElement>(null)
  const [runId, setRunId] = useState<string | undefined>()
  const [error, setError] = useState<string | null>(null)
  const start = useStartLineGiftImport(shopId)
  const { data } = useLineGiftRun(runId)
  const run = data?.run
  const invalidateOrders = useInvalidateOrders()
  const announced = useRef<string | null>(null)

  useEffect(() => {
    if (run && run.state !== "running" && announced.current !== run.id) {
      announced.current = run.id
      void invalidateOrders()
      resultRef.current?.scrollIntoView?.({
        block: "nearest",
        behavior: "smooth",
      })
      announceImportRun(t, run)
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [run?.id, run?.state])

  // The shop list carries each shop's last run: re-read it when a run ends.
  const qc = useQueryClient()
  useEffect(() => {
    if (run && run.state !== "running")
      void qc.invalidateQueries({ queryKey: lineGiftKeys.shops.all })
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [run?.id, run?.state])

  const submit = async (e: React.FormEvent) => {
    e.preventDefault()
    setError(null)
    const fromValue = parseJstInput(from)
    const toValue = parseJstInput(to)
    if (fromValue === null || toValue === null) {
      setError(t("adminTruth.importWindow.invalid"))
      return
    }
    if (fromValue && toValue && fromValue > toValue) {
      setError(t("widget.fromAfterTo"))
      return
    }
    try {
      const res = await start.mutateAsync({
        from: fromValue || undefined,
        to: toValue || undefined,
      })
      announced.current = null
      setRunId(res.run.id)
    } catch (err) {
      setError(errorMessage(err))
    }
  }

  const running = start.isPending || run?.state === "running"
  return (
    <form
      noValidate
      onSubmit={submit}
      className="flex min-w-0 flex-col gap-y-3 px-6 py-4"
      data-testid="line-gift-import"
    >
      <Text size="small" weight="plus">
        {t("widget.importTitle")}
      </Text>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <JstDateTimeInput
          id="lg-import-from"
          label={t("widget.from")}
          value={from}
          onChange={setFrom}
          placeholder={t("adminTruth.importWindow.fromPlaceholder")}
          describedBy="lg-import-format"
        />
        <JstDateTimeInput
          id="lg-import-to"
          label={t("widget.to")}
          value={to}
          onChange={setTo}
          placeholder={t("adminTruth.importWindow.toPlaceholder")}
          describedBy="lg-import-format"
        />
      </div>
      <div className="flex items-center justify-between gap-x-3">
        <Text
          size="xsmall"
          className="text-ui-fg-muted min-w-0"
          id="lg-import-format"
        >
          {t("widget.japanTime")} · {t("adminTruth.importWindow.format")}
        </Text>
        <Button
          size="small"
          variant="secondary"
          type="submit"
          isLoading={running}
          disabled={!shopId}
          className="shrink-0 whitespace-nowrap"
          data-testid="line-gift-import-button"
        >
          <ArrowPath />
          {t("widget.import")}
        </Button>
      </div>
      {error ? (
        <Text
          size="small"
          className="text-ui-fg-error"
          data-testid="line-gift-import-error"
        >
          {error}
        </Text>
      ) : null}
      {run ? (
        <div
          ref={resultRef}
          className="bg-ui-bg-subtle flex flex-col gap-y-1 rounded-md px-3 py-2"
          data-testid="line-gift-import-run"
          data-state={run.state}
        >
          <div className="flex items-center justify-between gap-x-2">
            <RunStateBadge state={run.state} />
            <Link
              to={`/settings/line-gift/history?run=${run.id}`}
              className="txt-compact-small text-ui-fg-interactive hover:text-ui-fg-interactive-hover"
            >
              {t("widget.viewRun")}
            </Link>
          </div>
          <Text
            size="small"
            className="text-ui-fg-subtle"
            data-testid="line-gift-import-progress"
          >
            {run.state === "running"
              ? t("widget.progress", {
                  pages: run.pages_read ?? 0,
                  created: run.created_count ?? 0,
                })
              : t("widget.summary", {
                  seen: run.seen_count ?? 0,
                  created: run.created_count ?? 0,
                  already: run.already_imported_count ?? 0,
                  skipped: run.skipped_count ?? 0,
                  failed: run.failed_count ?? 0,
                })}
          </Text>
          {run.window_from && run.window_to ? (
            <Text
              size="xsmall"
              className="text-ui-fg-muted"
              data-testid="line-gift-import-window"
            >
              {t("adminTruth.importWindow.used", {
                from: formatJst(run.window_from, i18n.language),
                to: formatJst(run.window_to, i18n.language),
              })}
            </Text>
          ) : null}
          {run.state !== "running" ? (
            <SkipReasons reasons={run.skip_reasons} />
          ) : null}
          {run.error ? (
            <Text size="small" className="text-ui-fg-error">
              {run.error}
            </Text>
          ) : null}
        </div>
      ) : null}
    </form>
  )
}

const ExportPanel = ({ shopId }: { shopId?: string }) => {
  const { t } = useTranslation("line-gift")
  const [days, setDays] = useState("3")
  const [result, setResult] = useState<{
    counts: ExportCounts
    runId?: string
  } | null>(null)
  const [error, setError] = useState<string | null>(null)
  const start = useStartLineGiftExport(shopId)

  const submit = async (e: React.FormEvent) => {
    e.preventDefault()
    setError(null)
    const n = Number(days)
    if (!Number.isInteger(n) || n < 1 || n > 30) {
      setError(t("widget.daysRange"))
      return
    }
    try {
      const res = await start.mutateAsync({ days: n })
      setResult({ counts: res.counts, runId: res.run?.id })
      announceExportRun(t, res.counts, res.run)
    } catch (err) {
      setError(errorMessage(err))
    }
  }

  return (
    <form
      noValidate
      onSubmit={submit}
      className="flex min-w-0 flex-col gap-y-3 px-6 py-4"
      data-testid="line-gift-export"
    >
      <Text size="small" weight="plus">
        {t("widget.exportTitle")}
      </Text>
      <div className="flex flex-col gap-y-1">
        <Label
          size="xsmall"
          htmlFor="lg-export-days"
          className="text-ui-fg-subtle"
        >
          {t("widget.days")}
        </Label>
        <div className="flex items-center gap-x-2">
          <Input
            id="lg-export-days"
            size="small"
            type="number"
            min={1}
            max={30}
            className="w-24"
            value={days}
            onChange={(e) => setDays(e.target.value)}
          />
          <Text size="small" className="text-ui-fg-subtle">
            {t("fields.daysUnit")}
          </Text>
        </div>
      </div>
      <div className="flex items-center justify-between gap-x-3">
        <Text size="xsmall" className="text-ui-fg-muted min-w-0">
          {t("widget.exportHint")}
        </Text>
        <Button
          size="small"
          variant="secondary"
          type="submit"
          isLoading={start.isPending}
          disabled={!shopId}
          className="shrink-0 whitespace-nowrap"
          data-testid="line-gift-export-button"
        >
          {t("widget.export")}
        </Button>
      </div>
      {error ? (
        <Text size="small" className="text-ui-fg-error">
          {error}
        </Text>
      ) : null}
      {result ? (
        <div
          className="bg-ui-bg-subtle flex items-center justify-between gap-x-2 rounded-md px-3 py-2"
          data-testid="line-gift-export-result"
        >
          <Text size="small" className="text-ui-fg-subtle">
            {t("widget.exportSummary", result.counts)}
          </Text>
          {result.runId ? (
            <Link
              to={`/settings/line-gift/history?run=${result.runId}`}
              className="txt-compact-small text-ui-fg-interactive hover:text-ui-fg-interactive-hover"
            >
              {t("widget.viewRun")}
            </Link>
          ) : null}
        </div>
      ) : null}
    </form>
  )
}

export const config = defineWidgetConfig({
  zone: "order.list.before",
  id: "line-gift:orders",
})

export default LineGiftOrdersWidget
