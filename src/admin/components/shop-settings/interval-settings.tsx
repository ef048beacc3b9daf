/** Automatic fetch every N minutes: the interval and the window of hours (Japan time). */
import { Badge, Select, Text, clx } from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import { FETCH_INTERVAL_CHOICES } from "../../lib/types"
import { Field } from "../layout"
import { OptionalSelect } from "./inputs"
import type { SectionProps } from "./use-shop-form"

const HOURS = Array.from({ length: 24 }, (_, h) => h)

/** Shaded with an "inactive" badge while the mode is not "interval". */
export const IntervalSettings = ({ form, set, errors }: SectionProps) => {
  const { t } = useTranslation("line-gift")
  const intervalLabel = (m: number) =>
    m < 60
      ? t("autoFetch.minutes", { count: m })
      : t("autoFetch.hours", { count: m / 60 })
  const hourOptions = HOURS.map((h) => ({
    value: String(h),
    label: `${String(h).padStart(2, "0")}:00`,
  }))
  const mode = form.auto_fetch_mode

  return (
    <div
      className={clx(mode !== "interval" && "bg-ui-bg-subtle")}
      data-testid="interval-settings"
    >
      <Field
        label={
          <span className="flex items-center gap-x-2">
            {t("autoFetch.interval")}
            {mode !== "interval" ? (
              <Badge size="2xsmall">{t("autoFetch.inactive")}</Badge>
            ) : null}
          </span>
        }
        htmlFor="lg-interval"
        error={errors.fetch_interval_minutes}
        testId="fetch_interval_minutes"
      >
        <Select
          size="small"
          value={String(form.fetch_interval_minutes)}
          onValueChange={(v) => set("fetch_interval_minutes", Number(v))}
        >
          <Select.Trigger id="lg-interval" data-testid="interval-select">
            <Select.Value />
          </Select.Trigger>
          <Select.Content>
            {FETCH_INTERVAL_CHOICES.map((m) => (
              <Select.Item key={m} value={String(m)}>
                {intervalLabel(m)}
              </Select.Item>
            ))}
          </Select.Content>
        </Select>
      </Field>
      <Field
        label={t("autoFetch.window")}
        hint={t("autoFetch.windowHint")}
        error={errors.fetch_window_start_hour ?? errors.fetch_window_end_hour}
        testId="fetch_window"
      >
        <div className="flex items-center gap-x-2">
          <div className="flex-1">
            <OptionalSelect
              value={form.fetch_window_start_hour || null}
              onChange={(v) => set("fetch_window_start_hour", v ?? "")}
              options={hourOptions}
              placeholder={t("autoFetch.anyTime")}
              noneLabel={t("autoFetch.anyTime")}
              ariaLabel={`${t("autoFetch.window")}: ${t("adminTruth.form.windowStart")}`}
              testId="window-start"
            />
          </div>
          <Text size="small" className="text-ui-fg-subtle">
            –
          </Text>
          <div className="flex-1">
            <OptionalSelect
              value={form.fetch_window_end_hour || null}
              onChange={(v) => set("fetch_window_end_hour", v ?? "")}
              options={hourOptions}
              placeholder={t("autoFetch.anyTime")}
              noneLabel={t("autoFetch.anyTime")}
              ariaLabel={`${t("autoFetch.window")}: ${t("adminTruth.form.windowEnd")}`}
              testId="window-end"
            />
          </div>
        </div>
      </Field>
    </div>
  )
}
