/**
 * What a retry tells the merchant (toast): imported or failed again, the translated reason with
 * its technical text, and whether LINE Gift was read anew or the stored copy was re-used (and
 * how to fetch anew then).
 */
import { toast } from "@medusajs/ui"
import type { RetryResult } from "../hooks/orders"
import { errorMessage } from "../lib/errors"
import { reasonKey } from "../lib/reasons"

/** `t` of useTranslation("line-gift"). */
type TFunction = (key: string, options?: Record<string, unknown>) => string

/** The sentence about where the retried copy came from. */
export function retrySourceText(
  t: TFunction,
  result: Pick<RetryResult, "source" | "source_note">
): string {
  if (result.source === "line_gift") return t("adminTruth.retry.freshCopy")
  return result.source_note === "unreachable"
    ? t("adminTruth.retry.storedUnreachable")
    : t("adminTruth.retry.storedNotFound")
}

/** Shows the outcome of a retry of LINE Gift order `lineGiftOrderId` as a toast. */
export function announceRetry(
  t: TFunction,
  lineGiftOrderId: string,
  result: RetryResult
): void {
  if (result.outcome === "imported") {
    const key = result.source === "line_gift" ? "imported" : "importedStored"
    toast.success(t(`adminTruth.retry.${key}`, { id: lineGiftOrderId }), {
      description:
        result.source === "stored" ? retrySourceText(t, result) : undefined,
    })
    return
  }
  toast.error(t("adminTruth.retry.failedAgain", { id: lineGiftOrderId }), {
    description: [
      t(`${reasonKey(result.reason_code)}`),
      result.reason ?? "",
      retrySourceText(t, result),
    ]
      .filter(Boolean)
      .join("\n"),
    duration: 15000,
  })
}

/** A retry that could not be attempted at all (not failed, unknown record, network). */
export function announceRetryError(t: TFunction, err: unknown): void {
  toast.error(t("history.records.retryFailed"), {
    description: errorMessage(err),
  })
}
