/**
 * Settings section "Import": which LINE Gift statuses and how many days back to read, the
 * Medusa region, sales channel and shipping option of imported orders, provisional import.
 */
import {
  Alert,
  Checkbox,
  Container,
  Input,
  Label,
  Switch,
  Text,
} from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import {
  useRegionOptions,
  useSalesChannelOptions,
  useShippingOptionOptions,
} from "../../hooks/medusa"
import {
  IMPORTABLE_LINE_GIFT_STATUSES,
  isImportableStatus,
  type ImportableLineGiftStatus,
  type LineGiftShop,
} from "../../lib/types"
import { Field, SectionHeader } from "../layout"
import { OptionalSelect } from "./inputs"
import type { SectionProps } from "./use-shop-form"

/**
 * Only the statuses a shop may fetch are offered (`cvs`, `received`, `cancel` are never
 * imported). A shop whose saved settings still hold one is told so: its runs skip those
 * orders (reason "not importable"), and saving the form removes them.
 */
export const ImportSection = ({
  form,
  set,
  errors,
  shop,
}: SectionProps & { shop?: LineGiftShop }) => {
  const { t } = useTranslation("line-gift")
  const refused = (shop?.fetch_statuses ?? []).filter(
    (s) => !isImportableStatus(s)
  )
  const regions = useRegionOptions()
  const channels = useSalesChannelOptions()
  const shippingOptions = useShippingOptionOptions()
  const toggleStatus = (s: ImportableLineGiftStatus, on: boolean) =>
    set(
      "fetch_statuses",
      on
        ? IMPORTABLE_LINE_GIFT_STATUSES.filter(
            (x) => x === s || form.fetch_statuses.includes(x)
          )
        : form.fetch_statuses.filter((x) => x !== s)
    )
  return (
    <Container className="divide-y p-0">
      <SectionHeader
        title={t("sections.import")}
        description={t("sections.importDescription")}
      />
      <Field
        label={t("fields.statuses")}
        hint={t("fields.statusesHint")}
        error={errors.fetch_statuses}
        testId="fetch_statuses"
      >
        {refused.length ? (
          <Alert
            variant="warning"
            className="mb-2"
            data-testid="line-gift-refused-statuses"
          >
            {t("fields.statusesRefused", {
              statuses: refused
                .map((s) => t(`statuses.${s}`))
                .join(t("fields.statusesRefusedSeparator")),
            })}
          </Alert>
        ) : null}
        <div className="grid grid-cols-1 gap-2 sm:grid-cols-2">
          {IMPORTABLE_LINE_GIFT_STATUSES.map((s) => (
            <div key={s} className="flex items-center gap-x-2">
              <Checkbox
                id={`lg-status-${s}`}
                checked={form.fetch_statuses.includes(s)}
                onCheckedChange={(v) => toggleStatus(s, v === true)}
              />
              <Label size="small" htmlFor={`lg-status-${s}`}>
                {t(`statuses.${s}`)}
              </Label>
            </div>
          ))}
        </div>
      </Field>
      <Field
        label={t("fields.fetchDays")}
        htmlFor="lg-days"
        hint={t("fields.fetchDaysHint")}
        error={errors.fetch_days}
        testId="fetch_days"
      >
        <div className="flex items-center gap-x-2">
          <Input
            id="lg-days"
            size="small"
            type="number"
            min={1}
            max={90}
            className="w-24"
            value={form.fetch_days}
            onChange={(e) => set("fetch_days", e.target.value)}
          />
          <Text size="small" className="text-ui-fg-subtle">
            {t("fields.daysUnit")}
          </Text>
        </div>
      </Field>
      <Field
        label={t("fields.region")}
        htmlFor="lg-region"
        hint={t("fields.regionHint")}
        error={errors.region_id}
        testId="region_id"
      >
        <OptionalSelect
          id="lg-region"
          value={form.region_id}
          onChange={(v) => set("region_id", v)}
          options={(regions.data?.regions ?? []).map((r) => ({
            value: r.id,
            label: `${r.name} (${r.currency_code?.toUpperCase()})`,
          }))}
          placeholder={t("common.choose")}
          noneLabel={t("common.none")}
          testId="region-select"
        />
      </Field>
      <Field
        label={t("fields.salesChannel")}
        htmlFor="lg-channel"
        error={errors.sales_channel_id}
        testId="sales_channel_id"
      >
        <OptionalSelect
          id="lg-channel"
          value={form.sales_channel_id}
          onChange={(v) => set("sales_channel_id", v)}
          options={(channels.data?.sales_channels ?? []).map((c) => ({
            value: c.id,
            label: c.name,
          }))}
          placeholder={t("common.choose")}
          noneLabel={t("common.none")}
        />
      </Field>
      <Field
        label={t("fields.shippingOption")}
        htmlFor="lg-shipping"
        hint={t("fields.shippingOptionHint")}
        error={errors.shipping_option_id}
        testId="shipping_option_id"
      >
        <OptionalSelect
          id="lg-shipping"
          value={form.shipping_option_id}
          onChange={(v) => set("shipping_option_id", v)}
          options={(shippingOptions.data?.shipping_options ?? []).map((o) => ({
            value: o.id,
            label: o.name,
          }))}
          placeholder={t("common.choose")}
          noneLabel={t("common.none")}
        />
      </Field>
      <Field
        label={t("fields.provisional")}
        htmlFor="lg-provisional"
        hint={t("fields.provisionalHint")}
        error={errors.provisional_import}
        testId="provisional_import"
      >
        <Switch
          id="lg-provisional"
          checked={form.provisional_import}
          onCheckedChange={(v) => set("provisional_import", v)}
        />
      </Field>
    </Container>
  )
}
