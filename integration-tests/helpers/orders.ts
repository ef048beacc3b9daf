/**
 * LINE Gift order fixtures shared by the HTTP suites: a product the demo store sells (its SKU
 * maps to a seeded variant) and a complete recipient address (personal data of a test order:
 * suites that check logs look for these values).
 */
import { Modules } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"

/** The seeded sake set: LINE Gift `item` and `variation` (SKU LG-SAKE-04-3). */
export const SAKE = {
  item: { id: "300104", code: "LG-SAKE-04", name: "純米吟醸 飲み比べセット" },
  variation: { id: "900141", code: "LG-SAKE-04-3", name: "3本セット" },
}

/** A complete recipient address as LINE Gift sends it (postcode, prefecture, city, street). */
export const RECIPIENT = {
  from_name: "見本 一郎",
  first_name: "花子",
  last_name: "見本",
  zip: "1000001",
  tel: "09000001234",
  pref: "東京都",
  city: "千代田区",
  address: "千代田1-1 テスト101",
}

/**
 * Creates an active automatic promotion of the store: 10 % off every order (what
 * createOrderWorkflow applies to any order it creates). Delete it after the test.
 * @returns the promotion's id
 */
export async function createAutomaticPromotion(
  container: MedusaContainer,
  code: string
): Promise<string> {
  const promotions = container.resolve(Modules.PROMOTION)
  const [promotion] = await promotions.createPromotions([
    {
      code,
      type: "standard",
      status: "active",
      is_automatic: true,
      application_method: {
        type: "percentage",
        target_type: "order",
        allocation: "across",
        value: 10,
        currency_code: "jpy",
      },
    } as Parameters<typeof promotions.createPromotions>[0][number],
  ])
  return promotion.id
}
