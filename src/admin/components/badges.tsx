/** Status badges of runs, exports and records, colour-coded like the admin's own. */
import { StatusBadge } from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import type { ExportState, RunOutcome } from "../lib/types"

type Color = "green" | "red" | "orange" | "blue" | "grey" | "purple"

const RUN_COLORS: Record<RunOutcome, Color> = {
  running: "blue",
  succeeded: "green",
  needs_attention: "orange",
  partial: "orange",
  failed: "red",
}

/** A run's state as the merchant reads it: pass `shownRunState(run)` (needs attention, partly failed…). */
export const RunStateBadge = ({ state }: { state: RunOutcome }) => {
  const { t } = useTranslation("line-gift")
  return (
    <StatusBadge color={RUN_COLORS[state] ?? "grey"} data-run-state={state}>
      {t(`runState.${state}`)}
    </StatusBadge>
  )
}

const EXPORT_COLORS: Record<ExportState, Color> = {
  pending: "blue",
  sent: "green",
  held: "orange",
  failed: "red",
}

export const ExportStateBadge = ({ state }: { state: ExportState }) => {
  const { t } = useTranslation("line-gift")
  return (
    <StatusBadge
      color={EXPORT_COLORS[state] ?? "grey"}
      data-export-state={state}
    >
      {t(`exportState.${state}`)}
    </StatusBadge>
  )
}

const RECORD_COLORS: Record<string, Color> = {
  seen: "grey",
  importing: "blue",
  imported: "green",
  failed: "red",
}

export const RecordStateBadge = ({ state }: { state: string }) => {
  const { t } = useTranslation("line-gift")
  return (
    <StatusBadge color={RECORD_COLORS[state] ?? "grey"}>
      {t(`recordState.${state}`, state)}
    </StatusBadge>
  )
}

/** LINE Gift's own status in the admin's language, e.g. 発送待ち / Ready to ship. */
export const useStatusLabel = () => {
  const { t } = useTranslation("line-gift")
  return (status: string | null | undefined) =>
    status ? t(`statuses.${status}`, status) : "-"
}
