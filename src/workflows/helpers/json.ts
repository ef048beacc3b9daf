/**
 * The module's JSON columns (DML `model.json()`) are typed `Record<string, unknown>`, yet
 * several hold arrays or typed objects (a run's `errors`, an export's `reasons`, counts).
 * This helper names the one place where such a value crosses into that type (reads cast back where they are used, e.g. asExportRows).
 */

/** A value to store in a JSON column (an array or a typed object, JSON-serialisable). */
export function toJsonColumn<T extends object>(
  value: T
): Record<string, unknown> {
  return value as unknown as Record<string, unknown>
}
