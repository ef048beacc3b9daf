/** Orders widget → Export: send shipment info of the last N days (default 3) to LINE Gift now. */
import { Button, Input, Label, Text } from "@medusajs/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { Link } from "react-router-dom"
import { useStartLineGiftExport, type ExportCounts } from "../../hooks/runs"
import { errorMessage } from "../../lib/errors"
import { announceExportRun } from "../../lib/run-toasts"

export const ExportPanel = ({ shopId }: { shopId?: string }) => {
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
