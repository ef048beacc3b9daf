import type {
  AuthenticatedMedusaRequest,
  MedusaResponse,
} from "@medusajs/framework/http"
import { pushLineGiftExportNow } from "../../../../../../workflows/export/run-export"

/**
 * POST /admin/line-gift/exports/:id/push ("Push again") → `{ export }`: pushes now, whatever
 * the shop's auto export, even values LINE Gift already has. The returned export's `state`
 * and `last_error` say how it went (a LINE Gift refusal is not an HTTP error here).
 * 404 unknown export; 400 when API usage is off or another export of the shop is running.
 */
export const POST = async (
  req: AuthenticatedMedusaRequest,
  res: MedusaResponse<{
    export: Awaited<ReturnType<typeof pushLineGiftExportNow>>
  }>
) => {
  const row = await pushLineGiftExportNow(req.scope, req.params.id)
  res.json({ export: row })
}
