/**
 * A fulfilment was created: if the order came from LINE Gift, record its shipment export and,
 * with auto export on, push it (scope "fulfilled": as soon as it carries a tracking number).
 * Other orders cost one lookup.
 */
import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { OrderWorkflowEvents } from "@medusajs/framework/utils"
import { handleLineGiftFulfillmentEvent } from "../workflows/export/run-export"
import { safeErrorMessage } from "../lib/safe-error"

/** Handles `order.fulfillment_created`: logs (never throws) when the export could not run. */
export default async function lineGiftFulfillmentCreated({
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
        `LINE Gift export on fulfilment ${data.fulfillment_id}: ${safeErrorMessage(e)}`
      )
  }
}

/** The event and subscriber id. */
export const config: SubscriberConfig = {
  event: OrderWorkflowEvents.FULFILLMENT_CREATED,
  context: { subscriberId: "line-gift-export-on-fulfillment-created" },
}
