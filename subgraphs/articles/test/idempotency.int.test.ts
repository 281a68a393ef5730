import { isUniqueViolation } from '@dakgraph/graphql-kit';
import {
  BOOK_ARTICLE,
  BOOK_ARTICLES,
  ENGINES,
  RECORD_EVENTS,
  VIEWERS,
  counterBooking,
  newKey,
  partner,
  partnerItem,
  startArticles,
  type ArticlesHarness,
} from './support';

/** How many copies of one request a client's retry loop (or a flaky counter link) may send at once. */
const RETRIES = 20;

/**
 * The shared idempotency (graphql-kit's IdempotencyStore) on this subgraph's real table, on both engines:
 * twenty identical requests sent together create exactly once, and the one unique-violation check
 * recognises the violation however Prisma reports it (plain call, interactive transaction, raw SQL).
 */
describe.each(ENGINES)('idempotency on %s', (engine) => {
  let graph: ArticlesHarness;

  beforeAll(async () => {
    graph = await startArticles(engine);
  }, 180_000);

  afterAll(async () => {
    await graph?.close();
  });

  const counts = () => graph.written();

  it(`books once when ${RETRIES} concurrent retries carry the same key`, async () => {
    const key = newKey('counter');
    const before = await counts();
    const results = await Promise.all(Array.from({ length: RETRIES }, () => graph.run(VIEWERS.clerk, BOOK_ARTICLE, { input: counterBooking(), key })));
    expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
    expect(new Set(results.map((r) => r.data.bookArticle.article.articleNumber)).size).toBe(1);
    expect(results.filter((r) => !r.data.bookArticle.replayed)).toHaveLength(1);
    expect(await counts()).toEqual({ articles: before.articles + 1, events: before.events + 1, claims: before.claims + 1 });
  }, 120_000);

  it(`books a bulk request once when ${RETRIES} concurrent retries carry the same key`, async () => {
    const key = newKey('bulk');
    const items = Array.from({ length: 10 }, (_, i) => partnerItem(i));
    const before = await counts();
    const results = await Promise.all(Array.from({ length: RETRIES }, () => graph.run(partner('ptn_a'), BOOK_ARTICLES, { items, key })));
    expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
    const batches = new Set(results.map((r) => r.data.bookArticles.articles.map((a: { articleNumber: string }) => a.articleNumber).join()));
    expect(batches.size).toBe(1);
    expect(results.filter((r) => !r.data.bookArticles.replayed)).toHaveLength(1);
    expect(await counts()).toEqual({ articles: before.articles + 10, events: before.events + 10, claims: before.claims + 1 });
  }, 120_000);

  it(`records a batch of events once when ${RETRIES} concurrent retries carry the same key`, async () => {
    const booked = await graph.run(VIEWERS.clerk, BOOK_ARTICLE, { input: counterBooking(), key: newKey('to-dispatch') });
    const articleNumber: string = booked.data.bookArticle.article.articleNumber;
    // Bagged, then dispatched: a second application would be refused by the state machine, which must
    // not reach a client as an error: the retry is answered from the first one's record.
    const events = [
      { articleNumber, type: 'BAGGED', officeId: '110001-baroda-house' },
      { articleNumber, type: 'BAG_DISPATCHED', officeId: '110001-baroda-house', nextOfficeId: '400001-mumbai' },
    ];
    const key = newKey('events');
    const before = await counts();
    const results = await Promise.all(Array.from({ length: RETRIES }, () => graph.run(VIEWERS.admin, RECORD_EVENTS, { events, key })));
    expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
    expect(results.filter((r) => !r.data.recordTrackingEvents.replayed)).toHaveLength(1);
    expect(new Set(results.map((r) => JSON.stringify(r.data.recordTrackingEvents.events))).size).toBe(1);
    expect(await counts()).toEqual({ articles: before.articles, events: before.events + 2, claims: before.claims + 1 });
  }, 120_000);

  it('answers CONFLICT, not a replay, when a key is reused for other arguments', async () => {
    const key = newKey('reused');
    const first = await graph.run(VIEWERS.clerk, BOOK_ARTICLE, { input: counterBooking(), key });
    expect(first.errors).toBeUndefined();
    const other = await graph.run(VIEWERS.clerk, BOOK_ARTICLE, { input: counterBooking({ weightGrams: 41 }), key });
    expect(other.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(other.errors?.[0]?.message).toContain(key);
  });

  describe('the unique-violation check', () => {
    const claim = (key: string) => ({ principal: 'staff:test', key, operation: 'test', requestHash: '0'.repeat(64), response: {} });
    const failureOf = async (work: () => PromiseLike<unknown>): Promise<unknown> => {
      try {
        await work();
      } catch (error) {
        return error;
      }
      throw new Error('expected the statement to fail');
    };

    it('recognises a duplicate key from a plain Prisma call, inside an interactive transaction, and from raw SQL', async () => {
      const key = newKey('unique');
      await graph.subgraph.prisma.idempotencyRecord.create({ data: claim(key) });
      const insertRaw = `INSERT INTO articles.idempotency_record (principal, "key", operation, request_hash, response) VALUES ('staff:test', $1, 'test', $2, '{}')`;
      const failures = {
        plain: await failureOf(() => graph.subgraph.prisma.idempotencyRecord.create({ data: claim(key) })),
        inTransaction: await failureOf(() => graph.subgraph.prisma.$transaction((tx) => tx.idempotencyRecord.create({ data: claim(key) }))),
        raw: await failureOf(() => graph.subgraph.prisma.$executeRawUnsafe(insertRaw, key, '0'.repeat(64))),
        rawInTransaction: await failureOf(() => graph.subgraph.prisma.$transaction((tx) => tx.$executeRawUnsafe(insertRaw, key, '0'.repeat(64)))),
      };
      expect(Object.fromEntries(Object.entries(failures).map(([how, error]) => [how, isUniqueViolation(error)]))).toEqual({
        plain: true,
        inTransaction: true,
        raw: true,
        rawInTransaction: true,
      });
    });

    it('does not mistake other failures for one', async () => {
      const foreignKey = await failureOf(() =>
        graph.subgraph.prisma.$transaction((tx) =>
          tx.$executeRawUnsafe(`INSERT INTO articles.tracking_event (article_number, sequence, type, occurred_at, status_after, recorded_by)
                                VALUES ('EE000000000IN', 1, 'BOOKED', now(), 'BOOKED', 'staff:test')`),
        ),
      );
      const syntax = await failureOf(() => graph.subgraph.prisma.$executeRawUnsafe('INSERT INTO nowhere VALUES (1)'));
      expect([isUniqueViolation(foreignKey), isUniqueViolation(syntax), isUniqueViolation(new Error('duplicate key')), isUniqueViolation(null)]).toEqual([
        false, false, false, false,
      ]);
    });
  });
});
