/**
 * 接続テスト (connection check) section of a shop's settings (issue 11 item 1): runs the
 * check, shows every call (host and path, HTTP status, time, parsed?, top-level keys, body
 * error) with a plain verdict and the option to change, the shipment call's current body
 * encoding and field names, and offers the redacted transcript as a JSON download.
 */
import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Container,
  Input,
  Label,
  Table,
  Text,
} from "@medusajs/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import {
  useLineGiftConnectionCheck,
  type ConnectionCheckEntry,
  type ConnectionCheckReport,
} from "../hooks/connection"
import { errorMessage } from "../lib/errors"
import type { LineGiftShop } from "../lib/types"
import { SectionHeader } from "./layout"

/** A banner when LINE Gift rejected the shop's refresh token (settings page, widgets). */
export const NeedsReauthorizationAlert = ({
  shop,
}: {
  shop: LineGiftShop | undefined
}) => {
  const { t } = useTranslation("line-gift")
  if (!shop || shop.connection_state !== "needs_reauthorization") return null
  return (
    <Alert variant="error" data-testid="needs-reauthorization">
      {t("connection.needsReauthorizationText", {
        name: shop.name,
        reason: shop.connection_problem ?? "invalid_grant",
      })}
    </Alert>
  )
}

/** Downloads the (already redacted) report as a JSON file. */
function download(report: ConnectionCheckReport) {
  const blob = new Blob([JSON.stringify(report, null, 2)], {
    type: "application/json",
  })
  const url = URL.createObjectURL(blob)
  const a = document.createElement("a")
  a.href = url
  a.download = `line-gift-connection-check-${report.shop_id}-${report.checked_at.replace(/[:.]/g, "-")}.json`
  document.body.appendChild(a)
  a.click()
  a.remove()
  URL.revokeObjectURL(url)
}

export const ConnectionCheckSection = ({ shop }: { shop: LineGiftShop }) => {
  const { t } = useTranslation("line-gift")
  const check = useLineGiftConnectionCheck(shop.id)
  const saved =
    typeof shop.settings?.line_gift_shop_id === "string"
      ? (shop.settings.line_gift_shop_id as string)
      : ""
  const [lineGiftShopId, setLineGiftShopId] = useState(saved)
  const [probe, setProbe] = useState(false)
  const report = check.data?.check

  const run = () =>
    check.mutate({
      ...(lineGiftShopId.trim()
        ? { line_gift_shop_id: lineGiftShopId.trim() }
        : {}),
      probe_shipment: probe,
    })

  return (
    <Container
      className="divide-y p-0"
      data-testid="line-gift-connection-check"
    >
      <SectionHeader
        title={t("connection.checkTitle")}
        description={t("connection.checkDescription")}
        actions={
          <Button
            size="small"
            variant="secondary"
            onClick={run}
            isLoading={check.isPending}
            data-testid="run-connection-check"
          >
            {t("connection.run")}
          </Button>
        }
      />
      <div className="flex flex-wrap items-end gap-x-6 gap-y-3 px-6 py-4">
        <div className="flex flex-col gap-y-1">
          <Label size="small" weight="plus" htmlFor="lg-line-gift-shop-id">
            {t("connection.lineGiftShopId")}
          </Label>
          <Input
            id="lg-line-gift-shop-id"
            size="small"
            className="w-48"
            value={lineGiftShopId}
            onChange={(e) => setLineGiftShopId(e.target.value)}
            placeholder="1001"
          />
        </div>
        <div className="flex items-center gap-x-2">
          <Checkbox
            id="lg-probe-shipment"
            checked={probe}
            onCheckedChange={(v) => setProbe(v === true)}
          />
          <Label size="small" htmlFor="lg-probe-shipment">
            {t("connection.probeShipment")}
          </Label>
        </div>
      </div>
      {check.isError ? (
        <div className="px-6 py-4">
          <Alert variant="error">{errorMessage(check.error)}</Alert>
        </div>
      ) : null}
      {report ? <CheckReport report={report} /> : null}
    </Container>
  )
}

