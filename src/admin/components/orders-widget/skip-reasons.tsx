/**
 * Why a run skipped orders, one line per reason (e.g. "3 bought after the window's end"), so
 * no skipped order goes without a reason the merchant can read. The one list of skipped orders:
 * the import panel and the run drawer both show it. A status code LINE Gift added later (not
 * one of LINE_GIFT_STATUSES) is named as new to the plugin.
 */
import { Text } from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import { useStatusLabel } from "../badges"
import { LINE_GIFT_STATUSES } from "../../lib/types"

/** Display order of the reasons; `status:<code>` and `not_importable:<code>` lines come after these. */
const ORDER = ["after_window", "before_window", "already_imported"]

/** The skipped orders of a run, one line per `skip_reasons` entry; null when none. */
export const SkipReasons = ({
  reasons,
}: {
  reasons: Record<string, number> | null | undefined
}) => {
  const { t } = useTranslation("line-gift")
  const statusLabel = useStatusLabel()
  const entries = Object.entries(reasons ?? {}).filter(([, n]) => n > 0)
  if (!entries.length) return null
  entries.sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
  return (
    <div
      className="flex flex-col gap-y-0.5"
      data-testid="line-gift-skip-reasons"
    >
      <Text size="xsmall" weight="plus" className="text-ui-fg-subtle">
        {t("adminTruth.skips.title")}
      </Text>
      <ul className="flex flex-col gap-y-0.5">
        {entries.map(([reason, count]) => (
          <li key={reason} data-skip-reason={reason}>
            <Text size="xsmall" className="text-ui-fg-subtle">
              {reason.startsWith("status:")
                ? isKnownStatus(reason.slice("status:".length))
                  ? t("adminTruth.skips.status", {
                      count,
                      status: statusLabel(reason.slice("status:".length)),
                    })
                  : t("adminTruth.skips.unknown_status", {
                      count,
                      status: reason.slice("status:".length),
                    })
                : reason.startsWith("not_importable:")
                  ? t("adminTruth.skips.not_importable", {
                      count,
                      status: statusLabel(
                        reason.slice("not_importable:".length)
                      ),
                    })
                  : t(`adminTruth.skips.${reason}`, {
                      count,
                      defaultValue: `${reason}: ${count}`,
                    })}
            </Text>
          </li>
        ))}
      </ul>
    </div>
  )
}

function rank(reason: string): number {
  const i = ORDER.indexOf(reason)
  return i === -1 ? ORDER.length : i
}

/** Whether `code` is a LINE Gift status the plugin knows (else LINE Gift added it later). */
function isKnownStatus(code: string): boolean {
  return (LINE_GIFT_STATUSES as readonly string[]).includes(code)
}
