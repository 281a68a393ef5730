#!/usr/bin/env node
// Benchmark: operations reports over millions of articles, on demand only.
//   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/dakgraph_bench RATE_LIMIT_PER_IP_PER_MINUTE=1000000 \
//     DAKGRAPH_ADMIN_EMAIL=admin@dak.test DAKGRAPH_ADMIN_PASSWORD='a long enough admin password' npm start   # one terminal
//   DATABASE_URL=<the same> ADMIN_TOKEN=<an ADMIN's bearer token> node bench/analytics.mjs                     # another
// 1. Makes ARTICLES (3,000,000) articles over the last DAYS (30) IST days in bulk SQL, straight into the
//    articles subgraph's tables (a benchmark's data, not a day's work: no events), spread over real offices
//    at random (so roughly in proportion to each circle's share of offices): each booked, 80% delivered
//    (a tenth of those late), 10% with a failed attempt, 3% returned, 8% cash on delivery in payments'
//    collections. Skipped when the database already holds them (article numbers BN...).
// 2. Rebuilds the rollups from those tables (npm run rollups:rebuild's code) and times it (REBUILD=0 skips it).
// 3. Asks the gateway, RUNS (50) times each, for the national report over the DAYS and a circle's report
//    by division (with division and circle names, through federation), and for the 30-day series; writes
//    bench/results/analytics.json with the machine's details.
// It writes millions of rows: point it at a benchmark database, never production.
import { openDatabase } from '../packages/db/dist/index.js';
import { rebuildRollups } from '../subgraphs/analytics/dist/server.js';
import { machineDetails, writeResult } from './machine.mjs';
import { graphql, percentile, wholeNumberFromEnv as number } from './support.mjs';

const env = process.env;
const gatewayUrl = env.GATEWAY_URL ?? 'http://localhost:4000/graphql';
const settings = { articles: number('ARTICLES', 3_000_000), days: number('DAYS', 30), runs: number('RUNS', 50), chunk: number('CHUNK', 250_000) };
if (!env.DATABASE_URL) throw new Error('set DATABASE_URL to the PostgreSQL database npm start runs on');
if (!env.ADMIN_TOKEN) throw new Error('set ADMIN_TOKEN to an ADMIN\'s bearer token (the login mutation)');
const headers = { authorization: `Bearer ${env.ADMIN_TOKEN}` };

const istDay = (offsetDays = 0) => new Date(Date.now() + 5.5 * 3600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);

