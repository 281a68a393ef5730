import type { SqlSession } from './database';

export interface PurgeOptions {
  /** Schema-qualified table, from our own code (not user input), e.g. "articles.idempotency_record". */
  table: string;
  /** A timestamp column; rows older than `before` go. It should be indexed, or each batch scans the table. */
  column: string;
  before: Date;
  /** Rows per statement: small enough that no statement holds its locks for long. */
  batchSize?: number;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * Deletes rows older than a cut-off in batches, one short statement per batch, so that a purge of a
 * national day's worth of rows (lakhs) never blocks the writers that keep adding new ones. Returns how
 * many rows went.
 */
export async function purgeRowsOlderThan(db: SqlSession, options: PurgeOptions): Promise<number> {
  const parts = options.table.split('.');
  if (parts.length !== 2 || !parts.every((part) => IDENTIFIER.test(part)) || !IDENTIFIER.test(options.column)) {
    throw new Error(`purgeRowsOlderThan needs a schema.table and a column of lower-case identifiers, not ${options.table}.${options.column}`);
  }
  const batchSize = options.batchSize ?? 5_000;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be a positive integer, not ${batchSize}`);
  // ctid picks the batch without knowing the table's key; the outer WHERE repeats the condition so a
  // row that a concurrent update moved is never deleted by a stale ctid.
  const sql =
    `WITH gone AS (DELETE FROM ${options.table} WHERE ctid = ANY (ARRAY(` +
    `SELECT ctid FROM ${options.table} WHERE "${options.column}" < $1 LIMIT ${batchSize})) AND "${options.column}" < $1 RETURNING 1) ` +
    'SELECT count(*)::int AS n FROM gone';
  let total = 0;
  for (;;) {
    const [row] = await db.query<{ n: number }>(sql, [options.before]);
    const deleted = row?.n ?? 0;
    total += deleted;
    if (deleted < batchSize) return total;
  }
}
