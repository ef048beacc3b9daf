/**
 * Orders widget → Import: LINE Gift orders of a Japan-time range now (default: the last 24
 * hours until the moment of the click); while the run goes on its progress, at the end its
 * counts, why orders were skipped, and a link to the run in the sync history.
 */
import { ArrowPath } from "@medusajs/icons"
import { Button, Text } from "@medusajs/ui"
import { useQueryClient } from "@tanstack/react-query"
import { useEffect, useRef, useState } from "react"
import { useTranslation } from "react-i18next"
import { Link } from "react-router-dom"
import { RunStateBadge } from "../badges"
import { lineGiftKeys } from "../../hooks/query-keys"
import {
  useInvalidateOrders,
  useLineGiftRun,
  useStartLineGiftImport,
} from "../../hooks/runs"
import { errorMessage } from "../../lib/errors"
import {
  LINE_GIFT_ORDER_LIST_DAYS,
  formatJst,
  formatJstDate,
  orderListStartAfter,
  parseJstInput,
} from "../../lib/format"
import { importSummaryKey, shownRunState } from "../../lib/run-outcome"
import { announceImportRun } from "../../lib/run-toasts"
import { JstDateTimeInput } from "./jst-input"
import { SkipReasons } from "./skip-reasons"

export const ImportPanel = ({ shopId }: { shopId?: string }) => {
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

  // LINE Gift's order list reaches back about 90 days: an older `from` finds nothing older.
  const listStart = orderListStartAfter(parseJstInput(from), new Date())
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
          warning={
            listStart
              ? t("adminTruth.importWindow.beyondOrderList", {
                  days: LINE_GIFT_ORDER_LIST_DAYS,
                  date: formatJstDate(listStart.toISOString(), i18n.language),
                })
              : null
          }
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
          data-outcome={shownRunState(run)}
        >
          <div className="flex items-center justify-between gap-x-2">
            <RunStateBadge state={shownRunState(run)} />
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
              : t(importSummaryKey(run), {
                  seen: run.seen_count ?? 0,
                  created: run.created_count ?? 0,
                  already: run.already_imported_count ?? 0,
                  skipped: run.skipped_count ?? 0,
                  failed: run.failed_count ?? 0,
                  attention: run.attention_count ?? 0,
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
