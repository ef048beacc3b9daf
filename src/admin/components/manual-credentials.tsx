/**
 * Manual credentials section (issue 11 item 2): paste an authorization code (exchanged) or a
 * refresh token (proved by one refresh, then stored encrypted). Nothing pasted is shown back.
 */
import {
  Button,
  Container,
  Input,
  Label,
  RadioGroup,
  Text,
  toast,
} from "@medusajs/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { useLineGiftManualCredentials } from "../hooks/connection"
import { tokenErrorText } from "../lib/oauth-reasons"
import type { LineGiftShop } from "../lib/types"
import { SectionHeader } from "./layout"

export const ManualCredentialsSection = ({ shop }: { shop: LineGiftShop }) => {
  const { t } = useTranslation("line-gift")
  const save = useLineGiftManualCredentials(shop.id)
  const [kind, setKind] = useState<"authorization_code" | "refresh_token">(
    "authorization_code"
  )
  const [value, setValue] = useState("")

  const submit = async () => {
    try {
      await save.mutateAsync({ [kind]: value.trim() })
      setValue("")
      toast.success(t("connection.manualSaved"))
    } catch (e) {
      toast.error(t("connection.manualFailed"), {
        // Explanation and next step, then LINE Gift's message on its own line.
        description: (
          <span className="whitespace-pre-line">{tokenErrorText(e, t)}</span>
        ),
        duration: 15_000,
      })
    }
  }

  return (
    <Container
      className="divide-y p-0"
      data-testid="line-gift-manual-credentials"
    >
      <SectionHeader
        title={t("connection.manualTitle")}
        description={t("connection.manualDescription")}
      />
      <div className="flex flex-col gap-y-3 px-6 py-4">
        <RadioGroup
          value={kind}
          onValueChange={(v) => setKind(v as typeof kind)}
          className="flex gap-x-6"
        >
          <div className="flex items-center gap-x-2">
            <RadioGroup.Item value="authorization_code" id="lg-manual-code" />
            <Label size="small" htmlFor="lg-manual-code">
              {t("connection.manualCode")}
            </Label>
          </div>
          <div className="flex items-center gap-x-2">
            <RadioGroup.Item value="refresh_token" id="lg-manual-refresh" />
            <Label size="small" htmlFor="lg-manual-refresh">
              {t("connection.manualRefreshToken")}
            </Label>
          </div>
        </RadioGroup>
        <div className="flex items-center gap-x-2">
          <Input
            size="small"
            type="password"
            autoComplete="off"
            className="flex-1"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            data-testid="manual-credential-value"
          />
          <Button
            size="small"
            variant="secondary"
            onClick={submit}
            isLoading={save.isPending}
            disabled={!value.trim() || !shop.client_secret_set}
          >
            {t("connection.manualSubmit")}
          </Button>
        </div>
        <Text size="small" className="text-ui-fg-subtle">
          {kind === "authorization_code"
            ? t("connection.manualCodeHint")
            : t("connection.manualRefreshHint")}
        </Text>
      </div>
    </Container>
  )
}
