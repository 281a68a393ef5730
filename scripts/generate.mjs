#!/usr/bin/env node
// Generates a subgraph's Prisma client: `node scripts/generate.mjs <subgraph>`.
// The CLI wants DATABASE_URL even to generate (without it, it tries to download an engine),
// so any well-formed URL is supplied when none is set; nothing connects to it.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const subgraph = process.argv[2];
if (!subgraph || !/^[a-z]+$/.test(subgraph)) {
  console.error('usage: node scripts/generate.mjs <subgraph>');
  process.exit(2);
}
const prisma = path.join(root, 'node_modules', 'prisma', 'build', 'index.js');
const result = spawnSync(process.execPath, [prisma, 'generate', '--schema', `prisma/${subgraph}/schema.prisma`], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    DATABASE_URL: process.env.DATABASE_URL ?? 'postgresql://generate@127.0.0.1:5432/generate',
    PRISMA_SUBGRAPH: subgraph,
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
  },
});
process.exit(result.status ?? 1);
