/**
 * Orders list → LINE Gift: import orders for a date-time range now (default: the last 24 hours,
 * Japan time) and send shipment info for the last N days (default 3). While an import runs the
 * widget shows its progress (pages read, orders created so far); at the end its counts and a
 * link to the run in the sync history.
 */
import { NeedsReauthorizationAlert } from "../components/connection-check"
import { defineWidgetConfig } from "@medusajs/admin-sdk"
import { ArrowPath } from "@medusajs/icons"
import { Button, Container, Heading, Input, Label, Select, Text } from "@medusajs/ui"
import { useEffect, useRef, useState } from "react"
import { useTranslation } from "react-i18next"
import { Link } from "react-router-dom"
import { RunStateBadge } from "../components/badges"
import { useInvalidateOrders, useLineGiftRun, useStartLineGiftExport, useStartLineGiftImport, type ExportCounts } from "../hooks/runs"
import { useLineGiftShops } from "../hooks/shops"
import { errorMessage } from "../lib/errors"
import { toJstLocalInput } from "../lib/format"
import { announceExportRun, announceImportRun } from "../lib/run-toasts"

const DAY_MS = 24 * 3600 * 1000

const LineGiftOrdersWidget = () => {
  const { t } = useTranslation("line-gift")
  const shops = useLineGiftShops()
  const list = shops.data?.shops ?? []
  const [shopId, setShopId] = useState<string | undefined>()
  useEffect(() => {
    if (!shopId && list.length) setShopId((list.find((s) => s.api_enabled) ?? list[0]).id)
  }, [list, shopId])

  if (shops.isLoading) return null
  if (!list.length) {
    return (
      <Container className="flex items-center justify-between gap-x-4 px-6 py-4" data-testid="line-gift-orders-widget">
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
    <Container className="divide-y p-0" data-testid="line-gift-orders-widget">
      <div className="flex items-center justify-between gap-x-4 px-6 py-4">
        <div className="flex flex-col gap-y-1">
          <Heading level="h2">{t("menu.label")}</Heading>
          <Text size="small" className="text-ui-fg-subtle">
            {t("widget.description")}
          </Text>
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
      <div className="grid grid-cols-1 divide-y lg:grid-cols-2 lg:divide-x lg:divide-y-0">
        <ImportPanel shopId={shopId} />
        <ExportPanel shopId={shopId} />
      </div>
    </Container>
  )
}

const ImportPanel = ({ shopId }: { shopId?: string }) => {
  const { t } = useTranslation("line-gift")
  const [from, setFrom] = useState(() => toJstLocalInput(new Date(Date.now() - DAY_MS)))
  const [to, setTo] = useState(() => toJstLocalInput(new Date()))
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
      invalidateOrders()
      announceImportRun(t, run)
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [run?.id, run?.state])

  const submit = async (e: React.FormEvent) => {
    e.preventDefault()
    setError(null)
    if (from && to && from > to) {
      setError(t("widget.fromAfterTo"))
      return
    }
    try {
      const res = await start.mutateAsync({ from: from || undefined, to: to || undefined })
      announced.current = null
      setRunId(res.run.id)
    } catch (err) {
      setError(errorMessage(err))
    }
  }

  const running = start.isPending || run?.state === "running"
  return (
    <form onSubmit={submit} className="flex flex-col gap-y-3 px-6 py-4" data-testid="line-gift-import">
      <Text size="small" weight="plus">
        {t("widget.importTitle")}
      </Text>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <div className="flex flex-col gap-y-1">
          <Label size="xsmall" htmlFor="lg-import-from" className="text-ui-fg-subtle">
            {t("widget.from")}
          </Label>
          <Input id="lg-import-from" size="small" type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
        </div>
        <div className="flex flex-col gap-y-1">
          <Label size="xsmall" htmlFor="lg-import-to" className="text-ui-fg-subtle">
            {t("widget.to")}
          </Label>
          <Input id="lg-import-to" size="small" type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
        </div>
      </div>
      <div className="flex items-center justify-between gap-x-3">
        <Text size="xsmall" className="text-ui-fg-muted">
          {t("widget.japanTime")}
        </Text>
        <Button size="small" variant="secondary" type="submit" isLoading={running} disabled={!shopId} data-testid="line-gift-import-button">
          <ArrowPath />
          {t("widget.import")}
        </Button>
      </div>
      {error ? (
        <Text size="small" className="text-ui-fg-error" data-testid="line-gift-import-error">
          {error}
        </Text>
      ) : null}
      {run ? (
        <div className="bg-ui-bg-subtle flex flex-col gap-y-1 rounded-md px-3 py-2" data-testid="line-gift-import-run" data-state={run.state}>
          <div className="flex items-center justify-between gap-x-2">
            <RunStateBadge state={run.state} />
            <Link to={`/settings/line-gift/history?run=${run.id}`} className="txt-compact-small text-ui-fg-interactive hover:text-ui-fg-interactive-hover">
              {t("widget.viewRun")}
            </Link>
          </div>
          <Text size="small" className="text-ui-fg-subtle" data-testid="line-gift-import-progress">
            {run.state === "running"
              ? t("widget.progress", { pages: run.pages_read ?? 0, created: run.created_count ?? 0 })
              : t("widget.summary", {
                  seen: run.seen_count ?? 0,
                  created: run.created_count ?? 0,
                  already: run.already_imported_count ?? 0,
                  skipped: run.skipped_count ?? 0,
                  failed: run.failed_count ?? 0,
                })}
          </Text>
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
  const [result, setResult] = useState<{ counts: ExportCounts; runId?: string } | null>(null)
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
    <form onSubmit={submit} className="flex flex-col gap-y-3 px-6 py-4" data-testid="line-gift-export">
      <Text size="small" weight="plus">
        {t("widget.exportTitle")}
      </Text>
      <div className="flex flex-col gap-y-1">
        <Label size="xsmall" htmlFor="lg-export-days" className="text-ui-fg-subtle">
          {t("widget.days")}
        </Label>
        <div className="flex items-center gap-x-2">
          <Input id="lg-export-days" size="small" type="number" min={1} max={30} className="w-24" value={days} onChange={(e) => setDays(e.target.value)} />
          <Text size="small" className="text-ui-fg-subtle">
            {t("fields.daysUnit")}
          </Text>
        </div>
      </div>
      <div className="flex items-center justify-between gap-x-3">
        <Text size="xsmall" className="text-ui-fg-muted">
          {t("widget.exportHint")}
        </Text>
        <Button size="small" variant="secondary" type="submit" isLoading={start.isPending} disabled={!shopId} data-testid="line-gift-export-button">
          {t("widget.export")}
        </Button>
      </div>
      {error ? (
        <Text size="small" className="text-ui-fg-error">
          {error}
        </Text>
      ) : null}
      {result ? (
        <div className="bg-ui-bg-subtle flex items-center justify-between gap-x-2 rounded-md px-3 py-2" data-testid="line-gift-export-result">
          <Text size="small" className="text-ui-fg-subtle">
            {t("widget.exportSummary", result.counts)}
          </Text>
          {result.runId ? (
            <Link to={`/settings/line-gift/history?run=${result.runId}`} className="txt-compact-small text-ui-fg-interactive hover:text-ui-fg-interactive-hover">
              {t("widget.viewRun")}
            </Link>
          ) : null}
        </div>
      ) : null}
    </form>
  )
}

export const config = defineWidgetConfig({
  zone: "order.list",
  id: "line-gift:orders",
})

export default LineGiftOrdersWidget
