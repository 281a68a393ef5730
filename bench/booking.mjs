#!/usr/bin/env node
// Benchmark: booking articles through a running graph (gateway -> articles subgraph), on demand only.
//   GATEWAY_URL=http://localhost:4000/graphql \
//   STAFF_TOKEN=<bearer token of a counter clerk with an office, from the login mutation> \
//   PARTNER_API_KEY=<dgk_... key of an ACTIVE partner> \
//   node bench/booking.mjs
// Measures single counter bookings per second (bookArticle, CASH) and bulk articles per second
// (bookArticles, 1,000 items a request), with latency percentiles, and writes bench/results/booking.json
// with the machine's details. Every request carries a fresh idempotency key, so every one books.
// Either credential may be left out to skip its half. Tunables (env): SINGLE_BOOKINGS (400),
// SINGLE_CONCURRENCY (8), BULK_REQUESTS (10), BULK_SIZE (1000), BULK_CONCURRENCY (2),
// PICKUP_PINCODE (110001), DESTINATION_PINCODE (400001). It books real articles: point it at a
// development or benchmark database, never production. The gateway's abuse limits count staff requests
// per IP (RATE_LIMIT_PER_IP_PER_MINUTE, 600) and partner requests per key (3000): the defaults stay under
// them; for longer runs start the gateway with higher limits, or RATE_LIMITED failures are counted.
import { randomUUID } from 'node:crypto';
import { machineDetails, writeResult } from './machine.mjs';
import { percentile, wholeNumberFromEnv as number } from './support.mjs';

const env = process.env;
const gatewayUrl = env.GATEWAY_URL ?? 'http://localhost:4000/graphql';
const settings = {
  singleBookings: number('SINGLE_BOOKINGS', 400),
  singleConcurrency: number('SINGLE_CONCURRENCY', 8),
  bulkRequests: number('BULK_REQUESTS', 10),
  bulkSize: number('BULK_SIZE', 1000),
  bulkConcurrency: number('BULK_CONCURRENCY', 2),
  pickupPincode: env.PICKUP_PINCODE ?? '110001',
  destinationPincode: env.DESTINATION_PINCODE ?? '400001',
};

const BOOK_ARTICLE = `mutation Book($input: BookingInput!, $key: String!) {
  bookArticle(input: $input, idempotencyKey: $key) { replayed article { articleNumber status } } }`;
const BOOK_ARTICLES = `mutation BookBulk($items: [BookingItemInput!]!, $key: String!) {
  bookArticles(items: $items, idempotencyKey: $key) { count articles { articleNumber } } }`;

const recipient = (i) => ({
  name: `Bench Recipient ${i}`,
  phone: `98${String(10_000_000 + (i % 89_999_999)).padStart(8, '0')}`,
  addressLines: [`House ${i}`, 'Bench Street'],
  pincode: settings.destinationPincode,
});
const sender = { name: 'Bench Sender', phone: '9811012345', addressLines: ['1 Bench Lane'], pincode: settings.pickupPincode };

async function post(headers, query, variables) {
  const started = performance.now();
  const response = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json().catch(() => ({ errors: [{ message: `HTTP ${response.status}, not JSON` }] }));
  return { ms: performance.now() - started, body };
}

/** Runs `total` calls of `task` with `concurrency` workers; returns the wall time and each call's outcome. */
async function run(total, concurrency, task) {
  const outcomes = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, total) }, async () => {
      while (next < total) outcomes.push(await task(next++));
    }),
  );
  return { seconds: (performance.now() - started) / 1000, outcomes };
}

function summarise(label, { seconds, outcomes }, articlesOf) {
  const ok = outcomes.filter((o) => !o.body.errors);
  const failed = outcomes.length - ok.length;
  const articles = ok.reduce((sum, o) => sum + articlesOf(o.body), 0);
  const latencies = ok.map((o) => o.ms).sort((a, b) => a - b);
  const firstError = outcomes.find((o) => o.body.errors)?.body.errors[0];
  const result = {
    requests: outcomes.length,
    failed,
    articles,
    seconds: Number(seconds.toFixed(3)),
    requestsPerSecond: Number((ok.length / seconds).toFixed(1)),
    articlesPerSecond: Number((articles / seconds).toFixed(1)),
    latencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99), max: percentile(latencies, 100) },
    ...(firstError ? { firstError: `${firstError.extensions?.code ?? 'ERROR'}: ${firstError.message}` } : {}),
  };
  console.log(`${label}: ${result.articlesPerSecond} articles/s, ${result.requestsPerSecond} requests/s, p50 ${result.latencyMs.p50} ms, p95 ${result.latencyMs.p95} ms, ${failed} failed`);
  if (firstError) console.log(`  first error: ${result.firstError}`);
  return result;
}

async function preflight() {
  try {
    const { body } = await post({}, `query Preflight($n: [String!]!) { trackArticles(articleNumbers: $n) { articleNumber } }`, { n: [] });
    if (body.errors) throw new Error(body.errors[0].message);
  } catch (error) {
    console.error(`The graph at ${gatewayUrl} cannot track articles (${error.message}). Start it (npm start) with the articles subgraph composed in, or set GATEWAY_URL.`);
    process.exit(1);
  }
}

await preflight();
const report = {
  benchmark: 'article booking through the gateway',
  at: new Date().toISOString(),
  gatewayUrl,
  settings,
  machine: machineDetails(),
  single: null,
  bulk: null,
};

if (env.STAFF_TOKEN) {
  const headers = { authorization: `Bearer ${env.STAFF_TOKEN}` };
  const task = (i) =>
    post(headers, BOOK_ARTICLE, {
      input: { sender, recipient: recipient(i), product: 'SPEED_POST_DOCUMENT', weightGrams: 20 + (i % 480), payment: 'CASH' },
      key: randomUUID(),
    });
  await task(-1); // warm-up: plans and prepared queries
  report.single = summarise(
    `bookArticle x${settings.singleBookings} (${settings.singleConcurrency} at a time)`,
    await run(settings.singleBookings, settings.singleConcurrency, task),
    (body) => (body.data?.bookArticle ? 1 : 0),
  );
} else {
  console.log('STAFF_TOKEN is not set: single counter bookings skipped');
  report.single = { skipped: 'STAFF_TOKEN not set' };
}

if (env.PARTNER_API_KEY) {
  const headers = { 'x-api-key': env.PARTNER_API_KEY };
  const items = (request) =>
    Array.from({ length: settings.bulkSize }, (_, i) => ({
      pickupPincode: settings.pickupPincode,
      sender,
      recipient: recipient(request * settings.bulkSize + i),
      product: i % 2 ? 'SPEED_POST_PARCEL' : 'SPEED_POST_DOCUMENT',
      weightGrams: 100 + (i % 900),
    }));
  const task = (request) => post(headers, BOOK_ARTICLES, { items: items(request), key: randomUUID() });
  report.bulk = summarise(
    `bookArticles x${settings.bulkRequests} of ${settings.bulkSize} (${settings.bulkConcurrency} at a time)`,
    await run(settings.bulkRequests, settings.bulkConcurrency, task),
    (body) => body.data?.bookArticles?.count ?? 0,
  );
} else {
  console.log('PARTNER_API_KEY is not set: bulk bookings skipped');
  report.bulk = { skipped: 'PARTNER_API_KEY not set' };
}

writeResult('booking', report);
