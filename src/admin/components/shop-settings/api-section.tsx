/** Settings section "API usage and credentials": name, API switch, client id and secret. */
import { Badge, Container, Input, Switch, Text } from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import type { LineGiftShop } from "../../lib/types"
import { Field, SectionHeader } from "../layout"
import type { SectionProps } from "./use-shop-form"

export const ApiSection = ({
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
