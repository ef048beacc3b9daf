/** SKU mapping → LINE Gift codes that matched no Medusa variant, each with "Map". */
import { Button, Table, Text } from "@medusajs/ui"
import type { UseQueryResult } from "@tanstack/react-query"
import { useTranslation } from "react-i18next"
import { errorMessage } from "../../lib/errors"
import type { UnmatchedSku } from "../../lib/types"

export const UnmatchedSkus = ({
  unmatched,
  skus,
  onPick,
}: {
  /** The query of the unmatched codes (its loading and error state). */
  unmatched: Pick<UseQueryResult, "isError" | "error" | "isLoading">
  /** The codes to list (those with a mapping already left out). */
  skus: UnmatchedSku[]
  onPick: (sku: UnmatchedSku) => void
}) => {
  const { t } = useTranslation("line-gift")
  return (
    <div className="px-6 py-4">
      <Text size="small" weight="plus" className="mb-2">
        {t("sku.unmatched")}
      </Text>
      {unmatched.isError ? (
        <Text size="small" className="text-ui-fg-error">
          {errorMessage(unmatched.error)}
        </Text>
      ) : skus.length === 0 ? (
        <Text size="small" className="text-ui-fg-subtle">
          {unmatched.isLoading ? t("common.loading") : t("sku.noneUnmatched")}
        </Text>
      ) : (
        <Table data-testid="unmatched-skus">
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>{t("sku.code")}</Table.HeaderCell>
              <Table.HeaderCell>{t("sku.item")}</Table.HeaderCell>
              <Table.HeaderCell className="text-right">
                {t("sku.orders")}
              </Table.HeaderCell>
              <Table.HeaderCell />
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {skus.map((s) => (
              <Table.Row key={s.code}>
                <Table.Cell className="font-mono">{s.code}</Table.Cell>
                <Table.Cell>
                  {[s.item_name, s.variation_name]
                    .filter(Boolean)
                    .join(" / ") || "-"}
                </Table.Cell>
                <Table.Cell className="text-right">{s.orders_count}</Table.Cell>
                <Table.Cell className="text-right">
                  <Button
                    size="small"
                    variant="secondary"
                    onClick={() => onPick(s)}
                  >
                    {t("sku.map")}
                  </Button>
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}
    </div>
  )
}
