/** SKU mapping → the drawer that maps a code: search variants (Medusa's own route), click one. */
import { MagnifyingGlass } from "@medusajs/icons"
import { Button, Drawer, Input, Text, toast } from "@medusajs/ui"
import { useEffect, useState } from "react"
import { useTranslation } from "react-i18next"
import { useVariantSearch } from "../../hooks/medusa"
import { useCreateSkuMapping } from "../../hooks/sku"
import { errorMessage } from "../../lib/errors"
import type { UnmatchedSku } from "../../lib/types"
import { DRAWER_LAYER } from "../layout"
import { variantLabel, type VariantLite } from "./variant"

/** Drawer: search variants (Medusa's own route), click one to map the code to it. */
export const VariantPicker = ({
  shopId,
  sku,
  onClose,
}: {
  shopId: string
  sku: UnmatchedSku | null
  onClose: () => void
}) => {
  const { t } = useTranslation("line-gift")
  const [q, setQ] = useState("")
  const [debounced, setDebounced] = useState("")
  useEffect(() => {
    const h = setTimeout(() => setDebounced(q), 250)
    return () => clearTimeout(h)
  }, [q])
  useEffect(() => setQ(""), [sku?.code])
  const search = useVariantSearch(debounced, !!sku)
  const create = useCreateSkuMapping(shopId)
  const variants: VariantLite[] = search.data?.variants ?? []

  const pick = (v: VariantLite) => {
    if (!sku) return
    create.mutate(
      { code: sku.code, variant_id: v.id },
      {
        onSuccess: () => {
          toast.success(
            t("sku.saved", { code: sku.code, variant: variantLabel(v) })
          )
          onClose()
        },
        onError: (e) =>
          toast.error(t("sku.saveFailed"), { description: errorMessage(e) }),
      }
    )
  }

  return (
    <Drawer open={!!sku} onOpenChange={(open) => !open && onClose()}>
      <Drawer.Content
        style={DRAWER_LAYER}
        overlayProps={{ style: DRAWER_LAYER }}
        data-testid="sku-variant-picker"
      >
        <Drawer.Header>
          <Drawer.Title>
            {t("sku.pickTitle", { code: sku?.code ?? "" })}
          </Drawer.Title>
          <Drawer.Description>
            {[sku?.item_name, sku?.variation_name].filter(Boolean).join(" / ")}
          </Drawer.Description>
        </Drawer.Header>
        <Drawer.Body className="flex flex-col gap-y-3 overflow-y-auto">
          <div className="relative">
            <Input
              size="small"
              type="search"
              autoFocus
              placeholder={t("sku.searchPlaceholder")}
              value={q}
              onChange={(e) => setQ(e.target.value)}
            />
            <MagnifyingGlass className="text-ui-fg-muted pointer-events-none absolute right-2 top-1.5" />
          </div>
          {variants.length === 0 ? (
            <Text size="small" className="text-ui-fg-subtle">
              {search.isFetching ? t("common.loading") : t("sku.noVariants")}
            </Text>
          ) : (
            <div className="flex flex-col divide-y rounded-md shadow-borders-base">
              {variants.map((v) => (
                <button
                  key={v.id}
                  type="button"
                  disabled={create.isPending}
                  onClick={() => pick(v)}
                  className="hover:bg-ui-bg-base-hover flex flex-col items-start px-3 py-2 text-left transition-fg"
                >
                  <Text size="small" weight="plus">
                    {[v.product?.title, v.title].filter(Boolean).join(" / ")}
                  </Text>
                  <Text size="xsmall" className="text-ui-fg-subtle font-mono">
                    {v.sku ?? "-"}
                  </Text>
                </button>
              ))}
            </div>
          )}
        </Drawer.Body>
        <Drawer.Footer>
          <Drawer.Close asChild>
            <Button size="small" variant="secondary">
              {t("common.cancel")}
            </Button>
          </Drawer.Close>
        </Drawer.Footer>
      </Drawer.Content>
    </Drawer>
  )
}
