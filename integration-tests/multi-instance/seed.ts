/**
 * `medusa exec` script of the two-worker test: the demo store, and one LINE Gift shop connected
 * with tokens minted by the test's sandbox (env LG_MULTI_ACCESS_TOKEN / LG_MULTI_REFRESH_TOKEN),
 * automatic fetch every 30 minutes and already due. Prints `LG_MULTI_SHOP=<id>`.
 */
import type { ExecArgs } from "@medusajs/framework/types"
import { seedDemoStore } from "../../scripts/lib/seed-store"
import { LINE_GIFT_MODULE } from "../../src/modules/line-gift"
import type LineGiftModuleService from "../../src/modules/line-gift/service"

export default async function seedMultiInstance({ container }: ExecArgs) {
  const store = await seedDemoStore(container)
  const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
  const shop = await service.createShop({
    name: "マルチ店",
    client_id: "sandbox-client-id",
    client_secret: "sandbox-client-secret",
    region_id: store.region_id,
    sales_channel_id: store.sales_channel_id,
    shipping_option_id: store.shipping_option_id,
    auto_fetch_mode: "interval",
    fetch_interval_minutes: 30,
    fetch_days: 7,
  })
  await service.saveTokens(shop.id, {
    accessToken: process.env.LG_MULTI_ACCESS_TOKEN!,
    accessTokenExpiresAt: new Date(Date.now() + 30 * 86400_000),
    refreshToken: process.env.LG_MULTI_REFRESH_TOKEN!,
    refreshTokenExpiresAt: new Date(Date.now() + 60 * 86400_000),
  })
  await service.updateLineGiftShops({
    id: shop.id,
    next_fetch_at: new Date(Date.now() - 60_000),
  } as any)
  console.log(`LG_MULTI_SHOP=${shop.id}`)
}
