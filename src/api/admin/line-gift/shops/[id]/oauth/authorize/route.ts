import type {
  AuthenticatedMedusaRequest,
  MedusaResponse,
} from "@medusajs/framework/http"
import { startLineGiftAuthorizationWorkflow } from "../../../../../../../workflows/tokens/workflows"

/** Starts the authorisation (signed single-use state) → `{ authorize_url, redirect_uri }`. */
const start = async (req: AuthenticatedMedusaRequest) => {
  const { result } = await startLineGiftAuthorizationWorkflow(req.scope).run({
    input: { shop_id: req.params.id },
  })
  return result
}

/**
 * POST /admin/line-gift/shops/:id/oauth/authorize → `{ authorize_url, redirect_uri }`:
 * the admin opens authorize_url in the browser (LINE Gift's consent page).
 */
export const POST = async (
  req: AuthenticatedMedusaRequest,
  res: MedusaResponse<Awaited<ReturnType<typeof start>>>
) => {
  res.json(await start(req))
}

/** GET /admin/line-gift/shops/:id/oauth/authorize → 302 to LINE Gift's consent page. */
export const GET = async (
  req: AuthenticatedMedusaRequest,
  res: MedusaResponse
) => {
  res.redirect(302, (await start(req)).authorize_url)
}
