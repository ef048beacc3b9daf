/**
 * SKU mapping → the saved mappings of a shop: code → variant, with "Repair flagged orders"
 * (fixes the orders imported while the code was unknown) and delete (after a prompt).
 */
import { Trash } from "@medusajs/icons"
import { Button, IconButton, Table, Text, toast, usePrompt } from "@medusajs/ui"
import type { UseQueryResult } from "@tanstack/react-query"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { useDeleteSkuMapping, useRepairSkuMapping } from "../../hooks/sku"
import { errorMessage } from "../../lib/errors"
import type { SkuMapping } from "../../lib/types"
import { variantLabel, type VariantLite } from "./variant"

export const SkuMappings = ({
  mappings,
  mapped,
  byId,
}: {
  /** The query of the mappings (its loading and error state). */
  mappings: Pick<UseQueryResult, "isError" | "error" | "isLoading">
  mapped: SkuMapping[]
  /** The mapped variants by id (a mapping whose variant is not there shows the id). */
  byId: Map<string, VariantLite>
}) => {
  const { t } = useTranslation("line-gift")
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

  return (
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
                  <Table.Cell>{v ? variantLabel(v) : m.variant_id}</Table.Cell>
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
                      onClick={() => void confirmRemove(m)}
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
  )
}
