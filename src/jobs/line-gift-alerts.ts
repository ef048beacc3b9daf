import type { MedusaContainer } from "@medusajs/framework/types"
import { evaluateLineGiftAlerts } from "../workflows/notifications/alerts"

/**
 * Admin notifications (feed): token expiring/rejected, 3 failed automatic imports in a row,
 * shipment pushes held/failed over 6 hours. One per condition and shop until it clears.
 */
export default async function lineGiftAlertsJob(container: MedusaContainer) {
  await evaluateLineGiftAlerts(container)
}

export const config = {
  name: "line-gift-alerts",
  schedule: "*/10 * * * *",
}
