#!/usr/bin/env node
// Benchmark: delivering articles through a running graph (gateway -> articles subgraph), on demand only.
//   RATE_LIMIT_PER_IP_PER_MINUTE=1000000 npm start            # in one terminal (SMS to .data/sms.log)
//   ADMIN_TOKEN=<bearer token of an ADMIN, from the login mutation> node bench/delivery.mjs
// Measures deliveries per second two ways, with OTP articles (OTP_DELIVERY), the OTPs read from the SMS
// the articles subgraph sent (the file sender, SMS_LOG, .data/sms.log by default):
//   - online: deliverArticle one article per request, SINGLE_CONCURRENCY (8) at a time, SINGLE_DELIVERIES (1,000);
//   - offline sync: syncDeliveryEvents, SYNC_BATCH (500) deliveries per request from each postman's
//     handheld, SYNC_CONCURRENCY (2) at a time, SYNC_DELIVERIES (5,000).
// Setting up is not timed: the bench creates (once per run, with fresh e-mails) a partner and its key, a
// counter clerk of DELIVERY_OFFICE (400001-mumbai) and one postman per 500 articles (a beat's limit),
// books the articles in bulk, receives them at the office and gives them out. It writes
// bench/results/delivery.json with the machine's details. It books and delivers real articles: point it
// at a development or benchmark database, never production. The gateway's per-IP limit (600 a minute)
// would refuse most of the single deliveries: start it with RATE_LIMIT_PER_IP_PER_MINUTE raised.
import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineDetails, writeResult } from './machine.mjs';
import { graphql, percentile, wholeNumberFromEnv as number } from './support.mjs';

const env = process.env;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const gatewayUrl = env.GATEWAY_URL ?? 'http://localhost:4000/graphql';
const settings = {
  singleDeliveries: number('SINGLE_DELIVERIES', 1000),
  singleConcurrency: number('SINGLE_CONCURRENCY', 8),
  syncDeliveries: number('SYNC_DELIVERIES', 5000),
  syncBatch: Math.min(500, number('SYNC_BATCH', 500)),
  syncConcurrency: number('SYNC_CONCURRENCY', 2),
  deliveryOffice: env.DELIVERY_OFFICE ?? '400001-mumbai',
  smsLog: env.SMS_LOG ?? path.join(root, '.data', 'sms.log'),
};
const BEAT = 500;
const PASSWORD = `bench ${randomBytes(12).toString('hex')}`;
const run = randomBytes(4).toString('hex');

const ok = (query, variables, headers) => graphql(gatewayUrl, query, variables, headers);
const bearer = (token) => ({ authorization: `Bearer ${token}` });

async function staff(admin, role, label) {
  const email = `${label}-${run}@bench.test`;
  const { createStaffUser } = await ok(
    'mutation ($input: CreateStaffUserInput!, $key: String!) { createStaffUser(input: $input, idempotencyKey: $key) { id } }',
    { input: { name: `Bench ${label}`, email, password: PASSWORD, role, officeId: settings.deliveryOffice }, key: randomUUID() },
    admin,
  );
  const { login } = await ok('mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', { e: email, p: PASSWORD });
  return { headers: bearer(login.token), id: createStaffUser.id };
}

const ISTDATE = () => new Date(Date.now() + 5.5 * 3600_000).toISOString().slice(0, 10);

