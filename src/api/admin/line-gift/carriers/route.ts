import type {
  AuthenticatedMedusaRequest,
  MedusaResponse,
} from "@medusajs/framework/http"
import { LINE_GIFT_CARRIERS } from "../../../../lib/carrier"

/** GET /admin/line-gift/carriers → `{ carriers: string[] }`: the carriers ready to pick. */
export const GET = async (
  _req: AuthenticatedMedusaRequest,
  res: MedusaResponse<{ carriers: string[] }>
) => {
  res.json({ carriers: [...LINE_GIFT_CARRIERS] })
}
