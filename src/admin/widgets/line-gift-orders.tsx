/**
 * Orders list → LINE Gift: import orders for a date-time range now (default: the last 24 hours
 * until the moment of the click, Japan time) and send shipment info for the last N days
 * (default 3). The shop's last import run (e.g. partly failed) shows at the top. While an import
 * runs the widget shows its progress (pages read, orders created so far); at the end its counts,
 * why orders were skipped, and a link to the run in the sync history.
 *
 * Placement: Medusa 2.21's order list lays widgets out with its layout composer, which ignores
 * the `.before`/`.after` suffix and puts widgets after the 20-row table; the widget's root moves
 * itself first in that flex column (CSS `order: -1`), so it and its result are above the fold.
 */
import { defineWidgetConfig } from "@medusajs/admin-sdk"
import { Button, Container, Heading, Select, Text } from "@medusajs/ui"
import { useEffect, useMemo, useState, type CSSProperties } from "react"
import { useTranslation } from "react-i18next"
import { Link } from "react-router-dom"
import { NeedsReauthorizationAlert } from "../components/connection-check"
import { ExportPanel } from "../components/orders-widget/export-panel"
import { ImportPanel } from "../components/orders-widget/import-panel"
import { LastRunLine } from "../components/orders-widget/last-run"
import { useLineGiftShops } from "../hooks/shops"

/** First in the order list's flex column (see file comment). */
const FIRST: CSSProperties = { order: -1 }
const LineGiftOrdersWidget = () => {
  const { t } = useTranslation("line-gift")
  const shops = useLineGiftShops()
  const list = useMemo(() => shops.data?.shops ?? [], [shops.data])
  const [shopId, setShopId] = useState<string | undefined>()
  useEffect(() => {
    if (!shopId && list.length)
      setShopId((list.find((s) => s.api_enabled) ?? list[0]).id)
  }, [list, shopId])

  if (shops.isLoading) return null
  if (!list.length) {
    return (
      <Container
        style={FIRST}
        className="flex items-center justify-between gap-x-4 px-6 py-4"
        data-testid="line-gift-orders-widget"
      >
        <div className="flex flex-col gap-y-1">
          <Heading level="h2">{t("menu.label")}</Heading>
          <Text size="small" className="text-ui-fg-subtle">
            {t("widget.noShop")}
          </Text>
        </div>
        <Button size="small" variant="secondary" asChild>
          <Link to="/settings/line-gift">{t("widget.setUp")}</Link>
        </Button>
      </Container>
    )
  }

  return (
    <Container
      style={FIRST}
      className="divide-y p-0"
      data-testid="line-gift-orders-widget"
    >
      <div className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2 px-6 py-4">
        <div className="flex min-w-0 flex-col gap-y-1">
          <Heading level="h2">{t("menu.label")}</Heading>
          <Text size="small" className="text-ui-fg-subtle">
            {t("widget.description")}
          </Text>
          <LastRunLine
            run={list.find((s) => s.id === shopId)?.last_runs?.import}
            testId="line-gift-widget-last-run"
          />
        </div>
        {list.length > 1 ? (
          <Select size="small" value={shopId} onValueChange={setShopId}>
            <Select.Trigger className="w-56" aria-label={t("widget.shop")}>
              <Select.Value />
            </Select.Trigger>
            <Select.Content>
              {list.map((s) => (
                <Select.Item key={s.id} value={s.id}>
                  {s.name}
                </Select.Item>
              ))}
            </Select.Content>
          </Select>
        ) : (
          <Text size="small" weight="plus">
            {list[0].name}
          </Text>
        )}
      </div>
      <NeedsReauthorizationAlert shop={list.find((s) => s.id === shopId)} />
      <div className="grid grid-cols-1 divide-y xl:grid-cols-2 xl:divide-x xl:divide-y-0">
        <ImportPanel shopId={shopId} />
        <ExportPanel shopId={shopId} />
      </div>
    </Container>
  )
}

export const config = defineWidgetConfig({
  zone: "order.list.before",
  id: "line-gift:orders",
})

export default LineGiftOrdersWidget
