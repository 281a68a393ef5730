import { createInProcessTransport, type EventTransport } from '@dakgraph/events';
import { rebuildRollups } from '@dakgraph/analytics';
import { adminLogin, staffLogin, startGateway, startSubgraphs, until, type RunningGateway, type RunningSubgraphs } from './support/graph';
import { figuresOfDayFromSources, rollupSnapshot } from './support/operations';

/**
 * Issue 13 through the gateway: a small day of work at two offices of two circles (counter and partner
 * bookings, a delivery, a failed attempt, a return), after which the rollups the analytics consumers kept
 * equal the counts of that day's events in the source tables, a rebuild from those tables changes nothing,
 * names come from the offices subgraph, and only analysts, admins and supervisors (their own division) read.
 */
const PASSWORD = 'a long enough passphrase for tests';
const MUMBAI = '400001-mumbai';
const DELHI = '110001-baroda-house';
const party = (name: string, pincode: string) => ({ name, phone: '9876543210', addressLines: ['12 Dalal Street'], pincode });
const istToday = (): string => new Date(Date.now() + 5.5 * 3600 * 1000).toISOString().slice(0, 10);
const codes = (body: { errors?: { extensions?: { code?: string } }[] }) => (body.errors ?? []).map((e) => e.extensions?.code);

const FIGURES = 'booked delivered deliveredOnTime failedAttempts returned revenuePaise gstPaise codCollectedPaise codRemittedPaise onTimeShare';

