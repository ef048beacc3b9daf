/**
 * One shop's settings, in the order merchants know from GoQ's LINE Gift screen: API usage and
 * credentials, tokens (OAuth), what to import, automatic fetch, shipment export. One Save
 * (disabled while nothing changed; Enter in a text field saves too); problems (the plugin's own
 * checks — never the browser's bubbles — then the API's 400 answer) appear under their fields.
 */
import { ExclamationCircle, Plus, Trash } from "@medusajs/icons"
import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Container,
  Hint,
  IconButton,
  Input,
  Label,
  RadioGroup,
  Select,
  Switch,
  Text,
  clx,
  toast,
} from "@medusajs/ui"
import { useEffect, useMemo, useState } from "react"
import { useTranslation } from "react-i18next"
import {
  useLineGiftCarriers,
  useFulfillmentProviderOptions,
  useRegionOptions,
  useSalesChannelOptions,
  useShippingOptionOptions,
} from "../hooks/medusa"
import {
  useRefreshLineGiftToken,
  useStartLineGiftAuthorization,
  useUpdateLineGiftShop,
} from "../hooks/shops"
import { errorMessage, parseApiError, type FieldErrors } from "../lib/errors"
import { daysUntil, formatJst } from "../lib/format"
import {
  FETCH_INTERVAL_CHOICES,
  LINE_GIFT_STATUSES,
  MAX_FETCH_SCHEDULES,
  type AutoFetchMode,
  type ExportScope,
  type LineGiftShop,
} from "../lib/types"
import { Field, InfoRow, SectionHeader } from "./layout"
import {
  ConnectionCheckSection,
  NeedsReauthorizationAlert,
} from "./connection-check"
import { ManualCredentialsSection } from "./manual-credentials"
import {
  SHOP_FORM_FIELDS,
  bodyFromForm,
  credentialsChanged,
  formFromShop,
  validateShopForm,
  type ShopFormState,
} from "./shop-form"

/** Refresh tokens are flagged this many days before they lapse. */
const REFRESH_WARNING_DAYS = 14
const NONE = "__none"
const HOURS = Array.from({ length: 24 }, (_, h) => h)
const WEEKDAYS = [0, 1, 2, 3, 4, 5, 6]

type SetField = <K extends keyof ShopFormState>(
  key: K,
  value: ShopFormState[K]
) => void

