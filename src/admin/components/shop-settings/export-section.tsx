/**
 * Settings section "Shipment export": when shipments go to LINE Gift (fulfilled or shipped),
 * automatic export, and the carrier LINE Gift is told per shipping option or provider.
 */
import { ExclamationCircle, Plus, Trash } from "@medusajs/icons"
import {
  Button,
  Container,
  Hint,
  IconButton,
  Label,
  RadioGroup,
  Switch,
} from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import {
  useFulfillmentProviderOptions,
  useLineGiftCarriers,
  useShippingOptionOptions,
} from "../../hooks/medusa"
import type { ExportScope } from "../../lib/types"
import { Field, SectionHeader } from "../layout"
import { CarrierInput, OptionalSelect } from "./inputs"
import type { SectionProps } from "./use-shop-form"

export const ExportSection = ({ form, set, errors }: SectionProps) => {
  const { t } = useTranslation("line-gift")
  const carriers = useLineGiftCarriers()
  const shippingOptions = useShippingOptionOptions()
  const providers = useFulfillmentProviderOptions()
  const carrierNames = carriers.data?.carriers ?? []

  const sources = [
    ...(shippingOptions.data?.shipping_options ?? []).map((o) => ({
      value: o.id,
      label: t("export.sourceShippingOption", { name: o.name }),
    })),
    ...(providers.data?.fulfillment_providers ?? []).map((p) => ({
      value: p.id,
      label: t("export.sourceProvider", { name: p.id }),
    })),
  ]
  const rows = form.carrier_rows
  const setRow = (i: number, next: Partial<{ key: string; carrier: string }>) =>
    set(
      "carrier_rows",
      rows.map((r, j) => (j === i ? { ...r, ...next } : r))
    )

  return (
    <Container className="divide-y p-0">
      <SectionHeader
        title={t("sections.export")}
        description={t("sections.exportDescription")}
      />
      <Field
        label={t("export.scope")}
        error={errors.export_scope}
        testId="export_scope"
      >
        <RadioGroup
          value={form.export_scope}
          onValueChange={(v) => set("export_scope", v as ExportScope)}
          className="gap-y-3"
        >
          {(["fulfilled", "shipped"] as const).map((s) => (
            <div key={s} className="flex items-start gap-x-2">
              <RadioGroup.Item
                value={s}
                id={`lg-scope-${s}`}
                className="mt-0.5"
              />
              <div className="flex flex-col">
                <Label size="small" weight="plus" htmlFor={`lg-scope-${s}`}>
                  {t(`export.scopes.${s}`)}
                </Label>
                <Hint>{t(`export.scopeHints.${s}`)}</Hint>
              </div>
            </div>
          ))}
        </RadioGroup>
      </Field>
      <Field
        label={t("export.autoExport")}
        htmlFor="lg-auto-export"
        hint={t("export.autoExportHint")}
        error={errors.auto_export}
        testId="auto_export"
      >
        <Switch
          id="lg-auto-export"
          checked={form.auto_export}
          onCheckedChange={(v) => set("auto_export", v)}
        />
      </Field>
      <Field
        label={t("export.carrierMap")}
        hint={t("export.carrierMapHint")}
        error={errors.carrier_map}
        testId="carrier_map"
      >
        <div className="flex flex-col gap-y-2">
          {rows.map((r, i) => (
            <div
              key={i}
              className="grid grid-cols-[minmax(0,1fr)_minmax(0,1fr)_auto] items-center gap-x-2"
              data-testid="carrier-row"
            >
              <OptionalSelect
                value={r.key || null}
                onChange={(v) => setRow(i, { key: v ?? "" })}
                options={sources}
                placeholder={t("export.chooseSource")}
                noneLabel={t("export.chooseSource")}
                allowNone={false}
                ariaLabel={t("adminTruth.form.carrierSource")}
                testId="carrier-source"
              />
              <CarrierInput
                carriers={carrierNames}
                value={r.carrier}
                onChange={(v) => setRow(i, { carrier: v })}
                ariaLabel={t("adminTruth.form.carrier")}
              />
              <IconButton
                size="small"
                variant="transparent"
                aria-label={t("common.remove")}
                onClick={() =>
                  set(
                    "carrier_rows",
                    rows.filter((_, j) => j !== i)
                  )
                }
              >
                <Trash />
              </IconButton>
            </div>
          ))}
          <div>
            <Button
              size="small"
              variant="secondary"
              onClick={() =>
                set("carrier_rows", [...rows, { key: "", carrier: "" }])
              }
            >
              <Plus />
              {t("export.addCarrier")}
            </Button>
          </div>
        </div>
      </Field>
      <Field
        label={t("export.defaultCarrier")}
        hint={t("export.defaultCarrierHint")}
        error={errors.default_carrier}
        testId="default_carrier"
      >
        <CarrierInput
          carriers={carrierNames}
          value={form.default_carrier ?? ""}
          onChange={(v) => set("default_carrier", v || null)}
          testId="default-carrier"
        />
      </Field>
      {carriers.isError ? (
        <div className="flex items-center gap-x-2 px-6 py-3">
          <ExclamationCircle className="text-ui-fg-muted" />
          <Hint>{t("export.carriersUnavailable")}</Hint>
        </div>
      ) : null}
    </Container>
  )
}