describe('operations figures through the gateway', () => {
  let events: EventTransport;
  let subgraphs: RunningSubgraphs;
  let graph: RunningGateway;
  const tokens: Record<string, string> = {};
  let apiKey = '';
  const booked: string[] = [];

  const call = async (who: string, query: string, variables: Record<string, unknown> = {}) =>
    (await graph.post({ query, variables }, who === 'partner' ? { 'x-api-key': apiKey } : who === 'public' ? {} : { authorization: `Bearer ${tokens[who]}` })).body;
  const ok = async (who: string, query: string, variables: Record<string, unknown> = {}) => {
    const body = await call(who, query, variables);
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };
  const report = (who: string, args: string) => call(who, `{ operationsReport(${args}) { totalCount pageInfo { hasNextPage endCursor } nodes { level groupId ${FIGURES} } } }`);
  const track = (events: unknown[], key: string) =>
    ok('admin', 'mutation ($e: [TrackingEventInput!]!, $key: String!) { recordTrackingEvents(events: $e, idempotencyKey: $key) { replayed } }', { e: events, key });

  beforeAll(async () => {
    events = createInProcessTransport({ log: { info: () => undefined, error: () => undefined } });
    subgraphs = await startSubgraphs({ events });
    graph = await startGateway(subgraphs);
    tokens.admin = (await adminLogin(graph, subgraphs.db, PASSWORD)).token;
    for (const [who, role, officeId] of [
      ['mumbaiClerk', 'COUNTER_CLERK', MUMBAI],
      ['delhiClerk', 'COUNTER_CLERK', DELHI],
      ['supervisor', 'SUPERVISOR', MUMBAI],
      ['analyst', 'ANALYST', DELHI],
    ] as const) {
      await ok('admin', 'mutation ($input: CreateStaffUserInput!, $key: String!) { createStaffUser(input: $input, idempotencyKey: $key) { id } }', {
        input: { name: `Staff ${who}`, email: `${who.toLowerCase()}@analytics.test`, password: PASSWORD, role, officeId },
        key: `staff-${who}`,
      });
      tokens[who] = (await staffLogin(graph, `${who.toLowerCase()}@analytics.test`, PASSWORD)).token;
    }
    const partner = await ok('admin', `mutation { createPartner(idempotencyKey: "partner-analytics", input: { name: "Acme Shop", contactEmail: "ops@acme.test",
      discountBasisPoints: 0, codAllowed: true, remittanceAccount: { holder: "Acme", accountNumber: "123456789012", ifsc: "SBIN0000691" } }) { id } }`);
    apiKey = (await ok('admin', 'mutation ($id: ID!) { createApiKey(partnerId: $id, label: "wms", idempotencyKey: "apikey-analytics") { apiKey } }', { id: partner.createPartner.id })).createApiKey.apiKey;

    // The day: 3 bookings at the Mumbai counter, 2 at Delhi's, 4 by the partner (from Delhi's pincode).
    for (const [who, from, count] of [['mumbaiClerk', '400001', 3], ['delhiClerk', '110001', 2]] as const) {
      for (let i = 0; i < count; i += 1) {
        const made = await ok(who, 'mutation ($input: BookingInput!, $key: String!) { bookArticle(input: $input, idempotencyKey: $key) { article { articleNumber } } }', {
          input: { sender: party('Meera', from), recipient: party('Arjun', '400001'), product: 'SPEED_POST_DOCUMENT', weightGrams: 200 + i, payment: 'CASH' },
          key: `counter-${who}-${i}`,
        });
        booked.push(made.bookArticle.article.articleNumber);
      }
    }
    await ok('partner', 'mutation ($items: [BookingItemInput!]!) { bookArticles(items: $items, idempotencyKey: "bulk-analytics") { count } }', {
      items: Array.from({ length: 4 }, (_, i) => ({ pickupPincode: '110001', sender: party('Acme', '110001'), recipient: party(`Buyer ${i}`, '560001'), product: 'SPEED_POST_PARCEL', weightGrams: 500 })),
    });
    // Three Mumbai articles reach their delivery office: one is delivered, one fails an attempt, one goes back.
    const [delivered, attempted, returned] = booked as [string, string, string];
    await track([delivered, attempted, returned].map((articleNumber) => ({ articleNumber, type: 'ARRIVED_AT_DELIVERY_OFFICE', officeId: MUMBAI })), 'analytics-arrive');
    await track(
      [
        { articleNumber: delivered, type: 'OUT_FOR_DELIVERY', officeId: MUMBAI },
        { articleNumber: delivered, type: 'DELIVERED', officeId: MUMBAI },
        { articleNumber: attempted, type: 'OUT_FOR_DELIVERY', officeId: MUMBAI },
        { articleNumber: attempted, type: 'DELIVERY_ATTEMPTED', officeId: MUMBAI, reason: 'ADDRESSEE_ABSENT' },
        { articleNumber: returned, type: 'RETURNED_TO_SENDER', officeId: MUMBAI, reason: 'SENDER_REQUEST' },
      ],
      'analytics-deliver',
    );
  }, 240_000);

  afterAll(async () => {
    await graph?.stop();
    await subgraphs?.stop();
    await events?.close();
  }, 180_000);

  it("the national report equals the counts of the day's events in the source tables", async () => {
    const today = istToday();
    const source = await figuresOfDayFromSources(subgraphs.db, today);
    expect(source).toMatchObject({ booked: 9, delivered: 1, failedAttempts: 1, returned: 1 });
    const national = await until('the consumers to count the day', async () => {
      const body = await report('analyst', `from: "${today}", to: "${today}"`);
      const row = body.data?.operationsReport.nodes[0];
      return row && row.booked === 9 && row.returned === 1 ? body.data.operationsReport : null;
    });
    expect(national.totalCount).toBe(1);
    expect(source).toMatchObject({ deliveredOnTime: 1, codCollectedPaise: 0, codRemittedPaise: 0 });
    expect(national.nodes[0]).toEqual({ level: 'NATION', groupId: null, ...source, onTimeShare: 1 });
  });

  it('groups by circle and division with names from the offices subgraph, and pages through offices', async () => {
    const today = istToday();
    const circles = await ok('admin', `{ operationsReport(from: "${today}", to: "${today}", groupBy: CIRCLE, orderBy: MOST_BOOKED) {
      totalCount nodes { level groupId circle { id name } region { id } booked bookedByProduct { product count } } } }`);
    expect(circles.operationsReport.totalCount).toBe(2);
    const [first, second] = circles.operationsReport.nodes;
    // Delhi: 2 at the counter and 4 partner parcels from its pincode; Mumbai: 3.
    expect(first).toMatchObject({ level: 'CIRCLE', booked: 6, region: null, bookedByProduct: [{ product: 'SPEED_POST_PARCEL', count: 4 }, { product: 'SPEED_POST_DOCUMENT', count: 2 }] });
    expect(second).toMatchObject({ level: 'CIRCLE', circle: { id: 'maharashtra', name: expect.stringMatching(/maharashtra/i) }, booked: 3 });

    const mumbai = await ok('admin', `{ office(id: "${MUMBAI}") { name division { id } } }`);
    const division = mumbai.office.division.id;
    const divisions = await ok('analyst', `{ operationsReport(from: "${today}", to: "${today}", groupBy: DIVISION, filter: { circle: "maharashtra" }) {
      nodes { groupId division { id name } circle { id } booked delivered failedAttempts failedAttemptsByReason { reason count } returned } } }`);
    expect(divisions.operationsReport.nodes).toEqual([
      { groupId: division, division: { id: division, name: expect.any(String) }, circle: { id: 'maharashtra' }, booked: 3, delivered: 1, failedAttempts: 1,
        failedAttemptsByReason: [{ reason: 'ADDRESSEE_ABSENT', count: 1 }], returned: 1 },
    ]);

    const page1 = await ok('analyst', `{ operationsReport(from: "${today}", to: "${today}", groupBy: OFFICE, first: 1) { totalCount pageInfo { hasNextPage endCursor } nodes { groupId office { id name } } } }`);
    expect(page1.operationsReport).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: true } });
    const page2 = await ok('analyst', `{ operationsReport(from: "${today}", to: "${today}", groupBy: OFFICE, first: 1, after: "${page1.operationsReport.pageInfo.endCursor}") {
      pageInfo { hasNextPage } nodes { groupId office { id name } } } }`);
    expect(page2.operationsReport.pageInfo.hasNextPage).toBe(false);
    expect([page1.operationsReport.nodes[0].groupId, page2.operationsReport.nodes[0].groupId].sort()).toEqual([DELHI, MUMBAI].sort());
    expect(page2.operationsReport.nodes[0].office.name).toEqual(expect.any(String));

    const worst = await ok('analyst', `{ operationsReport(from: "${today}", to: "${today}", groupBy: OFFICE, orderBy: WORST_ON_TIME) { totalCount nodes { groupId onTimeShare } } }`);
    expect(worst.operationsReport).toEqual({ totalCount: 1, nodes: [{ groupId: MUMBAI, onTimeShare: 1 }] });

    const office = await ok('supervisor', `{ office(id: "${MUMBAI}") { name operations(from: "${today}", to: "${today}") { booked delivered returned division { id } } } }`);
    expect(office.office.operations).toEqual({ booked: 3, delivered: 1, returned: 1, division: { id: division } });

    const series = await ok('analyst', `{ operationsSeries(from: "${addDays(today, -2)}", to: "${today}") { date booked delivered } }`);
    expect(series.operationsSeries).toEqual([
      { date: addDays(today, -2), booked: 0, delivered: 0 },
      { date: addDays(today, -1), booked: 0, delivered: 0 },
      { date: today, booked: 9, delivered: 1 },
    ]);
  });

  it('a rebuild from the source tables agrees with the live rollups', async () => {
    const live = await rollupSnapshot(subgraphs.db);
    expect(live.rollups.length).toBeGreaterThan(0);
    const result = await rebuildRollups(subgraphs.db);
    expect(result.sources).toEqual(['articles', 'payments']);
    expect(await rollupSnapshot(subgraphs.db)).toEqual(live);
  });

  it('only analysts, admins and supervisors of the division read; anyone else is refused', async () => {
    const today = istToday();
    const range = `from: "${today}", to: "${today}"`;
    const { office } = await ok('admin', `{ office(id: "${MUMBAI}") { division { id } } }`);
    const own = office.division.id;
    const mine = await report('supervisor', `${range}, groupBy: OFFICE, filter: { division: "${own}" }`);
    expect(mine.errors).toBeUndefined();
    expect(mine.data.operationsReport.nodes.map((n: { groupId: string }) => n.groupId)).toEqual([MUMBAI]);
    expect(codes(await report('supervisor', `${range}, groupBy: DIVISION, filter: { division: "delhi/new-delhi-gpo" }`))).toEqual(['FORBIDDEN']);
    expect(codes(await report('supervisor', `${range}, filter: { officeId: "${DELHI}" }`))).toEqual(['FORBIDDEN']);
    expect(codes(await report('supervisor', `${range}, groupBy: CIRCLE`))).toEqual(['FORBIDDEN']);
    expect(codes(await call('supervisor', `{ office(id: "${DELHI}") { operations(${range}) { booked } } }`))).toEqual(['FORBIDDEN']);
    expect(codes(await report('mumbaiClerk', range))).toEqual(['FORBIDDEN']);
    expect(codes(await report('partner', range))).toEqual(['FORBIDDEN']);
    expect(codes(await report('public', range))).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses bad days, ranges, filters and cursors with BAD_USER_INPUT', async () => {
    for (const args of [
      'from: "2026-02-30", to: "2026-03-01"',
      'from: "03/12/2026", to: "2026-12-03"',
      'from: "2026-12-03", to: "2026-12-01"',
      'from: "2024-01-01", to: "2026-12-03"',
      'from: "2026-12-01", to: "2026-12-03", filter: { circle: "kar nataka!" }',
      'from: "2026-12-01", to: "2026-12-03", first: 101',
      'from: "2026-12-01", to: "2026-12-03", after: "bm90LWEtY3Vyc29y"',
    ]) {
      expect({ args, codes: codes(await report('analyst', args)) }).toEqual({ args, codes: ['BAD_USER_INPUT'] });
    }
  });
});

function addDays(day: string, count: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + count * 86_400_000).toISOString().slice(0, 10);
}
