import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { migrate, migrationsDir, openDatabase, repoRoot, type Database } from '../src';
import { describeSchema } from './catalog';

/**
 * Fails when a subgraph's Prisma schema and its SQL migrations drift apart: the database the migrations
 * build must equal the one Prisma would build from the schema alone. Indexes Prisma cannot express
 * (expression or partial indexes, hand-written in migrations) are the only allowed extra.
 */
const root = repoRoot();
const subgraphs = readdirSync(path.join(root, 'prisma')).filter((name) =>
  existsSync(path.join(root, 'prisma', name, 'schema.prisma')),
);

function prismaScriptFromEmpty(subgraph: string): string {
  return execFileSync(
    process.execPath,
    [path.join(root, 'node_modules', 'prisma', 'build', 'index.js'), 'migrate', 'diff', '--from-empty',
      '--to-schema-datamodel', path.join('prisma', subgraph, 'schema.prisma'), '--script'],
    {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: 'postgresql://drift@127.0.0.1:5432/drift', PRISMA_SUBGRAPH: subgraph, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  ).replace(/^Loaded Prisma config.*$/m, '');
}

describe.each(subgraphs)('the %s Prisma schema and its migrations', (subgraph) => {
  let migrated: Database;
  let fromPrisma: Database;

  beforeAll(async () => {
    migrated = await openDatabase({});
    fromPrisma = await openDatabase({});
    await migrate(migrated, subgraph, migrationsDir(subgraph));
    await fromPrisma.exec('CREATE EXTENSION IF NOT EXISTS pg_trgm; CREATE EXTENSION IF NOT EXISTS cube; CREATE EXTENSION IF NOT EXISTS earthdistance;');
    await fromPrisma.exec(prismaScriptFromEmpty(subgraph));
  }, 120_000);

  afterAll(async () => {
    await migrated?.close();
    await fromPrisma?.close();
  });

  it('build the same tables, columns, constraints, enums and indexes', async () => {
    const expected = await describeSchema(fromPrisma, subgraph);
    const actual = await describeSchema(migrated, subgraph);
    expect(actual.columns).toEqual(expected.columns);
    expect(actual.constraints).toEqual(expected.constraints);
    expect(actual.enums).toEqual(expected.enums);
    expect(actual.indexes).toEqual(expected.indexes);
    expect(expected.columns.length).toBeGreaterThan(0);
  });
});