/** Books `n` OTP articles for the office's pincode, receives them there and gives them out, a beat per postman. */
async function articlesOut(n, partnerKey, clerk, postmen) {
  const numbers = [];
  for (let done = 0; done < n; done += 1000) {
    const size = Math.min(1000, n - done);
    const items = Array.from({ length: size }, (_, i) => ({
      pickupPincode: '110001',
      sender: { name: 'Bench Warehouse', phone: '9811012345', addressLines: ['4 Janpath Lane'], pincode: '110001' },
      recipient: { name: `Bench buyer ${done + i}`, phone: '+91 98200 12345', addressLines: [`Flat ${i}`, 'Churchgate'], pincode: settings.deliveryOffice.slice(0, 6) },
      product: 'SPEED_POST_PARCEL',
      weightGrams: 500,
      services: ['OTP_DELIVERY'],
    }));
    const { bookArticles } = await ok('mutation ($items: [BookingItemInput!]!, $key: String!) { bookArticles(items: $items, idempotencyKey: $key) { articles { articleNumber } } }', { items, key: randomUUID() }, { 'x-api-key': partnerKey });
    const batch = bookArticles.articles.map((a) => a.articleNumber);
    await ok('mutation ($events: [TrackingEventInput!]!, $key: String!) { recordTrackingEvents(events: $events, idempotencyKey: $key) { events { sequence } } }', {
      events: batch.map((articleNumber) => ({ articleNumber, type: 'ARRIVED_AT_DELIVERY_OFFICE' })),
      key: randomUUID(),
    }, clerk.headers);
    numbers.push(...batch);
  }
  const beats = postmen.map((postman, k) => ({ postman, numbers: numbers.slice(k * BEAT, (k + 1) * BEAT) })).filter((beat) => beat.numbers.length);
  for (const { postman, numbers: beat } of beats) {
    await ok('mutation ($input: AssignForDeliveryInput!, $key: String!) { assignForDelivery(input: $input, idempotencyKey: $key) { articles { articleNumber } } }', {
      input: { postmanId: postman.id, articleNumbers: beat, date: ISTDATE() },
      key: randomUUID(),
    }, clerk.headers);
  }
  return beats;
}

