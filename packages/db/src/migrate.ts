import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Database } from './database';

/**
 * Our own migration runner. `prisma migrate deploy` needs a native schema engine that cannot be
 * downloaded here, so migrations are plain ordered SQL files (written with `prisma migrate diff`,
 * plus hand-written ones for what Prisma cannot express), applied by this runner:
 *  - files `prisma/migrations/<subgraph>/NNNN_name.sql`, applied in name order;
 *  - each pending file in its own transaction together with its record, so a failure leaves nothing half-done;
 *  - each applied file recorded with a SHA-256 checksum; if an applied file has since changed, or disappeared,
 *    we refuse to run: a migration is history, and editing it would make databases silently differ;
 *  - an advisory lock so two processes starting together do not both migrate.
 */

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: string[];
}

export class MigrationError extends Error {}

const FILE_PATTERN = /^\d{4}_[a-z0-9_]+\.sql$/;

export function readMigrations(directory: string): MigrationFile[] {
  const names = readdirSync(directory).filter((name) => name.endsWith('.sql')).sort();
  for (const name of names) {
    if (!FILE_PATTERN.test(name)) {
      throw new MigrationError(`Migration file ${name} in ${directory} must be named NNNN_lower_snake_case.sql`);
    }
  }
  return names.map((name) => {
    const sql = readFileSync(path.join(directory, name), 'utf8');
    return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
  });
}

/** Stable 32-bit key for pg_advisory_xact_lock, one per schema. */
function lockKey(schema: string): number {
  return createHash('sha256').update(`dakgraph:migrate:${schema}`).digest().readInt32BE(0);
}

/**
 * Applies the pending migrations of one subgraph's schema. Records live in `<schema>._migrations`
 * because each subgraph owns its schema and nothing outside it.
 */
export async function migrate(db: Database, schema: string, directory: string): Promise<MigrationResult> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new MigrationError(`Invalid schema name ${schema}`);
  const files = readMigrations(directory);
  const table = `"${schema}"."_migrations"`;

  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [lockKey(schema)]);
    await tx.exec(`
      CREATE SCHEMA IF NOT EXISTS "${schema}";
      CREATE TABLE IF NOT EXISTS ${table} (
        name text PRIMARY KEY,
        checksum text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      );`);
    const rows = await tx.query<{ name: string; checksum: string }>(`SELECT name, checksum FROM ${table} ORDER BY name`);
    const recorded = new Map(rows.map((row) => [row.name, row.checksum]));
    const byName = new Map(files.map((file) => [file.name, file]));

    for (const [name, checksum] of recorded) {
      const file = byName.get(name);
      if (!file) {
        throw new MigrationError(`Migration ${name} was applied to schema ${schema} but its file is missing from ${directory}`);
      }
      if (file.checksum !== checksum) {
        throw new MigrationError(
          `Migration ${name} was changed after it was applied to schema ${schema} ` +
            `(checksum ${checksum.slice(0, 12)} recorded, ${file.checksum.slice(0, 12)} now). ` +
            'Restore the file and add a new migration instead.',
        );
      }
    }

    const applied: string[] = [];
    for (const file of files) {
      if (recorded.has(file.name)) continue;
      // Everything runs inside the one transaction: PostgreSQL DDL is transactional, so a
      // failing file rolls back the files before it in this run too, and their records.
      try {
        await tx.exec(file.sql);
      } catch (error) {
        throw new MigrationError(`Migration ${file.name} failed: ${(error as Error).message}`);
      }
      await tx.query(`INSERT INTO ${table} (name, checksum) VALUES ($1, $2)`, [file.name, file.checksum]);
      applied.push(file.name);
    }
    return { applied, alreadyApplied: [...recorded.keys()] };
  });
}
