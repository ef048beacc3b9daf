/**
 * Failure reasons for the merchant: the API gives each recorded reason a stable code
 * (`failure_code`, `errors[].code`, `reason_code`; server: src/lib/failure-reasons.ts); this maps
 * the code to a translated, merchant-readable sentence (i18n `adminTruth.reasons.<code>`), shown
 * with the technical text under it when that adds information (reasonDetail). Unknown or
 * missing codes fall back to `unknown`.
 */
import { useTranslation } from "react-i18next"
import {
  ATTENTION_REASON_CODES,
  FAILURE_REASON_CODES,
} from "../../lib/failure-reasons"

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

/**
 * Codes whose recorded text is always the same fixed sentence: the import's attention notes
 * (ATTENTION_REASON_CODES, written as constants by src/workflows/import/run/update-known.ts).
 * Their translated text says all of it; the technical text would only repeat it.
 */
const FIXED_TEXT_CODES: ReadonlySet<string> = ATTENTION_REASON_CODES

/** Letters and digits only, lower case: "Out of stock." and "out of stock" compare equal. */
const words = (s: string) =>
  s
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "")

/**
 * The technical text worth showing under a reason's translated sentence, or "" when it adds
 * nothing: none recorded, a fixed sentence (FIXED_TEXT_CODES), or the same words as `text`.
 * Otherwise the recorded text as it is (it names the field, value or HTTP status).
 */
export function reasonDetail(
  code: string | null | undefined,
  technical: string | null | undefined,
  text: string
): string {
  const detail = (technical ?? "").trim()
  if (!detail || FIXED_TEXT_CODES.has(code ?? "")) return ""
  return words(detail) === words(text) ? "" : detail
}

/**
 * `(code, technical) → { text, detail }`: the translated sentence and the technical text when
 * it adds information (reasonDetail; "" otherwise).
 */
export function useReasonText() {
  const { t } = useTranslation("line-gift")
  return (
    code: string | null | undefined,
    technical: string | null | undefined
  ) => {
    const text = t(reasonKey(code))
    return { text, detail: reasonDetail(code, technical, text) }
  }
}
