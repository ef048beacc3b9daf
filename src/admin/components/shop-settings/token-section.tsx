/**
 * Settings section "Tokens": the refresh and access tokens' state, getting a refresh token
 * (LINE Gift's consent page, with the saved credentials) and re-acquiring the access token.
 */
import {
  Alert,
  Button,
  Container,
  Hint,
  Label,
  Text,
  toast,
} from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import {
  useRefreshLineGiftToken,
  useStartLineGiftAuthorization,
} from "../../hooks/shops"
import { useLineGiftRedirectUri } from "../../hooks/connection"
import { errorMessage } from "../../lib/errors"
import { tokenErrorText } from "../../lib/oauth-reasons"
import { daysUntil, formatJst } from "../../lib/format"
import type { LineGiftShop } from "../../lib/types"
import { CopyButton } from "../copy-button"
import { SectionHeader } from "../layout"

/** Refresh tokens are flagged this many days before they lapse. */
const REFRESH_WARNING_DAYS = 14

export const TokenSection = ({
  shop,
  credentialsDirty,
}: {
  shop: LineGiftShop
  credentialsDirty: boolean
}) => {
  const { t, i18n } = useTranslation("line-gift")
  const authorize = useStartLineGiftAuthorization(shop.id)
  const refresh = useRefreshLineGiftToken(shop.id)
  const redirect = useLineGiftRedirectUri().data
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
      toast.error(t("tokens.reacquireFailed"), {
        // Explanation and next step, then LINE Gift's message on its own line.
        description: (
          <span className="whitespace-pre-line">{tokenErrorText(e, t)}</span>
        ),
        duration: 15_000,
      })
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
      {redirect ? (
        <div
          className="grid grid-cols-1 gap-x-6 gap-y-3 px-6 py-4 md:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]"
          data-testid="oauth-redirect-uri"
        >
          <div className="flex flex-col gap-y-1">
            <Label size="small" weight="plus">
              {t("tokens.redirectUri")}
            </Label>
            <Hint>{t("tokens.redirectUriHint")}</Hint>
          </div>
          <div className="flex flex-col items-start gap-y-2">
            <div className="flex items-center gap-x-2">
              <Text size="small" className="font-mono break-all">
                {redirect.redirect_uri}
              </Text>
              <CopyButton
                content={redirect.redirect_uri}
                label={t("tokens.copyRedirectUri")}
                testId="copy-redirect-uri"
              />
            </div>
            {redirect.configured && !redirect.local ? null : (
              <Alert variant="warning">{t("tokens.redirectUriDefault")}</Alert>
            )}
          </div>
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
