/**
 * Every 5 minutes: recovers imports whose process died mid-way (records stuck in `importing`
 * longer than the import lease; see src/workflows/recovery). Per shop — soft-deleted ones
 * included —, under the shop's import lock; a shop whose import is running is left to the
 * next tick.
 */
import type { MedusaContainer } from "@medusajs/framework/types"
import { LINE_GIFT_MODULE } from "../modules/line-gift"
import type LineGiftModuleService from "../modules/line-gift/service"
import type { LineGiftShopRecord } from "../modules/line-gift/types"
import { withShopImportLock } from "../workflows/import/run-import"
import { recoverInterruptedLineGiftImports } from "../workflows/recovery/recover-interrupted-imports"
import { safeErrorMessage } from "../lib/safe-error"

/** The job: recovery of every shop, one after the other (see file comment). */
export default async function lineGiftRecoverInterruptedImports(
  container: MedusaContainer
) {
  const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
  // Soft-deleted shops too: their half-imported orders are finished or released (the
  // latter imported by a shop of the same LINE Gift app, if one is connected again).
  const shops = (await service.listLineGiftShops(
    {},
    { select: ["id", "name"], withDeleted: true }
  )) as Array<Pick<LineGiftShopRecord, "id" | "name">>
  for (const shop of shops) {
    try {
      await withShopImportLock(container, shop, () =>
        recoverInterruptedLineGiftImports(container, shop.id)
      )
    } catch (e) {
      // "already running" included: the next tick tries again.
      container
        .resolve("logger")
        .warn(
          `LINE Gift recovery of shop ${shop.id} skipped: ${safeErrorMessage(e)}`
        )
    }
  }
}

export const config = {
  name: "line-gift-recover-interrupted-imports",
  schedule: "*/5 * * * *",
}
