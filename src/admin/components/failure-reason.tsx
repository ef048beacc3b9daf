/** A failure reason: the translated sentence, with the technical text under it (muted, monospace) when it adds information. */
import { Text } from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import { useReasonText } from "../lib/reasons"

export const FailureReason = ({
  code,
  reason,
}: {
  code?: string | null
  reason?: string | null
}) => {
  const { t } = useTranslation("line-gift")
  const describe = useReasonText()
  if (!reason && !code) return <>-</>
  const { text, detail } = describe(code, reason)
  return (
    <span
      className="flex flex-col gap-y-0.5 whitespace-normal break-words"
      data-reason-code={code ?? "unknown"}
    >
      <Text size="small" leading="compact" as="span">
        {text}
      </Text>
      {detail ? (
        <Text
          size="xsmall"
          leading="compact"
          as="span"
          className="text-ui-fg-muted font-mono"
          title={t("adminTruth.technicalDetail")}
        >
          {detail}
        </Text>
      ) : null}
    </span>
  )
}
