/**
 * Tax lines for a page of bulk orders, as core updateOrderTaxLinesWorkflow computes them
 * per order after creation: only with automatic taxes and a shipping address; one tax-module
 * call per tax region of the page with Medusa's system tax provider (the country's, or the
 * province's where the country has province regions), else one per distinct address.
 */
import type {
  ItemTaxLineDTO,
  MedusaContainer,
  ShippingTaxLineDTO,
  TaxableItemDTO,
  TaxableShippingDTO,
  TaxCalculationContext,
} from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import type { MappedOrderInput } from "../../../lib/mapping"
import type { BulkOrderInput, TaxLineInput } from "./line-items"

/** Medusa's built-in tax provider (rates by tax region only). */
const SYSTEM_TAX_PROVIDER_ID = "tp_system"

/** An order of the page waiting for its tax lines (temporary line ids for the tax call). */
export type TaxDraft = {
  order: BulkOrderInput
  address: MappedOrderInput["shipping_address"]
  /** Temporary id per line item, in order. */
  itemKeys: string[]
  /** Prefix of the temporary ids of the shipping methods (`<key>_<index>`). */
  shippingKey: string
}

/** The customer part of the tax context. */
export type TaxCustomer = { id: string; email: string; groups: string[] } | null

type Address = NonNullable<MappedOrderInput["shipping_address"]>

/**
 * Orders sharing what the tax module looks at share their tax lines. With only the system
 * provider that is the tax region: the country's, or its province's when the country has
 * province tax regions (`withProvinces`, lower-case country codes) — the tax module's
 * getTaxLines picks the rates of the country region plus the province region if one exists,
 * so a country without province regions (Japan's consumption tax: one rate nationwide) is one
 * group, however many prefectures the page ships to. Other providers see the whole address.
 */
export function groupByTaxAddress(
  drafts: TaxDraft[],
  systemOnly: boolean,
  withProvinces: ReadonlySet<string> = new Set()
): TaxDraft[][] {
  const groups = new Map<string, TaxDraft[]>()
  for (const d of drafts) {
    const a = d.address
    if (!a?.country_code) continue
    const key = JSON.stringify(
      systemOnly
        ? withProvinces.has(a.country_code.toLowerCase())
          ? [a.country_code, a.province ?? null]
          : [a.country_code]
        : [
            a.country_code,
            a.province ?? null,
            a.city ?? null,
            a.postal_code ?? null,
            a.address_1 ?? null,
          ]
    )
    groups.set(key, [...(groups.get(key) ?? []), d])
  }
  return [...groups.values()]
}

function taxContext(
  address: Address,
  customer: TaxCustomer
): TaxCalculationContext {
  return {
    address: {
      country_code: address.country_code,
      province_code: address.province,
      address_1: address.address_1,
      address_2: undefined,
      city: address.city,
      postal_code: address.postal_code,
      metadata: undefined,
    },
    customer: customer
      ? {
          id: customer.id,
          email: customer.email,
          customer_groups: customer.groups,
          metadata: undefined,
        }
      : undefined,
    is_return: false,
  } as TaxCalculationContext
}

/** The taxable lines of a group: items (gift cards excluded) and shipping methods. */
function taxableLines(
  members: TaxDraft[]
): Array<TaxableItemDTO | TaxableShippingDTO> {
  const items: TaxableItemDTO[] = members.flatMap((d) =>
    d.order.items.flatMap((it, i) =>
      it.is_giftcard
        ? []
        : [
            {
              id: d.itemKeys[i],
              product_id: it.product_id as string,
              product_type_id: it.product_type_id ?? undefined,
              quantity: it.quantity,
              unit_price: it.unit_price,
              currency_code: d.order.currency_code,
            },
          ]
    )
  )
  const shipping: TaxableShippingDTO[] = members.flatMap((d) =>
    d.order.shipping_methods.map((sm, i) => ({
      id: `${d.shippingKey}_${i}`,
      shipping_option_id: sm.shipping_option_id as string,
      unit_price: sm.amount,
      currency_code: d.order.currency_code,
    }))
  )
  return [...items, ...shipping]
}

/** Tax lines by temporary line id, in the shape orderModule.createOrders stores. */
function byLine(
  lines: Array<ItemTaxLineDTO | ShippingTaxLineDTO>
): Map<string, TaxLineInput[]> {
  const out = new Map<string, TaxLineInput[]>()
  for (const line of lines) {
    const key =
      "line_item_id" in line ? line.line_item_id : line.shipping_line_id
    const row: TaxLineInput = {
      description: line.name,
      tax_rate_id: line.rate_id,
      code: line.code,
      rate: line.rate,
      provider_id: line.provider_id,
      data: line.data,
    }
    out.set(key, [...(out.get(key) ?? []), row])
  }
  return out
}

/**
 * Sets `tax_lines` on every item and shipping method of the drafts (in place).
 * @param customer the order's customer with its groups (tax context), or null
 */
export async function applyTaxLines(
  container: MedusaContainer,
  drafts: TaxDraft[],
  customer: TaxCustomer
): Promise<void> {
  const tax = container.resolve(Modules.TAX)
  const countries = [
    ...new Set(
      drafts
        .map((d) => d.address?.country_code?.toLowerCase())
        .filter((c): c is string => !!c)
    ),
  ]
  const taxRegions = countries.length
    ? await tax.listTaxRegions(
        { country_code: countries },
        { select: ["id", "provider_id", "country_code", "province_code"] }
      )
    : []
  const systemOnly = taxRegions.every(
    (r) => !r.provider_id || r.provider_id === SYSTEM_TAX_PROVIDER_ID
  )
  const withProvinces = new Set(
    taxRegions
      .filter((r) => !!r.province_code)
      .map((r) => r.country_code.toLowerCase())
  )
  for (const members of groupByTaxAddress(drafts, systemOnly, withProvinces)) {
    const lines = taxableLines(members)
    // Items and shipping lines in one call (the tax module tells them apart).
    const taxFor = lines.length
      ? byLine(
          await tax.getTaxLines(
            lines,
            taxContext(members[0].address as Address, customer)
          )
        )
      : new Map<string, TaxLineInput[]>()
    for (const d of members) {
      d.order.items.forEach(
        (it, i) => (it.tax_lines = taxFor.get(d.itemKeys[i]) ?? [])
      )
      d.order.shipping_methods.forEach(
        (sm, i) => (sm.tax_lines = taxFor.get(`${d.shippingKey}_${i}`) ?? [])
      )
    }
  }
}
