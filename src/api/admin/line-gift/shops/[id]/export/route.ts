import type {
  AuthenticatedMedusaRequest,
  MedusaResponse,
} from "@medusajs/framework/http"
import { runLineGiftManualExport } from "../../../../../../workflows/export/run-export"
import type { AdminRunLineGiftExportType } from "../../../export-validators"

/**
 * POST /admin/line-gift/shops/:id/export ("送信情報の更新") body `{ days?: 1–30 }` (default 3) →
 * `{ counts: { sent, unchanged, held, failed }, run }`: pushes the shipment info of the shop's
 * LINE Gift orders of the last N days that is unsent or changed; `run` is the recorded
 * `line_gift_sync_run` (kind "export", trigger "manual"). Waits for the run.
 */
export const POST = async (
  req: AuthenticatedMedusaRequest<AdminRunLineGiftExportType>,
  res: MedusaResponse<Awaited<ReturnType<typeof runLineGiftManualExport>>>
) => {
  const result = await runLineGiftManualExport(req.scope, {
    shop_id: req.params.id,
    days: req.validatedBody.days,
    trigger: "manual",
  })
  res.json(result)
}
