/**
 * Status badges of runs, exports and records. Their colours come from lib/status-colors (one
 * mapping by what the merchant has to do: green done, blue underway or waiting by itself,
 * orange action, red failed, grey idle), not from the state's word.
 */
import { StatusBadge } from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import {
  RECORD_TONES,
  RUN_TONES,
  exportTone,
  toneColor,
} from "../lib/status-colors"
import type { ExportReason, ExportState, RunOutcome } from "../lib/types"

/** A run's state as the merchant reads it: pass `shownRunState(run)` (needs attention, partly failed…). */
export const RunStateBadge = ({ state }: { state: RunOutcome }) => {
  const { t } = useTranslation("line-gift")
  const tone = RUN_TONES[state]
  return (
    <StatusBadge
      color={toneColor(tone)}
      data-tone={tone ?? "idle"}
      data-run-state={state}
    >
      {t(`runState.${state}`)}
    </StatusBadge>
  )
}

/**
 * A shipment export's state; pass its `reasons` and `sent_fulfillment_cancelled` so a hold
 * that ends by itself (waiting for the recipient's address) does not look like one that
 * needs the merchant (exportTone).
 */
export const ExportStateBadge = ({
  state,
  reasons,
  sentFulfillmentCancelled,
}: {
  state: ExportState
  reasons?: Pick<ExportReason, "code">[] | null
  sentFulfillmentCancelled?: boolean
}) => {
  const { t } = useTranslation("line-gift")
  const tone = exportTone({
    state,
    reasons,
    sent_fulfillment_cancelled: sentFulfillmentCancelled,
  })
  return (
    <StatusBadge
      color={toneColor(tone)}
      data-tone={tone}
      data-export-state={state}
    >
      {t(`exportState.${state}`)}
    </StatusBadge>
  )
}

export const RecordStateBadge = ({ state }: { state: string }) => {
  const { t } = useTranslation("line-gift")
  const tone = RECORD_TONES[state]
  return (
    <StatusBadge color={toneColor(tone)} data-tone={tone ?? "idle"}>
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
