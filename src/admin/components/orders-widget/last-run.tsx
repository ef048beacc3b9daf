/**
 * The last run of a shop, in one line: when, manual or automatic, its state (e.g. 一部失敗 /
 * Partly failed) and how many orders failed, with a link to it in the sync history. Used by the
 * shop list and the orders widget, so a partly failed scheduled run is seen where the merchant
 * works, not only in the history.
 */
import { Text } from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import { Link } from "react-router-dom"
import { RunStateBadge } from "../badges"
import { formatJst } from "../../lib/format"
import { shownRunState } from "../../lib/run-outcome"
import type { LastRunSummary } from "../../lib/types"

export const LastRunLine = ({
  run,
  kind = "import",
  showLabel = true,
  testId,
}: {
  run: LastRunSummary | null | undefined
  kind?: "import" | "export"
  showLabel?: boolean
  testId?: string
}) => {
  const { t, i18n } = useTranslation("line-gift")
  const label =
    kind === "import"
      ? t("adminTruth.lastRun.label")
      : t("adminTruth.lastRun.exportLabel")
  if (!run) {
    return (
      <Text
        size="small"
        className="text-ui-fg-subtle"
        data-testid={testId}
        data-run-state="none"
      >
        {showLabel ? `${label}: ` : ""}
        {t("adminTruth.lastRun.never")}
      </Text>
    )
  }
  return (
    <div
      className="flex flex-wrap items-center gap-x-2 gap-y-1"
      data-testid={testId}
      data-run-state={run.state}
      data-run-outcome={shownRunState(run)}
    >
      {showLabel ? (
        <Text size="small" weight="plus" className="text-ui-fg-subtle">
          {label}
        </Text>
      ) : null}
      <RunStateBadge state={shownRunState(run)} />
      <Text size="small" className="text-ui-fg-subtle">
        {formatJst(run.finished_at ?? run.started_at, i18n.language)}
        {" · "}
        {t(`history.triggers.${run.trigger}`, run.trigger)}
        {run.failed_count
          ? ` · ${t("adminTruth.lastRun.failedCount", { count: run.failed_count })}`
          : ""}
        {run.attention_count
          ? ` · ${t("adminTruth.lastRun.attentionCount", { count: run.attention_count })}`
          : ""}
      </Text>
      {run.state === "partial" || run.state === "failed" ? (
        <Link
          to={`/settings/line-gift/history?run=${run.id}`}
          onClick={(e) => e.stopPropagation()}
          className="txt-compact-small text-ui-fg-interactive hover:text-ui-fg-interactive-hover"
        >
          {t("adminTruth.lastRun.view")}
        </Link>
      ) : null}
    </div>
  )
}
