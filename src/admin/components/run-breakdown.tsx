/**
 * Read-only notes of an import run from its `skipped_reasons` (issue 9 items 2, 4, 5) that are
 * not skipped orders: orders repeated across pages, orders imported with a flag (out of stock
 * with the SKU, no address, loose SKU match), why reading stopped early, failures not listed.
 * The skipped orders themselves (by status, window, imported earlier) are listed once, by
 * SkipReasons from the run's `skip_reasons`, which counts the same orders. Nothing when none.
 */
import { Badge, Text } from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import { toneColor, type StatusTone } from "../lib/status-colors"

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

/** The run's notes other than its skipped orders (see the file's comment); null when none. */
export const RunBreakdown = ({
  reasons,
}: {
  reasons?: RunSkippedReasons | null
}) => {
  const { t } = useTranslation("line-gift")
  if (!reasons) return null
  const lines: Array<{ key: string; text: string; tone?: StatusTone }> = []
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
      tone: "action",
    })
  }
  if (reasons.read_stopped)
    lines.push({ key: "stop", text: reasons.read_stopped, tone: "failed" })
  if (reasons.errors_omitted)
    lines.push({
      key: "om",
      text: t("dataQuality.run.errorsOmitted", {
        count: reasons.errors_omitted,
      }),
      tone: "failed",
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
              <Badge size="2xsmall" color={toneColor(l.tone)}>
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
