/**
 * Settings → LINE Gift → one shop (/app/settings/line-gift/:id): its settings (one form, one
 * Save), tokens, SKU mapping, and links to its sync history. Removing the shop is in the
 * header's menu.
 */
import { EllipsisHorizontal, Trash } from "@medusajs/icons"
import {
  Button,
  Container,
  DropdownMenu,
  Heading,
  IconButton,
  Text,
  toast,
  usePrompt,
} from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import { Link, useNavigate, useParams, type UIMatch } from "react-router-dom"
import { ShopSettings } from "../../../../components/shop-settings"
import { SkuMappingSection } from "../../../../components/sku-mapping"
import { useDeleteLineGiftShop, useLineGiftShop } from "../../../../hooks/shops"
import { errorMessage } from "../../../../lib/errors"
import { ConnectionBadge } from "../../../../components/connection-badge"

const LineGiftShopPage = () => {
  const { id } = useParams()
  const { t } = useTranslation("line-gift")
  const navigate = useNavigate()
  const prompt = usePrompt()
  const { data, isLoading, isError, error } = useLineGiftShop(id)
  const remove = useDeleteLineGiftShop()

  if (isLoading) {
    return (
      <Container className="px-6 py-4">
        <Text size="small" className="text-ui-fg-subtle">
          {t("common.loading")}
        </Text>
      </Container>
    )
  }
  if (isError || !data) {
    return (
      <Container className="flex flex-col gap-y-2 px-6 py-4">
        <Heading>{t("shops.notFound")}</Heading>
        <Text size="small" className="text-ui-fg-subtle">
          {errorMessage(error)}
        </Text>
        <div>
          <Button size="small" variant="secondary" asChild>
            <Link to="/settings/line-gift">{t("common.back")}</Link>
          </Button>
        </div>
      </Container>
    )
  }
  const shop = data.shop

  const onDelete = async () => {
    const ok = await prompt({
      title: t("shops.deleteTitle", { name: shop.name }),
      description: t("shops.deleteDescription"),
      confirmText: t("common.delete"),
      cancelText: t("common.cancel"),
    })
    if (!ok) return
    try {
      await remove.mutateAsync(shop.id)
      toast.success(t("shops.deleted", { name: shop.name }))
      void navigate("/settings/line-gift", { replace: true })
    } catch (e) {
      toast.error(errorMessage(e))
    }
  }

  return (
    <div className="flex flex-col gap-y-3">
      <Container className="flex items-center justify-between gap-x-4 px-6 py-4">
        <div className="flex flex-col gap-y-1">
          <div className="flex items-center gap-x-2">
            <Heading level="h1" data-testid="shop-heading">
              {shop.name}
            </Heading>
            <ConnectionBadge shop={shop} />
          </div>
          <Text size="small" className="text-ui-fg-subtle">
            {t("shops.detailDescription")}
          </Text>
        </div>
        <div className="flex items-center gap-x-2">
          <Button size="small" variant="secondary" asChild>
            <Link to={`/settings/line-gift/history?shop_id=${shop.id}`}>
              {t("history.title")}
            </Link>
          </Button>
          <DropdownMenu>
            <DropdownMenu.Trigger asChild>
              <IconButton
                size="small"
                variant="transparent"
                aria-label={t("common.actions")}
              >
                <EllipsisHorizontal />
              </IconButton>
            </DropdownMenu.Trigger>
            <DropdownMenu.Content align="end">
              <DropdownMenu.Item onClick={onDelete} className="gap-x-2">
                <Trash className="text-ui-fg-subtle" />
                {t("shops.delete")}
              </DropdownMenu.Item>
            </DropdownMenu.Content>
          </DropdownMenu>
        </div>
      </Container>
      <ShopSettings key={shop.id} shop={shop} />
      <SkuMappingSection shopId={shop.id} />
    </div>
  )
}

const ShopBreadcrumb = ({ id }: { id?: string }) => {
  const { data } = useLineGiftShop(id)
  return <>{data?.shop.name ?? id}</>
}

export const handle = {
  breadcrumb: (match: UIMatch) => (
    <ShopBreadcrumb id={(match.params as { id?: string }).id} />
  ),
}

export default LineGiftShopPage
