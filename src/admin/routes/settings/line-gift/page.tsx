/**
 * Settings → LINE Gift (/app/settings/line-gift): the merchant's LINE Gift shops (add, open,
 * remove). It is also where LINE Gift's OAuth ends (`?oauth=success&shop=…` or
 * `?oauth=error&reason=…[&reason_code=line_gift_oauth_<error>]`): success opens that shop with
 * a toast, an error stays as a banner (a standard OAuth error explained: tokenErrorText).
 */
import { defineRouteConfig } from "@medusajs/admin-sdk"
import { Gift, Plus } from "@medusajs/icons"
import {
  Alert,
  Button,
  Container,
  DataTable,
  Drawer,
  Heading,
  Input,
  Label,
  StatusBadge,
  Text,
  createDataTableColumnHelper,
  toast,
  useDataTable,
} from "@medusajs/ui"
import { useEffect, useMemo, useState } from "react"
import { useTranslation } from "react-i18next"
import { Link, useNavigate, useSearchParams } from "react-router-dom"
import { useCreateLineGiftShop, useLineGiftShops } from "../../../hooks/shops"
import { errorMessage } from "../../../lib/errors"
import { tokenErrorText } from "../../../lib/oauth-reasons"
import { formatJst } from "../../../lib/format"
import { ConnectionBadge } from "../../../components/connection-badge"
import { DRAWER_LAYER } from "../../../components/layout"
import { LineGiftSetupCheck } from "../../../components/setup-check"
import type { LineGiftShop } from "../../../lib/types"
import { LastRunLine } from "../../../components/orders-widget/last-run"

const columnHelper = createDataTableColumnHelper<LineGiftShop>()

