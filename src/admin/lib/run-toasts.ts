/**
 * Toasts that match what a run did (issue 16.5): a run with failures or held shipments never
 * ends with a plain success toast; counts use i18next plurals (`_one` / `_other`; Japanese has
 * only `_other`), so "1 order created", never "1 orders".
 */
import { toast } from "@medusajs/ui"
import type { useTranslation } from "react-i18next"
import { shownRunState } from "./run-outcome"
import type { LineGiftRun } from "./types"

/** The admin's `t` (react-i18next; i18next itself is not a peer of the plugin). */
type TFunction = ReturnType<typeof useTranslation>["t"]

/**
 * The toast of a finished import run: error (failed); warning when orders need attention and
 * none failed ("N need your attention", not "0 failed"); warning with the failed count when
 * some failed; warning without counts for other problems (e.g. reading stopped); success.
 */
export function announceImportRun(
  t: TFunction,
  run: Pick<
    LineGiftRun,
    | "state"
    | "outcome"
    | "error"
    | "created_count"
    | "failed_count"
    | "attention_count"
  >
) {
  const count = run.created_count ?? 0
  const failed = run.failed_count ?? 0
  const state = shownRunState(run)
  if (state === "failed") {
    toast.error(t("widget.importFailed"), { description: run.error ?? "" })
  } else if (state === "needs_attention") {
    toast.warning(
      t("shipments.toasts.importAttention", {
        count: run.attention_count ?? 0,
        created: count,
      })
    )
  } else if (failed > 0) {
    toast.warning(t("shipments.toasts.importPartial", { count, failed }), {
      description: run.error ?? undefined,
    })
  } else if (state === "partial") {
    toast.warning(t("shipments.toasts.importProblems", { count }), {
      description: run.error ?? undefined,
    })
  } else {
    toast.success(t("shipments.toasts.importDone", { count }))
  }
}

/** The toast of a finished manual export ("送信情報の更新"). */
export function announceExportRun(
  t: TFunction,
  counts: { sent: number; unchanged: number; held: number; failed: number },
  run?: Pick<LineGiftRun, "state" | "error"> | null
) {
  if (run?.state === "failed") {
    toast.error(t("shipments.toasts.exportFailed"), {
      description: run.error ?? "",
    })
  } else if (counts.held || counts.failed) {
    toast.warning(
      t("shipments.toasts.exportPartial", {
        count: counts.sent,
        held: counts.held,
        failed: counts.failed,
      })
    )
  } else {
    toast.success(t("shipments.toasts.exportDone", { count: counts.sent }))
  }
}
