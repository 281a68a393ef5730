import type { Viewer } from '@dakgraph/auth';
import { deliveryOtpFor } from '../src/domain';
import { createArticlesSubgraph } from '../src/server';
import { HOLD_LIMIT_PRINCIPAL, returnUnclaimedArticles } from '../src/services/returns';
import {
  ENGINES,
  NOW,
  OFFICES,
  RECORD_EVENTS,
  TEST_OTP_SECRET,
  VIEWERS,
  codesOf,
  newKey,
  receivedAtBazargate,
  staff,
  startArticles,
  type ArticlesHarness,
} from './support';

/**
 * Returns: an article nobody collects goes back after the hold limit, and a returned article is
 * delivered to its sender the way it would have been to the addressee (a beat, the OTP, attempts).
 */

const DAY_MS = 24 * 3600 * 1000;
const TODAY = '2026-11-25';
const ASSIGN = `mutation ($input: AssignForDeliveryInput!, $key: String!) {
  assignForDelivery(input: $input, idempotencyKey: $key) { articles { articleNumber status delivery { attempt otpRequired } } } }`;
const DELIVER = `mutation ($input: DeliverArticleInput!, $key: String!) {
  deliverArticle(input: $input, idempotencyKey: $key) { article { articleNumber status delivery { proofKind deliveredTo } } } }`;
const ATTEMPT = `mutation ($input: DeliveryAttemptInput!, $key: String!) {
  recordDeliveryAttempt(input: $input, idempotencyKey: $key) { returnedToSender article { status } } }`;
const ARTICLE = `query ($n: String!) { article(articleNumber: $n) { status events { type reason statusAfter office { id } } } }`;

/** The sender's delivery office in these tests, its clerk and its postman. */
const GPO_CLERK = VIEWERS.mumbaiClerk;
const GPO_POSTMAN: Viewer = staff('POSTMAN', OFFICES.mumbaiGpo, 'stf_01jd6x000000000000000000g1');

