/**
 * Settings section "Automatic fetch": off, every N minutes (within an optional window of
 * hours) or on weekday schedules (Japan time); when the shop last fetched and fetches next.
 */
import { Container, Hint, Label, RadioGroup } from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import { formatJst } from "../../lib/format"
import type { AutoFetchMode, LineGiftShop } from "../../lib/types"
import { Field, InfoRow, SectionHeader } from "../layout"
import { IntervalSettings } from "./interval-settings"
import { ScheduleSettings } from "./schedule-settings"
import type { SectionProps } from "./use-shop-form"

export const AutoFetchSection = ({
  form,
  set,
  errors,
  shop,
}: SectionProps & { shop: LineGiftShop }) => {
  const { t, i18n } = useTranslation("line-gift")
  const lang = i18n.language
  const mode = form.auto_fetch_mode

  return (
    <Container className="divide-y p-0" data-testid="line-gift-auto-fetch">
      <SectionHeader
        title={t("sections.autoFetch")}
        description={t("sections.autoFetchDescription")}
      />
      <Field
        label={t("autoFetch.mode")}
        error={errors.auto_fetch_mode}
        testId="auto_fetch_mode"
      >
        <RadioGroup
          value={mode}
          onValueChange={(v) => set("auto_fetch_mode", v as AutoFetchMode)}
          className="gap-y-3"
        >
          {(["off", "interval", "schedule"] as const).map((m) => (
            <div key={m} className="flex items-start gap-x-2">
              <RadioGroup.Item
                value={m}
                id={`lg-mode-${m}`}
                className="mt-0.5"
              />
              <div className="flex flex-col">
                <Label size="small" weight="plus" htmlFor={`lg-mode-${m}`}>
                  {t(`autoFetch.modes.${m}`)}
                </Label>
                <Hint>{t(`autoFetch.modeHints.${m}`)}</Hint>
              </div>
            </div>
          ))}
        </RadioGroup>
      </Field>
      <IntervalSettings form={form} set={set} errors={errors} />
      <ScheduleSettings form={form} set={set} errors={errors} />
      <InfoRow
        label={t("autoFetch.lastFetched")}
        value={formatJst(shop.last_fetched_at, lang)}
        testId="last-fetched"
      />
      <InfoRow
        label={t("autoFetch.nextFetch")}
        value={
          shop.auto_fetch_mode === "off" || !shop.api_enabled
            ? t("autoFetch.noNextFetch")
            : formatJst(shop.next_fetch_at, lang)
        }
        testId="next-fetch"
      />
    </Container>
  )
}
