import type {
  AuthenticatedMedusaRequest,
  MedusaResponse,
} from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import {
  runLineGiftImport,
  type RunImportResult,
} from "../../../../../../workflows/import/run-import"
import type { AdminStartLineGiftImportType } from "../../../validators"

/** Default window of a manual import: the last 24 hours. */
const MANUAL_DEFAULT_MS = 24 * 3600 * 1000

/**
 * POST /admin/line-gift/shops/:id/import — imports now, for `from`–`to` (Japan time to the
 * minute; default: the last 24 hours) and `statuses` (default: the shop's).
 * - `wait` true (default): waits for the run →
 *   `{ run, orders: [{ line_gift_order_id, order_id, display_id, total, province, item, flags }] }`
 * - `wait: false`: answers 202 `{ run }` (state `running`) at once; the run record's counts
 *   grow page by page (GET /admin/line-gift/runs/:id) until it finishes.
 * Errors before the run starts (another import running, no region, no credentials) are the
 * answer in both modes.
 */
export const POST = async (
  req: AuthenticatedMedusaRequest<AdminStartLineGiftImportType>,
  res: MedusaResponse
) => {
  const body = req.validatedBody
  const to = body.to ?? new Date()
  const from = body.from ?? new Date(to.getTime() - MANUAL_DEFAULT_MS)

  let announce!: (run: Record<string, any>) => void
  const started = new Promise<Record<string, any>>(
    (resolve) => (announce = resolve)
  )
  const running = runLineGiftImport(req.scope, {
    shop_id: req.params.id,
    from,
    to,
    statuses: body.statuses,
    trigger: "manual",
    onRunCreated: (run) => announce(run),
  })

  if (body.wait === false) {
    // Whichever comes first: the run exists (answer 202) or the import refused to start.
    const run = await Promise.race([started, running.then((r) => r.run)])
    running.catch((e) => {
      req.scope
        .resolve(ContainerRegistrationKeys.LOGGER)
        .warn(`LINE Gift import run ${run.id} stopped: ${(e as Error).message}`)
    })
    res.status(202).json({ run })
    return
  }

  const result = await running
  res.json({ run: result.run, orders: await describeOrders(req, result) })
}

/** The created orders with what the admin lists (display id, total, prefecture, item). */
async function describeOrders(
  req: AuthenticatedMedusaRequest,
  { created }: RunImportResult
) {
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data: orders } = created.length
    ? await query.graph({
        entity: "order",
        fields: [
          "id",
          "display_id",
          "total",
          "shipping_address.province",
          "items.title",
        ],
        filters: { id: created.map((c) => c.order_id) },
      })
    : { data: [] as any[] }
  const byId = new Map<string, any>(
    orders.map((o: any) => [o.id, o] as [string, any])
  )
  return created.map((c) => {
    const o: any = byId.get(c.order_id)
    return {
      ...c,
      display_id: o?.display_id ?? null,
      total: o ? Number(o.total) : null,
      province: o?.shipping_address?.province ?? null,
      item: o?.items?.[0]?.title ?? null,
    }
  })
}
