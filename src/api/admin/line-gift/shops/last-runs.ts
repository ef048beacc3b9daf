import type LineGiftModuleService from "../../../../modules/line-gift/service"
import {
  classifyFailureReason,
  type FailureReasonCode,
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
}

/** The latest import and export run of a shop (null when it never ran). */
export async function lastRunsOf(
  service: LineGiftModuleService,
  shopId: string
): Promise<{ import: LastRunSummary | null; export: LastRunSummary | null }> {
  const latest = async (
    kind: "import" | "export"
  ): Promise<LastRunSummary | null> => {
    const [run] = (await service.listLineGiftSyncRuns(
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
        ],
        order: { started_at: "DESC" },
        take: 1,
      }
    )) as any[]
    if (!run) return null
    return {
      ...run,
      error_code: run.error ? classifyFailureReason(run.error) : null,
    }
  }
  return { import: await latest("import"), export: await latest("export") }
}
