/**
 * A fulfilment was marked shipped (labels given now replace earlier ones): if the order came
 * from LINE Gift, record its shipment export and, with auto export on, push it (scope
 * "shipped": only now). Other orders cost one lookup.
 */
import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { FulfillmentWorkflowEvents } from "@medusajs/framework/utils"
import { handleLineGiftFulfillmentEvent } from "../workflows/export/run-export"
import { safeErrorMessage } from "../lib/safe-error"

/** Handles `shipment.created`: logs (never throws) when the export could not run. */
export default async function lineGiftShipmentCreated({
  event: { data },
  container,
}: SubscriberArgs<{ id: string; no_notification?: boolean }>) {
  try {
    await handleLineGiftFulfillmentEvent(container, { fulfillment_id: data.id })
  } catch (e) {
    container
      .resolve("logger")
      .warn(
        `LINE Gift export on shipment of fulfilment ${data.id}: ${safeErrorMessage(e)}`
      )
  }
}

/** The event and subscriber id. */
export const config: SubscriberConfig = {
  event: FulfillmentWorkflowEvents.SHIPMENT_CREATED,
  context: { subscriberId: "line-gift-export-on-shipment-created" },
}
