/**
 * Stage "classify" of an import run: what to do with one valid LINE Gift order of the page,
 * decided from its status, purchase date and the record the plugin holds. Pure: the page
 * stage acts on the decision (see importPage).
 */
import {
  isKnownLineGiftStatus,
  type LineGiftOrder,
} from "../../../lib/line-gift/schemas"
import { hasShippableAddress } from "../../../lib/mapping"
import type { SkipCause } from "../run-summary"
import type { ImportFilter, OrderRecord } from "./context"

/** Statuses of gifts still waiting for the recipient (address unknown): provisional import. */
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
  | { kind: "import_provisional"; flag: "provisional" | "no_address" }

/**
 * Classifies one order. In a fetched status and bought inside the window — or outside it but
 * tracked as `seen` by an earlier run (a gift accepted days after purchase) — it is imported;
 * without a shippable address, alone and flagged `no_address` (completed like a provisional
 * order when the address arrives). With the shop's `provisional_import`, so is a gift still
 * waiting for its address. Any other order inside the window that may still become
 * importable is tracked; a status code LINE Gift added later is skipped (never failed).
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
  const wanted = known && filter.statuses.has(order.status)

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
    return hasShippableAddress(order) || PROVISIONAL_STATUSES.has(order.status)
      ? { kind: "import" }
      : { kind: "import_provisional", flag: "no_address" }
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
    cause: { reason: "status", code: order.status },
    track:
      reachable &&
      !FINAL_STATUSES.has(order.status) &&
      record?.state !== "failed",
  }
}
