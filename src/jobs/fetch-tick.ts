/**
 * Every minute: starts the LINE Gift imports that are due by each shop's schedule (auto fetch
 * interval / weekday schedules, Asia/Tokyo). The schedule of a Medusa job is fixed at boot, so
 * the merchant's schedule is honoured by this short tick deciding what is due
 * (runDueLineGiftImports). With the Redis workflow engine it runs once per cluster, on a worker;
 * the per-shop lock and claim make it safe anyway.
 */
import type { MedusaContainer } from "@medusajs/framework/types"
import { runDueLineGiftImports } from "../workflows/import/run-due-imports"

/** The job: the imports due now, run concurrently under their own locks (runDueLineGiftImports). */
export default async function lineGiftFetchTick(container: MedusaContainer) {
  await runDueLineGiftImports(container, new Date())
}

export const config = {
  name: "line-gift-fetch-tick",
  schedule: "* * * * *",
}
