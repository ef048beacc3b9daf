/** The settings form's sticky footer: saved or not, Discard and Save. */
import { Button, Container, Text } from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import type { ShopForm } from "./use-shop-form"

export const SaveBar = ({
  form: { dirty, saving, save, reset },
}: {
  form: ShopForm
}) => {
  const { t } = useTranslation("line-gift")
  return (
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
          disabled={!dirty || saving}
        >
          {t("common.discard")}
        </Button>
        <Button
          size="small"
          onClick={() => void save()}
          isLoading={saving}
          disabled={!dirty}
          data-testid="line-gift-save"
        >
          {t("common.save")}
        </Button>
      </div>
    </Container>
  )
}
