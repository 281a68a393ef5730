import { createInProcessTransport, type EventTransport } from '@dakgraph/events';
import { rebuildRollups } from '@dakgraph/analytics';
import { runDemoDay, type DemoDaySummary } from '@dakgraph/demo';
import { adminLogin, startGateway, startSubgraphs, TEST_PSP_CALLBACK_SECRET, until, type RunningGateway, type RunningSubgraphs } from './support/graph';
import { figuresOfDayFromSources, rollupSnapshot } from './support/operations';

/**
 * Issue 13, part 4: the demo day (`npm run demo`) against a real graph over HTTP, small (60 articles).
 * Afterwards the graph itself is asked (as the admin, through the gateway) and must agree with what the
 * demo says it did: statuses, delivery proofs, failed attempts by reason, payments by method, COD
 * collected per partner (the first partner's remitted), books that balance, and operations rollups that
 * count exactly the day's events (a rebuild from the source tables agrees). Then the same day is run again with the same seed: every
 * step replays from its idempotency key, so nothing is booked, paid, collected or delivered twice.
 */
const PASSWORD = 'a long enough passphrase for the demo day';
const ADMIN_EMAIL = 'admin@dakgraph.test';
const ARTICLES = 60;
const SEED = 11;

interface ArticleState {
  articleNumber: string;
  status: string;
  paymentMode: string | null;
  paymentStatus: string | null;
  codAmountPaise: number | null;
  events: { type: string; reason: string | null }[];
  delivery: { proofKind: string | null; codCollected: { amountPaise: number; mode: string } | null } | null;
  payments: { purpose: string; method: string; status: string }[];
}

