import type {
  AuthenticatedMedusaRequest,
  MedusaResponse,
} from "@medusajs/framework/http"
import { startLineGiftAuthorizationWorkflow } from "../../../../../../../workflows/tokens/workflows"

/**
 * POST /admin/line-gift/shops/:id/oauth/authorize → `{ authorize_url, redirect_uri }`:
 * starts the authorisation (a signed single-use state, replacing a pending one); the admin
 * then opens authorize_url in the browser (LINE Gift's consent page).
 *
 * POST only, on purpose: starting an authorisation changes data (the pending state), and a
 * GET can be made by another site's link or redirect — a top-level navigation carries the
 * admin's session cookie (SameSite=Lax) — which would replace the merchant's pending
 * authorisation. A GET here is an unknown route.
 */
export const POST = async (
  req: AuthenticatedMedusaRequest,
  res: MedusaResponse<{ authorize_url: string; redirect_uri: string }>
) => {
  const { result } = await startLineGiftAuthorizationWorkflow(req.scope).run({
    input: { shop_id: req.params.id },
  })
  res.json(result)
}
