/**
 * A fulfilment was cancelled: if the order came from LINE Gift, re-plan its shipment export.
 * When LINE Gift already shows that fulfilment's tracking number, the export is flagged
 * (`sent_fulfillment_cancelled`, reason `sent_fulfillment_cancelled`) until a new fulfilment
 * corrects it; nothing is sent (LINE Gift has no "un-ship"). Other orders cost one lookup.
 */
import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { OrderWorkflowEvents } from "@medusajs/framework/utils"
import { handleLineGiftFulfillmentEvent } from "../workflows/export/run-export"
import { safeErrorMessage } from "../lib/safe-error"

/** Handles `order.fulfillment_canceled`: logs (never throws) when the export could not run. */
export default async function lineGiftFulfillmentCanceled({
  event: { data },
  container,
}: SubscriberArgs<{
  order_id: string
  fulfillment_id: string
  no_notification?: boolean
}>) {
  try {
    await handleLineGiftFulfillmentEvent(container, {
      order_id: data.order_id,
      fulfillment_id: data.fulfillment_id,
    })
  } catch (e) {
    container
      .resolve("logger")
      .warn(
        `LINE Gift export on cancelled fulfilment ${data.fulfillment_id}: ${safeErrorMessage(e)}`
      )
  }
}

/** The event and subscriber id. */
export const config: SubscriberConfig = {
  event: OrderWorkflowEvents.FULFILLMENT_CANCELED,
  context: { subscriberId: "line-gift-export-on-fulfillment-canceled" },
}
