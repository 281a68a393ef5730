#!/usr/bin/env node
// Benchmark: the office directory import into a fresh database on the PostgreSQL server (and, with
// --pglite, into an in-memory PGlite). Run `npm run bench:import` after `npm run build`. Writes
// bench/results/import-offices.json with the machine's details; prints each stage's time.
import { writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, migrate, migrationsDir, openDatabase } from '@dakgraph/db';
import { importOffices } from '@dakgraph/offices';

const here = path.dirname(fileURLToPath(import.meta.url));
const runs = [];

async function measure(engine) {
  const server = engine === 'postgres' ? await createTestDatabase('dakgraph_bench') : null;
  const db = await openDatabase(server ? { url: server.url } : {});
  try {
    await migrate(db, 'offices', migrationsDir('offices'));
    const started = performance.now();
    const result = await importOffices(db, { progress: true, log: () => undefined });
    const seconds = (performance.now() - started) / 1000;
    console.log(`${engine}: imported ${result.offices} offices and ${result.pincodes} pincodes in ${seconds.toFixed(2)} s`);
    runs.push({ engine, offices: result.offices, pincodes: result.pincodes, seconds: Number(seconds.toFixed(3)) });
  } finally {
    await db.close();
    await server?.drop();
  }
}

await measure('postgres');
if (process.argv.includes('--pglite')) await measure('pglite');

const report = {
  benchmark: 'office directory import',
  at: new Date().toISOString(),
  machine: {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
    platform: `${os.platform()} ${os.release()}`,
    node: process.version,
  },
  runs,
};
mkdirSync(path.join(here, 'results'), { recursive: true });
writeFileSync(path.join(here, 'results', 'import-offices.json'), JSON.stringify(report, null, 2) + '\n');
console.log(`written to bench/results/import-offices.json`);
