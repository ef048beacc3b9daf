/**
 * Writing outbox rows: the columns the steps set, what is restored on compensation, and the
 * one conversion of `reasons` (ExportReason[]) to the module's JSON column type.
 */
import { jsonColumn } from "../../../modules/line-gift/json-column"
import { EXPORT_ROW_COLUMNS, type LineGiftExportRow } from "../types"

/** A column of the row the steps write (EXPORT_ROW_COLUMNS). */
export type ExportRowColumn = (typeof EXPORT_ROW_COLUMNS)[number]

/** Values of some written columns, in the outbox row shape. */
export type ExportRowValues = Partial<Pick<LineGiftExportRow, ExportRowColumn>>

/** The same values as the module service takes them (`reasons` as a JSON column). */
export type ExportRowWrite = Omit<ExportRowValues, "reasons"> & {
  reasons?: Record<string, unknown> | null
}

/** Values for the module service: `reasons` converted to its JSON column type. */
export function toExportRowWrite(values: ExportRowValues): ExportRowWrite {
  const { reasons, ...rest } = values
  if (!("reasons" in values)) return rest
  return { ...rest, reasons: reasons ? jsonColumn(reasons) : reasons }
}

/** Every written column of a row as it is now, with its id: what a compensation restores. */
export function previousRowValues(
  row: LineGiftExportRow
): ExportRowWrite & { id: string } {
  const previous: ExportRowValues = {}
  for (const c of EXPORT_ROW_COLUMNS) {
    Object.assign(previous, { [c]: row[c] })
  }
  return { id: row.id, ...toExportRowWrite(previous) }
}
