/**
 * The little the module's raw SQL needs from Medusa's entity manager (MikroORM's
 * `SqlEntityManager.execute`): statements that must be atomic in one round trip (claims,
 * compare-and-set saves) are written as SQL with `?` placeholders.
 */

/** Runs one SQL statement with positional `?` parameters; resolves to the result rows. */
export type SqlRunner = {
  execute(sql: string, params?: unknown[]): Promise<unknown>
}

/**
 * The SQL runner in a Medusa context's `manager` / `transactionManager` (set by
 * `@InjectManager` / `@InjectTransactionManager`).
 * @throws Error when the context holds none (a method called without its decorator).
 */
export function sqlRunnerOf(manager: unknown): SqlRunner {
  if (
    manager &&
    typeof manager === "object" &&
    typeof (manager as { execute?: unknown }).execute === "function"
  ) {
    return manager as SqlRunner
  }
  throw new Error("line-gift module: no database manager in the context")
}

/** Runs a statement and returns its rows, typed as the statement's RETURNING/SELECT list. */
export async function sqlRows<Row>(
  runner: SqlRunner,
  sql: string,
  params: unknown[] = []
): Promise<Row[]> {
  const result = await runner.execute(sql, params)
  return Array.isArray(result) ? (result as Row[]) : []
}
