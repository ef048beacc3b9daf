/**
 * SKU mapping of one shop: LINE Gift product/variation codes that matched no Medusa variant
 * (with a variant picker each), and the saved mappings. A mapping is used by later imports; its
 * "Repair flagged orders" button fixes the orders already imported with that code unknown.
 */
import { MagnifyingGlass, Trash } from "@medusajs/icons"
import {
  Button,
  Container,
  Drawer,
  IconButton,
  Input,
  Table,
  Text,
  toast,
  usePrompt,
} from "@medusajs/ui"
import { useEffect, useState } from "react"
import { useTranslation } from "react-i18next"
import { useVariantSearch, useVariantsByIds } from "../hooks/medusa"
import {
  useCreateSkuMapping,
  useDeleteSkuMapping,
  useRepairSkuMapping,
  useSkuMappings,
  useUnmatchedSkus,
} from "../hooks/sku"
import { errorMessage } from "../lib/errors"
import type { UnmatchedSku } from "../lib/types"
import { DRAWER_LAYER, SectionHeader } from "./layout"

type VariantLite = {
  id: string
  title: string | null
  sku: string | null
  product?: { title?: string | null } | null
}

const variantLabel = (v: VariantLite) =>
  [v.product?.title, v.title].filter(Boolean).join(" / ") +
  (v.sku ? ` (${v.sku})` : "")

export const SkuMappingSection = ({ shopId }: { shopId: string }) => {
  const { t } = useTranslation("line-gift")
  const unmatched = useUnmatchedSkus(shopId)
  const mappings = useSkuMappings(shopId)
  const remove = useDeleteSkuMapping()
  const prompt = usePrompt()
  const confirmRemove = async (m: { id: string; code: string }) => {
    const ok = await prompt({
      title: t("adminTruth.sku.deleteTitle", { code: m.code }),
      description: t("adminTruth.sku.deleteDescription"),
      confirmText: t("common.delete"),
      cancelText: t("common.cancel"),
    })
    if (!ok) return
    remove.mutate(m.id, {
      onSuccess: () => toast.success(t("sku.removed", { code: m.code })),
      onError: (e) => toast.error(errorMessage(e)),
    })
  }
  const repair = useRepairSkuMapping()
  const [repairing, setRepairing] = useState<string | null>(null)
  const runRepair = (m: { id: string; code: string }) => {
    setRepairing(m.id)
    repair.mutate(m.id, {
      onSuccess: (r) => {
        const counts = {
          code: m.code,
          repaired: r.repaired.length,
          skipped: r.skipped.length,
          failed: r.failed.length,
        }
        const show = r.failed.length ? toast.warning : toast.success
        show(t("sku.repairDone", counts), {
          description: r.failed.length
            ? r.failed
                .map((f) => `${f.line_gift_order_id}: ${f.reason}`)
                .join("\n")
            : r.skipped.length
              ? t("sku.repairSkippedHint")
              : undefined,
        })
      },
      onError: (e) =>
        toast.error(t("sku.repairFailed", { code: m.code }), {
          description: errorMessage(e),
        }),
      onSettled: () => setRepairing(null),
    })
  }
  const [picking, setPicking] = useState<UnmatchedSku | null>(null)
  const mapped = mappings.data?.mappings ?? []
  const variants = useVariantsByIds(mapped.map((m) => m.variant_id))
  const byId = new Map(
    ((variants.data?.variants ?? []) as VariantLite[]).map((v) => [v.id, v])
  )
  // A code with a mapping is listed under the mappings (with "repair"), not as unmatched.
  const mappedCodes = new Set(mapped.map((m) => m.code))
  const skus = (unmatched.data?.skus ?? []).filter(
    (s) => !s.mapping_id && !mappedCodes.has(s.code)
  )

  return (
    <Container className="divide-y p-0" data-testid="line-gift-sku-mapping">
      <SectionHeader
        title={t("sku.title")}
        description={t("sku.description")}
      />
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
                  <Table.Cell className="text-right">
                    {s.orders_count}
                  </Table.Cell>
                  <Table.Cell className="text-right">
                    <Button
                      size="small"
                      variant="secondary"
                      onClick={() => setPicking(s)}
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
      <div className="px-6 py-4">
        <Text size="small" weight="plus" className="mb-2">
          {t("sku.mappings")}
        </Text>
        {mappings.isError ? (
          <Text size="small" className="text-ui-fg-error">
            {errorMessage(mappings.error)}
          </Text>
        ) : mapped.length === 0 ? (
          <Text size="small" className="text-ui-fg-subtle">
            {mappings.isLoading ? t("common.loading") : t("sku.noMappings")}
          </Text>
        ) : (
          <Table data-testid="sku-mappings">
            <Table.Header>
              <Table.Row>
                <Table.HeaderCell>{t("sku.code")}</Table.HeaderCell>
                <Table.HeaderCell>{t("sku.variant")}</Table.HeaderCell>
                <Table.HeaderCell />
              </Table.Row>
            </Table.Header>
            <Table.Body>
              {mapped.map((m) => {
                const v = byId.get(m.variant_id)
                return (
                  <Table.Row key={m.id}>
                    <Table.Cell className="font-mono">{m.code}</Table.Cell>
                    <Table.Cell>
                      {v ? variantLabel(v) : m.variant_id}
                    </Table.Cell>
                    <Table.Cell className="flex items-center justify-end gap-x-2">
                      <Button
                        size="small"
                        variant="secondary"
                        isLoading={repairing === m.id}
                        disabled={repairing !== null}
                        onClick={() => runRepair(m)}
                      >
                        {t("sku.repair")}
                      </Button>
                      <IconButton
                        size="small"
                        variant="transparent"
                        aria-label={t("common.remove")}
                        data-testid={`delete-sku-mapping-${m.code}`}
                        onClick={() => confirmRemove(m)}
                      >
                        <Trash />
                      </IconButton>
                    </Table.Cell>
                  </Table.Row>
                )
              })}
            </Table.Body>
          </Table>
        )}
      </div>
      <VariantPicker
        shopId={shopId}
        sku={picking}
        onClose={() => setPicking(null)}
      />
    </Container>
  )
}

/** Drawer: search variants (Medusa's own route), click one to map the code to it. */
const VariantPicker = ({
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
  const variants = (search.data?.variants ?? []) as VariantLite[]

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
