import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { retryLineGiftOrderRecord } from "../../../../../../workflows/records/retry-line-gift-order"

/**
 * POST /admin/line-gift/orders/:id/retry → `{ record }` (without the raw payload): imports a
 * failed LINE Gift order record again; `record.state` says whether it worked.
 */
export const POST = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const record = await retryLineGiftOrderRecord(req.scope, req.params.id)
  res.json({ record })
}
