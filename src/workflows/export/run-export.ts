/**
 * Orchestration of shipment exports (what subscribers, the sweep job and the admin routes
 * call). Each export runs exportLineGiftShipmentWorkflow under the shop's export lock
 * (Medusa's locking module), so one export is never pushed twice at the same time; the
 * workflow re-reads the row under the lock, so a value LINE Gift already has is not re-sent.
 * Medusa and module writes happen in the workflow; this code writes only sync-run records.
 *
 * The runs live in `run/`: `event.ts` (fulfilment events), `sweep.ts` (the job),
 * `push-again.ts`, `manual.ts` ("送信情報の更新"), and `shared.ts` (lock, counts, run record,
 * live statuses) — the stages they share.
 */
export {
  exportLockKey,
  countExportResult,
  recordExportRun,
  isAwaitingAddress,
  type ExportRunCounts,
  type ExportBucket,
  type ExportRunError,
} from "./run/shared"
export {
  findLineGiftExportTarget,
  handleLineGiftFulfillmentEvent,
} from "./run/event"
export {
  isExportDue,
  runLineGiftExportSweep,
  type ExportSweepResult,
} from "./run/sweep"
export { pushLineGiftExportNow } from "./run/push-again"
export {
  MANUAL_EXPORT_DEFAULT_DAYS,
  MANUAL_EXPORT_MAX_DAYS,
  runLineGiftManualExport,
  type ManualExportCounts,
  type ManualExportResult,
} from "./run/manual"
