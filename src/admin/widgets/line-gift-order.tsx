/**
 * Order details → LINE Gift (side column), on orders imported from LINE Gift only: the LINE
 * Gift order id, its current status, buyer and sender, deadlines, flags (unknown SKU,
 * provisional), and the shipment export with its last error and Push again.
 */
import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { DetailWidgetProps, HttpTypes } from "@medusajs/framework/types"
import { Badge, Container, Heading, Tooltip } from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import { useStatusLabel } from "../components/badges"
import { InfoRow } from "../components/layout"
import { ShipmentExportSection } from "../components/order-widget/shipment-export"
import { useOrderLineGiftRecord } from "../hooks/orders"
import { formatJst } from "../lib/format"
import {
  TONE_COLORS,
  lineGiftStatusTone,
  toneColor,
} from "../lib/status-colors"
import { LineGiftPurchaseTime } from "../components/order-widget/purchase-time"
import type { LineGiftOrderMetadata } from "../lib/types"
import { OrderShopConnection } from "../components/order-widget/connection"
import { FailureReason } from "../components/failure-reason"
import { classifyFailureReason } from "../../lib/failure-reasons"
import {
  GiftDetails,
  type GiftDetailsMetadata,
} from "../components/order-widget/gift-details"

const DEADLINES = [
  "payment_deadline",
  "delivery_deadline",
  "receive_deadline",
] as const

const LineGiftOrderWidget = ({
  data: order,
}: DetailWidgetProps<HttpTypes.AdminOrder>) => {
  const meta = (
    order?.metadata as { line_gift?: LineGiftOrderMetadata } | null | undefined
  )?.line_gift
  if (!order || !meta) return null
  return <LineGiftOrderDetails orderId={order.id} meta={meta} />
}

const LineGiftOrderDetails = ({
  orderId,
  meta,
}: {
  orderId: string
  meta: LineGiftOrderMetadata
}) => {
  const { t, i18n } = useTranslation("line-gift")
  const lang = i18n.language
  const statusLabel = useStatusLabel()
  const record = useOrderLineGiftRecord(orderId)
  const rec = record.data ?? null
  const status = rec?.line_gift_status ?? meta.status
  const flags = Array.from(
    new Set([
      ...(rec?.flags ?? meta.flags ?? []),
      ...(rec?.provisional ? ["provisional"] : []),
    ])
  )
  const deadlines = DEADLINES.map(
    (k) =>
      [
        k,
        meta.deadlines?.[k.replace("_deadline", "")] ?? meta[k] ?? null,
      ] as const
  )

  return (
    <Container className="divide-y p-0" data-testid="line-gift-order-widget">
      <div className="flex items-center justify-between px-6 py-4">
        <Heading level="h2">{t("menu.label")}</Heading>
        <Badge
          size="2xsmall"
          color={toneColor(lineGiftStatusTone(status))}
          data-testid="line-gift-status"
        >
          {statusLabel(status)}
        </Badge>
      </div>
      <InfoRow
        label={t("order.lineGiftOrderId")}
        value={
          <span className="txt-compact-small font-mono">
            {meta.order_id ?? rec?.line_gift_order_id ?? "-"}
          </span>
        }
        testId="line-gift-order-id"
      />
      <LineGiftPurchaseTime boughtAt={meta.bought_at} paidAt={meta.paid_at} />
      <InfoRow label={t("order.buyer")} value={meta.buyer_name || "-"} />
      <InfoRow label={t("order.sender")} value={meta.sender_name || "-"} />
      {deadlines
        .filter(([, v]) => v)
        .map(([k, v]) => (
          <InfoRow
            key={k}
            label={t(`order.deadlines.${k}`)}
            value={formatJst(v, lang)}
          />
        ))}
      {flags.length || rec?.attention_reason ? (
        <div className="flex flex-col gap-y-2 px-6 py-3">
          <div className="flex flex-wrap gap-1">
            {flags.map((f) => (
              <Tooltip
                key={f}
                content={t(
                  `order.flagHints.${f}`,
                  t(`dataQuality.flagHints.${f}`, "")
                )}
              >
                <Badge size="2xsmall" color={TONE_COLORS.action} data-flag={f}>
                  {t(`order.flags.${f}`, t(`dataQuality.flags.${f}`, f))}
                </Badge>
              </Tooltip>
            ))}
          </div>
          {rec?.attention_reason ? (
            <div className="text-ui-fg-error">
              <FailureReason
                code={classifyFailureReason(rec.attention_reason)}
                reason={rec.attention_reason}
              />
            </div>
          ) : null}
        </div>
      ) : null}
      <OrderShopConnection shopId={meta.shop_id ?? rec?.shop_id} />
      <GiftDetails
        meta={meta as GiftDetailsMetadata}
        statusReadAt={rec?.status_read_at ?? null}
      />
      <ShipmentExportSection
        orderId={orderId}
        lineGiftStatus={status}
        provisional={!!rec?.provisional}
      />
    </Container>
  )
}

export const config = defineWidgetConfig({
  zone: "order.details.side",
  id: "line-gift:order",
})

export default LineGiftOrderWidget
