#!/usr/bin/env node
// Composes the supergraph at build time (never at gateway start): `node scripts/compose.mjs [out-file]`.
// Runs after tsc (it uses dist/compose.js). Composition errors are printed and fail the build.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { composeSupergraph, readSubgraphList, GATEWAY_DIR } = require('../dist/compose.js');
const out = path.resolve(process.argv[2] ?? path.join(GATEWAY_DIR, 'dist', 'supergraph.graphql'));

try {
  const subgraphs = readSubgraphList();
  const { supergraphSdl, hints } = composeSupergraph(subgraphs);
  for (const hint of hints) console.warn(`compose hint: ${hint}`);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, supergraphSdl);
  console.log(`compose: ${subgraphs.map((s) => s.name).join(', ')} -> ${path.relative(process.cwd(), out)}`);
} catch (error) {
  console.error(`compose: ${error.message}`);
  process.exit(1);
}