const CheckReport = ({ report }: { report: ConnectionCheckReport }) => {
  const { t } = useTranslation("line-gift")
  const sc = report.options.shipment_call
  return (
    <div
      className="flex flex-col gap-y-3 px-6 py-4"
      data-testid="connection-check-report"
    >
      <div className="flex items-center justify-between gap-x-4">
        <Badge
          color={report.ok ? "green" : "red"}
          data-testid="connection-check-overall"
        >
          {report.ok
            ? t("connection.overallOk")
            : t("connection.overallFailed")}
        </Badge>
        <Button
          size="small"
          variant="transparent"
          onClick={() => download(report)}
          data-testid="download-transcript"
        >
          {t("connection.download")}
        </Button>
      </div>
      <Text
        size="small"
        className="text-ui-fg-subtle"
        data-testid="shipment-call-choice"
      >
        {t("connection.shipmentChoice", {
          encoding: sc.encoding,
          code: sc.fields.deliveryCode,
          agent: sc.fields.deliveryAgent,
        })}
      </Text>
      <Table>
        <Table.Header>
          <Table.Row>
            <Table.HeaderCell>{t("connection.columns.step")}</Table.HeaderCell>
            <Table.HeaderCell>{t("connection.columns.call")}</Table.HeaderCell>
            <Table.HeaderCell>
              {t("connection.columns.answer")}
            </Table.HeaderCell>
            <Table.HeaderCell>
              {t("connection.columns.verdict")}
            </Table.HeaderCell>
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {report.entries.map((e, i) => (
            <EntryRow key={i} entry={e} />
          ))}
        </Table.Body>
      </Table>
    </div>
  )
}

const EntryRow = ({ entry }: { entry: ConnectionCheckEntry }) => {
  const { t } = useTranslation("line-gift")
  const c = entry.call
  return (
    <Table.Row
      data-testid={`connection-entry-${entry.step}`}
      data-verdict={entry.verdict}
      className="align-top"
    >
      <Table.Cell>
        <Text size="small" weight="plus">
          {t(`connection.steps.${entry.step}`)}
        </Text>
      </Table.Cell>
      <Table.Cell>
        {c ? (
          <span className="txt-compact-xsmall font-mono break-all">
            {c.method} {c.host}
            {c.path}
            {c.bodyEncoding ? ` (${c.bodyEncoding})` : ""}
          </span>
        ) : (
          <Text size="small" className="text-ui-fg-subtle">
            -
          </Text>
        )}
      </Table.Cell>
      <Table.Cell>
        {c ? (
          <div className="txt-compact-xsmall flex flex-col">
            <span>
              {t("connection.http", { status: c.httpStatus ?? "-" })} ·{" "}
              {t("connection.ms", { ms: c.durationMs })}
            </span>
            <span>
              {c.parsed ? t("connection.parsed") : t("connection.notParsed")}
            </span>
            {c.topLevelKeys.length ? (
              <span className="font-mono">{`{ ${c.topLevelKeys.join(", ")} }`}</span>
            ) : null}
            {c.bodyError ? (
              <span className="text-ui-fg-error">
                {t("connection.bodyError", {
                  code: c.bodyError.code,
                  reason: c.bodyError.reason ?? "",
                })}
              </span>
            ) : null}
          </div>
        ) : null}
      </Table.Cell>
      <Table.Cell>
        <div className="flex flex-col gap-y-1">
          <Badge
            size="2xsmall"
            color={
              entry.ok
                ? "green"
                : entry.verdict === "needs_shop_id"
                  ? "grey"
                  : "red"
            }
          >
            {entry.ok ? t("connection.ok") : t("connection.failed")}
          </Badge>
          <Text size="small" data-testid={`connection-verdict-${entry.step}`}>
            {t(`connection.verdicts.${entry.verdict}`, {
              option: entry.option ?? "",
              defaultValue: entry.next_step,
            })}
          </Text>
        </div>
      </Table.Cell>
    </Table.Row>
  )
}
