/**
 * Failure reasons for the merchant: the API gives each recorded reason a stable code
 * (`failure_code`, `errors[].code`, `reason_code`; server: src/lib/failure-reasons.ts); this maps
 * the code to a translated, merchant-readable sentence (i18n `adminTruth.reasons.<code>`), shown
 * with the technical text beside it. Unknown or missing codes fall back to `unknown`.
 */
import { useTranslation } from "react-i18next"

/** The codes the admin has texts for (keep in step with src/lib/failure-reasons.ts). */
export const REASON_CODES = [
  "malformed_order",
  "bought_on_missing",
  "out_of_stock",
  "unknown_sku",
  "variant_unavailable",
  "no_region",
  "not_connected",
  "reauthorize",
  "line_gift_unreachable",
  "line_gift_rate_limited",
  "line_gift_error",
  "line_gift_conflict",
  "not_found_on_line_gift",
  "status_not_importable",
  "cancelled_after_fulfilment",
  "import_rolled_back",
  "concurrent_run",
  "unknown",
] as const
export type ReasonCode = (typeof REASON_CODES)[number]

/** The i18n key of a reason code (unknown codes → `unknown`). */
export function reasonKey(code: string | null | undefined): string {
  const known = (REASON_CODES as readonly string[]).includes(code ?? "")
    ? code
    : "unknown"
  return `adminTruth.reasons.${known}`
}

/** `(code, technical) → { text, detail }`: the translated sentence and the technical text. */
export function useReasonText() {
  const { t } = useTranslation("line-gift")
  return (
    code: string | null | undefined,
    technical: string | null | undefined
  ) => ({
    text: t(reasonKey(code)),
    detail: technical ?? "",
  })
}
