/**
 * Failure reasons for the merchant: the API gives each recorded reason a stable code
 * (`failure_code`, `errors[].code`, `reason_code`; server: src/lib/failure-reasons.ts); this maps
 * the code to a translated, merchant-readable sentence (i18n `adminTruth.reasons.<code>`), shown
 * with the technical text beside it. Unknown or missing codes fall back to `unknown`.
 */
import { useTranslation } from "react-i18next"
import { FAILURE_REASON_CODES } from "../../lib/failure-reasons"

/**
 * The codes the admin has texts for: the server's list itself (src/lib/failure-reasons.ts is
 * pure — no imports — so the admin bundle takes it as it is; the texts live in i18n).
 */
export const REASON_CODES = FAILURE_REASON_CODES
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
