/** Inputs the settings sections share: a Select with a "none" entry, the carrier picker. */
import { Input, Select } from "@medusajs/ui"
import { useTranslation } from "react-i18next"

const NONE = "__none"

/** A Select over `options` with a "none" entry; value null = none. */
export const OptionalSelect = ({
  id,
  value,
  onChange,
  options,
  placeholder,
  noneLabel,
  allowNone = true,
  ariaLabel,
  testId,
}: {
  id?: string
  value: string | null
  onChange: (v: string | null) => void
  options: { value: string; label: string }[]
  placeholder: string
  noneLabel: string
  /** false: no "none" entry (the placeholder is not a choice); value null shows the placeholder. */
  allowNone?: boolean
  /** Accessible name when no <label> points at the trigger. */
  ariaLabel?: string
  testId?: string
}) => (
  <Select
    size="small"
    value={value ?? (allowNone ? NONE : "")}
    onValueChange={(v) => onChange(v === NONE ? null : v)}
  >
    <Select.Trigger id={id} data-testid={testId} aria-label={ariaLabel}>
      <Select.Value placeholder={placeholder} />
    </Select.Trigger>
    <Select.Content>
      {allowNone ? <Select.Item value={NONE}>{noneLabel}</Select.Item> : null}
      {options.map((o) => (
        <Select.Item key={o.value} value={o.value}>
          {o.label}
        </Select.Item>
      ))}
      {value && !options.some((o) => o.value === value) ? (
        <Select.Item value={value}>{value}</Select.Item>
      ) : null}
    </Select.Content>
  </Select>
)

/** Carrier picker: LINE Gift's list when the API gives one, free text otherwise. */
export const CarrierInput = ({
  carriers,
  value,
  onChange,
  ariaLabel,
  testId,
}: {
  carriers: string[]
  value: string
  onChange: (v: string) => void
  ariaLabel?: string
  testId?: string
}) => {
  const { t } = useTranslation("line-gift")
  return carriers.length ? (
    <Select size="small" value={value || undefined} onValueChange={onChange}>
      <Select.Trigger data-testid={testId} aria-label={ariaLabel}>
        <Select.Value placeholder={t("export.chooseCarrier")} />
      </Select.Trigger>
      <Select.Content>
        {carriers.map((c) => (
          <Select.Item key={c} value={c}>
            {c}
          </Select.Item>
        ))}
        {value && !carriers.includes(value) ? (
          <Select.Item value={value}>{value}</Select.Item>
        ) : null}
      </Select.Content>
    </Select>
  ) : (
    <Input
      size="small"
      value={value}
      placeholder={t("export.carrierPlaceholder")}
      aria-label={ariaLabel}
      onChange={(e) => onChange(e.target.value)}
      data-testid={testId}
    />
  )
}
