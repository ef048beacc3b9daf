/**
 * The due mark of an outbox row (`line_gift_export.due_at` / `mark_seq`), each write one SQL
 * statement: a fulfilment event marks without the shop's export lock, so the mark and the
 * export's clearing of it must not overwrite each other. The mark touches nothing but the
 * mark; an export clears it only by compare-and-set on the `mark_seq` it read.
 */
import { newEntityId } from "../../../lib/entity-id"
import { sqlRows, type SqlRunner } from "./sql"

/** The LINE Gift order an event marks, and the values of a row the mark has to create. */
export type ExportDueMarkInput = {
  shop_id: string
  line_gift_order_id: string
  order_id: string
  /**
   * The fulfilment the event named: the mark's `due_fulfillment_id` (the sweep's export
   * prefers it); also the `fulfillment_id` of a row the mark creates.
   */
  fulfillment_id: string | null
  /** Why the export did not run at once (recorded only on a row the mark creates). */
  last_error: string | null
}

/** A marked row: its id, mark and whether the mark created it. */
export type ExportDueMark = {
  id: string
  due_at: Date
  mark_seq: number
  created: boolean
}

/**
 * Marks the row of one LINE Gift order due at `now` (`due_at` = now, `mark_seq` + 1,
 * `due_fulfillment_id` = the event's fulfilment), or
 * creates it — a bare `pending` row of the event's fulfilment, due — in ONE statement (keyed
 * on the unique shop + LINE Gift order index: a row created meanwhile is marked instead).
 */
export async function markExportDueSql(
  runner: SqlRunner,
  input: ExportDueMarkInput,
  now: Date
): Promise<ExportDueMark> {
  const rows = await sqlRows<{
    id: string
    due_at: Date | string
    mark_seq: number | string
    created: boolean
  }>(
    runner,
    `INSERT INTO line_gift_export
       (id, shop_id, line_gift_order_id, order_id, fulfillment_id, state, attempts,
        next_attempt_at, last_error, due_at, mark_seq, due_fulfillment_id, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?, 1, ?, now(), now())
     ON CONFLICT (shop_id, line_gift_order_id) DO UPDATE SET
       due_at = EXCLUDED.due_at,
       due_fulfillment_id = COALESCE(EXCLUDED.due_fulfillment_id, line_gift_export.due_fulfillment_id),
       mark_seq = line_gift_export.mark_seq + 1,
       updated_at = now()
     RETURNING id, due_at, mark_seq, (xmax = 0) AS created`,
    [
      newEntityId("lgexp"),
      input.shop_id,
      input.line_gift_order_id,
      input.order_id,
      input.fulfillment_id,
      now,
      input.last_error,
      now,
      input.fulfillment_id,
    ]
  )
  const row = rows[0]
  return {
    id: row.id,
    due_at: new Date(row.due_at),
    mark_seq: Number(row.mark_seq),
    created: !!row.created,
  }
}

/**
 * Clears the due mark of row `id` if no mark landed since `markSeq` was read.
 * @returns true when cleared; false when there was none, or a later mark stays.
 */
export async function clearExportDueSql(
  runner: SqlRunner,
  id: string,
  markSeq: number
): Promise<boolean> {
  const rows = await sqlRows<{ id: string }>(
    runner,
    `UPDATE line_gift_export SET due_at = NULL, due_fulfillment_id = NULL
       WHERE id = ? AND mark_seq = ? AND due_at IS NOT NULL
       RETURNING id`,
    [id, markSeq]
  )
  return rows.length > 0
}

/** A due mark as an export read it (what clearExportDueSql's compensation puts back). */
export type ReadDueMark = {
  id: string
  mark_seq: number
  due_at: Date
  due_fulfillment_id: string | null
}

/**
 * Puts back the due mark `mark.mark_seq` that was cleared (compensation of the clear), unless
 * a later mark has already made the row due again.
 */
export async function restoreExportDueSql(
  runner: SqlRunner,
  mark: ReadDueMark
): Promise<void> {
  await runner.execute(
    `UPDATE line_gift_export SET due_at = ?, due_fulfillment_id = ?
       WHERE id = ? AND mark_seq = ? AND due_at IS NULL`,
    [mark.due_at, mark.due_fulfillment_id, mark.id, mark.mark_seq]
  )
}

/**
 * Deletes row `id` (an export's compensation of a row it created) only if no event has
 * marked it since. @returns true when deleted; false when a mark keeps it (due for the sweep).
 */
export async function deleteUnmarkedExportSql(
  runner: SqlRunner,
  id: string
): Promise<boolean> {
  const rows = await sqlRows<{ id: string }>(
    runner,
    `DELETE FROM line_gift_export WHERE id = ? AND mark_seq = 0 RETURNING id`,
    [id]
  )
  return rows.length > 0
}

/** What an export that threw leaves on its row (see deferExportAfterErrorSql). */
export type ExportErrorDeferral = {
  id: string
  /** The row's `mark_seq` as read before the export. */
  mark_seq: number
  /** The next attempt (backoff). */
  next_attempt_at: Date
  /** The error, safe to store (safeErrorMessage). */
  last_error: string
}

/**
 * After an export that threw (its workflow rolled back): `attempts` + 1; a `pending` or
 * `held` row gets `next_attempt_at` (the backoff) and `last_error`; a due mark read before
 * the export moves to `next_attempt_at` too — a mark that landed since stays as it is.
 */
export async function deferExportAfterErrorSql(
  runner: SqlRunner,
  d: ExportErrorDeferral
): Promise<void> {
  await runner.execute(
    `UPDATE line_gift_export SET
         attempts = attempts + 1,
         next_attempt_at = CASE WHEN state IN ('pending', 'held') THEN ?::timestamptz ELSE next_attempt_at END,
         last_error = CASE WHEN state IN ('pending', 'held') THEN ?::text ELSE last_error END,
         due_at = CASE WHEN due_at IS NOT NULL AND mark_seq = ? THEN ?::timestamptz ELSE due_at END,
         updated_at = now()
       WHERE id = ?`,
    [d.next_attempt_at, d.last_error, d.mark_seq, d.next_attempt_at, d.id]
  )
}
