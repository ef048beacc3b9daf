import type {
  AuthenticatedMedusaRequest,
  MedusaResponse,
} from "@medusajs/framework/http"
import { oauthRedirectUriInfo } from "../../../../../workflows/helpers/line-gift-client"

/**
 * GET /admin/line-gift/oauth/redirect-uri → `{ redirect_uri, configured, local }`: the
 * Redirect URI the merchant must register in their LINE Gift app (the same for every shop),
 * whether it comes from the plugin option `backendUrl` / env MEDUSA_BACKEND_URL (false: the
 * `http://localhost:9000` default), and whether it points at this machine (see
 * oauthRedirectUriInfo). No secret.
 */
export const GET = async (
  req: AuthenticatedMedusaRequest,
  res: MedusaResponse<{
    redirect_uri: string
    configured: boolean
    local: boolean
  }>
) => {
  res.json(oauthRedirectUriInfo(req.scope))
}
