import type { MedusaContainer } from "@medusajs/framework/types"
import { runTokenKeepAlive } from "../workflows/tokens/keep-alive"

/**
 * Keeps every enabled shop's LINE Gift tokens alive (refresh at least weekly and well before
 * either token lapses; see src/lib/token-keep-alive.ts). Hourly; each refresh holds the
 * shop's token lock, so several instances never refresh one shop twice.
 */
export default async function lineGiftTokenKeepAliveJob(
  container: MedusaContainer
) {
  await runTokenKeepAlive(container)
}

export const config = {
  name: "line-gift-token-keep-alive",
  schedule: "17 * * * *",
}