/** Chunk `from`..`to` of the articles, with their tracking events and COD collections, in three statements. */
async function generate(db, from, to, days) {
  // One row per article: its office, day and fate, drawn once so the three inserts agree.
  await db.exec(`DROP TABLE IF EXISTS bench_plan; CREATE UNLOGGED TABLE bench_plan AS
    WITH total AS (SELECT count(*) AS n FROM bench_office)
    SELECT 'BN' || lpad(i::text, 9, '0') || 'IN' AS article_number, o.id AS office_id, o.pincode,
           (date_trunc('day', now() AT TIME ZONE 'Asia/Kolkata') - make_interval(days => (i % ${days})::int) + make_interval(secs => 6 * 3600 + (i * 7919) % 36000)) AT TIME ZONE 'Asia/Kolkata' AS booked_at,
           (i * 2654435761::bigint) % 1000 AS fate, (i % 4)::int AS product_no
      FROM generate_series(${from}::bigint, ${to}::bigint) AS i CROSS JOIN total
      JOIN bench_office o ON o.n = (i * 40503) % total.n`);
  await db.exec(`INSERT INTO articles.article (article_number, product, status, channel, booking_office_id, current_office_id, origin_pincode, destination_pincode,
      weight_grams, chargeable_weight_grams, band, charges, total_paise, expected_delivery_date, payment_mode, payment_status, recipient, booked_by, booked_at, event_count, last_event_at,
      cod_amount_paise)
    SELECT article_number, (ARRAY['SPEED_POST_DOCUMENT','SPEED_POST_PARCEL','SPEED_POST_PARCEL','BUSINESS_PARCEL'])[product_no + 1]::articles."Product",
           CASE WHEN fate < 800 THEN 'DELIVERED' WHEN fate < 830 THEN 'RETURNED_TO_SENDER' WHEN fate < 930 THEN 'DELIVERY_ATTEMPTED' ELSE 'IN_TRANSIT' END::articles."ArticleStatus",
           CASE WHEN fate % 2 = 0 THEN 'COUNTER' ELSE 'PARTNER' END::articles."BookingChannel", office_id, office_id, pincode, pincode, 500, 500, 'LOCAL',
           jsonb_build_object('taxablePaise', 4700 + product_no * 1000, 'gstPaise', (4700 + product_no * 1000) * 18 / 100, 'totalPaise', (4700 + product_no * 1000) * 118 / 100),
           (4700 + product_no * 1000) * 118 / 100, ((booked_at AT TIME ZONE 'Asia/Kolkata')::date + 3), 'CASH', 'PAID',
           '{"name":"Bench","phone":"9876543210","addressLines":["1 Main Road"],"pincode":"110001"}'::jsonb, 'staff:bench', booked_at, 2, booked_at,
           CASE WHEN fate % 12 = 0 THEN 49900 END
      FROM bench_plan`);
  await db.exec(`INSERT INTO articles.tracking_event (article_number, sequence, type, occurred_at, office_id, reason, status_after, recorded_by)
    SELECT article_number, 1, 'BOOKED', booked_at, office_id, NULL, 'BOOKED', 'staff:bench' FROM bench_plan
    UNION ALL
    SELECT article_number, 2,
           CASE WHEN fate < 800 THEN 'DELIVERED' WHEN fate < 830 THEN 'RETURNED_TO_SENDER' ELSE 'DELIVERY_ATTEMPTED' END::articles."TrackingEventType",
           -- a tenth of the deliveries come after their expected day (booked + 3)
           booked_at + make_interval(days => (CASE WHEN fate < 80 THEN 5 ELSE 1 + fate % 2 END)::int, hours => 2), office_id,
           CASE WHEN fate >= 800 AND fate < 830 THEN 'UNCLAIMED' WHEN fate >= 830 THEN (ARRAY['ADDRESSEE_ABSENT','PREMISES_LOCKED','REFUSED'])[1 + fate % 3] END::articles."NonDeliveryReason",
           CASE WHEN fate < 800 THEN 'DELIVERED' WHEN fate < 830 THEN 'RETURNED_TO_SENDER' ELSE 'DELIVERY_ATTEMPTED' END::articles."ArticleStatus", 'staff:bench'
      FROM bench_plan WHERE fate < 930 AND booked_at + make_interval(days => (CASE WHEN fate < 80 THEN 5 ELSE 1 + fate % 2 END)::int, hours => 2) < now()`);
  await db.exec(`INSERT INTO payments.cod_collection (article_number, payment_id, partner_id, office_id, amount_paise, fee_paise, fee_gst_paise, mode, collected_at)
    SELECT article_number, 'pay_bench_' || article_number, NULL, office_id, 49900, 0, 0, 'CASH', booked_at + interval '1 day 2 hours'
      FROM bench_plan WHERE fate < 800 AND fate % 12 = 0 AND booked_at + interval '1 day 2 hours' < now()`);
  await db.exec('DROP TABLE bench_plan');
}

async function measure(name, query, variables) {
  await graphql(gatewayUrl, query, variables, headers); // warm: plans cached, connections open
  const latencies = [];
  let data;
  for (let run = 0; run < settings.runs; run += 1) {
    const started = performance.now();
    data = await graphql(gatewayUrl, query, variables, headers);
    latencies.push(performance.now() - started);
  }
  latencies.sort((a, b) => a - b);
  const result = { p50Ms: percentile(latencies, 50), p95Ms: percentile(latencies, 95), maxMs: percentile(latencies, 100) };
  console.log(`${name}: p50 ${result.p50Ms} ms, p95 ${result.p95Ms} ms`);
  return { ...result, data };
}

