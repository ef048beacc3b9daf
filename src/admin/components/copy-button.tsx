/**
 * A copy-to-clipboard button like @medusajs/ui's Copy (same icons, same tooltip behaviour),
 * but in the admin's language: Copy's tooltip ("Copy" / "Copied") and its aria-label ("Copy
 * code snippet") are fixed English strings that no prop replaces (ui 4.2.6).
 */
import { CheckCircleSolid, SquareTwoStack } from "@medusajs/icons"
import { Tooltip, clx } from "@medusajs/ui"
import { useEffect, useState } from "react"
import { useTranslation } from "react-i18next"

/** How long the "copied" tick and tooltip stay, ms (as @medusajs/ui's Copy). */
const COPIED_MS = 2000

/**
 * Puts `text` on the clipboard: the Clipboard API where the page may use it (HTTPS,
 * localhost), else a selected hidden textarea and `document.execCommand("copy")`.
 * @returns whether the text was copied
 */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text)
      return true
    }
  } catch {
    // Refused (no permission, not a secure context): try the older way below.
  }
  const area = document.createElement("textarea")
  area.value = text
  area.setAttribute("readonly", "")
  area.style.position = "fixed"
  area.style.opacity = "0"
  document.body.appendChild(area)
  area.select()
  try {
    return document.execCommand("copy")
  } catch {
    return false
  } finally {
    area.remove()
  }
}

/**
 * Copies `content` on click; the tooltip says "Copy" / "Copied" (コピー / コピーしました).
 * `label`: what a screen reader hears (default: the tooltip's "Copy").
 */
export const CopyButton = ({
  content,
  label,
  className,
  testId,
}: {
  content: string
  label?: string
  className?: string
  testId?: string
}) => {
  const { t } = useTranslation("line-gift")
  const [copied, setCopied] = useState(false)
  const [open, setOpen] = useState(false)

  useEffect(() => {
    if (!copied) return
    const timer = setTimeout(() => setCopied(false), COPIED_MS)
    return () => clearTimeout(timer)
  }, [copied])

  return (
    <Tooltip
      content={copied ? t("common.copied") : t("common.copy")}
      open={copied || open}
      onOpenChange={setOpen}
    >
      <button
        type="button"
        aria-label={label ?? t("common.copy")}
        className={clx("h-fit w-fit", className)}
        data-testid={testId}
        data-copied={copied || undefined}
        onClick={(e) => {
          e.stopPropagation()
          void copyText(content).then(setCopied)
        }}
      >
        {copied ? (
          <CheckCircleSolid className="text-ui-fg-subtle" />
        ) : (
          <SquareTwoStack className="text-ui-fg-subtle" />
        )}
      </button>
    </Tooltip>
  )
}
