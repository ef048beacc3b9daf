/**
 * A value for a `model.json()` column of the line-gift module. The DML types such columns as
 * `Record<string, unknown>`, but jsonb holds arrays and any JSON value just as well (a run's
 * `errors` and `statuses`, a record's `flags` and `raw`): this only tells TypeScript so. The
 * value is stored as is.
 */
export function jsonColumn(value: unknown): Record<string, unknown> {
  return value as Record<string, unknown>
}
