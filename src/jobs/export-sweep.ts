/**
 * Every minute: retries due shipment exports (pending with backoff, held ones due for a
 * re-check) of shops with auto export on. See runLineGiftExportSweep; per-shop locks keep one
 * export from being pushed twice at the same time, also across overlapping sweeps.
 */
import type { MedusaContainer } from "@medusajs/framework/types"
import { runLineGiftExportSweep } from "../workflows/export/run-export"
import { safeErrorMessage } from "../lib/safe-error"

/** The job: one export sweep (see file comment). */
export default async function lineGiftExportSweep(container: MedusaContainer) {
  try {
    await runLineGiftExportSweep(container)
  } catch (e) {
    container
      .resolve("logger")
      .warn(`LINE Gift export sweep failed: ${safeErrorMessage(e)}`)
  }
}

export const config = {
  name: "line-gift-export-sweep",
  schedule: "* * * * *",
}
