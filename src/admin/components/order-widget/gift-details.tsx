/**
 * Order widget section "data quality" (issue 9 items 5–7, issue 16 item 4): when LINE Gift
 * last reported the order's status, the gift details merchants need (hand delivery and its
 * deadline, pre-order ship date), every top-level field the plugin does not know (a requested
 * delivery date, のし, wrapping, a message…), and what a flag means for this order (the SKU
 * out of stock, the SKU matched loosely).
 */
import { Text } from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import { InfoRow } from "../layout"
import { formatJst } from "../../lib/format"

/** The parts of order metadata `line_gift` this section reads (see src/lib/mapping.ts). */
export type GiftDetailsMetadata = {
  gift?: {
    is_delivery_by_hand?: boolean
    delivery_by_hand_deadline?: string
    pre_order_delivery_start?: string
    extra?: Record<string, unknown>
  }
  out_of_stock?: { sku: string | null; quantity: number }
  sku_loose_match?: { code: string | null; variant_sku: string | null }
}

/** A value of an unknown field as text (objects as JSON). */
const show = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v))

/** A date given as ISO date-time → Japan time; other text as sent. */
const dateOrText = (v: string, lang: string) =>
  /^\d{4}-\d{2}-\d{2}T/.test(v) ? formatJst(v, lang) : v

export const GiftDetails = ({
  meta,
  statusReadAt,
}: {
  meta: GiftDetailsMetadata
  statusReadAt?: string | null
}) => {
  const { t, i18n } = useTranslation("line-gift")
  const lang = i18n.language
  const gift = meta.gift ?? {}
  const extra = Object.entries(gift.extra ?? {})
  return (
    <div className="flex flex-col" data-testid="line-gift-data-quality">
      {statusReadAt ? (
        <InfoRow
          label={t("dataQuality.statusReadAt")}
          value={formatJst(statusReadAt, lang)}
          testId="line-gift-status-read-at"
        />
      ) : null}
      {gift.is_delivery_by_hand !== undefined ? (
        <InfoRow
          label={t("dataQuality.deliveryByHand")}
          value={
            gift.is_delivery_by_hand
              ? t("dataQuality.yes")
              : t("dataQuality.no")
          }
        />
      ) : null}
      {gift.delivery_by_hand_deadline ? (
        <InfoRow
          label={t("dataQuality.deliveryByHandDeadline")}
          value={dateOrText(gift.delivery_by_hand_deadline, lang)}
        />
      ) : null}
      {gift.pre_order_delivery_start ? (
        <InfoRow
          label={t("dataQuality.preOrderDeliveryStart")}
          value={dateOrText(gift.pre_order_delivery_start, lang)}
        />
      ) : null}
      {meta.out_of_stock ? (
        <InfoRow
          label={t("dataQuality.outOfStock")}
          value={t("dataQuality.outOfStockValue", {
            sku: meta.out_of_stock.sku ?? "-",
            quantity: meta.out_of_stock.quantity,
          })}
          testId="line-gift-out-of-stock"
        />
      ) : null}
      {meta.sku_loose_match ? (
        <InfoRow
          label={t("dataQuality.looseMatch")}
          value={`"${meta.sku_loose_match.code ?? ""}" → ${meta.sku_loose_match.variant_sku ?? "-"}`}
        />
      ) : null}
      {extra.length ? (
        <div
          className="flex flex-col gap-y-1 px-6 py-3"
          data-testid="line-gift-unknown-fields"
        >
          <Text size="small" weight="plus">
            {t("dataQuality.unknownFields")}
          </Text>
          <Text size="xsmall" className="text-ui-fg-subtle">
            {t("dataQuality.unknownFieldsHint")}
          </Text>
          <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
            {extra.map(([k, v]) => (
              <div key={k} className="contents">
                <dt className="txt-compact-small font-mono text-ui-fg-subtle">
                  {k}
                </dt>
                <dd className="txt-compact-small break-words">{show(v)}</dd>
              </div>
            ))}
          </dl>
        </div>
      ) : null}
    </div>
  )
}
