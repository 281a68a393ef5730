import { createHash } from 'node:crypto';
import { toCopyText, type Database } from './database';

/**
 * Reference data that a subgraph copies from a public source and serves read-only (the office directory,
 * pincode centroids). The copy is replaced whole, and only when the source changed: a checksum of the
 * rows is recorded, so restarts skip an unchanged import and a changed one swaps in atomically (readers
 * see the old copy until the new one commits).
 */
export interface SnapshotTable {
  /** Schema-qualified table, from our own code (not user input). */
  table: string;
  columns: string[];
  rows: readonly (readonly unknown[])[];
}

export interface SnapshotOptions {
  /** Names the source in the record table (one row per source). */
  source: string;
  /**
   * Where imports are recorded: a table with `source` (primary key), `checksum`, `office_count` and
   * `imported_at` columns, in the subgraph's own schema.
   */
  recordTable: string;
  /** Stored in the record's office_count, for people reading the table. */
  officeCount: number;
  /** Loaded in this order (parents before children when there are foreign keys). */
  tables: SnapshotTable[];
  force?: boolean;
  /** Called as rows are loaded, for progress bars. */
  onRows?: (table: string, rows: number) => void;
}

export interface SnapshotResult {
  skipped: boolean;
  checksum: string;
}

const CHUNK_ROWS = 20_000;

export function snapshotChecksum(tables: SnapshotTable[]): string {
  const hash = createHash('sha256');
  for (const { table, rows } of tables) {
    hash.update(table);
    for (let i = 0; i < rows.length; i += CHUNK_ROWS) hash.update(JSON.stringify(rows.slice(i, i + CHUNK_ROWS)));
  }
  return hash.digest('hex');
}

export async function replaceSnapshot(db: Database, options: SnapshotOptions): Promise<SnapshotResult> {
  const checksum = snapshotChecksum(options.tables);
  if (!options.force) {
    const [previous] = await db.query<{ checksum: string }>(`SELECT checksum FROM ${options.recordTable} WHERE source = $1`, [options.source]);
    if (previous?.checksum === checksum) return { skipped: true, checksum };
  }
  await db.transaction(async (tx) => {
    await tx.exec(`TRUNCATE ${options.tables.map((t) => t.table).join(', ')}`);
    for (const { table, columns, rows } of options.tables) {
      // Chunks keep one COPY's text, and memory, modest.
      for (let i = 0; i < rows.length; i += CHUNK_ROWS) {
        const chunk = rows.slice(i, i + CHUNK_ROWS);
        await tx.copyFrom(table, columns, toCopyText(chunk));
        options.onRows?.(table, chunk.length);
      }
    }
    await tx.query(
      `INSERT INTO ${options.recordTable} (source, checksum, office_count, imported_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (source) DO UPDATE SET checksum = EXCLUDED.checksum, office_count = EXCLUDED.office_count,
         imported_at = EXCLUDED.imported_at`,
      [options.source, checksum, options.officeCount],
    );
  });
  // Fresh statistics let the planner use the indexes right after a bulk load.
  await db.exec(options.tables.map((t) => `ANALYZE ${t.table};`).join(' '));
  return { skipped: false, checksum };
}

/** What a subgraph's reference import takes (offices' directory import, the copies in other subgraphs). */
export interface SnapshotImportOptions {
  /** Re-import even if the same data was imported before. */
  force?: boolean;
  /** Say what is happening (on by default); a first import takes seconds. */
  progress?: boolean;
  log?: (line: string) => void;
}

/** What a reference import did. */
export interface SnapshotImportResult {
  skipped: boolean;
  offices: number;
  pincodes: number;
  checksum: string;
  milliseconds: number;
}

/** A subgraph's read-only copy of reference data taken from the office directory. */
export interface ReferenceCopy {
  /** The subgraph, whose schema holds the tables and records the import in `<subgraph>.reference_import`. */
  subgraph: string;
  /** Names what the copy is made of; a change of shape should change it. */
  source: string;
  tables: SnapshotTable[];
  /** For the progress line and the result. */
  offices: number;
  pincodes: number;
}

/**
 * replaceSnapshot for a subgraph's reference copy, with the one progress line and the result every
 * subgraph reports (the first start takes seconds; later ones skip an unchanged copy).
 */
export async function copyReferenceData(db: Database, copy: ReferenceCopy, options: SnapshotImportOptions = {}): Promise<SnapshotImportResult> {
  const started = Date.now();
  const log = options.log ?? ((line: string) => console.log(line));
  let announced = false;
  const { skipped, checksum } = await replaceSnapshot(db, {
    source: copy.source,
    recordTable: `${copy.subgraph}.reference_import`,
    officeCount: copy.offices,
    force: options.force,
    tables: copy.tables,
    onRows() {
      if (announced || options.progress === false) return;
      announced = true;
      log(`Copying the office directory (${copy.offices} offices, ${copy.pincodes} pincodes) for ${copy.subgraph} into ${db.description}…`);
    },
  });
  return { skipped, offices: copy.offices, pincodes: copy.pincodes, checksum, milliseconds: Date.now() - started };
}
