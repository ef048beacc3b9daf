/**
 * The Medusa customer that a LINE Gift shop's orders belong to.
 *
 * LINE Gift gives no buyer email, so every order of a shop belongs to one guest customer whose
 * email is a placeholder (`line-gift-<shop id>@example.invalid`, unique per shop). Medusa's
 * admin order list shows a customer's name before the email (dashboard CustomerCell:
 * `first_name last_name || email`), so that customer is named after the shop — e.g.
 * "LINEギフト 1号店" — and the merchant reads the shop, not a synthetic address.
 */
import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import {
  createCustomersWorkflow,
  updateCustomersWorkflow,
} from "@medusajs/medusa/core-flows"

/** Placeholder customer email of a shop's orders (LINE Gift does not give buyers' emails). */
export const lineGiftCustomerEmail = (shopId: string) =>
  `line-gift-${shopId.toLowerCase()}@example.invalid`

/**
 * The name shown for a shop's customer: the shop's name, prefixed with "LINEギフト" unless the
 * name already says LINE Gift (「1号店」 → 「LINEギフト 1号店」, 「LINEギフト 2号店」 stays).
 */
export function lineGiftCustomerName(
  shopName: string | null | undefined
): string {
  const name = (shopName ?? "").normalize("NFKC").trim()
  if (!name) return "LINEギフト"
  return /line\s*(ギフト|gift)/i.test(name) ? name : `LINEギフト ${name}`
}

/**
 * Makes sure the shop's guest customer exists and carries the shop's name (creates it, or
 * renames it after the shop was renamed or when an older import created it without a name),
 * through Medusa's customer workflows.
 * @returns the customer's email, which the import workflows find the customer by
 * @throws whatever the customer workflows throw (the run then fails before any order)
 */
export async function ensureLineGiftShopCustomer(
  container: MedusaContainer,
  shop: { id: string; name: string }
): Promise<string> {
  const email = lineGiftCustomerEmail(shop.id)
  const firstName = lineGiftCustomerName(shop.name)
  const customers = container.resolve(Modules.CUSTOMER)
  const [existing] = await customers.listCustomers(
    { email, has_account: false },
    { take: 1 }
  )
  if (!existing) {
    await createCustomersWorkflow(container).run({
      input: {
        customersData: [
          { email, first_name: firstName, last_name: null, has_account: false },
        ],
      },
    })
  } else if (existing.first_name !== firstName || existing.last_name) {
    await updateCustomersWorkflow(container).run({
      input: {
        selector: { id: existing.id },
        update: { first_name: firstName, last_name: null },
      },
    })
  }
  return email
}