const LineGiftSettingsPage = () => {
  const { t, i18n } = useTranslation("line-gift")
  const navigate = useNavigate()
  const [params, setParams] = useSearchParams()
  const [oauthError, setOauthError] = useState<string | null>(null)
  const [adding, setAdding] = useState(false)
  const shops = useLineGiftShops()

  useEffect(() => {
    const result = params.get("oauth")
    if (!result) return
    if (result === "success") {
      toast.success(t("oauth.success"))
      const shop = params.get("shop")
      if (shop) {
        void navigate(`/settings/line-gift/${shop}`, { replace: true })
        return
      }
    } else {
      // LINE Gift's standard OAuth error explained in the admin's language, its answer beside.
      setOauthError(
        tokenErrorText(
          {
            message: params.get("reason") || t("oauth.unknownError"),
            code: params.get("reason_code") ?? undefined,
          },
          t
        )
      )
    }
    setParams({}, { replace: true })
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  const columns = useMemo(
    () => [
      columnHelper.accessor("name", { header: t("shops.columns.name") }),
      columnHelper.accessor("api_enabled", {
        header: t("shops.columns.api"),
        cell: ({ getValue }) => (
          <StatusBadge color={getValue() ? "green" : "grey"}>
            {getValue() ? t("common.on") : t("common.off")}
          </StatusBadge>
        ),
      }),
      columnHelper.display({
        id: "connection",
        header: t("shops.columns.connection"),
        cell: ({ row }) => <ConnectionBadge shop={row.original} />,
      }),
      columnHelper.accessor("auto_fetch_mode", {
        header: t("shops.columns.autoFetch"),
        cell: ({ getValue }) => t(`autoFetch.modes.${getValue()}`),
      }),
      columnHelper.accessor("last_fetched_at", {
        header: t("shops.columns.lastFetched"),
        cell: ({ getValue }) => formatJst(getValue(), i18n.language),
      }),
      columnHelper.display({
        id: "last_run",
        header: t("adminTruth.lastRun.column"),
        cell: ({ row }) => (
          <LastRunLine
            run={row.original.last_runs?.import}
            showLabel={false}
            testId={`shop-last-run-${row.original.id}`}
          />
        ),
      }),
    ],
    [t, i18n.language]
  )

  const data = shops.data?.shops ?? []
  const table = useDataTable({
    columns,
    data,
    getRowId: (s) => s.id,
    rowCount: data.length,
    isLoading: shops.isLoading,
    onRowClick: (_e, row) => {
      void navigate(`/settings/line-gift/${row.id}`)
    },
  })

  return (
    <div className="flex flex-col gap-y-3">
      {oauthError ? (
        <Alert variant="error" dismissible data-testid="oauth-error">
          <span className="whitespace-pre-line">
            {t("oauth.error", { reason: oauthError })}
          </span>
        </Alert>
      ) : null}
      <LineGiftSetupCheck />
      <Container className="divide-y p-0">
        <DataTable instance={table}>
          <DataTable.Toolbar className="flex items-start justify-between gap-x-4 px-6 py-4">
            <div className="flex flex-col gap-y-1">
              <Heading level="h1">{t("shops.title")}</Heading>
              <Text size="small" className="text-ui-fg-subtle">
                {t("shops.description")}
              </Text>
            </div>
            <div className="flex items-center gap-x-2">
              <Button size="small" variant="secondary" asChild>
                <Link to="/settings/line-gift/history">
                  {t("history.title")}
                </Link>
              </Button>
              <Button
                size="small"
                variant="secondary"
                onClick={() => setAdding(true)}
                data-testid="add-shop"
              >
                <Plus />
                {t("shops.add")}
              </Button>
            </div>
          </DataTable.Toolbar>
          {data.length === 0 && !shops.isLoading ? (
            <div className="flex flex-col items-center gap-y-2 px-6 py-10 text-center">
              <Text size="small" weight="plus">
                {t("shops.empty")}
              </Text>
              <Text size="small" className="text-ui-fg-subtle">
                {t("shops.emptyHint")}
              </Text>
            </div>
          ) : (
            <DataTable.Table />
          )}
        </DataTable>
        {shops.isError ? (
          <div className="px-6 py-4">
            <Text size="small" className="text-ui-fg-error">
              {errorMessage(shops.error)}
            </Text>
          </div>
        ) : null}
      </Container>
      <AddShopDrawer open={adding} onOpenChange={setAdding} />
    </div>
  )
}

const AddShopDrawer = ({
  open,
  onOpenChange,
}: {
  open: boolean
  onOpenChange: (v: boolean) => void
}) => {
  const { t } = useTranslation("line-gift")
  const navigate = useNavigate()
  const create = useCreateLineGiftShop()
  const [name, setName] = useState("")
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    if (open) {
      setName("")
      setError(null)
    }
  }, [open])

  const submit = async (e: React.FormEvent) => {
    e.preventDefault()
    if (!name.trim()) {
      setError(t("errors.required"))
      return
    }
    try {
      const { shop } = await create.mutateAsync({ name: name.trim() })
      toast.success(t("shops.created", { name: shop.name }))
      onOpenChange(false)
      void navigate(`/settings/line-gift/${shop.id}`)
    } catch (err) {
      setError(errorMessage(err))
    }
  }

  return (
    <Drawer open={open} onOpenChange={onOpenChange}>
      <Drawer.Content
        style={DRAWER_LAYER}
        overlayProps={{ style: DRAWER_LAYER }}
      >
        <form noValidate onSubmit={submit} className="flex flex-1 flex-col">
          <Drawer.Header>
            <Drawer.Title>{t("shops.addTitle")}</Drawer.Title>
            <Drawer.Description>{t("shops.addDescription")}</Drawer.Description>
          </Drawer.Header>
          <Drawer.Body className="flex flex-col gap-y-2">
            <Label size="small" weight="plus" htmlFor="lg-new-shop-name">
              {t("fields.name")}
            </Label>
            <Input
              id="lg-new-shop-name"
              size="small"
              autoFocus
              value={name}
              placeholder={t("shops.namePlaceholder")}
              onChange={(e) => setName(e.target.value)}
            />
            {error ? (
              <Text size="small" className="text-ui-fg-error">
                {error}
              </Text>
            ) : null}
          </Drawer.Body>
          <Drawer.Footer>
            <Drawer.Close asChild>
              <Button size="small" variant="secondary" type="button">
                {t("common.cancel")}
              </Button>
            </Drawer.Close>
            <Button
              size="small"
              type="submit"
              isLoading={create.isPending}
              data-testid="create-shop"
            >
              {t("common.create")}
            </Button>
          </Drawer.Footer>
        </form>
      </Drawer.Content>
    </Drawer>
  )
}

export const config = defineRouteConfig({
  label: "menu.label",
  translationNs: "line-gift",
  icon: Gift,
})

const Breadcrumb = () => {
  const { t } = useTranslation("line-gift")
  return <>{t("menu.label")}</>
}

export const handle = {
  breadcrumb: () => <Breadcrumb />,
}

export default LineGiftSettingsPage