/** The OTP of each article, from the OUT_FOR_DELIVERY_OTP texts in the file sender's log (waits for all of them). */
async function otpsFromSms(numbers) {
  const wanted = new Set(numbers);
  const otps = new Map();
  const deadline = Date.now() + 300_000;
  while (otps.size < wanted.size) {
    if (Date.now() > deadline) throw new Error(`only ${otps.size} of ${wanted.size} OTP texts reached ${settings.smsLog}: is NOTIFICATION_SENDER the file sender there?`);
    const text = await readFile(settings.smsLog, 'utf8').catch(() => '');
    for (const line of text.split('\n')) {
      if (!line.includes('OUT_FOR_DELIVERY_OTP')) continue;
      const sms = JSON.parse(line);
      const articleNumber = /[A-Z]{2}\d{9}[A-Z]{2}/.exec(sms.text)?.[0];
      if (!articleNumber || !wanted.has(articleNumber)) continue;
      const otp = /\b(\d{6})\b/.exec(sms.text.replace(articleNumber, ''))?.[1];
      if (otp) otps.set(articleNumber, otp);
    }
    if (otps.size < wanted.size) await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return otps;
}

async function timed(jobs, concurrency, work) {
  const latencies = [];
  let failures = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, jobs.length) }, async () => {
      while (next < jobs.length) {
        const job = jobs[next++];
        const t0 = performance.now();
        try {
          await work(job);
        } catch (error) {
          failures += 1;
          if (failures <= 3) console.error(`  failed: ${error.message}`);
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { seconds: Number(seconds.toFixed(2)), failures, p50Ms: percentile(latencies, 50), p95Ms: percentile(latencies, 95), p99Ms: percentile(latencies, 99) };
}

async function main() {
  if (!env.ADMIN_TOKEN) throw new Error('ADMIN_TOKEN must be the Bearer token of an ADMIN (login mutation)');
  const admin = bearer(env.ADMIN_TOKEN);
  const { createPartner } = await ok(
    `mutation ($key: String!) { createPartner(idempotencyKey: $key, input: { name: "Bench Logistics ${run}", contactEmail: "ops-${run}@bench.test", discountBasisPoints: 0, codAllowed: true,
      remittanceAccount: { holder: "Bench", accountNumber: "123456789012", ifsc: "SBIN0000691" } }) { id } }`,
    { key: randomUUID() },
    admin,
  );
  const { createApiKey } = await ok('mutation ($id: ID!, $key: String!) { createApiKey(partnerId: $id, label: "bench", idempotencyKey: $key) { apiKey } }', { id: createPartner.id, key: randomUUID() }, admin);
  const clerk = await staff(admin, 'COUNTER_CLERK', 'clerk');
  const postmenFor = async (n, label) => Promise.all(Array.from({ length: Math.ceil(n / BEAT) }, (_, k) => staff(admin, 'POSTMAN', `${label}-${k}`)));

  console.log(`setting up ${settings.singleDeliveries} articles for online delivery...`);
  const singleBeats = await articlesOut(settings.singleDeliveries, createApiKey.apiKey, clerk, await postmenFor(settings.singleDeliveries, 'postman-online'));
  const singleOtps = await otpsFromSms(singleBeats.flatMap((beat) => beat.numbers));
  const singleJobs = singleBeats.flatMap(({ postman, numbers }) => numbers.map((articleNumber) => ({ postman, articleNumber })));
  console.log(`deliverArticle x ${singleJobs.length}, ${settings.singleConcurrency} at a time...`);
  const single = await timed(singleJobs, settings.singleConcurrency, async ({ postman, articleNumber }) => {
    await ok('mutation ($input: DeliverArticleInput!, $key: String!) { deliverArticle(input: $input, idempotencyKey: $key) { article { status } } }', {
      input: { articleNumber, otp: singleOtps.get(articleNumber), receivedBy: 'Asha Rao' },
      key: randomUUID(),
    }, postman.headers);
  });

  console.log(`setting up ${settings.syncDeliveries} articles for offline sync...`);
  const syncBeats = await articlesOut(settings.syncDeliveries, createApiKey.apiKey, clerk, await postmenFor(settings.syncDeliveries, 'postman-offline'));
  const syncOtps = await otpsFromSms(syncBeats.flatMap((beat) => beat.numbers));
  const syncJobs = [];
  for (const { postman, numbers } of syncBeats) {
    const { registerDeliveryDevice } = await ok('mutation ($key: String!) { registerDeliveryDevice(label: "bench handheld", idempotencyKey: $key) { device { id } } }', { key: randomUUID() }, postman.headers);
    for (let i = 0; i < numbers.length; i += settings.syncBatch) {
      const now = Date.now();
      syncJobs.push({
        postman,
        deviceId: registerDeliveryDevice.device.id,
        events: numbers.slice(i, i + settings.syncBatch).map((articleNumber, j) => ({
          clientEventId: `bench-${articleNumber}`,
          articleNumber,
          kind: 'DELIVERED',
          occurredAt: new Date(now - 1000 + j).toISOString(),
          otp: syncOtps.get(articleNumber),
          receivedBy: 'Asha Rao',
        })),
      });
    }
  }
  console.log(`syncDeliveryEvents x ${syncJobs.length} (${settings.syncBatch} a sync), ${settings.syncConcurrency} at a time...`);
  let syncApplied = 0;
  const sync = await timed(syncJobs, settings.syncConcurrency, async ({ postman, deviceId, events }) => {
    const { syncDeliveryEvents } = await ok(
      'mutation ($d: ID!, $e: [DeliverySyncEventInput!]!) { syncDeliveryEvents(deviceId: $d, events: $e) { applied rejected results { code } } }',
      { d: deviceId, e: events },
      postman.headers,
    );
    syncApplied += syncDeliveryEvents.applied;
    if (syncDeliveryEvents.rejected) throw new Error(`${syncDeliveryEvents.rejected} rejected: ${syncDeliveryEvents.results.find((r) => r.code)?.code}`);
  });

  const report = {
    benchmark: 'delivery',
    at: new Date().toISOString(),
    gatewayUrl,
    settings,
    machine: machineDetails(),
    online: { deliveries: singleJobs.length, ...single, deliveriesPerSecond: Number(((singleJobs.length - single.failures) / single.seconds).toFixed(1)) },
    offlineSync: { requests: syncJobs.length, deliveries: syncApplied, ...sync, deliveriesPerSecond: Number((syncApplied / sync.seconds).toFixed(1)) },
  };
  console.log(JSON.stringify({ online: report.online, offlineSync: report.offlineSync }, null, 2));
  writeResult('delivery', report);
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