describe('demo day through the gateway', () => {
  let events: EventTransport;
  let subgraphs: RunningSubgraphs;
  let graph: RunningGateway;
  let adminToken = '';
  let summary: DemoDaySummary;
  const printed: string[] = [];

  const ok = async <T>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
    const answer = await graph.post({ query, variables }, { authorization: `Bearer ${adminToken}` });
    if (answer.body?.errors) throw new Error(JSON.stringify(answer.body.errors));
    return answer.body.data as T;
  };
  const articleStates = async (numbers: readonly string[]): Promise<ArticleState[]> =>
    (
      await ok<{ trackArticles: ArticleState[] }>(
        `query ($n: [String!]!) { trackArticles(articleNumbers: $n) {
          articleNumber status paymentMode paymentStatus codAmountPaise events { type reason }
          delivery { proofKind codCollected { amountPaise mode } } payments { purpose method status } } }`,
        { n: numbers },
      )
    ).trackArticles;
  /** A partner's COD as payments holds it: unremitted, remitted (gross), and both. */
  const codOf = async (id: string) => {
    const { partner } = await ok<{ partner: { codBalance: { collectedPaise: number }; remittances: { nodes: { status: string; grossPaise: number }[] } } }>(
      'query ($id: ID!) { partner(id: $id) { codBalance { collectedPaise } remittances { nodes { status grossPaise } } } }',
      { id },
    );
    const remitted = partner.remittances.nodes.reduce((sum, remittance) => sum + remittance.grossPaise, 0);
    return { unremitted: partner.codBalance.collectedPaise, remittances: partner.remittances.nodes, held: partner.codBalance.collectedPaise + remitted };
  };
  const countBy = <T>(items: readonly T[], key: (item: T) => string | null) => {
    const counts: Record<string, number> = {};
    for (const item of items) {
      const k = key(item);
      if (k !== null) counts[k] = (counts[k] ?? 0) + 1;
    }
    return counts;
  };

  beforeAll(async () => {
    events = createInProcessTransport({ log: { info: () => undefined, error: () => undefined } });
    subgraphs = await startSubgraphs({ events });
    graph = await startGateway(subgraphs);
    adminToken = (await adminLogin(graph, subgraphs.db, PASSWORD)).token;
    summary = await runDemoDay({
      gatewayUrl: graph.url,
      admin: { email: ADMIN_EMAIL, password: PASSWORD },
      articles: ARTICLES,
      seed: SEED,
      pspCallbackSecret: TEST_PSP_CALLBACK_SECRET,
      log: (line) => printed.push(line),
    });
  }, 300_000);

  afterAll(async () => {
    await graph?.stop();
    await subgraphs?.stop();
    await events?.close();
  });

  it('books the day at counters and by partners, and every article stands where the summary says', async () => {
    expect(summary.booked.total).toBe(ARTICLES);
    expect(summary.booked.counter + summary.booked.partner).toBe(ARTICLES);
    expect(summary.booked.counter).toBeGreaterThan(0);
    expect(summary.booked.partner).toBeGreaterThan(0);
    expect(new Set(summary.articleNumbers).size).toBe(ARTICLES);
    expect(Object.values(summary.booked.byProduct).reduce((a, b) => a + b, 0)).toBe(ARTICLES);
    expect(printed.some((line) => /bookings: [\d.]+ s/.test(line))).toBe(true);

    const states = await articleStates(summary.articleNumbers);
    const statuses = countBy(states, (article) => article.status);
    expect(statuses).toEqual(summary.statusesAtEnd);
    expect(statuses.DELIVERED).toBe(summary.delivered);
    expect(statuses.RETURNED_TO_SENDER).toBe(summary.returned);
    expect(summary.returned).toBeGreaterThanOrEqual(2);
    expect(statuses.DELIVERY_ATTEMPTED).toBeGreaterThan(0);
    expect((statuses.IN_TRANSIT ?? 0) + (statuses.BOOKED ?? 0)).toBeGreaterThan(0);
    // Everything that went out came back into the day's counts: delivered, attempted (for tomorrow), or returned.
    expect(summary.outForDelivery).toBe(summary.delivered + statuses.DELIVERY_ATTEMPTED! + summary.returned);

    // How each delivery was proved: the OTP articles on a supervisor's approval (the demo has no addressee's phone).
    const proofs = countBy(states, (article) => article.delivery?.proofKind ?? null);
    expect(proofs.SUPERVISOR_APPROVAL ?? 0).toBe(summary.deliveredWithoutOtp);
    expect(proofs.OTP ?? 0).toBe(summary.delivered - summary.deliveredWithoutOtp);
    expect(summary.deliveredWithoutOtp).toBeGreaterThan(0);
    expect(summary.syncedOffline).toBeGreaterThan(0);

    // Every failed attempt is a DELIVERY_ATTEMPTED event with its reason, and the returns followed attempts.
    const attempts = states.flatMap((article) => article.events.filter((event) => event.type === 'DELIVERY_ATTEMPTED'));
    expect(attempts).toHaveLength(summary.failedAttempts.total);
    expect(countBy(attempts, (event) => event.reason)).toEqual(summary.failedAttempts.byReason);
    const back = states.filter((article) => article.status === 'RETURNED_TO_SENDER');
    for (const article of back) expect(article.events.at(-1)?.type).toBe('RETURNED_TO_SENDER');
    expect(back.some((article) => article.events.filter((event) => event.type === 'DELIVERY_ATTEMPTED').length === 3)).toBe(true);
  });

  it('took the LATER bookings\' money through payments: UPI QR (a declined one paid on a second QR) and cash', async () => {
    const states = await articleStates(summary.articleNumbers);
    const later = states.filter((article) => article.paymentMode === 'LATER');
    expect(later).toHaveLength(summary.paid.later.UPI_QR + summary.paid.later.CASH);
    for (const article of later) expect(article.paymentStatus).toBe('PAID');
    const bookingPayments = later.flatMap((article) => article.payments.filter((payment) => payment.purpose === 'BOOKING'));
    expect(countBy(bookingPayments, (payment) => `${payment.method} ${payment.status}`)).toEqual({
      'UPI_QR PAID': summary.paid.later.UPI_QR,
      'CASH PAID': summary.paid.later.CASH,
      ...(summary.paid.upiDeclined ? { 'UPI_QR FAILED': summary.paid.upiDeclined } : {}),
    });
    expect(summary.paid.upiDeclined).toBeGreaterThan(0);
    expect(countBy(states, (article) => article.paymentMode)).toEqual({
      ...(summary.paid.atBooking.CASH ? { CASH: summary.paid.atBooking.CASH } : {}),
      ACCOUNT: summary.paid.atBooking.ACCOUNT,
      LATER: later.length,
    });
  });

  it('collected the COD the summary says, per partner, and the books balance', async () => {
    const states = await articleStates(summary.articleNumbers);
    const collected = states.reduce((sum, article) => sum + (article.delivery?.codCollected?.amountPaise ?? 0), 0);
    expect(collected).toBe(summary.codCollectedPaise);
    expect(summary.codCollectedPaise).toBeGreaterThan(0);
    // payments records each collection from article.delivered, a moment after the delivery.
    for (const partner of summary.partners) {
      await until(`${partner.name}'s COD balance`, async () => (await codOf(partner.id)).held === partner.codCollectedPaise);
    }
    // The first partner's was remitted at the end of the day, in one remittance, paid.
    const first = await codOf(summary.partners[0]!.id);
    expect(first).toMatchObject({ unremitted: 0, remittances: [{ status: 'PAID', grossPaise: summary.codRemittedPaise }] });
    expect(summary.codRemittedPaise).toBe(summary.partners[0]!.codCollectedPaise);
    expect((await ok<{ ledger: { totalPaise: number } }>('{ ledger { totalPaise } }')).ledger.totalPaise).toBe(0);
  });

  it("counts the day in the operations rollups exactly as its events say, and a rebuild agrees", async () => {
    const figures = 'booked delivered deliveredOnTime failedAttempts returned revenuePaise gstPaise codCollectedPaise codRemittedPaise';
    const expected = await figuresOfDayFromSources(subgraphs.db, summary.day);
    expect(expected).toMatchObject({ booked: summary.booked.total, delivered: summary.delivered, codCollectedPaise: summary.codCollectedPaise, codRemittedPaise: summary.codRemittedPaise });
    expect(summary.codRemittedPaise).toBeGreaterThan(0);
    const nation = await until('the analytics consumers to count the day', async () => {
      const { operationsReport } = await ok<{ operationsReport: { nodes: Record<string, number>[] } }>(
        `query ($day: String!) { operationsReport(from: $day, to: $day) { nodes { ${figures} } } }`,
        { day: summary.day },
      );
      const row = operationsReport.nodes[0]!;
      return Object.entries(expected).every(([figure, value]) => row[figure] === value) ? row : null;
    }, 60_000);
    expect(nation).toEqual(expected);
    // By circle, the rows add up to the nation.
    const { operationsReport: circles } = await ok<{ operationsReport: { totalCount: number; nodes: Record<string, number>[] } }>(
      `query ($day: String!) { operationsReport(from: $day, to: $day, groupBy: CIRCLE, first: 100) { totalCount nodes { ${figures} } } }`,
      { day: summary.day },
    );
    expect(circles.totalCount).toBeGreaterThan(1);
    for (const figure of Object.keys(expected)) {
      expect({ figure, sum: circles.nodes.reduce((sum, row) => sum + row[figure]!, 0) }).toEqual({ figure, sum: expected[figure] });
    }

    const live = await rollupSnapshot(subgraphs.db);
    await rebuildRollups(subgraphs.db);
    expect(await rollupSnapshot(subgraphs.db)).toEqual(live);
  });

  it('resumes rather than repeats: the same seed on the same day replays every step', async () => {
    const again = await runDemoDay({
      gatewayUrl: graph.url,
      admin: { email: ADMIN_EMAIL, password: PASSWORD },
      articles: ARTICLES,
      seed: SEED,
      pspCallbackSecret: TEST_PSP_CALLBACK_SECRET,
    });
    const { elapsedMs: _a, requests: _b, rateLimitedWaits: _c, partners: firstPartners, ...first } = summary;
    const { elapsedMs: _d, requests: _e, rateLimitedWaits: _f, partners: secondPartners, ...second } = again;
    expect(second).toEqual(first);
    expect(secondPartners).toEqual(firstPartners);
    // Still the one remittance, not a second of nothing.
    expect(await codOf(summary.partners[0]!.id)).toMatchObject({ held: summary.partners[0]!.codCollectedPaise, remittances: [{ status: 'PAID' }] });
    // The run's API keys are revoked at its end: neither run's key still books.
    const keys = await ok<{ partner: { apiKeys: { revokedAt: string | null }[] } }>('query ($id: ID!) { partner(id: $id) { apiKeys { revokedAt } } }', { id: summary.partners[0]!.id });
    expect(keys.partner.apiKeys).toHaveLength(2);
    for (const key of keys.partner.apiKeys) expect(key.revokedAt).not.toBeNull();
  }, 300_000);
});
