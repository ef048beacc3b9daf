import type {
  AuthenticatedMedusaRequest,
  MedusaResponse,
} from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { checkImportSetup, type SetupCheckItem } from "./check-import-setup"

/**
 * GET /admin/line-gift/setup-check →
 * `{ ready: boolean, items: [{ key, ok, detail, href }] }`: what the first import needs
 * (JPY region, sales channel, shipping option serving Japan, variants with SKUs) and, for each
 * missing thing, the admin page where Medusa sets it.
 */
export const GET = async (
  req: AuthenticatedMedusaRequest,
  res: MedusaResponse<{ ready: boolean; items: SetupCheckItem[] }>
) => {
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const items = await checkImportSetup(query)
  res.json({ ready: items.every((i) => i.ok), items })
}
