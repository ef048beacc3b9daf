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
import {
  describeImportedOrders,
  type DescribedImportedOrder,
} from "../../describe-imported-orders"
import { safeErrorMessage } from "../../../../../../lib/safe-error"

/** Default window of a manual import: the last 24 hours. */
const MANUAL_DEFAULT_MS = 24 * 3600 * 1000

/** The run record as the import answers it. */
type ImportRun = RunImportResult["run"]

/** Answer of the import route: the run, and with `wait` the orders it created. */
type ImportResponse =
  { run: ImportRun } | { run: ImportRun; orders: DescribedImportedOrder[] }

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
  res: MedusaResponse<ImportResponse>
) => {
  const body = req.validatedBody
  const to = body.to ?? new Date()
  const from = body.from ?? new Date(to.getTime() - MANUAL_DEFAULT_MS)

  let announce!: (run: ImportRun) => void
  const started = new Promise<ImportRun>((resolve) => (announce = resolve))
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
        .warn(`LINE Gift import run ${run.id} stopped: ${safeErrorMessage(e)}`)
    })
    res.status(202).json({ run })
    return
  }

  const result = await running
  res.json({
    run: result.run,
    orders: await describeImportedOrders(req.scope, result),
  })
}
