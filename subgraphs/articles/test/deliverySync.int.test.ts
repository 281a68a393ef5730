import type { Viewer } from '@dakgraph/auth';
import fc from 'fast-check';
import { deliveryOtpFor } from '../src/domain';
import {
  ENGINES,
  NOW,
  OFFICES,
  TEST_OTP_SECRET,
  VIEWERS,
  codesOf,
  newKey,
  receivedAtBazargate,
  staff,
  startArticles,
  type ArticlesHarness,
} from './support';

/** The IST day of the assignments (NOW is 11:30 IST on 25 November 2026); syncs happen later that day. */
const TODAY = '2026-11-25';
const MINUTE = 60_000;
/** The postman's handheld syncs at 17:30 IST, six hours after his articles went out. */
const SYNC_TIME = new Date(NOW.getTime() + 6 * 60 * MINUTE);
const at = (minutesAfterAssignment: number) => new Date(NOW.getTime() + minutesAfterAssignment * MINUTE).toISOString();

const ASSIGN = `mutation ($input: AssignForDeliveryInput!, $key: String!) {
  assignForDelivery(input: $input, idempotencyKey: $key) { articles { articleNumber status } } }`;
const REGISTER = `mutation ($label: String!, $key: String!) {
  registerDeliveryDevice(label: $label, idempotencyKey: $key) { replayed device { id label postmanId registeredAt } } }`;
const SYNC = `mutation ($deviceId: ID!, $events: [DeliverySyncEventInput!]!) {
  syncDeliveryEvents(deviceId: $deviceId, events: $events) {
    applied duplicates rejected
    results { clientEventId outcome standing code message otpAttemptsLeft article { articleNumber status } } } }`;
const DELIVER = `mutation ($input: DeliverArticleInput!, $key: String!) { deliverArticle(input: $input, idempotencyKey: $key) { article { status } } }`;
const ARTICLE = `query ($n: String!) { article(articleNumber: $n) {
  status events { sequence type occurredAt reason statusAfter }
  delivery { attempt failedAttempts proofKind deliveredAt deliveredTo codCollected { amountPaise mode } } } }`;

/** A postman with an id in the customers subgraph's form, one per group of tests that needs its own beat. */
const postmanNo = (k: number): Viewer => staff('POSTMAN', OFFICES.bazargate, `stf_01jd6y${'0'.repeat(18)}${String(k).padStart(2, '0')}`);

interface SyncResult {
  clientEventId: string;
  outcome: string;
  standing: string;
  code: string | null;
  message: string | null;
  otpAttemptsLeft: number | null;
  article: { articleNumber: string; status: string } | null;
}

