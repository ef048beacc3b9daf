import type {
  AuthenticatedMedusaRequest,
  MedusaResponse,
} from "@medusajs/framework/http"
import { checkLineGiftConnection } from "../../../../../../workflows/connection/check-connection"
import type { AdminLineGiftConnectionCheckType } from "../../../connection-validators"

/**
 * POST /admin/line-gift/shops/:id/connection-check `{ line_gift_shop_id?, probe_shipment? }`
 * → `{ check: ConnectionCheckReport }` (redacted: no token, secret or order data; the admin
 * offers it as a JSON download).
 */
export const POST = async (
  req: AuthenticatedMedusaRequest<AdminLineGiftConnectionCheckType>,
  res: MedusaResponse<{
    check: Awaited<ReturnType<typeof checkLineGiftConnection>>
  }>
) => {
  const check = await checkLineGiftConnection(req.scope, {
    shop_id: req.params.id,
    ...req.validatedBody,
  })
  res.json({ check })
}
