/**
 * Order widget section "Shipment info": the order's shipment export as LINE Gift sees it.
 * States never contradict each other: a `sent` export shows what LINE Gift accepted and when;
 * any other state shows what is to be sent and, apart, what LINE Gift has (if anything) with
 * "Accepted by LINE Gift" — never "Pending" beside "Sent". Held / failed reasons and the
 * cancelled-after-send flag are shown translated. Before anything is recorded on a gift whose
 * recipient has not entered the address, it warns that a shipment would be held.
 */
import { Alert, Button, Text, toast } from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import { ExportStateBadge } from "../badges"
import { InfoRow } from "../layout"
import { useLineGiftExports, usePushLineGiftExport } from "../../hooks/orders"
import { errorMessage } from "../../lib/errors"
import { formatJst } from "../../lib/format"
import { ExportReasons, useExportReasonText } from "./export-reasons"

/** LINE Gift statuses of a gift still waiting for the recipient's address. */
const AWAITING_ADDRESS = new Set([
  "cvs",
  "gift_message_wait",
  "gift_message_send",
])

export const ShipmentExportSection = ({
  orderId,
  lineGiftStatus,
  provisional,
}: {
  orderId: string
  lineGiftStatus?: string | null
  provisional?: boolean
}) => {
  const { t, i18n } = useTranslation("line-gift")
  const lang = i18n.language
  const exports = useLineGiftExports(orderId)
  const push = usePushLineGiftExport()
  const reasonText = useExportReasonText()
  const ex = exports.data?.exports?.[0]
  // Waiting for the recipient (LINE Gift status, or provisional with no status read yet), or
  // provisional while LINE Gift says ready to ship: the address it sent lacks a part.
  const awaiting =
    (!!lineGiftStatus && AWAITING_ADDRESS.has(lineGiftStatus)) ||
    (!!provisional && !lineGiftStatus)
  const incompleteAddress = !!provisional && !awaiting

  const pushAgain = (id: string) =>
    push.mutate(id, {
      onSuccess: ({ export: next }) => {
        const why = next.reasons?.length
          ? next.reasons.map(reasonText).join(" ")
          : (next.last_error ?? "")
        if (next.state === "sent") toast.success(t("order.export.pushed"))
        else if (next.state === "held")
          toast.warning(t("exportState.held"), { description: why })
        else toast.error(t("order.export.pushFailed"), { description: why })
      },
      onError: (e) =>
        toast.error(t("order.export.pushFailed"), {
          description: errorMessage(e),
        }),
    })

  const mono = (v: string | null | undefined) => (
    <span className="txt-compact-small font-mono">{v ?? "-"}</span>
  )

  return (
    <div className="flex flex-col" data-testid="line-gift-export-state">
      <div className="flex items-center justify-between px-6 py-3">
        <Text size="small" weight="plus">
          {t("order.export.title")}
        </Text>
        {ex ? (
          <ExportStateBadge
            state={ex.state}
            reasons={ex.reasons}
            sentFulfillmentCancelled={ex.sent_fulfillment_cancelled}
          />
        ) : null}
      </div>
      {exports.isError ? (
        <Text size="small" className="text-ui-fg-error px-6 pb-3">
          {errorMessage(exports.error)}
        </Text>
      ) : !ex ? (
        <div className="flex flex-col gap-y-2 px-6 pb-3">
          <Text size="small" className="text-ui-fg-subtle">
            {exports.isLoading ? t("common.loading") : t("order.export.none")}
          </Text>
          {(awaiting || incompleteAddress) && !exports.isLoading ? (
            <Alert
              variant="warning"
              data-testid="line-gift-provisional-warning"
            >
              {t(
                awaiting
                  ? "shipments.provisionalWarning"
                  : "shipments.incompleteAddressWarning"
              )}
            </Alert>
          ) : null}
        </div>
      ) : (
        <>
          {ex.sent_fulfillment_cancelled ? (
            <div className="px-6 pb-3">
              <Alert variant="warning" data-testid="line-gift-export-stale">
                <Text size="small" weight="plus">
                  {t("shipments.staleTitle")}
                </Text>
              </Alert>
            </div>
          ) : null}
          {ex.state === "sent" ? (
            <>
              <InfoRow
                label={t("order.export.tracking")}
                value={mono(ex.sent_tracking_number ?? ex.tracking_number)}
                testId="line-gift-tracking"
              />
              <InfoRow
                label={t("order.export.carrier")}
                value={ex.sent_carrier ?? ex.carrier ?? "-"}
              />
              {ex.sent_at ? (
                <InfoRow
                  label={t("shipments.acceptedAt")}
                  value={formatJst(ex.sent_at, lang)}
                />
              ) : null}
              {ex.ship_date ? (
                <InfoRow
                  label={t("order.export.shipDate")}
                  value={ex.ship_date.replace(/-/g, "/")}
                />
              ) : null}
            </>
          ) : (
            <>
              <InfoRow
                label={t("order.export.tracking")}
                value={mono(ex.tracking_number)}
                testId="line-gift-tracking"
              />
              <InfoRow
                label={t("order.export.carrier")}
                value={ex.carrier ?? "-"}
              />
              {ex.sent_at ? (
                <InfoRow
                  label={t("shipments.lineGiftHas")}
                  value={
                    <Text
                      size="small"
                      leading="compact"
                      data-testid="line-gift-export-accepted"
                    >
                      {mono(ex.sent_tracking_number)} {ex.sent_carrier ?? ""} ·{" "}
                      {t("shipments.acceptedAt")} {formatJst(ex.sent_at, lang)}
                    </Text>
                  }
                />
              ) : null}
            </>
          )}
          <InfoRow
            label={t("shipments.attempts")}
            value={String(ex.attempts ?? 0)}
          />
          <ExportReasons ex={ex} className="px-6 py-3" />
          <div className="flex justify-end px-6 py-3">
            <Button
              size="small"
              variant="secondary"
              isLoading={push.isPending}
              onClick={() => pushAgain(ex.id)}
              title={t("shipments.pushAgainHint")}
              data-testid="line-gift-push-again"
            >
              {t("order.export.pushAgain")}
            </Button>
          </div>
        </>
      )}
    </div>
  )
}
