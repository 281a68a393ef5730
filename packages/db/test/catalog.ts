import type { SqlSession } from '../src';

/** The parts of a schema that must match between the Prisma model and the migrated database. */
export async function describeSchema(db: SqlSession, schema: string) {
  const columns = await db.query<{ line: string }>(
    `SELECT table_name || '.' || column_name || ' ' || udt_name || coalesce('(' || character_maximum_length || ')', '')
            || CASE WHEN is_nullable = 'NO' THEN ' not null' ELSE '' END
            || coalesce(' default ' || column_default, '') AS line
       FROM information_schema.columns WHERE table_schema = $1 AND table_name <> '_migrations' ORDER BY 1`,
    [schema],
  );
  const constraints = await db.query<{ line: string }>(
    `SELECT c.relname || ' ' || con.conname || ' ' || pg_get_constraintdef(con.oid) AS line
       FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname <> '_migrations'
        -- CHECK constraints and constraint triggers (the ledger's rules) are the migrations' own, like
        -- partial indexes: Prisma cannot express them.
        AND con.contype NOT IN ('c', 't') ORDER BY 1`,
    [schema],
  );
  const enums = await db.query<{ line: string }>(
    `SELECT t.typname || ' ' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) AS line
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = $1 GROUP BY t.typname ORDER BY 1`,
    [schema],
  );
  const indexes = await db.query<{ line: string; expression: boolean }>(
    `SELECT pg_get_indexdef(i.indexrelid) AS line, (i.indexprs IS NOT NULL OR i.indpred IS NOT NULL) AS expression
       FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname <> '_migrations' ORDER BY 1`,
    [schema],
  );
  return {
    columns: columns.map((r) => r.line),
    constraints: constraints.map((r) => r.line),
    enums: enums.map((r) => r.line),
    indexes: indexes.filter((r) => !r.expression).map((r) => r.line),
    expressionIndexes: indexes.filter((r) => r.expression).map((r) => r.line),
  };
}
