/** The connection state of a shop: honest after LINE Gift rejected its refresh token. */
import { StatusBadge } from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import { daysUntil } from "../lib/format"
import type { LineGiftShop } from "../lib/types"

/** "Needs re-authorisation" / "Connected until …" / "Renew soon" / "Not connected". */
export const ConnectionBadge = ({ shop }: { shop: LineGiftShop }) => {
  const { t } = useTranslation("line-gift")
  if (shop.connection_state === "needs_reauthorization") {
    return (
      <StatusBadge color="red" data-testid="connection-needs-reauth">
        {t("connection.needsReauthorization")}
      </StatusBadge>
    )
  }
  if (!shop.refresh_token_set)
    return <StatusBadge color="grey">{t("shops.notConnected")}</StatusBadge>
  const days = daysUntil(shop.refresh_token_expires_at)
  if (days !== null && days < 0)
    return <StatusBadge color="red">{t("shops.expired")}</StatusBadge>
  if (days !== null && days <= 14)
    return (
      <StatusBadge color="orange">{t("shops.renewSoon", { days })}</StatusBadge>
    )
  return <StatusBadge color="green">{t("shops.connected")}</StatusBadge>
}
