import type { RawSql } from '@dakgraph/graphql-kit';

// Table names are spliced into SQL (identifiers cannot be parameters), so every table a caller names is
// checked to be a plain schema.table from our own code.
const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** Returns `table` when it is `schema.table` of lower-case identifiers; throws otherwise. */
export function checkTable(table: string): string {
  const parts = table.split('.');
  if (parts.length !== 2 || !parts.every((part) => IDENTIFIER.test(part))) {
    throw new Error(`expected a schema.table of lower-case identifiers, not "${table}"`);
  }
  return table;
}

/** Returns `schema` when it is a lower-case identifier; throws otherwise. */
export function checkSchema(schema: string): string {
  if (!IDENTIFIER.test(schema)) throw new Error(`expected a lower-case schema name, not "${schema}"`);
  return schema;
}

/**
 * Deletes rows matching `condition` (which uses `$1`) in batches of `batchSize`, one short statement a
 * batch, so a purge never holds locks that writers wait on for long. ctid picks a batch without knowing
 * the key; the outer WHERE repeats the condition so a row a concurrent update moved is never deleted by
 * a stale ctid (as purgeRowsOlderThan in @dakgraph/db, but over the Prisma-shaped RawSql).
 */
export async function deleteInBatches(db: RawSql, table: string, condition: string, value: unknown, batchSize: number): Promise<number> {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be a positive integer, not ${batchSize}`);
  const sql =
    `WITH gone AS (DELETE FROM ${checkTable(table)} WHERE ctid = ANY (ARRAY(SELECT ctid FROM ${table} WHERE ${condition} LIMIT ${batchSize})) ` +
    `AND ${condition} RETURNING 1) SELECT count(*)::int AS n FROM gone`;
  let total = 0;
  for (;;) {
    const [row] = await db.$queryRawUnsafe<{ n: number }[]>(sql, value);
    const deleted = Number(row?.n ?? 0);
    total += deleted;
    if (deleted < batchSize) return total;
  }
}
