/**
 * Read-only breakdown of an import run's `skipped_reasons` (issue 9 items 2, 4, 5): orders
 * skipped by status (per code; codes LINE Gift added later and fetched statuses that are never
 * imported — cvs, received, cancel — named apart), by window, imported
 * earlier, repeated across pages; orders imported with a flag (out of stock with the SKU, no
 * address, loose SKU match); why reading stopped early. Nothing when the run has none.
 */
import { Badge, Text } from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import { useStatusLabel } from "./badges"

/** The `skipped_reasons` column of a sync run (src/workflows/import/run-summary.ts). */
export type RunSkippedReasons = {
  status?: Record<string, number>
  unknown_status?: Record<string, number>
  /** Statuses among the run's that are never imported (cvs, received, cancel): code → count. */
  not_importable?: Record<string, number>
  window?: number
  imported_earlier?: number
  repeated?: number
  flagged?: Record<
    string,
    {
      count: number
      orders: Array<{ line_gift_order_id: string; sku?: string | null }>
    }
  >
  read_stopped?: string | null
  errors_omitted?: number
}

export const RunBreakdown = ({
  reasons,
}: {
  reasons?: RunSkippedReasons | null
}) => {
  const { t } = useTranslation("line-gift")
  const statusLabel = useStatusLabel()
  if (!reasons) return null
  const lines: Array<{ key: string; text: string; tone?: "orange" | "red" }> =
    []
  for (const [code, n] of Object.entries(reasons.status ?? {})) {
    lines.push({
      key: `s-${code}`,
      text: t("dataQuality.run.byStatus", {
        status: statusLabel(code),
        count: n,
      }),
    })
  }
  for (const [code, n] of Object.entries(reasons.not_importable ?? {})) {
    lines.push({
      key: `n-${code}`,
      text: t("dataQuality.run.notImportable", {
        status: statusLabel(code),
        count: n,
      }),
      tone: "orange",
    })
  }
  for (const [code, n] of Object.entries(reasons.unknown_status ?? {})) {
    lines.push({
      key: `u-${code}`,
      text: t("dataQuality.run.unknownStatus", { status: code, count: n }),
      tone: "orange",
    })
  }
  if (reasons.window)
    lines.push({
      key: "w",
      text: t("dataQuality.run.window", { count: reasons.window }),
    })
  if (reasons.imported_earlier)
    lines.push({
      key: "e",
      text: t("dataQuality.run.importedEarlier", {
        count: reasons.imported_earlier,
      }),
    })
  if (reasons.repeated)
    lines.push({
      key: "r",
      text: t("dataQuality.run.repeated", { count: reasons.repeated }),
    })
  for (const [flag, { count, orders }] of Object.entries(
    reasons.flagged ?? {}
  )) {
    const ids = orders
      .map((o) =>
        o.sku ? `${o.line_gift_order_id} (${o.sku})` : o.line_gift_order_id
      )
      .join(", ")
    lines.push({
      key: `f-${flag}`,
      text: `${t(`dataQuality.run.flagged.${flag}`, { count, defaultValue: `${flag}: ${count}` })}${ids ? ` — ${ids}` : ""}`,
      tone: "orange",
    })
  }
  if (reasons.read_stopped)
    lines.push({ key: "stop", text: reasons.read_stopped, tone: "red" })
  if (reasons.errors_omitted)
    lines.push({
      key: "om",
      text: t("dataQuality.run.errorsOmitted", {
        count: reasons.errors_omitted,
      }),
      tone: "red",
    })
  if (!lines.length) return null
  return (
    <div className="px-6 py-4" data-testid="run-breakdown">
      <Text size="small" weight="plus" className="mb-2">
        {t("dataQuality.run.title")}
      </Text>
      <ul className="flex flex-col gap-y-1">
        {lines.map((l) => (
          <li key={l.key} className="flex items-start gap-x-2">
            {l.tone ? (
              <Badge size="2xsmall" color={l.tone}>
                !
              </Badge>
            ) : null}
            <Text size="small" className="break-words">
              {l.text}
            </Text>
          </li>
        ))}
      </ul>
    </div>
  )
}
