/**
 * Retries one failed LINE Gift order record from its stored payload (the admin's "retry"):
 * validates it again and runs importLineGiftOrderWorkflow; a new failure is recorded with its
 * reason. Uses the stored payload, so it works while LINE Gift is unreachable; the next import
 * run refreshes the payload anyway.
 */
import type { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import { parseLineGiftOrder } from "../../lib/line-gift"
import { LINE_GIFT_MODULE } from "../../modules/line-gift"
import type LineGiftModuleService from "../../modules/line-gift/service"
import { importLineGiftOrderWorkflow } from "../import/workflows/import-line-gift-order"
import { ensureLineGiftShopCustomer } from "../customers/line-gift-shop-customer"
import { ALREADY_CLAIMED } from "../import/steps/claim-line-gift-order"

/**
 * @returns the record after the attempt (state `imported` or `failed` with `failure_reason`).
 * @throws MedusaError NOT_FOUND (unknown record), NOT_ALLOWED (record not failed, shop has no region).
 */
export async function retryLineGiftOrderRecord(
  container: MedusaContainer,
  recordId: string
): Promise<Record<string, unknown>> {
  const service: LineGiftModuleService = container.resolve(LINE_GIFT_MODULE)
  const record = (await service.retrieveLineGiftOrder(recordId)) as any
  if (record.state !== "failed") {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `Only failed LINE Gift orders can be retried; ${record.line_gift_order_id} is ${record.state}.`
    )
  }
  const shop = (await service.retrieveLineGiftShop(record.shop_id)) as any
  if (!shop.region_id) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `LINE Gift shop "${shop.name}": choose the Medusa region its orders go to.`
    )
  }
  const fail = (reason: string) =>
    service.recordUnimportable({
      shop_id: shop.id,
      line_gift_order_id: record.line_gift_order_id,
      line_gift_status: record.line_gift_status,
      raw: record.raw,
      reason,
      run_id: record.last_run_id,
    })

  const parsed = parseLineGiftOrder(record.raw)
  if (!parsed.ok) {
    await fail(`malformed order: ${parsed.reason}`)
  } else {
    try {
      await importLineGiftOrderWorkflow(container).run({
        input: {
          shop_id: shop.id,
          run_id: record.last_run_id ?? null,
          order: parsed.order,
          raw: record.raw,
          region_id: shop.region_id,
          sales_channel_id: shop.sales_channel_id ?? null,
          shipping_option_id: shop.shipping_option_id ?? null,
          email: await ensureLineGiftShopCustomer(container, shop),
        },
      })
    } catch (e) {
      const message = (e as Error)?.message ?? String(e)
      if (!message.includes(ALREADY_CLAIMED)) {
        await fail(message)
      }
    }
  }
  const after = (await service.retrieveLineGiftOrder(recordId)) as any
  const { raw: _raw, ...withoutPayload } = after
  return withoutPayload
}
