/**
 * Stage "classify" of an import run: what to do with one valid LINE Gift order of the page,
 * decided from its status, purchase date and the record the plugin holds. Pure: the page
 * stage acts on the decision (see importPage).
 */
import {
  isImportableLineGiftStatus,
  isKnownLineGiftStatus,
  type LineGiftOrder,
} from "../../../lib/line-gift/schemas"
import {
  hasCompleteAddress,
  hasShippableAddress,
  type ProvisionalFlag,
} from "../../../lib/mapping"
import type { SkipCause } from "../run-summary"
import type { ImportFilter, OrderRecord } from "./context"

/**
 * Statuses of paid gifts still waiting for the recipient (address not final): always imported
 * provisionally (flag `provisional`), whether the status is fetched or provisional_import is on.
 */
export const PROVISIONAL_STATUSES: ReadonlySet<string> = new Set([
  "gift_message_wait",
  "gift_message_send",
])
/** Statuses after which a gift never becomes importable: not tracked as `seen`. */
const FINAL_STATUSES: ReadonlySet<string> = new Set(["cancel", "received"])

/** Reason of an order in a fetched status whose purchase date is unknown (and not tracked). */
export const BOUGHT_ON_REQUIRED =
  "bought_on: is required to apply the date window"

/**
 * What the run does with one order:
 * - `known`: imported (or being imported) already: counted as already imported (`skip` null)
 *   or skipped; `follow`: its Medusa order follows LINE Gift's status (updateKnownOrder);
 * - `skip`: not imported (`track`: recorded as `seen` so a later run imports it when it
 *   reaches a fetched status, even outside its window);
 * - `fail`: recorded `failed` with `reason`;
 * - `import`: a new order, imported with the page in bulk;
 * - `import_provisional`: imported alone without an address, flagged `flag`.
 */
export type OrderDecision =
  | {
      kind: "known"
      record: OrderRecord
      skip: SkipCause | null
      follow: boolean
    }
  | { kind: "skip"; cause: SkipCause; track: boolean }
  | { kind: "fail"; reason: string }
  | { kind: "import" }
  | { kind: "import_provisional"; flag: ProvisionalFlag }

/** How a new order is imported (the `import` / `import_provisional` decisions). */
export type NewOrderImport =
  { kind: "import" } | { kind: "import_provisional"; flag: ProvisionalFlag }

/**
 * How a new order in an importable status is imported, from its status and address:
 * - waiting for the recipient (PROVISIONAL_STATUSES) → provisional, flag `provisional`;
 * - no address at all → provisional, flag `no_address`;
 * - an address lacking a part (hasCompleteAddress) → provisional, flag `partial_address`
 *   (imported with the parts LINE Gift sent);
 * - else in bulk with its address.
 * Every provisional order gets its whole address when LINE Gift sends it (updateKnownOrder);
 * until then its flag shows. Used by the import run and by the retry of a failed order.
 */
export function newOrderImport(order: LineGiftOrder): NewOrderImport {
  if (PROVISIONAL_STATUSES.has(order.status)) {
    return { kind: "import_provisional", flag: "provisional" }
  }
  if (!hasShippableAddress(order)) {
    return { kind: "import_provisional", flag: "no_address" }
  }
  if (!hasCompleteAddress(order)) {
    return { kind: "import_provisional", flag: "partial_address" }
  }
  return { kind: "import" }
}

/**
 * Classifies one order. In a fetched, importable status and bought inside the window — or
 * outside it but tracked as `seen` by an earlier run (a gift accepted days after purchase) —
 * it is imported as newOrderImport says (a gift waiting for its recipient, or an order without
 * its whole address, alone and flagged; completed when the address arrives). With the shop's
 * `provisional_import`, so is a gift still waiting for its address. A fetched status that is
 * never imported (`cvs`, `received`, `cancel`: still stored in an older shop's settings) is
 * skipped with the cause `not_importable`. Any other order inside the window that may still
 * become importable is tracked; a status code LINE Gift added later is skipped (never failed).
 */
export function classifyOrder(
  filter: ImportFilter,
  order: LineGiftOrder,
  record: OrderRecord | undefined
): OrderDecision {
  const boughtOn = order.bought_on ?? order.payed_on
  const inWindow =
    boughtOn !== undefined &&
    boughtOn >= filter.fromSec &&
    boughtOn <= filter.toSec
  const tracked = record?.state === "seen"
  const reachable = inWindow || tracked
  const known = isKnownLineGiftStatus(order.status)
  const fetched = known && filter.statuses.has(order.status)
  const wanted = fetched && isImportableLineGiftStatus(order.status)

  if (record && (record.state === "imported" || record.state === "importing")) {
    return {
      kind: "known",
      record,
      skip:
        wanted && inWindow
          ? null
          : known
            ? { reason: "imported_earlier" }
            : { reason: "unknown_status", code: order.status },
      follow: record.state === "imported",
    }
  }
  if (!known) {
    return {
      kind: "skip",
      cause: { reason: "unknown_status", code: order.status },
      track: reachable && record?.state !== "failed",
    }
  }
  if (wanted) {
    if (boughtOn === undefined && !tracked) {
      return { kind: "fail", reason: BOUGHT_ON_REQUIRED }
    }
    if (!reachable) {
      return {
        kind: "skip",
        cause: { reason: "window", after: boughtOn! > filter.toSec },
        track: false,
      }
    }
    return newOrderImport(order)
  }
  if (
    filter.provisionalImport &&
    PROVISIONAL_STATUSES.has(order.status) &&
    reachable
  ) {
    return { kind: "import_provisional", flag: "provisional" }
  }
  return {
    kind: "skip",
    cause: fetched
      ? { reason: "not_importable", code: order.status }
      : { reason: "status", code: order.status },
    track:
      reachable &&
      !FINAL_STATUSES.has(order.status) &&
      record?.state !== "failed",
  }
}
