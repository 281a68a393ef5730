#!/usr/bin/env node
// Benchmark: a scaled national day through the gateway, on demand only, and what the full day would take.
//   DATABASE_URL=postgres://... DAKGRAPH_ADMIN_EMAIL=admin@dak.test DAKGRAPH_ADMIN_PASSWORD='...' npm start
//   ADMIN_EMAIL=admin@dak.test ADMIN_PASSWORD='...' GATEWAY_URL=http://localhost:4000/graphql node bench/national-day.mjs
// It runs the demo day (packages/demo, `npm run build` first): ARTICLES (3,000) booked at counters and by
// partners in bulk over real offices in proportion to each circle's offices, LATER ones paid by UPI QR
// (signed provider callbacks) or cash, moved through bagging, dispatch and arrival in batches, given to
// postmen and delivered with OTPs, failed attempts and returns, some synced offline; CONCURRENCY (8)
// requests in flight. Each part's articles (or events) a second, and the full day projected from them:
// 32 lakh bookings, their movement in the same proportion of events per article, and 37 lakh deliveries,
// one part after another on this machine (the real day overlaps them, so this is an upper bound).
// Writes bench/results/national-day.json with the machine's details. PSP_CALLBACK_SECRET comes from the
// environment or .data/secrets.json (npm start's). It books real articles: never against production.
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolvePspCallbackSecret, runDemoDay } from '@dakgraph/demo';
import { machineDetails, writeResult } from './machine.mjs';
import { wholeNumberFromEnv as number } from './support.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;
const settings = {
  gatewayUrl: env.GATEWAY_URL ?? 'http://localhost:4000/graphql',
  articles: number('ARTICLES', 3000),
  concurrency: number('CONCURRENCY', 8),
  seed: number('SEED', Math.floor(Date.now() / 1000) % 100000),
};
if (!env.ADMIN_EMAIL || !env.ADMIN_PASSWORD) throw new Error('ADMIN_EMAIL and ADMIN_PASSWORD must name an admin of the running graph');
const psp = resolvePspCallbackSecret(env, root, (file) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
});
if ('message' in psp) throw new Error(psp.message);

const NATIONAL = { bookings: 32_00_000, deliveries: 37_00_000 };
const phases = [];
const summary = await runDemoDay({
  gatewayUrl: settings.gatewayUrl,
  admin: { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD },
  articles: settings.articles,
  seed: settings.seed,
  concurrency: settings.concurrency,
  pspCallbackSecret: psp.secret,
  log: (line) => console.log(line),
  onPhase: (phase) => phases.push(phase),
});
const seconds = (name) => (phases.find((phase) => phase.name === name)?.ms ?? 0) / 1000;
const rate = (count, s) => (s > 0 ? Number((count / s).toFixed(1)) : null);
const parts = {
  bookings: { count: summary.booked.total, seconds: seconds('bookings') },
  laterPayments: { count: summary.paid.later.UPI_QR + summary.paid.later.CASH, seconds: seconds('payments of LATER bookings') },
  movementEvents: { count: summary.movementEvents, seconds: seconds('bagging, sorting and arrival') },
  // Delivery includes handing out beats, OTP deliveries, failed attempts, returns and offline syncs.
  deliveries: { count: summary.delivered, seconds: seconds('delivery') },
};
for (const part of Object.values(parts)) part.perSecond = rate(part.count, part.seconds);

// The full day, part by part at these rates: bookings (and the LATER share's payments), the movement of
// that many articles, and 37 lakh deliveries.
const scale = NATIONAL.bookings / summary.booked.total;
const projectedSeconds =
  parts.bookings.seconds * scale +
  parts.laterPayments.seconds * scale +
  parts.movementEvents.seconds * scale +
  parts.deliveries.seconds * (NATIONAL.deliveries / Math.max(1, summary.delivered));
const report = {
  benchmark: 'national-day',
  at: new Date().toISOString(),
  machine: machineDetails(),
  settings: { ...settings, gatewayUrl: settings.gatewayUrl },
  parts,
  phases,
  day: { booked: summary.booked, delivered: summary.delivered, failedAttempts: summary.failedAttempts.total, returned: summary.returned, syncedOffline: summary.syncedOffline, requests: summary.requests, rateLimitedWaits: summary.rateLimitedWaits, elapsedSeconds: summary.elapsedMs / 1000 },
  projection: {
    national: NATIONAL,
    minutes: Number((projectedSeconds / 60).toFixed(1)),
    targetMinutes: 30,
  },
};
console.log(
  `\n${Object.entries(parts).map(([name, part]) => `${name}: ${part.count} in ${part.seconds.toFixed(1)} s = ${part.perSecond}/s`).join('\n')}\n` +
    `the full day (32 lakh bookings, 37 lakh deliveries) one part after another at these rates: ${report.projection.minutes} minutes (target 30)`,
);
writeResult('national-day', report);
