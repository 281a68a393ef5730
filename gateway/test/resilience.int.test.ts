import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase, type Database, type TestDatabase } from '@dakgraph/db';
import { graphTestDatabase, until } from './support/graph';
import { freePort, NATS_SERVER, partnerOnTopology, postTo, privateNats, Services, servicesEnv, type Answer, type Nats } from './support/topology';

// Faults survived on the production topology (`npm run start:services`): every subgraph its own process on
// PostgreSQL, events over a NATS JetStream server of this test's own (so it can be stopped), the gateway in
// two processes. Processes are killed with SIGKILL, as a crash or the kernel's OOM killer would.
jest.setTimeout(240_000);

describe('the production topology under faults', () => {
  let database: TestDatabase;
  let db: Database;
  let nats: Nats;
  let services: Services;
  let storeDir: string;
  let gatewayUrl: string;
  let partnerKey: string;

  const post = (query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) => postTo(gatewayUrl, query, variables, headers);
  const partner = (query: string, variables: Record<string, unknown>) => post(query, variables, { 'x-api-key': partnerKey });
  const codes = (answer: Answer) => (answer.body?.errors ?? []).map((error) => error.extensions?.code);

  const BOOK_BULK = `mutation ($items: [BookingItemInput!]!, $key: String!) {
    bookArticles(items: $items, idempotencyKey: $key) { count replayed articles { articleNumber } } }`;
  const TRACK = 'query ($n: String!) { article(articleNumber: $n) { articleNumber status events { type office { name } } } }';
  const PINCODE = 'query ($code: String!) { pincode(code: $code) { code offices(first: 3) { nodes { name } } } }';
  const items = (count: number, tag: string) =>
    Array.from({ length: count }, (_, i) => ({
      pickupPincode: '110001',
      sender: { name: 'Resilience Sender', phone: '9811012345', addressLines: ['1 Test Lane'], pincode: '110001' },
      recipient: { name: `Recipient ${tag} ${i}`, phone: '9822012345', addressLines: [`House ${i}`, 'Test Street'], pincode: '400001' },
      product: 'SPEED_POST_PARCEL',
      weightGrams: 200 + i,
    }));

  beforeAll(async () => {
    if (!existsSync(NATS_SERVER)) throw new Error(`${NATS_SERVER} is missing: install nats-server (see ../shared/ENVIRONMENT.md)`);
    database = await graphTestDatabase();
    db = await openDatabase({ url: database.url });
    storeDir = mkdtempSync(path.join(tmpdir(), 'dakgraph-resilience-nats-'));
    nats = privateNats(await freePort(), storeDir);
    await nats.start();
    const port = await freePort();
    gatewayUrl = `http://127.0.0.1:${port}/graphql`;
    services = new Services(await servicesEnv(database.url, nats.port, port));
    await services.ready();

    partnerKey = (await partnerOnTopology(gatewayUrl, db, 'resilience')).partnerKey;
  });

  afterAll(async () => {
    await services?.stop();
    await nats?.stop();
    await db?.close();
    await database?.drop();
    if (storeDir) rmSync(storeDir, { recursive: true, force: true });
  });

  it('keeps answering office queries while the articles process is down, marks article fields SERVICE_UNAVAILABLE, never a 5xx, and recovers', async () => {
    const booked = await partner(BOOK_BULK, { items: items(3, 'track'), key: `resilience-${randomUUID()}` });
    const articleNumber = booked.body!.data!.bookArticles.articles[0].articleNumber as string;
    const answers: { kind: 'office' | 'article'; answer: Answer; at: number }[] = [];
    let loading = true;
    const worker = async (kind: 'office' | 'article') => {
      while (loading) {
        const answer = kind === 'office' ? await post(PINCODE, { code: '110001' }) : await post(TRACK, { n: articleNumber });
        answers.push({ kind, answer, at: Date.now() });
      }
    };
    const workers = [...Array(4)].map((_, i) => worker(i % 2 ? 'office' : 'article'));
    await until('some answers under load', async () => answers.length > 20);
    const startsBefore = services.starts('articles');
    process.kill(services.pid('articles'), 'SIGKILL');
    const killedAt = Date.now();
    // The supervisor starts it again; once it answers, article queries come back.
    await until('the articles process is started again', async () => services.starts('articles') > startsBefore, 30_000);
    await until('article queries answer again', async () => answers.some((a) => a.kind === 'article' && a.at > killedAt && !a.answer.body?.errors && a.answer.body?.data?.article), 60_000);
    const recoveredAt = Date.now();
    loading = false;
    await Promise.all(workers);

    // Never a 5xx, never no answer, from the gateway.
    expect(answers.filter((a) => a.answer.status !== 200)).toEqual([]);
    // Office queries never failed.
    expect(answers.filter((a) => a.kind === 'office' && (a.answer.body?.errors || !a.answer.body?.data?.pincode))).toEqual([]);
    // While articles was down, its fields said so with a code a client can act on.
    const down = answers.filter((a) => a.kind === 'article' && a.at > killedAt && a.at < recoveredAt && a.answer.body?.errors);
    expect(down.length).toBeGreaterThan(0);
    for (const a of down) expect(codes(a.answer)).toEqual(['SERVICE_UNAVAILABLE']);
    // It recovered within seconds of coming back (the restart itself takes the rest).
    expect(recoveredAt - killedAt).toBeLessThan(60_000);
  });

  it('loses no acknowledged article and duplicates none when articles dies in the middle of bulk bookings retried with the same keys', async () => {
    const batches = [...Array(4)].map((_, i) => ({ key: `resilience-bulk-${randomUUID()}`, items: items(150, `bulk${i}`) }));
    const first = batches.map((batch) => partner(BOOK_BULK, batch));
    // Dies while the batches are being written.
    await new Promise((resolve) => setTimeout(resolve, 150));
    process.kill(services.pid('articles'), 'SIGKILL');
    const firstAnswers = await Promise.all(first);
    const acknowledged = new Map<string, string[]>();
    firstAnswers.forEach((answer, i) => {
      expect(answer.status).toBe(200);
      const data = answer.body?.data?.bookArticles;
      if (data) acknowledged.set(batches[i]!.key, data.articles.map((a: { articleNumber: string }) => a.articleNumber));
      else expect(codes(answer)).toEqual(['SERVICE_UNAVAILABLE']);
    });

    // The client retries every batch with its key until it is answered.
    const retried = await Promise.all(
      batches.map((batch) =>
        until(`batch ${batch.key} is answered`, async () => {
          const answer = await partner(BOOK_BULK, batch);
          return answer.body?.data?.bookArticles as { count: number; replayed: boolean; articles: { articleNumber: string }[] } | undefined;
        }, 90_000),
      ),
    );
    retried.forEach((result, i) => {
      expect(result.count).toBe(150);
      const before = acknowledged.get(batches[i]!.key);
      // An acknowledged batch is replayed, with the very articles first acknowledged.
      if (before) {
        expect(result.replayed).toBe(true);
        expect(result.articles.map((a) => a.articleNumber)).toEqual(before);
      }
    });
    // Exactly one set of articles per batch: none lost, none twice.
    const numbers = retried.flatMap((result) => result.articles.map((a) => a.articleNumber));
    expect(new Set(numbers).size).toBe(4 * 150);
    const stored = await db.query<{ count: string }>(
      `SELECT count(*)::text AS count FROM articles.article WHERE recipient->>'name' LIKE 'Recipient bulk%'`,
    );
    expect(Number(stored[0]!.count)).toBe(4 * 150);
  });

  it('keeps events in the outbox while NATS is down and delivers all of them when it is back', async () => {
    await nats.stop();
    const booked = await until('a booking is acknowledged with NATS down', async () => {
      const answer = await partner(BOOK_BULK, { items: items(5, 'nats'), key: `resilience-nats-${randomUUID()}` });
      return answer.body?.data?.bookArticles?.articles as { articleNumber: string }[] | undefined;
    }, 30_000);
    const numbers = booked.map((a) => a.articleNumber);
    const waiting = async () =>
      Number((await db.query<{ count: string }>(`SELECT count(*)::text AS count FROM articles.outbox_event WHERE published_at IS NULL AND subject = ANY($1::text[])`, [numbers]))[0]!.count);
    // Give the relay a moment: with NATS down it can publish nothing, so the events stay.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await waiting()).toBe(5);

    await nats.start();
    await until('the outbox has published them', async () => (await waiting()) === 0, 90_000);
    // And a consumer in another process (analytics) has handled every one.
    await until('analytics has handled every booking event', async () => {
      const [row] = await db.query<{ count: string }>(
        `SELECT count(*)::text AS count FROM analytics.processed_event p JOIN articles.outbox_event o ON o.id = p.event_id
          WHERE o.subject = ANY($1::text[])`,
        [numbers],
      );
      return Number(row!.count) === 5;
    }, 90_000);
  });
});
