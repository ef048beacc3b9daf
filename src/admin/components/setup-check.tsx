/**
 * Settings → LINE Gift: what the first import still needs in Medusa (JPY region, sales channel,
 * shipping option, products with the LINE Gift codes as SKUs), each with a link to where Medusa
 * sets it. Reads GET /admin/line-gift/setup-check; shows one quiet line when all is set.
 */
import { CheckCircleSolid, ExclamationCircleSolid } from "@medusajs/icons"
import { Button, Container, Heading, Text } from "@medusajs/ui"
import { useQuery } from "@tanstack/react-query"
import { useTranslation } from "react-i18next"
import { Link } from "react-router-dom"
import { errorMessage } from "../lib/errors"
import { sdk } from "../lib/sdk"
import { lineGiftKeys } from "../hooks/query-keys"

type SetupCheckItem = {
  key: string
  ok: boolean
  detail: string | null
  href: string
}

export const useLineGiftSetupCheck = () =>
  useQuery({
    queryKey: [...lineGiftKeys.all, "setup-check"],
    queryFn: () =>
      sdk.client.fetch<{ ready: boolean; items: SetupCheckItem[] }>(
        "/admin/line-gift/setup-check"
      ),
  })

export const LineGiftSetupCheck = () => {
  const { t } = useTranslation("line-gift")
  const check = useLineGiftSetupCheck()
  if (check.isLoading) return null
  if (check.isError) {
    return (
      <Container className="px-6 py-4" data-testid="line-gift-setup-check">
        <Text size="small" className="text-ui-fg-error">
          {errorMessage(check.error)}
        </Text>
      </Container>
    )
  }
  const data = check.data
  if (!data) return null
  if (data.ready) {
    return (
      <Container
        className="flex items-center gap-x-2 px-6 py-3"
        data-testid="line-gift-setup-check"
        data-ready="true"
      >
        <CheckCircleSolid className="text-ui-fg-interactive" />
        <Text size="small" className="text-ui-fg-subtle">
          {t("setupCheck.allSet")}
        </Text>
      </Container>
    )
  }
  return (
    <Container
      className="divide-y p-0"
      data-testid="line-gift-setup-check"
      data-ready="false"
    >
      <div className="flex flex-col gap-y-1 px-6 py-4">
        <Heading level="h2">{t("setupCheck.title")}</Heading>
        <Text size="small" className="text-ui-fg-subtle">
          {t("setupCheck.description")}
        </Text>
      </div>
      {data.items.map((item) => (
        <div
          key={item.key}
          className="flex items-center justify-between gap-x-4 px-6 py-3"
          data-check={item.key}
          data-ok={String(item.ok)}
        >
          <div className="flex items-start gap-x-2">
            {item.ok ? (
              <CheckCircleSolid className="text-ui-fg-interactive mt-0.5 shrink-0" />
            ) : (
              <ExclamationCircleSolid className="text-ui-fg-error mt-0.5 shrink-0" />
            )}
            <div className="flex flex-col">
              <Text size="small" weight="plus">
                {t(`setupCheck.items.${item.key}`)}
              </Text>
              <Text size="small" className="text-ui-fg-subtle">
                {item.ok
                  ? t("setupCheck.ready")
                  : t(`setupCheck.details.${item.detail ?? item.key}`)}
              </Text>
            </div>
          </div>
          {item.ok ? null : (
            <Button size="small" variant="secondary" asChild>
              <Link to={item.href}>{t("setupCheck.open")}</Link>
            </Button>
          )}
        </div>
      ))}
    </Container>
  )
}
