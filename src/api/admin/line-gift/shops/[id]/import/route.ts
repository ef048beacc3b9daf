import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { LINE_GIFT_MODULE } from "../../../../../../modules/line-gift"
import type LineGiftModuleService from "../../../../../../modules/line-gift/service"
import { runLineGiftImport } from "../../../../../../workflows/import/run-import"
import type { AdminStartLineGiftImportType } from "../../../validators"

const DAY_MS = 24 * 3600 * 1000

/**
 * POST /admin/line-gift/shops/:id/import — imports now, for `from`–`to` (default: the shop's
 * last `fetch_days` days) and `statuses` (default: the shop's). Waits for the run.
 * → `{ run, orders: [{ line_gift_order_id, order_id, display_id, total, province, item, flags }] }`
 */
export const POST = async (
  req: AuthenticatedMedusaRequest<AdminStartLineGiftImportType>,
  res: MedusaResponse
) => {
  const service: LineGiftModuleService = req.scope.resolve(LINE_GIFT_MODULE)
  const shop = await service.retrievePublicShop(req.params.id)
  const to = req.validatedBody.to ?? new Date()
  const from = req.validatedBody.from ?? new Date(to.getTime() - shop.fetch_days * DAY_MS)
  const { run, created } = await runLineGiftImport(req.scope, {
    shop_id: shop.id,
    from,
    to,
    statuses: req.validatedBody.statuses,
    trigger: "manual",
  })

  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data: orders } = created.length
    ? await query.graph({
        entity: "order",
        fields: ["id", "display_id", "total", "shipping_address.province", "items.title"],
        filters: { id: created.map((c) => c.order_id) },
      })
    : { data: [] as any[] }
  const byId = new Map<string, any>(orders.map((o: any) => [o.id, o] as [string, any]))
  res.json({
    run,
    orders: created.map((c) => {
      const o: any = byId.get(c.order_id)
      return {
        ...c,
        display_id: o?.display_id ?? null,
        total: o ? Number(o.total) : null,
        province: o?.shipping_address?.province ?? null,
        item: o?.items?.[0]?.title ?? null,
      }
    }),
  })
}
