/**
 * A Japan-time date-time field that reads the same in every browser: text "2026/12/01 09:30"
 * (not `<input type="datetime-local">`, whose display follows the browser's locale, e.g.
 * "11/30/2026, 07:52 AM", under a 日本時間 label). Empty means the field's default (placeholder,
 * short enough for the half-width field: the longer explanation goes in the hint below).
 */
import { Input, Label } from "@medusajs/ui"

/** A labelled Japan-time text field ("2026/12/01 09:30"); its placeholder is also its title. */
export const JstDateTimeInput = ({
  id,
  label,
  value,
  onChange,
  placeholder,
  invalid,
  describedBy,
}: {
  id: string
  label: string
  value: string
  onChange: (v: string) => void
  placeholder: string
  invalid?: boolean
  describedBy?: string
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
      aria-describedby={describedBy}
      onChange={(e) => onChange(e.target.value)}
    />
  </div>
)
