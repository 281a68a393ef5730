#!/usr/bin/env node
// Benchmark: UPI payments of counter bookings through a running graph, on demand only.
//   RATE_LIMIT_PER_IP_PER_MINUTE=1000000 npm start            # in one terminal
//   ADMIN_TOKEN=<bearer token of an ADMIN with an office, from the login mutation> node bench/payments.mjs
// Measures three things, PAYMENTS (1,000) of them, CONCURRENCY (8) requests at a time:
//   - createPayment (UPI_QR, with the deep link; the QR codes are drawn only when asked, and are not here);
//   - provider callbacks: POST /payments/callback, signed per Standard Webhooks with PSP_CALLBACK_SECRET (or
//     pspCallbackSecret from .data/secrets.json), each capturing one payment (ledger transaction and event);
//   - confirmation: from the first callback until every article is BOOKED (payment.captured through the
//     events to articles' consumer), i.e. bookings confirmed per second end to end.
// Setting up is not timed: the bench books the articles LATER at the admin's counter in advance. It writes
// bench/results/payments.json with the machine's details. It books real articles and takes (simulated)
// payments: point it at a development or benchmark database, never production.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { signCallback } from '../subgraphs/payments/dist/psp.js';
import { machineDetails, writeResult } from './machine.mjs';
import { graphql, percentile, wholeNumberFromEnv as number } from './support.mjs';

const env = process.env;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const gatewayUrl = env.GATEWAY_URL ?? 'http://localhost:4000/graphql';
const origin = gatewayUrl.replace(/\/graphql$/, '');
const settings = { payments: number('PAYMENTS', 1000), concurrency: number('CONCURRENCY', 8) };

function pspSecret() {
  if (env.PSP_CALLBACK_SECRET) return env.PSP_CALLBACK_SECRET;
  const file = path.join(root, '.data', 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')).pspCallbackSecret;
  throw new Error('set PSP_CALLBACK_SECRET (or run npm start once, which keeps pspCallbackSecret in .data/secrets.json)');
}

/** Runs `work` over `items`, `concurrency` at a time; the seconds it took and each item's milliseconds. */
async function timed(items, concurrency, work) {
  const latencies = [];
  let failures = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const item = items[next++];
        const t = performance.now();
        try {
          await work(item);
        } catch (error) {
          failures += 1;
          if (failures <= 3) console.error(error.message);
        }
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { seconds: Number(seconds.toFixed(2)), failures, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), perSecond: Number(((items.length - failures) / seconds).toFixed(1)) };
}

async function main() {
  if (!env.ADMIN_TOKEN) throw new Error('ADMIN_TOKEN must be the bearer token of an admin with an office (see the header of this file)');
  const admin = { authorization: `Bearer ${env.ADMIN_TOKEN}` };
  const secret = pspSecret();
  const party = (name, pincode) => ({ name, phone: '+919810012345', addressLines: ['4 Janpath Lane'], pincode });
  console.log(`booking ${settings.payments} articles LATER at the admin's counter...`);
  const articles = [];
  await timed(Array.from({ length: settings.payments }), settings.concurrency, async () => {
    const { bookArticle } = await graphql(gatewayUrl, 'mutation ($input: BookingInput!, $key: String!) { bookArticle(input: $input, idempotencyKey: $key) { article { articleNumber } } }', {
      input: { sender: party('Bench sender', '110001'), recipient: party('Bench recipient', '400001'), product: 'SPEED_POST_DOCUMENT', weightGrams: 40, payment: 'LATER' },
      key: randomUUID(),
    }, admin);
    articles.push(bookArticle.article.articleNumber);
  });

  const payments = [];
  const create = await timed(articles, settings.concurrency, async (articleNumber) => {
    const { createPayment } = await graphql(gatewayUrl, 'mutation ($n: String!, $key: String!) { createPayment(input: { articleNumber: $n, method: UPI_QR }, idempotencyKey: $key) { reference amountPaise upi { deepLink } } }', { n: articleNumber, key: randomUUID() }, admin);
    payments.push(createPayment);
  });
  console.log('createPayment', create);

  const confirmedFrom = performance.now();
  let txn = 100_000_000_000;
  const callbacks = await timed(payments, settings.concurrency, async (payment) => {
    const signed = signCallback(secret, { reference: payment.reference, status: 'SUCCESS', amountPaise: payment.amountPaise, providerTransactionId: String(txn++), payerVpa: 'bench@upi' });
    const response = await fetch(`${origin}/payments/callback`, { method: 'POST', headers: signed.headers, body: signed.body });
    const body = await response.json();
    if (response.status !== 200 || body.outcome !== 'CAPTURED') throw new Error(`callback answered ${response.status} ${JSON.stringify(body)}`);
  });
  console.log('callbacks', callbacks);

  // Every article booked: trackArticles in chunks of 500, until none still awaits payment.
  for (;;) {
    let waiting = 0;
    for (let i = 0; i < articles.length; i += 500) {
      const { trackArticles } = await graphql(gatewayUrl, 'query ($n: [String!]!) { trackArticles(articleNumbers: $n) { status } }', { n: articles.slice(i, i + 500) });
      waiting += trackArticles.filter((a) => a.status === 'AWAITING_PAYMENT').length;
    }
    if (waiting === 0) break;
    if (performance.now() - confirmedFrom > 600_000) throw new Error(`${waiting} articles still await payment after 10 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const confirmSeconds = (performance.now() - confirmedFrom) / 1000;
  const confirmation = { seconds: Number(confirmSeconds.toFixed(2)), bookingsConfirmedPerSecond: Number((articles.length / confirmSeconds).toFixed(1)) };
  console.log('confirmation', confirmation);
  writeResult('payments', { benchmark: 'payments', at: new Date().toISOString(), gatewayUrl, settings, machine: machineDetails(), createPayment: create, callbacks, confirmation });
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
