/**
 * Sync history → one run in a drawer: state, shop, trigger, window, every count, the skipped
 * orders once (by reason, in the import panel's words), the run's other notes (flagged,
 * repeated, reading stopped) and its per-order errors, attention notes marked as such.
 */
import { Badge, Button, Drawer, Text } from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import { ATTENTION_REASON_CODES } from "../../../lib/failure-reasons"
import { RunStateBadge } from "../badges"
import { FailureReason } from "../failure-reason"
import { InfoRow } from "../layout"
import { SkipReasons } from "../orders-widget/skip-reasons"
import { RunBreakdown, type RunSkippedReasons } from "../run-breakdown"
import { useLineGiftRun } from "../../hooks/runs"
import { formatJst } from "../../lib/format"
import { shownRunState } from "../../lib/run-outcome"
import { TONE_COLORS } from "../../lib/status-colors"
import type { LineGiftRun } from "../../lib/types"
import { RunCounts } from "./run-counts"

/** A run with all its counts and per-order errors. */
export const RunDrawer = ({
  runId,
  shopName,
  onClose,
}: {
  runId?: string
  shopName: Map<string, string>
  onClose: () => void
}) => {
  const { t, i18n } = useTranslation("line-gift")
  const lang = i18n.language
  const { data } = useLineGiftRun(runId)
  const run = data?.run
  return (
    <Drawer open={!!runId} onOpenChange={(open) => !open && onClose()}>
      <Drawer.Content data-testid="run-drawer">
        <Drawer.Header>
          <Drawer.Title>
            {run ? t(`history.kinds.${run.kind}`) : t("common.loading")}
          </Drawer.Title>
          <Drawer.Description>
            {run ? formatJst(run.started_at, lang) : ""}
          </Drawer.Description>
        </Drawer.Header>
        <Drawer.Body className="overflow-y-auto p-0">
          {run ? <RunDetails run={run} shopName={shopName} /> : null}
        </Drawer.Body>
        <Drawer.Footer>
          <Drawer.Close asChild>
            <Button size="small" variant="secondary">
              {t("common.close")}
            </Button>
          </Drawer.Close>
        </Drawer.Footer>
      </Drawer.Content>
    </Drawer>
  )
}

/** The drawer's body for one run (no data fetching: the unit specs render it as it is). */
export const RunDetails = ({
  run,
  shopName,
}: {
  run: LineGiftRun
  shopName: Map<string, string>
}) => {
  const { t, i18n } = useTranslation("line-gift")
  const lang = i18n.language
  const errors = run.errors ?? []
  return (
    <div className="flex flex-col divide-y">
      <InfoRow
        label={t("history.columns.state")}
        value={<RunStateBadge state={shownRunState(run)} />}
      />
      <InfoRow
        label={t("history.columns.shop")}
        value={shopName.get(run.shop_id) ?? run.shop_id}
      />
      <InfoRow
        label={t("history.columns.trigger")}
        value={
          run.export_counts?.source
            ? `${t(`history.triggers.${run.trigger}`)} · ${t(`shipments.runs.sources.${run.export_counts.source}`)}`
            : t(`history.triggers.${run.trigger}`)
        }
      />
      <InfoRow
        label={t("history.columns.window")}
        value={`${formatJst(run.window_from, lang)} – ${formatJst(run.window_to, lang)}`}
      />
      <InfoRow
        label={t("history.finished")}
        value={formatJst(run.finished_at, lang)}
      />
      <RunCounts run={run} />
      {run.skip_reasons && Object.keys(run.skip_reasons).length ? (
        <div className="px-6 py-3">
          <SkipReasons reasons={run.skip_reasons} />
        </div>
      ) : null}
      <RunBreakdown
        reasons={
          (run as { skipped_reasons?: RunSkippedReasons | null })
            .skipped_reasons
        }
      />
      {run.error ? (
        <InfoRow label={t("history.error")} value={run.error} />
      ) : null}
      <div className="px-6 py-4">
        <Text size="small" weight="plus" className="mb-2">
          {t("history.errors", { count: errors.length })}
        </Text>
        {errors.length === 0 ? (
          <Text size="small" className="text-ui-fg-subtle">
            {t("history.noErrors")}
          </Text>
        ) : (
          <ul className="flex flex-col gap-y-2" data-testid="run-errors">
            {errors.map((e, i) => (
              <li key={i} className="bg-ui-bg-subtle rounded-md px-3 py-2">
                <div className="flex items-center gap-x-2">
                  <Text size="small" weight="plus" className="font-mono">
                    {e.line_gift_order_id ?? t("history.noOrderId")}
                  </Text>
                  {isAttention(e.code) ? (
                    <Badge
                      size="2xsmall"
                      color={TONE_COLORS.action}
                      data-attention="true"
                    >
                      {t("runState.needs_attention")}
                    </Badge>
                  ) : null}
                </div>
                <FailureReason code={e.code} reason={e.reason} />
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  )
}

/** Whether a per-order error is an attention note (the order is in Medusa; not a failure). */
function isAttention(code: string | null | undefined): boolean {
  return (ATTENTION_REASON_CODES as ReadonlySet<string>).has(code ?? "")
}