export const ShopSettings = ({ shop }: { shop: LineGiftShop }) => {
  const { t } = useTranslation("line-gift")
  const [form, setForm] = useState<ShopFormState>(() => formFromShop(shop))
  const [errors, setErrors] = useState<FieldErrors>({})
  const [general, setGeneral] = useState<string[]>([])
  const update = useUpdateLineGiftShop(shop.id)

  // A shop saved elsewhere (or re-read after OAuth) replaces an untouched form.
  const saved = useMemo(() => JSON.stringify(formFromShop(shop)), [shop])
  const [base, setBase] = useState(saved)
  const dirty = JSON.stringify(form) !== base
  useEffect(() => {
    if (!dirty) {
      setForm(formFromShop(shop))
      setBase(saved)
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [saved])

  const set: SetField = (key, value) => {
    setForm((f) => ({ ...f, [key]: value }))
    if (errors[key as string])
      setErrors(({ [key as string]: _, ...rest }) => rest)
  }

  const save = async () => {
    const local = validateShopForm(form)
    if (Object.keys(local).length) {
      setErrors(
        Object.fromEntries(Object.entries(local).map(([k, v]) => [k, t(v)]))
      )
      setGeneral([])
      toast.error(t("save.fixErrors"))
      return
    }
    try {
      const { shop: next } = await update.mutateAsync(bodyFromForm(form))
      const fresh = formFromShop(next)
      setForm(fresh)
      setBase(JSON.stringify(fresh))
      setErrors({})
      setGeneral([])
      toast.success(t("save.saved"))
    } catch (e) {
      const parsed = parseApiError(e, SHOP_FORM_FIELDS)
      setErrors(parsed.fields)
      setGeneral(parsed.general)
      toast.error(t("save.failed"))
    }
  }

  /** Enter in a text field saves (not while an IME is composing Japanese text). */
  const saveOnEnter = (e: React.KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== "Enter" || e.nativeEvent.isComposing || e.keyCode === 229)
      return
    const el = e.target as HTMLElement
    if (
      !(el instanceof HTMLInputElement) ||
      ["checkbox", "radio", "button", "submit"].includes(el.type)
    )
      return
    e.preventDefault()
    if (dirty && !update.isPending) void save()
  }

  const reset = () => {
    setForm(formFromShop(shop))
    setErrors({})
    setGeneral([])
  }

  return (
    <div
      className="flex flex-col gap-y-3"
      data-testid="line-gift-shop-settings"
    >
      {general.length ? (
        <Alert variant="error" dismissible data-testid="line-gift-form-errors">
          {general.map((g) => (
            <div key={g}>{g}</div>
          ))}
        </Alert>
      ) : null}
      <NeedsReauthorizationAlert shop={shop} />
      <div
        className="flex flex-col gap-y-3"
        onKeyDown={saveOnEnter}
        data-testid="line-gift-settings-form"
      >
        <ApiSection form={form} set={set} errors={errors} shop={shop} />
        <TokenSection
          shop={shop}
          credentialsDirty={credentialsChanged(form, shop)}
        />
      </div>
      {/* Own forms (paste credentials, connection check): Enter there must not save the settings. */}
      <ManualCredentialsSection shop={shop} />
      <ConnectionCheckSection shop={shop} />
      <div className="flex flex-col gap-y-3" onKeyDown={saveOnEnter}>
        <ImportSection form={form} set={set} errors={errors} />
        <AutoFetchSection form={form} set={set} errors={errors} shop={shop} />
        <ExportSection form={form} set={set} errors={errors} />
      </div>
      <Container className="sticky bottom-2 z-10 flex items-center justify-between gap-x-4 px-6 py-3 shadow-elevation-card-rest">
        <Text
          size="small"
          className="text-ui-fg-subtle"
          data-testid="line-gift-save-state"
        >
          {dirty ? t("save.unsaved") : t("save.upToDate")}
        </Text>
        <div className="flex items-center gap-x-2">
          <Button
            size="small"
            variant="secondary"
            onClick={reset}
            disabled={!dirty || update.isPending}
          >
            {t("common.discard")}
          </Button>
          <Button
            size="small"
            onClick={save}
            isLoading={update.isPending}
            disabled={!dirty}
            data-testid="line-gift-save"
          >
            {t("common.save")}
          </Button>
        </div>
      </Container>
    </div>
  )
}

type SectionProps = { form: ShopFormState; set: SetField; errors: FieldErrors }

const ApiSection = ({
  form,
  set,
  errors,
  shop,
}: SectionProps & { shop: LineGiftShop }) => {
  const { t } = useTranslation("line-gift")
  return (
    <Container className="divide-y p-0">
      <SectionHeader
        title={t("sections.api")}
        description={t("sections.apiDescription")}
      />
      <Field
        label={t("fields.name")}
        htmlFor="lg-name"
        error={errors.name}
        testId="name"
      >
        <Input
          id="lg-name"
          size="small"
          value={form.name}
          onChange={(e) => set("name", e.target.value)}
        />
      </Field>
      <Field
        label={t("fields.apiEnabled")}
        htmlFor="lg-api"
        hint={t("fields.apiEnabledHint")}
        error={errors.api_enabled}
        testId="api_enabled"
      >
        <div className="flex items-center gap-x-2">
          <Switch
            id="lg-api"
            checked={form.api_enabled}
            onCheckedChange={(v) => set("api_enabled", v)}
          />
          <Text size="small">
            {form.api_enabled ? t("common.on") : t("common.off")}
          </Text>
        </div>
      </Field>
      <Field
        label={t("fields.clientId")}
        htmlFor="lg-client-id"
        error={errors.client_id}
        testId="client_id"
      >
        <Input
          id="lg-client-id"
          size="small"
          autoComplete="off"
          value={form.client_id}
          onChange={(e) => set("client_id", e.target.value)}
        />
      </Field>
      <Field
        label={t("fields.clientSecret")}
        htmlFor="lg-client-secret"
        hint={t("fields.clientSecretHint")}
        error={errors.client_secret}
        testId="client_secret"
      >
        <div className="flex items-center gap-x-2">
          <div className="min-w-0 flex-1">
            <Input
              id="lg-client-secret"
              size="small"
              type="password"
              autoComplete="new-password"
              className="w-full"
              placeholder={
                shop.client_secret_set
                  ? t("fields.clientSecretReplace")
                  : t("fields.clientSecretEnter")
              }
              value={form.client_secret}
              onChange={(e) => set("client_secret", e.target.value)}
            />
          </div>
          <Badge
            size="2xsmall"
            color={shop.client_secret_set ? "green" : "grey"}
            data-testid="client-secret-state"
          >
            {shop.client_secret_set ? t("common.set") : t("common.notSet")}
          </Badge>
        </div>
      </Field>
    </Container>
  )
}

const TokenSection = ({
  shop,
  credentialsDirty,
}: {
  shop: LineGiftShop
  credentialsDirty: boolean
}) => {
  const { t, i18n } = useTranslation("line-gift")
  const authorize = useStartLineGiftAuthorization(shop.id)
  const refresh = useRefreshLineGiftToken(shop.id)
  const lang = i18n.language
  const days = daysUntil(shop.refresh_token_expires_at)
  const expired = shop.refresh_token_set && days !== null && days < 0
  const expiring =
    shop.refresh_token_set &&
    days !== null &&
    days >= 0 &&
    days <= REFRESH_WARNING_DAYS
  const canAuthorize =
    !!shop.client_id && shop.client_secret_set && !credentialsDirty

  const startOAuth = async () => {
    try {
      const { authorize_url } = await authorize.mutateAsync()
      window.location.assign(authorize_url)
    } catch (e) {
      toast.error(t("tokens.authorizeFailed"), { description: errorMessage(e) })
    }
  }
  const reacquire = async () => {
    try {
      await refresh.mutateAsync()
      toast.success(t("tokens.reacquired"))
    } catch (e) {
      toast.error(t("tokens.reacquireFailed"), { description: errorMessage(e) })
    }
  }

  return (
    <Container className="divide-y p-0" data-testid="line-gift-tokens">
      <SectionHeader
        title={t("sections.tokens")}
        description={t("sections.tokensDescription")}
      />
      {expired || expiring ? (
        <div className="px-6 py-4">
          <Alert
            variant={expired ? "error" : "warning"}
            data-testid="refresh-token-warning"
          >
            {expired
              ? t("tokens.expiredWarning", {
                  date: formatJst(shop.refresh_token_expires_at, lang),
                })
              : t("tokens.expiryWarning", {
                  days,
                  date: formatJst(shop.refresh_token_expires_at, lang),
                })}
          </Alert>
        </div>
      ) : null}
      <div className="grid grid-cols-1 gap-x-6 gap-y-3 px-6 py-4 md:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
        <div className="flex flex-col gap-y-1">
          <Label size="small" weight="plus">
            {t("tokens.refreshToken")}
          </Label>
          <Text
            size="small"
            className="text-ui-fg-subtle"
            data-testid="refresh-token-expiry"
          >
            {!shop.refresh_token_set
              ? t("tokens.none")
              : expired
                ? t("tokens.expiredOn", {
                    date: formatJst(shop.refresh_token_expires_at, lang),
                  })
                : shop.refresh_token_expires_at
                  ? t("tokens.validUntilDays", {
                      date: formatJst(shop.refresh_token_expires_at, lang),
                      days,
                    })
                  : t("tokens.obtained")}
          </Text>
        </div>
        <div className="flex flex-col items-start gap-y-2">
          <Button
            size="small"
            variant="secondary"
            onClick={startOAuth}
            isLoading={authorize.isPending}
            disabled={!canAuthorize}
            data-testid="get-refresh-token"
          >
            {t("tokens.getRefreshToken")}
          </Button>
          <Hint>
            {credentialsDirty
              ? t("tokens.saveFirst")
              : !canAuthorize
                ? t("tokens.needCredentials")
                : t("tokens.afterChange")}
          </Hint>
        </div>
      </div>
      <div className="grid grid-cols-1 gap-x-6 gap-y-3 px-6 py-4 md:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
        <div className="flex flex-col gap-y-1">
          <Label size="small" weight="plus">
            {t("tokens.accessToken")}
          </Label>
          <Text
            size="small"
            className="text-ui-fg-subtle"
            data-testid="access-token-expiry"
          >
            {shop.access_token_set
              ? t("tokens.validUntil", {
                  date: formatJst(shop.access_token_expires_at, lang),
                })
              : t("tokens.none")}
          </Text>
        </div>
        <div className="flex flex-col items-start gap-y-2">
          <Button
            size="small"
            variant="secondary"
            onClick={reacquire}
            isLoading={refresh.isPending}
            disabled={!shop.refresh_token_set}
            data-testid="reacquire-access-token"
          >
            {t("tokens.reacquire")}
          </Button>
        </div>
      </div>
    </Container>
  )
}

/** A Select over `options` with a "none" entry; value null = none. */
const OptionalSelect = ({
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

const ImportSection = ({ form, set, errors }: SectionProps) => {
  const { t } = useTranslation("line-gift")
  const regions = useRegionOptions()
  const channels = useSalesChannelOptions()
  const shippingOptions = useShippingOptionOptions()
  const toggleStatus = (s: (typeof LINE_GIFT_STATUSES)[number], on: boolean) =>
    set(
      "fetch_statuses",
      on
        ? LINE_GIFT_STATUSES.filter(
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
        <div className="grid grid-cols-1 gap-2 sm:grid-cols-2">
          {LINE_GIFT_STATUSES.map((s) => (
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

const AutoFetchSection = ({
  form,
  set,
  errors,
  shop,
}: SectionProps & { shop: LineGiftShop }) => {
  const { t, i18n } = useTranslation("line-gift")
  const lang = i18n.language
  const intervalLabel = (m: number) =>
    m < 60
      ? t("autoFetch.minutes", { count: m })
      : t("autoFetch.hours", { count: m / 60 })
  const hourOptions = HOURS.map((h) => ({
    value: String(h),
    label: `${String(h).padStart(2, "0")}:00`,
  }))
  const schedules = form.fetch_schedules
  const setSchedule = (
    i: number,
    next: { weekdays?: number[]; time?: string }
  ) =>
    set(
      "fetch_schedules",
      schedules.map((s, j) => (j === i ? { ...s, ...next } : s))
    )
  const full = schedules.length >= MAX_FETCH_SCHEDULES
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
      <div
        className={clx(mode !== "schedule" && "bg-ui-bg-subtle")}
        data-testid="schedule-settings"
      >
        <Field
          label={
            <span className="flex items-center gap-x-2">
              {t("autoFetch.schedules")}
              {mode !== "schedule" ? (
                <Badge size="2xsmall">{t("autoFetch.inactive")}</Badge>
              ) : null}
            </span>
          }
          hint={t("autoFetch.schedulesHint", { max: MAX_FETCH_SCHEDULES })}
          error={errors.fetch_schedules}
          testId="fetch_schedules"
        >
          <div className="flex flex-col gap-y-2">
            {schedules.map((s, i) => (
              <div
                key={i}
                className="bg-ui-bg-base shadow-borders-base flex flex-wrap items-center gap-2 rounded-md px-3 py-2"
                data-testid="schedule-row"
              >
                <div
                  className="flex flex-wrap gap-1"
                  role="group"
                  aria-label={t("autoFetch.weekdaysLabel")}
                >
                  {WEEKDAYS.map((d) => {
                    const on = s.weekdays.includes(d)
                    return (
                      <button
                        key={d}
                        type="button"
                        aria-pressed={on}
                        data-weekday={d}
                        onClick={() =>
                          setSchedule(i, {
                            weekdays: on
                              ? s.weekdays.filter((x) => x !== d)
                              : [...s.weekdays, d].sort(),
                          })
                        }
                        className={clx(
                          "txt-compact-small-plus h-7 min-w-8 rounded-md px-2 transition-fg",
                          on
                            ? "bg-ui-button-inverted text-ui-fg-on-inverted"
                            : "bg-ui-bg-component text-ui-fg-subtle shadow-borders-base hover:bg-ui-bg-component-hover"
                        )}
                      >
                        {t(`weekdays.${d}`)}
                      </button>
                    )
                  })}
                </div>
                {/* Text "HH:MM" (24 h, Japan time), not type="time": that one follows the browser's
                    locale ("03:00 PM") whatever the admin's language. */}
                <Input
                  type="text"
                  inputMode="numeric"
                  size="small"
                  className="w-20"
                  maxLength={5}
                  placeholder="09:00"
                  aria-label={t("autoFetch.time")}
                  value={s.time}
                  onChange={(e) =>
                    setSchedule(i, {
                      time: e.target.value
                        .normalize("NFKC")
                        .replace(/[：]/g, ":"),
                    })
                  }
                  data-testid="schedule-time"
                />
                <IconButton
                  size="small"
                  variant="transparent"
                  className="ml-auto"
                  aria-label={t("common.remove")}
                  onClick={() =>
                    set(
                      "fetch_schedules",
                      schedules.filter((_, j) => j !== i)
                    )
                  }
                >
                  <Trash />
                </IconButton>
              </div>
            ))}
            <div className="flex items-center gap-x-3">
              <Button
                size="small"
                variant="secondary"
                disabled={full}
                onClick={() =>
                  set("fetch_schedules", [
                    ...schedules,
                    { weekdays: [1, 2, 3, 4, 5], time: "09:00" },
                  ])
                }
                data-testid="add-schedule"
              >
                <Plus />
                {t("autoFetch.addSchedule")}
              </Button>
              {full ? (
                <Hint data-testid="schedules-full">
                  {t("autoFetch.maxSchedules", { max: MAX_FETCH_SCHEDULES })}
                </Hint>
              ) : null}
            </div>
          </div>
        </Field>
      </div>
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

/** Carrier picker: LINE Gift's list when the API gives one, free text otherwise. */
const CarrierInput = ({
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

const ExportSection = ({ form, set, errors }: SectionProps) => {
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