async function main() {
  const db = await openDatabase({ url: env.DATABASE_URL });
  try {
    const [have] = await db.query(`SELECT count(*)::int AS n FROM articles.article WHERE article_number LIKE 'BN%'`);
    let generatedSeconds = null;
    if (have.n < settings.articles) {
      const started = performance.now();
      // The offices numbered, so an article's office is a join and not a scan.
      await db.exec(`DROP TABLE IF EXISTS bench_office; CREATE UNLOGGED TABLE bench_office AS
        SELECT (row_number() OVER (ORDER BY id) - 1)::bigint AS n, id, pincode FROM articles.office_ref; CREATE UNIQUE INDEX ON bench_office (n)`);
      for (let from = have.n + 1; from <= settings.articles; from += settings.chunk) {
        const to = Math.min(settings.articles, from + settings.chunk - 1);
        await generate(db, from, to, settings.days);
        console.log(`articles ${to.toLocaleString('en-IN')} of ${settings.articles.toLocaleString('en-IN')}`);
      }
      await db.exec('DROP TABLE bench_office; ANALYZE articles.article; ANALYZE articles.tracking_event; ANALYZE payments.cod_collection');
      generatedSeconds = Number(((performance.now() - started) / 1000).toFixed(1));
    }
    const [counts] = await db.query(`SELECT (SELECT count(*) FROM articles.article)::int AS articles, (SELECT count(*) FROM articles.tracking_event)::int AS events`);
    console.log(`the database holds ${counts.articles.toLocaleString('en-IN')} articles and ${counts.events.toLocaleString('en-IN')} tracking events`);
    // REBUILD=0 measures the rollups as they stand (after an earlier run rebuilt them), e.g. on a quieter machine.
    let rebuild = null;
    if (env.REBUILD !== '0') {
      rebuild = await rebuildRollups(db);
      await db.exec('ANALYZE analytics.daily_rollup; ANALYZE analytics.daily_breakdown');
      console.log(`rebuilt ${rebuild.rollupRows.toLocaleString('en-IN')} rollup rows in ${(rebuild.tookMs / 1000).toFixed(1)} s`);
    }

    const from = istDay(-(settings.days - 1));
    const to = istDay();
    const FIGURES = 'booked delivered deliveredOnTime failedAttempts returned revenuePaise gstPaise codCollectedPaise codRemittedPaise onTimeShare';
    const national = await measure(`national report, ${settings.days} days`, `query ($from: String!, $to: String!) { operationsReport(from: $from, to: $to) { totalCount nodes { ${FIGURES} bookedByProduct { product count } failedAttemptsByReason { reason count } } } }`, { from, to });
    const circle = await measure(`circle report by division, ${settings.days} days`, `query ($from: String!, $to: String!) { operationsReport(from: $from, to: $to, groupBy: DIVISION, filter: { circle: "uttar-pradesh" }, first: 100) { totalCount nodes { division { id name } circle { name } ${FIGURES} } } }`, { from, to });
    const series = await measure(`national series, ${settings.days} days`, `query ($from: String!, $to: String!) { operationsSeries(from: $from, to: $to) { date booked delivered onTimeShare } }`, { from, to });
    const worst = await measure('worst on-time offices, one day', `query ($day: String!) { operationsReport(from: $day, to: $day, groupBy: OFFICE, orderBy: WORST_ON_TIME, first: 10) { nodes { office { name } onTimeShare delivered } } }`, { day: istDay(-1) });
    const nation = national.data.operationsReport.nodes[0];
    writeResult('analytics', {
      machine: machineDetails(),
      settings,
      database: { articles: counts.articles, trackingEvents: counts.events, generatedSeconds },
      rebuild: rebuild && { seconds: Number((rebuild.tookMs / 1000).toFixed(1)), rollupRows: rebuild.rollupRows, breakdownRows: rebuild.breakdownRows },
      nationalReport: { ...national, data: undefined, booked: nation.booked, delivered: nation.delivered, onTimeShare: nation.onTimeShare },
      circleReportByDivision: { ...circle, data: undefined, divisions: circle.data.operationsReport.totalCount },
      nationalSeries: { ...series, data: undefined },
      worstOnTimeOffices: { ...worst, data: undefined },
    });
  } finally {
    await db.close();
  }
}

main().catch((error) => {
  console.error('bench/analytics.mjs failed:', error.message);
  process.exit(1);
});
