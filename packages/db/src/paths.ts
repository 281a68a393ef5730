import { existsSync } from 'node:fs';
import path from 'node:path';

/** The repository root, found from any workspace's source or build output. */
export function repoRoot(from: string = __dirname): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'turbo.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`Cannot find the dakgraph repository root above ${from}`);
    dir = parent;
  }
  return dir;
}

/** Where a subgraph's SQL migrations live. */
export const migrationsDir = (subgraph: string): string => path.join(repoRoot(), 'prisma', 'migrations', subgraph);

/**
 * Where the database is, from the environment: DATABASE_URL names a PostgreSQL server; without it an
 * embedded PGlite database lives in DAKGRAPH_DATA_DIR (default `.data/pglite` in the repository).
 */
export function databaseFromEnv(env: NodeJS.ProcessEnv = process.env): { url?: string; dataDir: string } {
  const dataDir = path.resolve(env.DAKGRAPH_DATA_DIR ?? path.join(repoRoot(), '.data', 'pglite'));
  return env.DATABASE_URL ? { url: env.DATABASE_URL, dataDir } : { dataDir };
}
