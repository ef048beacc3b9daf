/**
 * A sync run's counts and kind, as the history table and the run drawer show them: an import
 * counts created / already imported / skipped / failed / needs attention, an export sent / unchanged / held /
 * failed / to retry (`export_counts`; older export runs: the generic columns).
 */
import { useTranslation } from "react-i18next"
import type { ExportRunCounts, LineGiftRun } from "../../lib/types"
import { InfoRow } from "../layout"

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
export const RunKindCell = ({ run }: { run: LineGiftRun }) => {
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
export const RunCountsInline = ({ run }: { run: LineGiftRun }) => {
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
    ["attention", run.attention_count],
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
          ["attentionLabel", run.attention_count ?? 0],
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
