/**
 * Order widget → when the gift was bought and paid on LINE Gift (Japan time). Medusa's own
 * order date is the import time; these rows carry LINE Gift's `bought_on` / `payed_on`, as the
 * import stored them in the order's metadata (`line_gift.bought_at`, `line_gift.paid_at`).
 */
import { useTranslation } from "react-i18next"
import { InfoRow } from "../layout"
import { formatJst } from "../../lib/format"

export const LineGiftPurchaseTime = ({
  boughtAt,
  paidAt,
}: {
  /** ISO instant of the purchase on LINE Gift, or none. */
  boughtAt?: string | null
  /** ISO instant of the payment on LINE Gift, or none. */
  paidAt?: string | null
}) => {
  const { t, i18n } = useTranslation("line-gift")
  const lang = i18n.language
  return (
    <>
      <InfoRow
        label={t("purchaseTime.boughtAt")}
        value={formatJst(boughtAt, lang)}
        testId="line-gift-bought-at"
      />
      {paidAt && paidAt !== boughtAt ? (
        <InfoRow
          label={t("purchaseTime.paidAt")}
          value={formatJst(paidAt, lang)}
          testId="line-gift-paid-at"
        />
      ) : null}
    </>
  )
}
