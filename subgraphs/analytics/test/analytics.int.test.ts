import type { Viewer } from '@dakgraph/auth';
import { createTestDatabase, openDatabase, type Database, type TestDatabase } from '@dakgraph/db';
import { idempotentConsumer, newEventId, type DomainEvent } from '@dakgraph/events';
import { graphql } from 'graphql';
import { createAnalyticsSubgraph, createContext, handleArticleEvent, handlePaymentEvent, prepareAnalyticsDatabase, type AnalyticsSubgraph } from '../src/server';

/**
 * The analytics subgraph on its own, on both engines: events handled once however often they come and
 * however many at once, every level's rollup moved by each, and reports answered with a fixed number of
 * statements however many rows a page has.
 */
const ENGINES = ['PGlite', 'PostgreSQL'] as const;
const SECRET = 'analytics-test-identity-secret-0123456789abcdef';
const DAY = '2026-12-03';
const AT = '2026-12-03T06:00:00.000Z';
const MUMBAI = '400001-mumbai';
const OFFICES = [MUMBAI, '110001-baroda-house', '560001-highcourt'];

const viewer = (fields: Partial<Viewer>): Viewer => ({ kind: 'PUBLIC', id: null, role: null, officeId: null, divisionId: null, partnerId: null, customerId: null, ...fields });
const ANALYST = viewer({ kind: 'STAFF', id: 'stf_01analyst', role: 'ANALYST' });

const booked = (officeId: string, product = 'SPEED_POST_DOCUMENT'): DomainEvent => ({
  id: newEventId(),
  type: 'article.booked',
  source: 'articles',
  subject: 'EE123456785IN',
  sequence: 1,
  occurredAt: AT,
  version: 1,
  payload: {
    articleNumber: 'EE123456785IN',
    status: 'BOOKED',
    sequence: 1,
    partnerId: null,
    event: { sequence: 1, type: 'BOOKED', upuCode: 'EMA', description: 'Item Booked', occurredAt: AT, office: { id: officeId }, nextOffice: null, reason: null, statusAfter: 'BOOKED' },
    booking: { product, officeId, expectedDeliveryDate: '2026-12-05', taxablePaise: 4_700, gstPaise: 846 },
  },
});

describe.each(ENGINES)('the analytics subgraph on %s', (engine) => {
  let server: TestDatabase | null = null;
  let db: Database;
  let subgraph: AnalyticsSubgraph;
  const statements: string[] = [];

  const ask = async (query: string) => {
    const result = await graphql({ schema: subgraph.schema, source: query, contextValue: createContext(subgraph.prisma, ANALYST) });
    if (result.errors) throw new Error(result.errors.map((e) => e.message).join('; '));
    return result.data as Record<string, any>;
  };
  const nation = async () => (await ask(`{ operationsReport(from: "${DAY}", to: "${DAY}") { nodes { booked revenuePaise gstPaise codCollectedPaise } } }`)).operationsReport.nodes[0];

  beforeAll(async () => {
    if (engine === 'PostgreSQL') server = await createTestDatabase('dakgraph_analytics_test');
    db = await openDatabase(server ? { url: server.url } : {});
    await prepareAnalyticsDatabase(db, { progress: false, log: () => undefined });
    subgraph = await createAnalyticsSubgraph(db, { identitySecret: SECRET, onQuery: (sql) => statements.push(sql) });
  }, 180_000);

  afterAll(async () => {
    await subgraph?.apollo.stop();
    await subgraph?.prisma.$disconnect();
    await db?.close();
    await server?.drop();
  });

  it('counts an event once however often it is delivered, and many at once without losing one', async () => {
    const consume = idempotentConsumer({ db: subgraph.prisma, processedTable: 'analytics.processed_event', consumer: 'test-articles', handle: handleArticleEvent });
    const once = booked(MUMBAI);
    await consume(once);
    await consume(once);
    expect(await nation()).toMatchObject({ booked: 1, revenuePaise: 4_700, gstPaise: 846 });
    // Thirty events at once, every one touching the nation's row: they queue on it, none is lost.
    await Promise.all(Array.from({ length: 30 }, (_, i) => consume(booked(OFFICES[i % 3]!, i % 2 ? 'SPEED_POST_PARCEL' : 'SPEED_POST_DOCUMENT'))));
    expect(await nation()).toMatchObject({ booked: 31, revenuePaise: 31 * 4_700 });
  });

  it('moves every level of the office hierarchy, and COD from payment events', async () => {
    await subgraph.prisma.$transaction((tx) =>
      handlePaymentEvent(tx, {
        id: newEventId(), type: 'cod.collected', source: 'payments', subject: 'EE123456785IN', sequence: 0, occurredAt: AT, version: 1,
        payload: { articleNumber: 'EE123456785IN', paymentId: 'pay_1', partnerId: null, amountPaise: 49_900, mode: 'CASH', collectedAt: AT, officeId: MUMBAI },
      }),
    );
    const levels = await db.query<{ level: string; booked: number; cod: string }>(
      `SELECT level, sum(booked)::int AS booked, sum(cod_collected_paise)::text AS cod FROM analytics.daily_rollup GROUP BY level ORDER BY level`,
    );
    // Every level sums to the same: each event moved one row of each.
    expect(levels.map((row) => [row.level, row.booked, row.cod])).toEqual(
      ['CIRCLE', 'DIVISION', 'NATION', 'OFFICE', 'REGION'].map((level) => [level, 31, '49900']),
    );
    expect(await nation()).toMatchObject({ codCollectedPaise: 49_900 });
  });

  it('answers a page of offices with its breakdowns in a fixed number of statements', async () => {
    statements.length = 0;
    const data = await ask(`{ operationsReport(from: "${DAY}", to: "${DAY}", groupBy: OFFICE, first: 10) {
      totalCount nodes { groupId booked bookedByProduct { product count } failedAttemptsByReason { reason } } } }`);
    expect(data.operationsReport.totalCount).toBe(3);
    // Office ids in order; the first booking (before the thirty) was Mumbai's.
    expect(data.operationsReport.nodes.map((n: { groupId: string; booked: number }) => [n.groupId, n.booked])).toEqual([
      ['110001-baroda-house', 10],
      ['400001-mumbai', 11],
      ['560001-highcourt', 10],
    ]);
    for (const node of data.operationsReport.nodes) {
      expect(node.bookedByProduct.reduce((sum: number, line: { count: number }) => sum + line.count, 0)).toBe(node.booked);
    }
    // The page, its breakdowns (one statement for all its rows) and the count.
    expect(statements.filter((sql) => /analytics\.daily_(rollup|breakdown)/.test(sql))).toHaveLength(3);
  });

  it('gives a whole series of days, zeros where nothing happened', async () => {
    const data = await ask(`{ operationsSeries(from: "2026-12-01", to: "${DAY}") { date booked onTimeShare } }`);
    expect(data.operationsSeries).toEqual([
      { date: '2026-12-01', booked: 0, onTimeShare: null },
      { date: '2026-12-02', booked: 0, onTimeShare: null },
      { date: DAY, booked: 31, onTimeShare: null },
    ]);
  });
});
