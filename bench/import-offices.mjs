#!/usr/bin/env node
// Benchmark: the office directory import into a fresh database on the PostgreSQL server (and, with
// --pglite, into an in-memory PGlite). Run `npm run bench:import` after `npm run build`. Writes
// bench/results/import-offices.json with the machine's details; prints each stage's time.
import { machineDetails, writeResult } from './machine.mjs';
import { createTestDatabase, migrate, migrationsDir, openDatabase } from '@dakgraph/db';
import { importOffices } from '@dakgraph/offices';

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
  machine: machineDetails(),
  runs,
};
writeResult('import-offices', report);