describe.each(ENGINES)('offline delivery sync on %s', (engine) => {
  let graph: ArticlesHarness;
  let clock = NOW;

  beforeAll(async () => {
    graph = await startArticles(engine, { now: () => clock });
  }, 180_000);

  afterAll(async () => {
    await graph?.close();
  });

  /** Articles at Bazargate given to `postman` at NOW; the clock then moves on to SYNC_TIME. */
  async function outWith(postman: Viewer, n: number, overrides: Record<string, unknown> = {}): Promise<string[]> {
    clock = NOW;
    const numbers = await receivedAtBazargate(graph, n, overrides);
    const assigned = await graph.run(VIEWERS.bazargateClerk, ASSIGN, { input: { postmanId: postman.id, articleNumbers: numbers, date: TODAY }, key: newKey('assign') });
    expect(assigned.errors).toBeUndefined();
    clock = SYNC_TIME;
    return numbers;
  }

  /** Gives articles out again `minutes` after NOW (after an attempt); the clock then moves on to SYNC_TIME. */
  async function giveOutAgain(postman: Viewer, numbers: string[], minutes: number): Promise<void> {
    clock = new Date(at(minutes));
    const assigned = await graph.run(VIEWERS.bazargateClerk, ASSIGN, { input: { postmanId: postman.id, articleNumbers: numbers, date: TODAY }, key: newKey('assign') });
    expect(assigned.errors).toBeUndefined();
    clock = SYNC_TIME;
  }

  async function register(postman: Viewer, label = 'Redmi 12, beat 4'): Promise<string> {
    const result = await graph.run(postman, REGISTER, { label, key: newKey('device') });
    expect(result.errors).toBeUndefined();
    return result.data.registerDeliveryDevice.device.id;
  }

  async function sync(postman: Viewer, deviceId: string, events: Record<string, unknown>[]) {
    const result = await graph.run(postman, SYNC, { deviceId, events });
    expect(result.errors).toBeUndefined();
    return result.data.syncDeliveryEvents as { applied: number; duplicates: number; rejected: number; results: SyncResult[] };
  }

  async function otpOf(articleNumber: string): Promise<string> {
    const [row] = await graph.db.query<{ nonce: string }>(
      `SELECT otp_nonce AS nonce FROM articles.delivery_assignment WHERE article_number = $1 ORDER BY attempt DESC LIMIT 1`,
      [articleNumber],
    );
    return deliveryOtpFor(articleNumber, TODAY, row!.nonce, TEST_OTP_SECRET);
  }
  const wrongFor = (otp: string): string => String((Number(otp) + 1) % 1_000_000).padStart(6, '0');

  const delivered = (clientEventId: string, articleNumber: string, minutes: number, extra: Record<string, unknown> = {}) => ({
    clientEventId,
    articleNumber,
    kind: 'DELIVERED',
    occurredAt: at(minutes),
    receivedBy: 'Asha Rao',
    ...extra,
  });
  const attempted = (clientEventId: string, articleNumber: string, minutes: number, reason = 'ADDRESSEE_ABSENT') => ({
    clientEventId,
    articleNumber,
    kind: 'ATTEMPTED',
    occurredAt: at(minutes),
    reason,
  });

  async function timelineOf(articleNumber: string) {
    const result = await graph.run(VIEWERS.admin, ARTICLE, { n: articleNumber });
    expect(result.errors).toBeUndefined();
    return result.data.article;
  }

  /** Everything a sync may write, counted: proof that a second sync wrote nothing. */
  async function footprint() {
    const [row] = await graph.db.query<Record<string, number>>(
      `SELECT (SELECT count(*)::int FROM articles.tracking_event) AS events, (SELECT count(*)::int FROM articles.outbox_event) AS outbox,
              (SELECT count(*)::int FROM articles.delivery_sync_event) AS synced, (SELECT count(*)::int FROM articles.article_delivery) AS proofs,
              (SELECT coalesce(sum(otp_failures), 0)::int FROM articles.delivery_assignment) AS failures,
              (SELECT count(*)::int FROM articles.delivery_sync_event WHERE standing = 'APPLIED') AS applied`,
    );
    return row!;
  }

  describe('devices', () => {
    it('registers a handheld for the calling postman, once per idempotency key, and refuses everyone else', async () => {
      const postman = postmanNo(1);
      const key = newKey('device');
      const first = await graph.run(postman, REGISTER, { label: '  Redmi 12,   beat 4 ', key });
      expect(first.errors).toBeUndefined();
      const device = first.data.registerDeliveryDevice.device;
      expect(device).toMatchObject({ label: 'Redmi 12, beat 4', postmanId: postman.id });
      expect(device.id).toMatch(/^dev_[0-9a-hjkmnp-tv-z]{26}$/);
      expect(new Date(device.registeredAt).getTime()).toBe(clock.getTime());
      const again = await graph.run(postman, REGISTER, { label: '  Redmi 12,   beat 4 ', key });
      expect(again.data.registerDeliveryDevice).toEqual({ replayed: true, device });

      expect(codesOf(await graph.run(VIEWERS.bazargateClerk, REGISTER, { label: 'x', key: newKey() }))).toEqual(['FORBIDDEN']);
      expect(codesOf(await graph.run(VIEWERS.public, REGISTER, { label: 'x', key: newKey() }))).toEqual(['UNAUTHENTICATED']);
      const blank = await graph.run(postman, REGISTER, { label: '   ', key: newKey() });
      expect(blank.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'label' });

      const event = attempted('e1', 'EE123456785IN', 10);
      const other = await graph.run(postmanNo(2), SYNC, { deviceId: device.id, events: [event] });
      expect(codesOf(other)).toEqual(['FORBIDDEN']);
      expect(other.errors![0]!.message).toContain('another postman');
      expect(codesOf(await graph.run(postman, SYNC, { deviceId: 'dev_01jd6y00000000000000000000', events: [event] }))).toEqual(['NOT_FOUND']);
      const malformed = await graph.run(postman, SYNC, { deviceId: 'phone-7', events: [event] });
      expect(malformed.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'deviceId' });
      expect(codesOf(await graph.run(VIEWERS.bazargateSupervisor, SYNC, { deviceId: device.id, events: [event] }))).toEqual(['FORBIDDEN']);
    });

    it('refuses a malformed batch whole: none, more than 500, a bad or repeated clientEventId', async () => {
      const postman = postmanNo(3);
      const deviceId = await register(postman);
      const before = await footprint();
      const none = await graph.run(postman, SYNC, { deviceId, events: [] });
      expect(none.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'events' });
      const many = await graph.run(postman, SYNC, { deviceId, events: Array.from({ length: 501 }, (_, i) => attempted(`e${i}`, 'EE123456785IN', 1)) });
      expect(many.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'events' });
      const repeated = await graph.run(postman, SYNC, { deviceId, events: [attempted('same', 'EE123456785IN', 1), attempted('same', 'EE123456785IN', 2), attempted('bad id!', 'EE123456785IN', 3)] });
      expect(repeated.errors![0]!.extensions!.invalidItems).toEqual([
        expect.objectContaining({ index: 1, field: 'events[1].clientEventId' }),
        expect.objectContaining({ index: 2, field: 'events[2].clientEventId' }),
      ]);
      expect(await footprint()).toEqual(before);
    });
  });

  describe('a batch', () => {
    it('applies the valid events and refuses each invalid one with its code, then changes nothing when synced again', async () => {
      const postman = postmanNo(4);
      const deviceId = await register(postman);
      const [otpArticle, wrongOtpArticle, attemptArticle] = await outWith(postman, 3, { services: ['OTP_DELIVERY'] });
      const [plain] = await outWith(postman, 1);
      const [cod] = await outWith(postman, 1, { product: 'SPEED_POST_PARCEL', codAmountPaise: 45_000 });
      const [othersArticle] = await outWith(postmanNo(5), 1);
      clock = NOW;
      const [neverOut] = await receivedAtBazargate(graph, 1);
      clock = SYNC_TIME;
      const otp = await otpOf(otpArticle!);
      const batch = [
        delivered('d-otp', otpArticle!, 30, { otp, location: { latitude: 18.9398, longitude: 72.8355 } }),
        delivered('d-wrong', wrongOtpArticle!, 40, { otp: wrongFor(await otpOf(wrongOtpArticle!)) }),
        delivered('d-no-otp', plain!, 50),
        attempted('a-1', attemptArticle!, 60, 'PREMISES_LOCKED'),
        delivered('d-cod', cod!, 70, { otp: await otpOf(cod!), codCollected: { amountPaise: 45_000, mode: 'UPI' } }),
        delivered('d-others', othersArticle!, 80),
        delivered('d-future', plain!, 6 * 60 + 11),
        delivered('d-before-booking', plain!, -24 * 60),
        delivered('d-unknown', 'EE123456785IN', 90),
        delivered('d-malformed', 'not a number', 90),
        delivered('d-not-out', neverOut!, 90),
        delivered('d-cod-short', cod!, 95, { otp: await otpOf(cod!), codCollected: { amountPaise: 100, mode: 'CASH' } }),
        attempted('a-no-reason', attemptArticle!, 65, 'UNCLAIMED'),
      ];
      const first = await sync(postman, deviceId, batch);
      const byId = new Map(first.results.map((r) => [r.clientEventId, r]));
      expect(first.results.map((r) => r.clientEventId)).toEqual(batch.map((e) => e.clientEventId));
      expect(Object.fromEntries(first.results.map((r) => [r.clientEventId, [r.outcome, r.code]]))).toEqual({
        'd-otp': ['APPLIED', null],
        'd-wrong': ['REJECTED', 'OTP_INVALID'],
        'd-no-otp': ['APPLIED', null],
        'a-1': ['APPLIED', null],
        'd-cod': ['APPLIED', null],
        'd-others': ['REJECTED', 'NOT_ASSIGNED'],
        'd-future': ['REJECTED', 'FUTURE_TIME'],
        'd-before-booking': ['REJECTED', 'BEFORE_BOOKING'],
        'd-unknown': ['REJECTED', 'UNKNOWN_ARTICLE'],
        'd-malformed': ['REJECTED', 'INVALID_EVENT'],
        'd-not-out': ['REJECTED', 'NOT_ASSIGNED'],
        // Its amount is checked on its own, before any question of order.
        'd-cod-short': ['REJECTED', 'COD_MISMATCH'],
        'a-no-reason': ['REJECTED', 'INVALID_EVENT'],
      });
      expect(first).toMatchObject({ applied: 4, duplicates: 0, rejected: 9 });
      expect(byId.get('d-wrong')!.otpAttemptsLeft).toBe(4);
      expect(byId.get('d-wrong')!.message).toContain('4 tries are left');
      expect(byId.get('d-otp')!.article).toEqual({ articleNumber: otpArticle, status: 'DELIVERED' });
      expect(byId.get('a-1')!.article).toEqual({ articleNumber: attemptArticle, status: 'DELIVERY_ATTEMPTED' });
      expect(byId.get('d-malformed')!.article).toBeNull();
      for (const result of first.results) {
        if (result.outcome === 'REJECTED') expect(result.message).toEqual(expect.any(String));
        // No OTP is ever echoed, right or wrong.
        expect(result.message ?? '').not.toMatch(/\b\d{6}\b/);
      }

      const otpTimeline = await timelineOf(otpArticle!);
      expect(otpTimeline.events.slice(-2).map((e: { type: string }) => e.type)).toEqual(['OUT_FOR_DELIVERY', 'DELIVERED']);
      expect(otpTimeline.events.at(-1).occurredAt).toBe(at(30));
      expect(otpTimeline.delivery).toMatchObject({ proofKind: 'OTP', deliveredAt: at(30), deliveredTo: 'Asha Rao' });
      expect((await timelineOf(cod!)).delivery.codCollected).toEqual({ amountPaise: 45_000, mode: 'UPI' });
      expect((await timelineOf(wrongOtpArticle!)).status).toBe('OUT_FOR_DELIVERY');
      const [failures] = await graph.db.query<{ n: number; used: Date | null }>(
        `SELECT otp_failures AS n, otp_used_at AS used FROM articles.delivery_assignment WHERE article_number = $1`,
        [wrongOtpArticle],
      );
      expect(failures!.n).toBe(1);
      const outbox = await graph.db.query<{ type: string }>(`SELECT type FROM articles.outbox_event WHERE subject = $1 ORDER BY sequence`, [otpArticle]);
      expect(outbox.map((r) => r.type).at(-1)).toBe('article.delivered');

      // Synced again (the answer was lost on a bad line): every event DUPLICATE, standing as before, nothing written.
      const before = await footprint();
      const second = await sync(postman, deviceId, batch);
      expect(second).toMatchObject({ applied: 0, duplicates: batch.length, rejected: 0 });
      expect(second.results.map((r) => [r.clientEventId, r.standing, r.code])).toEqual(first.results.map((r) => [r.clientEventId, r.standing, r.code]));
      expect(await footprint()).toEqual(before);

      // The same id for another event is refused and recorded nowhere.
      const reused = await sync(postman, deviceId, [attempted('a-1', attemptArticle!, 61, 'PREMISES_LOCKED')]);
      expect(reused.results[0]).toMatchObject({ outcome: 'REJECTED', code: 'CLIENT_EVENT_ID_REUSED' });
      expect(await footprint()).toEqual(before);
    });

    it('counts wrong OTPs towards the lock like deliverArticle, and never keeps an OTP', async () => {
      const postman = postmanNo(6);
      const deviceId = await register(postman);
      const [article] = await outWith(postman, 1, { services: ['OTP_DELIVERY'] });
      const otp = await otpOf(article!);
      const wrong = wrongFor(otp);
      const online = await graph.run(postman, DELIVER, { input: { articleNumber: article, otp: wrong, receivedBy: 'A' }, key: newKey() });
      expect(codesOf(online)).toEqual(['OTP_INVALID']);
      const guesses = await sync(postman, deviceId, [1, 2, 3, 4].map((i) => delivered(`g${i}`, article!, i, { otp: wrong })));
      expect(guesses.results.map((r) => r.otpAttemptsLeft)).toEqual([3, 2, 1, 0]);
      const right = await sync(postman, deviceId, [delivered('right', article!, 10, { otp })]);
      expect(right.results[0]).toMatchObject({ outcome: 'REJECTED', code: 'OTP_LOCKED' });
      const stored = await graph.db.query<Record<string, unknown>>(`SELECT * FROM articles.delivery_sync_event WHERE device_id = $1`, [deviceId]);
      expect(JSON.stringify(stored)).not.toContain(otp);
      expect(JSON.stringify(stored)).not.toContain(wrong);
    });
  });

  describe('out of order', () => {
    it('puts a late event in its place: an earlier attempt goes before the delivery, a later one is refused', async () => {
      const postman = postmanNo(7);
      const deviceId = await register(postman);
      const [article] = await outWith(postman, 1, { services: ['OTP_DELIVERY'] });
      const otp = await otpOf(article!);
      expect((await sync(postman, deviceId, [delivered('d', article!, 200, { otp })])).results[0]!.outcome).toBe('APPLIED');
      const late = await sync(postman, deviceId, [attempted('a-early', article!, 100), attempted('a-late', article!, 250)]);
      expect(late.results.map((r) => [r.outcome, r.code])).toEqual([
        ['APPLIED', null],
        ['REJECTED', 'ALREADY_DELIVERED'],
      ]);
      const { status, events, delivery } = await timelineOf(article!);
      expect(status).toBe('DELIVERED');
      expect(events.slice(-3).map((e: { type: string; occurredAt: string }) => [e.type, e.occurredAt])).toEqual([
        ['OUT_FOR_DELIVERY', NOW.toISOString()],
        ['DELIVERY_ATTEMPTED', at(100)],
        ['DELIVERED', at(200)],
      ]);
      expect(events.map((e: { sequence: number }) => e.sequence)).toEqual(events.map((_: unknown, i: number) => i + 1));
      expect(delivery).toMatchObject({ proofKind: 'OTP', deliveredAt: at(200), failedAttempts: 1 });
      // The delivery was announced once, when it first arrived; the attempt when it did.
      const outbox = await graph.db.query<{ type: string }>(`SELECT type FROM articles.outbox_event WHERE subject = $1 ORDER BY created_at, sequence`, [article]);
      expect(outbox.map((r) => r.type).slice(-3)).toEqual(['article.out_for_delivery', 'article.delivered', 'article.delivery_attempted']);
    });

    it('sends the article back after its last attempt, from whichever handset it arrives, and takes out what followed', async () => {
      const postman = postmanNo(8);
      const deviceId = await register(postman);
      const handheld2 = await register(postman, 'spare handset');
      const [article] = await outWith(postman, 1);
      // Out three times that day: one attempt each time out.
      await sync(postman, deviceId, [attempted('a1', article!, 10)]);
      await giveOutAgain(postman, [article!], 20);
      const twice = await sync(postman, deviceId, [attempted('a2', article!, 25), attempted('a2-again', article!, 26)]);
      expect(twice.results.map((r) => [r.outcome, r.code])).toEqual([
        ['APPLIED', null],
        ['REJECTED', 'ALREADY_ATTEMPTED'],
      ]);
      await giveOutAgain(postman, [article!], 30);
      await sync(postman, deviceId, [delivered('d', article!, 60)]);
      expect((await timelineOf(article!)).status).toBe('DELIVERED');
      // The spare handset's attempt at 40, the third, sends it back: the delivery at 60 falls out of the timeline.
      const late = await sync(postman, handheld2, [attempted('a3', article!, 40)]);
      expect(late.results[0]).toMatchObject({ outcome: 'APPLIED', article: { status: 'RETURNED_TO_SENDER' } });
      const { status, events, delivery } = await timelineOf(article!);
      expect(status).toBe('RETURNED_TO_SENDER');
      expect(events.slice(-3).map((e: { type: string; occurredAt: string }) => [e.type, e.occurredAt])).toEqual([
        ['OUT_FOR_DELIVERY', at(30)],
        ['DELIVERY_ATTEMPTED', at(40)],
        ['RETURNED_TO_SENDER', at(40)],
      ]);
      expect(delivery).toMatchObject({ proofKind: null, failedAttempts: 3 });
      const again = await sync(postman, deviceId, [delivered('d', article!, 60)]);
      expect(again.results.map((r) => [r.outcome, r.standing, r.code])).toEqual([['DUPLICATE', 'REJECTED', 'ALREADY_RETURNED']]);
      const [proofs] = await graph.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM articles.article_delivery WHERE article_number = $1`, [article]);
      expect(proofs!.n).toBe(0);
    });

    it('freezes what an online event follows: a late synced event cannot go before it', async () => {
      const postman = postmanNo(9);
      const deviceId = await register(postman);
      const [article] = await outWith(postman, 1, { services: ['OTP_DELIVERY'] });
      clock = new Date(NOW.getTime() + 60 * MINUTE);
      const online = await graph.run(postman, DELIVER, { input: { articleNumber: article, otp: await otpOf(article!), receivedBy: 'B' }, key: newKey() });
      expect(online.errors).toBeUndefined();
      clock = SYNC_TIME;
      const late = await sync(postman, deviceId, [attempted('a', article!, 30)]);
      expect(late.results[0]).toMatchObject({ outcome: 'REJECTED', code: 'ALREADY_DELIVERED' });
    });
  });

  it('syncs 500 deliveries with the same number of SQL statements as 5', async () => {
    const small = postmanNo(10);
    const large = postmanNo(11);
    const smallDevice = await register(small);
    const largeDevice = await register(large);
    const few = await outWith(small, 5, { services: ['OTP_DELIVERY'] });
    const many = await outWith(large, 500, { services: ['OTP_DELIVERY'] });
    const otps = new Map<string, string>();
    const rows = await graph.db.query<{ articleNumber: string; nonce: string }>(
      `SELECT article_number AS "articleNumber", otp_nonce AS nonce FROM articles.delivery_assignment WHERE article_number = ANY($1::bpchar[])`,
      [[...few, ...many]],
    );
    for (const row of rows) otps.set(row.articleNumber, deliveryOtpFor(row.articleNumber, TODAY, row.nonce, TEST_OTP_SECRET));
    const statementsFor = async (postman: Viewer, deviceId: string, numbers: string[]) => {
      graph.queries.length = 0;
      const result = await sync(postman, deviceId, numbers.map((n, i) => delivered(`d${i}`, n, 10 + (i % 300), { otp: otps.get(n) })));
      expect(result.applied).toBe(numbers.length);
      return [...graph.queries];
    };
    const smallStatements = await statementsFor(small, smallDevice, few);
    const largeStatements = await statementsFor(large, largeDevice, many);
    expect(largeStatements.length).toBe(smallStatements.length);
    expect(largeStatements.filter((sql) => /INSERT INTO articles\.tracking_event /.test(sql))).toHaveLength(1);
    expect(largeStatements.filter((sql) => /INSERT INTO articles\.delivery_sync_event/.test(sql))).toHaveLength(1);
    const [deliveredCount] = await graph.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM articles.article WHERE article_number = ANY($1::bpchar[]) AND status = 'DELIVERED'`, [many]);
    expect(deliveredCount!.n).toBe(500);
  }, 180_000);

  describe('property: any order, any repetition, the same end', () => {
    /** An event generated for article k of a run, before it is given that run's article numbers and OTPs. */
    interface Planned {
      id: string;
      article: number;
      kind: 'DELIVERED' | 'ATTEMPTED';
      minute: number;
      otp: 'RIGHT' | 'WRONG' | 'NONE';
      reason: string;
      receivedBy: string;
      sortKey: number;
      chunk: number;
    }
    const ARTICLES_PER_RUN = 3;
    let runs = 0;

    const plannedEvent = fc.record({
      article: fc.integer({ min: 0, max: ARTICLES_PER_RUN - 1 }),
      kind: fc.constantFrom('DELIVERED' as const, 'ATTEMPTED' as const),
      // Minutes after the article went out; a few collide, to exercise the tie-break.
      minute: fc.integer({ min: 0, max: 40 }).map((m) => m * 5),
      otp: fc.constantFrom('RIGHT' as const, 'RIGHT' as const, 'WRONG' as const, 'NONE' as const),
      reason: fc.constantFrom('ADDRESSEE_ABSENT', 'PREMISES_LOCKED', 'REFUSED', 'ADDRESS_INCOMPLETE'),
      receivedBy: fc.constantFrom('Asha Rao', 'Ravi (son)'),
      sortKey: fc.nat(),
      chunk: fc.integer({ min: 0, max: 3 }),
    });
    // At most 4 wrong OTPs an article: a fifth locks the OTP, and a right OTP synced before the lock
    // delivered the article while one synced after it is refused (by design: a lock is not undone by
    // what arrives later). Everything short of that must not depend on order.
    const plans = fc
      .array(plannedEvent, { minLength: 1, maxLength: 14 })
      .filter((events) => [0, 1, 2].every((k) => events.filter((e) => e.article === k && e.kind === 'DELIVERED' && e.otp === 'WRONG').length <= 4))
      .map((events) => events.map((e, i): Planned => ({ ...e, id: `ev-${String(i).padStart(2, '0')}` })));

    /** One copy of the run's articles (the first two need an OTP, the third is cash on delivery), out with its postman. */
    async function copy(postman: Viewer) {
      const numbers = [...(await outWith(postman, 2, { services: ['OTP_DELIVERY'] })), ...(await outWith(postman, 1, { product: 'SPEED_POST_PARCEL', codAmountPaise: 30_000 }))];
      const otps = await Promise.all(numbers.map((n) => otpOf(n)));
      const deviceId = await register(postman);
      const events = (planned: readonly Planned[]) =>
        planned.map((p) => {
          const n = numbers[p.article]!;
          if (p.kind === 'ATTEMPTED') return attempted(p.id, n, p.minute, p.reason);
          const otp = p.otp === 'RIGHT' ? otps[p.article] : p.otp === 'WRONG' ? wrongFor(otps[p.article]!) : undefined;
          return delivered(p.id, n, p.minute, { receivedBy: p.receivedBy, ...(otp ? { otp } : {}), ...(p.article === 2 ? { codCollected: { amountPaise: 30_000, mode: 'CASH' } } : {}) });
        });
      return { numbers, deviceId, events };
    }

    /** What the run's articles ended as, without their numbers: status, timeline, proof, tries, and where each event stands. */
    async function endState(numbers: readonly string[], deviceId: string) {
      const articles = [];
      for (const n of numbers) {
        const { status, events, delivery } = await timelineOf(n);
        const [assignment] = await graph.db.query<{ failures: number; used: boolean }>(
          `SELECT otp_failures AS failures, otp_used_at IS NOT NULL AS used FROM articles.delivery_assignment WHERE article_number = $1`,
          [n],
        );
        articles.push({ status, events, delivery, assignment });
      }
      const standings = await graph.db.query<{ id: string; standing: string; code: string | null }>(
        `SELECT client_event_id AS id, standing::text AS standing, code FROM articles.delivery_sync_event WHERE device_id = $1 ORDER BY client_event_id`,
        [deviceId],
      );
      // Not compared: the domain events. An event announced when it arrived stays announced when a later
      // sync puts an earlier delivery before it (what was published is not unpublished; the article's
      // next event tells its subscribers the truth).
      return { articles, standings };
    }

    it('one in-order sync, the same batch synced twice, and the events shuffled over several syncs end alike', async () => {
      await fc.assert(
        fc.asyncProperty(plans, async (planned) => {
          runs += 1;
          // Three postmen, one copy each (a beat holds at most 500 articles a day).
          const [inOrder, twice, shuffled] = await Promise.all([0, 1, 2].map(async (j) => postmanNo(20 + ((runs * 3 + j) % 70))));
          const a = await copy(inOrder!);
          const b = await copy(twice!);
          const c = await copy(shuffled!);

          const chronological = [...planned].sort((x, y) => x.minute - y.minute || x.id.localeCompare(y.id));
          await sync(inOrder!, a.deviceId, a.events(chronological));

          await sync(twice!, b.deviceId, b.events(planned));
          const repeat = await sync(twice!, b.deviceId, b.events(planned));
          expect(repeat.duplicates).toBe(planned.length);

          const order = [...planned].sort((x, y) => x.sortKey - y.sortKey || x.id.localeCompare(y.id));
          for (let chunk = 0; chunk <= 3; chunk++) {
            const part = order.filter((p) => p.chunk === chunk);
            if (part.length) await sync(shuffled!, c.deviceId, c.events(part));
          }
          // And a few of them once more, as a flaky line would.
          await sync(shuffled!, c.deviceId, c.events(order.slice(0, 2)));

          const expected = await endState(a.numbers, a.deviceId);
          expect(await endState(b.numbers, b.deviceId)).toEqual(expected);
          expect(await endState(c.numbers, c.deviceId)).toEqual(expected);
        }),
        { numRuns: engine === 'PGlite' ? 12 : 20, endOnFailure: true },
      );
    }, 600_000);
  });
});