describe.each(ENGINES)('returns on %s', (engine) => {
  let graph: ArticlesHarness;
  let clock = NOW;

  beforeAll(async () => {
    graph = await startArticles(engine, { now: () => clock });
  }, 180_000);

  afterAll(async () => {
    await graph?.close();
  });

  afterEach(() => {
    clock = NOW;
  });

  const atBazargate = (n: number, overrides: Record<string, unknown> = {}) => receivedAtBazargate(graph, n, overrides);

  const assign = (viewer: Viewer, postman: Viewer, articleNumbers: string[]) =>
    graph.run(viewer, ASSIGN, { input: { postmanId: postman.id, articleNumbers, date: TODAY }, key: newKey('assign') });
  const attempt = (postman: Viewer, articleNumber: string, reason: string) =>
    graph.run(postman, ATTEMPT, { input: { articleNumber, reason }, key: newKey('attempt') });
  const statusOf = async (articleNumber: string): Promise<string> => (await graph.run(VIEWERS.public, ARTICLE, { n: articleNumber })).data.article.status;

  async function otpOf(articleNumber: string): Promise<string> {
    const [row] = await graph.db.query<{ nonce: string; date: string }>(
      `SELECT otp_nonce AS nonce, to_char(delivery_date, 'YYYY-MM-DD') AS date FROM articles.delivery_assignment
        WHERE article_number = $1 ORDER BY attempt DESC LIMIT 1`,
      [articleNumber],
    );
    return deliveryOtpFor(articleNumber, row!.date, row!.nonce, TEST_OTP_SECRET);
  }

  /** Refused at the addressee's door for good: back to the sender, then carried to the Mumbai GPO. */
  async function returnedToGpo(overrides: Record<string, unknown> = {}): Promise<string> {
    const [article] = await atBazargate(1, overrides);
    expect((await assign(VIEWERS.bazargateClerk, VIEWERS.beatPostman, [article!])).errors).toBeUndefined();
    const refused = await attempt(VIEWERS.beatPostman, article!, 'REFUSED');
    expect(refused.data.recordDeliveryAttempt).toEqual({ returnedToSender: true, article: { status: 'RETURNED_TO_SENDER' } });
    const arrived = await graph.run(GPO_CLERK, RECORD_EVENTS, { events: [{ articleNumber: article, type: 'ARRIVED_AT_DELIVERY_OFFICE' }], key: newKey('back') });
    expect(arrived.errors).toBeUndefined();
    expect(await statusOf(article!)).toBe('RETURNED_TO_SENDER');
    return article!;
  }

  describe('the hold limit', () => {
    it('returns, as UNCLAIMED, articles waiting at their office for more than 7 days since their last event, and no others', async () => {
      const [waiting, attempted, outToday] = await atBazargate(3);
      expect((await assign(VIEWERS.bazargateClerk, VIEWERS.beatPostman, [attempted!, outToday!])).errors).toBeUndefined();
      expect((await attempt(VIEWERS.beatPostman, attempted!, 'PREMISES_LOCKED')).data.recordDeliveryAttempt.returnedToSender).toBe(false);
      const deps = { ...graph.subgraph.deps, now: () => clock };

      clock = new Date(NOW.getTime() + 7 * DAY_MS - 60_000);
      expect(await returnUnclaimedArticles(graph.subgraph.prisma, deps)).toBe(0);
      expect(await statusOf(waiting!)).toBe('AT_DELIVERY_OFFICE');

      clock = new Date(NOW.getTime() + 7 * DAY_MS + 60_000);
      const returned = await returnUnclaimedArticles(graph.subgraph.prisma, deps);
      expect(returned).toBeGreaterThanOrEqual(2);
      for (const article of [waiting!, attempted!]) {
        const { data } = await graph.run(VIEWERS.public, ARTICLE, { n: article });
        expect(data.article.status).toBe('RETURNED_TO_SENDER');
        expect(data.article.events.at(-1)).toEqual({ type: 'RETURNED_TO_SENDER', reason: 'UNCLAIMED', statusAfter: 'RETURNED_TO_SENDER', office: { id: OFFICES.bazargate.id } });
      }
      // Out with the postman is not waiting at the office.
      expect(await statusOf(outToday!)).toBe('OUT_FOR_DELIVERY');
      const [recorded] = await graph.db.query<{ by: string; occurredAt: Date }>(
        `SELECT recorded_by AS by, occurred_at AS "occurredAt" FROM articles.tracking_event WHERE article_number = $1 ORDER BY sequence DESC LIMIT 1`,
        [waiting],
      );
      expect(recorded!.by).toBe(HOLD_LIMIT_PRINCIPAL);
      expect(new Date(recorded!.occurredAt).toISOString()).toBe(clock.toISOString());
      const outbox = await graph.db.query<{ type: string }>(`SELECT type FROM articles.outbox_event WHERE subject = $1 ORDER BY sequence`, [waiting]);
      expect(outbox.map((row) => row.type).at(-1)).toBe('article.returned');

      // Looked at again, nothing is returned twice.
      expect(await returnUnclaimedArticles(graph.subgraph.prisma, deps)).toBe(0);
    });

    it('follows the deployment\'s limit, and works through a backlog larger than one batch', async () => {
      const held = await atBazargate(520);
      const deps = { ...graph.subgraph.deps, now: () => clock, maxHoldDays: 2 };
      clock = new Date(NOW.getTime() + 2 * DAY_MS + 60_000);
      expect(await returnUnclaimedArticles(graph.subgraph.prisma, deps)).toBeGreaterThanOrEqual(520);
      const [left] = await graph.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM articles.article WHERE article_number = ANY($1::bpchar[]) AND status <> 'RETURNED_TO_SENDER'`,
        [held],
      );
      expect(left!.n).toBe(0);
    }, 120_000);

    it('refuses a limit out of range when the subgraph is built', async () => {
      for (const maxHoldDays of [0, 91, 1.5]) {
        await expect(createArticlesSubgraph(graph.db, { identitySecret: 'i'.repeat(32), customersUrl: 'http://127.0.0.1:9/graphql', maxHoldDays })).rejects.toThrow(
          /maxHoldDays \(MAX_HOLD_DAYS\) must be a whole number from 1 to 90/,
        );
      }
    });
  });

  describe('the return leg', () => {
    it('delivers a returned OTP article to its sender against an OTP, never through recordTrackingEvents', async () => {
      const article = await returnedToGpo({ services: ['OTP_DELIVERY'] });
      const out = await assign(GPO_CLERK, GPO_POSTMAN, [article]);
      expect(out.errors).toBeUndefined();
      expect(out.data.assignForDelivery.articles).toEqual([{ articleNumber: article, status: 'RETURNED_TO_SENDER', delivery: { attempt: 2, otpRequired: true } }]);

      const byHand = await graph.run(GPO_CLERK, RECORD_EVENTS, { events: [{ articleNumber: article, type: 'DELIVERED' }], key: newKey('hand') });
      expect(codesOf(byHand)).toEqual(['BAD_USER_INPUT']);
      expect(byHand.errors![0]!.extensions!.invalidItems).toEqual([expect.objectContaining({ field: 'events[0].type', message: expect.stringMatching(/delivered only against the OTP sent to the addressee \(to the sender on a return\)/) })]);

      const otp = await otpOf(article);
      const wrong = await graph.run(GPO_POSTMAN, DELIVER, { input: { articleNumber: article, otp: String((Number(otp) + 1) % 1_000_000).padStart(6, '0'), receivedBy: 'Sender' }, key: newKey('d') });
      expect(wrong.errors![0]!.extensions).toMatchObject({ code: 'OTP_INVALID', attemptsLeft: 4 });
      const delivered = await graph.run(GPO_POSTMAN, DELIVER, { input: { articleNumber: article, otp, receivedBy: 'Warehouse clerk' }, key: newKey('d') });
      expect(delivered.errors).toBeUndefined();
      expect(delivered.data.deliverArticle.article).toMatchObject({ status: 'RETURN_DELIVERED', delivery: { proofKind: 'OTP' } });
      const outbox = await graph.db.query<{ type: string }>(`SELECT type FROM articles.outbox_event WHERE subject = $1 ORDER BY sequence`, [article]);
      // The event type follows the status, which stays RETURNED_TO_SENDER on the way back (arrival, out for delivery).
      expect(outbox.map((row) => row.type).slice(-4)).toEqual(['article.returned', 'article.returned', 'article.returned', 'article.return_delivered']);
    });

    it('keeps a returned article RETURNED_TO_SENDER through failed attempts at the sender, with no second return', async () => {
      const article = await returnedToGpo();
      for (let round = 1; round <= 4; round++) {
        expect((await assign(GPO_CLERK, GPO_POSTMAN, [article])).errors).toBeUndefined();
        const tried = await attempt(GPO_POSTMAN, article, 'ADDRESSEE_ABSENT');
        expect(tried.errors).toBeUndefined();
        expect(tried.data.recordDeliveryAttempt).toEqual({ returnedToSender: false, article: { status: 'RETURNED_TO_SENDER' } });
      }
      const { data } = await graph.run(VIEWERS.public, ARTICLE, { n: article });
      expect(data.article.events.filter((e: { type: string }) => e.type === 'RETURNED_TO_SENDER')).toHaveLength(1);
    });

    it('gives out only a returned article that is at an office, not one on its way back', async () => {
      const [article] = await atBazargate(1);
      expect((await assign(VIEWERS.bazargateClerk, VIEWERS.beatPostman, [article!])).errors).toBeUndefined();
      expect((await attempt(VIEWERS.beatPostman, article!, 'REFUSED')).data.recordDeliveryAttempt.returnedToSender).toBe(true);
      const bagged = await graph.run(VIEWERS.bazargateClerk, RECORD_EVENTS, { events: [{ articleNumber: article, type: 'BAGGED' }], key: newKey('bag') });
      expect(bagged.errors).toBeUndefined();
      const refused = await assign(VIEWERS.bazargateClerk, VIEWERS.beatPostman, [article!]);
      expect(codesOf(refused)).toEqual(['BAD_USER_INPUT']);
      expect(refused.errors![0]!.extensions!.invalidItems).toEqual([expect.objectContaining({ status: 'RETURNED_TO_SENDER', message: expect.stringContaining('waiting at a delivery office') })]);
      // Nor delivered while bagged.
      const early = await graph.run(VIEWERS.beatPostman, DELIVER, { input: { articleNumber: article, receivedBy: 'Someone' }, key: newKey('d') });
      expect(codesOf(early)).toEqual(['BAD_USER_INPUT']);
    });
  });
});
