/**
 * A Japan-time date-time field that reads the same in every browser: text "2026/12/01 09:30"
 * (not `<input type="datetime-local">`, whose display follows the browser's locale, e.g.
 * "11/30/2026, 07:52 AM", under a 日本時間 label). Empty means the field's default (placeholder,
 * short enough for the half-width field: the longer explanation goes in the hint below).
 */
import { ExclamationCircleSolid } from "@medusajs/icons"
import { Input, Label, Text } from "@medusajs/ui"
import type { ReactNode } from "react"

/**
 * A labelled Japan-time text field ("2026/12/01 09:30"); its placeholder is also its title.
 * `warning`: a note under the field (the value is allowed, but the merchant should know
 * something about it), described to screen readers with the field.
 */
export const JstDateTimeInput = ({
  id,
  label,
  value,
  onChange,
  placeholder,
  invalid,
  describedBy,
  warning,
}: {
  id: string
  label: string
  value: string
  onChange: (v: string) => void
  placeholder: string
  invalid?: boolean
  describedBy?: string
  warning?: ReactNode
}) => (
  <div className="flex min-w-0 flex-col gap-y-1">
    <Label size="xsmall" htmlFor={id} className="text-ui-fg-subtle">
      {label}
    </Label>
    <Input
      id={id}
      size="small"
      type="text"
      inputMode="numeric"
      autoComplete="off"
      className="w-full"
      value={value}
      placeholder={placeholder}
      title={placeholder}
      aria-invalid={invalid || undefined}
      aria-describedby={
        [describedBy, warning ? `${id}-warning` : undefined]
          .filter(Boolean)
          .join(" ") || undefined
      }
      onChange={(e) => onChange(e.target.value)}
    />
    {warning ? (
      <Text
        size="xsmall"
        id={`${id}-warning`}
        className="text-ui-fg-subtle flex items-start gap-x-1"
        data-testid={`${id}-warning`}
      >
        <ExclamationCircleSolid className="text-ui-tag-orange-icon mt-px shrink-0" />
        <span>{warning}</span>
      </Text>
    ) : null}
  </div>
)
