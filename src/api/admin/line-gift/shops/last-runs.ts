/**
 * Read side of GET /admin/line-gift/shops: each shop with the latest import and export run,
 * so the shop list shows a partly failed scheduled run, not just "last fetched".
 */
import type LineGiftModuleService from "../../../../modules/line-gift/service"
import type { PublicShop } from "../../../../modules/line-gift/service"
import {
  classifyFailureReason,
  runOutcome,
  type FailureReasonCode,
  type RunOutcome,
} from "../../../../lib/failure-reasons"

/** The latest run of one kind, as the shop list shows it. Dates are Date (ISO in JSON). */
export type LastRunSummary = {
  id: string
  kind: "import" | "export"
  trigger: string
  state: "running" | "succeeded" | "partial" | "failed"
  started_at: Date
  finished_at: Date | null
  created_count: number
  failed_count: number
  skipped_count: number
  error: string | null
  error_code: FailureReasonCode | null
  /** How the run ended for the merchant (runOutcome: `needs_attention` when only notes). */
  outcome: RunOutcome
  /** Recorded errors that are attention notes (ATTENTION_REASON_CODES), not failures. */
  attention_count: number
}

/** The latest import and export run of a shop (null when it never ran). */
export async function lastRunsOf(
  service: LineGiftModuleService,
  shopId: string
): Promise<{ import: LastRunSummary | null; export: LastRunSummary | null }> {
  const latest = async (
    kind: "import" | "export"
  ): Promise<LastRunSummary | null> => {
    const [run] = await service.listLineGiftSyncRuns(
      { shop_id: shopId, kind },
      {
        select: [
          "id",
          "kind",
          "trigger",
          "state",
          "started_at",
          "finished_at",
          "created_count",
          "failed_count",
          "skipped_count",
          "error",
          "errors",
          "skipped_reasons",
        ],
        order: { started_at: "DESC" },
        take: 1,
      }
    )
    if (!run) return null
    // errors and skipped_reasons are read for the outcome only (the list stays small).
    const { errors: _errors, skipped_reasons: _reasons, ...summary } = run
    return {
      ...summary,
      error_code: run.error ? classifyFailureReason(run.error) : null,
      ...runOutcome(run),
    }
  }
  return { import: await latest("import"), export: await latest("export") }
}

/** A shop as the list shows it: the public shop (never secrets) and its `last_runs`. */
export type ShopWithLastRuns = PublicShop & {
  last_runs: { import: LastRunSummary | null; export: LastRunSummary | null }
}

/** Every shop (public view) with the latest run of each kind. */
export async function listShopsWithLastRuns(
  service: LineGiftModuleService
): Promise<ShopWithLastRuns[]> {
  const shops = await service.listPublicShops()
  return Promise.all(
    shops.map(async (shop) => ({
      ...shop,
      last_runs: await lastRunsOf(service, shop.id),
    }))
  )
}
