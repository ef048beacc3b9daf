/**
 * A value for a `model.json()` column of the line-gift module. The DML types every json
 * column as `Record<string, unknown>`, but jsonb holds arrays and any JSON value just as well
 * (a shop's `fetch_statuses`/`fetch_schedules`, a run's `errors` and `statuses`, a record's
 * `flags` and `raw`, an export's `reasons`): this only tells TypeScript so — the value is
 * stored as is. The one place such a value crosses into that type; reads cast back where they
 * are used (e.g. asExportRows).
 */
export function jsonColumn(value: unknown): Record<string, unknown> {
  return value as Record<string, unknown>
}
