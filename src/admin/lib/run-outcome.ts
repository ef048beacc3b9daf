/**
 * How a run ended, as the admin says it: the API's `outcome` (server: runOutcome in
 * src/lib/failure-reasons.ts) — an import whose only recorded errors are attention notes
 * (shipped outside Medusa, cancelled after fulfilment, part of an address filled in) is
 * "needs attention", never "partly failed, 0 failed" — and which counts its result line names.
 */
import type { LineGiftRun, RunOutcome } from "./types"

/** The state to show for a run: its `outcome`, else (older servers) its stored `state`. */
export function shownRunState(
  run: Pick<LineGiftRun, "state" | "outcome">
): RunOutcome {
  return run.outcome ?? run.state
}

/**
 * The i18n key of a finished import's result line (widget.summary*): "failed" is named when
 * some order failed or nothing needs attention; "needs attention" when something does.
 */
export function importSummaryKey(
  run: Pick<LineGiftRun, "failed_count" | "attention_count">
): "widget.summary" | "widget.summaryAttention" | "widget.summaryAll" {
  const failed = run.failed_count ?? 0
  const attention = run.attention_count ?? 0
  if (!attention) return "widget.summary"
  return failed ? "widget.summaryAll" : "widget.summaryAttention"
}
