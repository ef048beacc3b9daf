/**
 * Why a shipment export is held or flagged, in the admin's language: each reason's `code`
 * picks a translated, merchant-readable text (`shipments.reasons.*`, filled from `params`);
 * the server's English message stays beside it as the technical detail. Used by the order
 * widget and the sync history's "Shipments needing attention".
 */
import { Text, Tooltip } from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import type { ExportReason, LineGiftExport } from "../../lib/types"

/** Translated text of one reason (falls back to the server's message for unknown codes). */
export const useExportReasonText = () => {
  const { t } = useTranslation("line-gift")
  return (r: ExportReason) => {
    const params: Record<string, string> = { ...(r.params ?? {}) }
    // The carrier's format in the admin's language (the server's English phrase otherwise).
    if (params.format)
      params.expected = t(`shipments.formats.${params.format}`, {
        defaultValue: params.expected ?? "",
      })
    return t(`shipments.reasons.${r.code}`, {
      ...params,
      defaultValue: r.message,
    })
  }
}

/**
 * The reasons of an export, one per line; without reasons, its `last_error` (e.g. a retry
 * message). Renders nothing when neither is set.
 */
export const ExportReasons = ({
  ex,
  className,
}: {
  ex: LineGiftExport
  className?: string
}) => {
  const text = useExportReasonText()
  const reasons = ex.reasons ?? []
  if (!reasons.length && !ex.last_error) return null
  const tone = ex.state === "failed" ? "text-ui-fg-error" : "text-ui-fg-subtle"
  return (
    <div
      className={`flex flex-col gap-y-1 ${className ?? ""}`}
      data-testid="line-gift-export-reasons"
    >
      {reasons.length ? (
        reasons.map((r, i) => (
          <Tooltip key={`${r.code}-${i}`} content={r.message}>
            <Text
              size="small"
              className={`${tone} break-words`}
              data-reason={r.code}
            >
              {text(r)}
            </Text>
          </Tooltip>
        ))
      ) : (
        <Text
          size="small"
          className={`${tone} break-words`}
          data-testid="line-gift-export-error"
        >
          {ex.last_error}
        </Text>
      )}
    </div>
  )
}
