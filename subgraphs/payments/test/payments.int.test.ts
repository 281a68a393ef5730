import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { Viewer } from '@dakgraph/auth';
import { createTestDatabase, openDatabase, type Database, type TestDatabase } from '@dakgraph/db';
import { newEventId, type DomainEvent } from '@dakgraph/events';
import { close, listen, serveInternalRoute } from '@dakgraph/graphql-kit';
import { articlePaymentFactsRoute, type ArticlePaymentFacts } from '@dakgraph/internal-api';
import { createContext, createPaymentsSubgraph, expireUnpaidPayments, handleArticleEvent, ledgerView, preparePaymentsDatabase, signCallback, type PaymentsSubgraphOptions } from '../src/server';
import { processCallback } from '../src/services/callbacks';

/**
 * The payments subgraph on its own, on both engines (the embedded PGlite of `npm start` and the
 * PostgreSQL server): createPayment against an articles double, callbacks processed ten times at once,
 * COD collections from article events delivered twice, refunds of cancelled bookings, expiry, and the
 * ledger's rules enforced by the database itself.
 */
const ENGINES = ['PGlite', 'PostgreSQL'] as const;
const SECRET = 'payments-test-identity-secret-0123456789abcdef';
const PSP_SECRET = `whsec_${Buffer.alloc(32, 3).toString('base64')}`;
const OFFICE = '400001-mumbai';
const DIVISION = 'mumbai/mumbai-g-p-o';

const viewer = (fields: Partial<Viewer>): Viewer => ({ kind: 'PUBLIC', id: null, role: null, officeId: null, divisionId: null, partnerId: null, customerId: null, ...fields });
const CLERK = viewer({ kind: 'STAFF', id: 'stf_01clerk', role: 'COUNTER_CLERK', officeId: OFFICE, divisionId: DIVISION });
const ADMIN = viewer({ kind: 'STAFF', id: 'stf_01admin', role: 'ADMIN', officeId: OFFICE, divisionId: DIVISION });
const FAR_CLERK = viewer({ kind: 'STAFF', id: 'stf_01far', role: 'COUNTER_CLERK', officeId: '110001-janpath', divisionId: 'delhi/new-delhi-central' });

/** The articles subgraph's payment-facts route, answering from a table the test fills. */
async function startArticlesDouble() {
  const articles = new Map<string, ArticlePaymentFacts>();
  const route = serveInternalRoute(articlePaymentFactsRoute, SECRET, async ({ articleNumber }) => {
    const facts = articles.get(articleNumber);
    return facts ? { status: 200, body: facts } : { status: 404, body: { error: 'no such article' } };
  });
  const server: Server = createServer((req, res) => void route.handle(req, res));
  const port = await listen(server, 0, '127.0.0.1');
  return { url: `http://127.0.0.1:${port}/graphql`, articles, close: () => close(server) };
}

const awaiting = (articleNumber: string, extra: Partial<ArticlePaymentFacts> = {}): ArticlePaymentFacts => ({
  articleNumber,
  status: 'AWAITING_PAYMENT',
  bookedAt: new Date().toISOString(),
  bookingOfficeId: OFFICE,
  bookingDivisionId: DIVISION,
  partnerId: null,
  senderCustomerId: null,
  paymentMode: 'LATER',
  paymentStatus: 'PENDING',
  product: 'SPEED_POST_DOCUMENT',
  taxablePaise: 4_700,
  gstPaise: 846,
  totalPaise: 5_546,
  payableUntil: new Date(Date.now() + 24 * 3600_000).toISOString(),
  ...extra,
});

const articleEvent = (articleNumber: string, status: string, payload: Record<string, unknown> = {}): DomainEvent => ({
  id: newEventId(),
  type: `article.${status === 'DELIVERED' ? 'delivered' : status === 'CANCELLED' ? 'cancelled' : 'booked'}`,
  source: 'articles',
  subject: articleNumber,
  sequence: 5,
  occurredAt: new Date().toISOString(),
  version: 1,
  payload: {
    articleNumber,
    status,
    sequence: 5,
    partnerId: 'ptn_01jd6y000000000000000000aa',
    event: { sequence: 5, type: status, upuCode: null, description: status, occurredAt: new Date().toISOString(), office: { id: OFFICE }, nextOffice: null, reason: null, statusAfter: status },
    ...payload,
  },
});

describe.each(ENGINES)('the payments subgraph on %s', (engine) => {
  let server: TestDatabase | null = null;
  let db: Database;
  let double: Awaited<ReturnType<typeof startArticlesDouble>>;
  let subgraph: Awaited<ReturnType<typeof createPaymentsSubgraph>>;
  let aheadMs = 0;

  const run = async (who: Viewer, query: string, variables: Record<string, unknown> = {}) => {
    const response = await subgraph.apollo.executeOperation({ query, variables }, { contextValue: createContext(subgraph.prisma, who, subgraph.deps) });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return response.body.singleResult as { data?: Record<string, any>; errors?: { message: string; extensions: Record<string, unknown> }[] };
  };
  const CREATE = `mutation ($n: String!, $m: PaymentMethod!, $key: String!) { createPayment(input: { articleNumber: $n, method: $m }, idempotencyKey: $key) {
    id reference status amountPaise upi { deepLink } } }`;
  const expectBalanced = async () => {
    const unbalanced = await db.query(`SELECT transaction_id FROM payments.ledger_entry GROUP BY transaction_id HAVING sum(amount_paise) <> 0`);
    expect(unbalanced).toEqual([]);
    expect((await ledgerView(subgraph.prisma)).totalPaise).toBe(0);
  };

  beforeAll(async () => {
    server = engine === 'PostgreSQL' ? await createTestDatabase('dakgraph_payments_test') : null;
    db = await openDatabase(server ? { url: server.url } : {});
    await preparePaymentsDatabase(db, { progress: false });
    double = await startArticlesDouble();
    const options: PaymentsSubgraphOptions = { identitySecret: SECRET, articlesUrl: double.url, pspCallbackSecret: PSP_SECRET, now: () => new Date(Date.now() + aheadMs) };
    subgraph = await createPaymentsSubgraph(db, options);
  }, 120_000);

  afterAll(async () => {
    await subgraph?.apollo.stop();
    await subgraph?.prisma.$disconnect();
    await double?.close();
    await db?.close();
    await server?.drop();
  });

  it('asks for a payment only of a booking awaiting it, by those who may, once per key', async () => {
    double.articles.set('EE123456785IN', awaiting('EE123456785IN'));
    double.articles.set('EE123456799IN', awaiting('EE123456799IN', { status: 'BOOKED', paymentStatus: 'PAID' }));
    const first = await run(CLERK, CREATE, { n: 'ee 123 456 785 in', m: 'UPI_QR', key: 'create-once-1' });
    expect(first.errors).toBeUndefined();
    expect(first.data!.createPayment).toMatchObject({ status: 'CREATED', amountPaise: 5_546, upi: { deepLink: expect.stringContaining('am=55.46&cu=INR') } });
    expect((await run(CLERK, CREATE, { n: 'EE123456785IN', m: 'UPI_QR', key: 'create-once-1' })).data!.createPayment.id).toBe(first.data!.createPayment.id);
    expect((await run(CLERK, CREATE, { n: 'EE123456785IN', m: 'CASH', key: 'create-once-1' })).errors![0]!.extensions.code).toBe('CONFLICT');
    expect((await run(FAR_CLERK, CREATE, { n: 'EE123456785IN', m: 'UPI_QR', key: 'create-far-1' })).errors![0]!.extensions.code).toBe('FORBIDDEN');
    expect((await run(viewer({}), CREATE, { n: 'EE123456785IN', m: 'UPI_QR', key: 'create-public' })).errors![0]!.extensions.code).toBe('UNAUTHENTICATED');
    expect((await run(CLERK, CREATE, { n: 'EE123456799IN', m: 'UPI_QR', key: 'create-booked' })).errors![0]!.extensions.code).toBe('CONFLICT');
    expect((await run(CLERK, CREATE, { n: 'EE123456780IN', m: 'UPI_QR', key: 'create-bad-digit' })).errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.articleNumber' });
    expect((await run(CLERK, CREATE, { n: 'EE123456808IN', m: 'UPI_QR', key: 'create-unknown' })).errors![0]!.extensions.code).toBe('NOT_FOUND');
    // Cash replaces the open UPI request and captures at once, into the clerk's till.
    const cash = await run(CLERK, CREATE, { n: 'EE123456785IN', m: 'CASH', key: 'create-cash-1' });
    expect(cash.data!.createPayment).toMatchObject({ status: 'PAID', upi: null });
    const rows = await db.query<{ status: string }>(`SELECT status::text AS status FROM payments.payment WHERE article_number = 'EE123456785IN' ORDER BY created_at`);
    expect(rows.map((r) => r.status)).toEqual(['EXPIRED', 'PAID']);
    const till = (await ledgerView(subgraph.prisma, 'COUNTER_CASH')).accounts;
    expect(till).toEqual([{ name: `COUNTER_CASH:${OFFICE}`, kind: 'COUNTER_CASH', owner: OFFICE, balancePaise: 5_546 }]);
    await expectBalanced();
  });

  it('never lets a UPI request run past the time articles cancels the booking unpaid', async () => {
    double.articles.set('EE123456856IN', awaiting('EE123456856IN', { payableUntil: new Date(Date.now() + 10 * 60_000).toISOString() }));
    const payment = (await run(CLERK, 'mutation { createPayment(input: { articleNumber: "EE123456856IN", method: UPI_QR }, idempotencyKey: "create-late-1") { expiresAt } }')).data!.createPayment;
    // Ten minutes left, five of them the grace for late callbacks: the request is open for the other five.
    expect(Date.parse(payment.expiresAt) - Date.now()).toBeLessThanOrEqual(5 * 60_000 + 1000);
    expect(Date.parse(payment.expiresAt) - Date.now()).toBeGreaterThan(4 * 60_000);
    double.articles.set('EE123456860IN', awaiting('EE123456860IN', { payableUntil: new Date(Date.now() + 6 * 60_000).toISOString() }));
    const late = await run(CLERK, 'mutation { createPayment(input: { articleNumber: "EE123456860IN", method: UPI_QR }, idempotencyKey: "create-late-2") { id } }');
    expect(late.errors![0]!).toMatchObject({ extensions: { code: 'CONFLICT' }, message: expect.stringContaining('cash') });
    // Cash at the counter is still taken: it needs no time.
    expect((await run(CLERK, 'mutation { createPayment(input: { articleNumber: "EE123456860IN", method: CASH }, idempotencyKey: "create-late-3") { status } }')).data!.createPayment.status).toBe('PAID');
    // The short request lapses like any other (and leaves the expiry test below its own payment).
    aheadMs = 11 * 60_000;
    expect(await expireUnpaidPayments(subgraph.prisma, subgraph.deps)).toBe(1);
    aheadMs = 0;
  });

  it('captures once however often and however concurrently a callback comes', async () => {
    double.articles.set('EE123456811IN', awaiting('EE123456811IN'));
    const payment = (await run(CLERK, CREATE, { n: 'EE123456811IN', m: 'UPI_QR', key: 'create-upi-2' })).data!.createPayment;
    const body = { reference: payment.reference, status: 'SUCCESS' as const, amountPaise: payment.amountPaise, providerTransactionId: '400000000017', payerVpa: 'x@okbank' };
    const id = signCallback(PSP_SECRET, body).headers['webhook-id'];
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => processCallback(subgraph.prisma, subgraph.deps, id, body)));
    // One captures; the others find its record (a replay, changing nothing) or, arriving at the same moment,
    // fail on the record's primary key, which the route answers as a replay too.
    const outcomes = results.map((r) => (r.status === 'rejected' ? 'RACED' : r.value.replayed ? 'REPLAYED' : r.value.outcome));
    expect(outcomes.filter((o) => o === 'CAPTURED')).toHaveLength(1);
    expect(outcomes.every((o) => ['CAPTURED', 'REPLAYED', 'RACED'].includes(o))).toBe(true);
    expect(await db.query(`SELECT id FROM payments.ledger_transaction WHERE payment_id = $1`, [payment.id])).toHaveLength(1);
    expect(await db.query(`SELECT id FROM payments.outbox_event WHERE type = 'payment.captured' AND subject = $1`, [payment.id])).toHaveLength(1);
    // Another message for the same payment and transaction: nothing new; for another amount: refused.
    expect((await processCallback(subgraph.prisma, subgraph.deps, 'msg_again', body)).outcome).toBe('ALREADY_PAID');
    expect((await processCallback(subgraph.prisma, subgraph.deps, 'msg_amount', { ...body, amountPaise: 1 })).outcome).toBe('AMOUNT_MISMATCH');
    expect((await processCallback(subgraph.prisma, subgraph.deps, 'msg_unknown', { ...body, reference: 'DKNOSUCH' })).outcome).toBe('UNKNOWN_REFERENCE');
    await expectBalanced();
  });

  it('refunds a cancelled booking once, and collects COD once however often its delivery is announced', async () => {
    double.articles.set('EE123456825IN', awaiting('EE123456825IN'));
    await run(CLERK, CREATE, { n: 'EE123456825IN', m: 'CASH', key: 'create-cash-3' });
    const cancelled = articleEvent('EE123456825IN', 'CANCELLED');
    await subgraph.prisma.$transaction((tx) => handleArticleEvent(tx, cancelled));
    await subgraph.prisma.$transaction((tx) => handleArticleEvent(tx, { ...cancelled, id: newEventId() }));
    const payments = await db.query<{ purpose: string; status: string }>(`SELECT purpose::text, status::text FROM payments.payment WHERE article_number = 'EE123456825IN' ORDER BY created_at`);
    expect(payments).toEqual([
      { purpose: 'BOOKING', status: 'REFUNDED' },
      { purpose: 'REFUND', status: 'PAID' },
    ]);

    const delivered = articleEvent('EE123456839IN', 'DELIVERED', { cod: { amountPaise: 129_900, mode: 'UPI', feePaise: 3_000 } });
    await subgraph.prisma.$transaction((tx) => handleArticleEvent(tx, delivered));
    await subgraph.prisma.$transaction((tx) => handleArticleEvent(tx, { ...delivered, id: newEventId() }));
    const collections = await db.query<{ amount_paise: number; fee_gst_paise: number; mode: string }>(`SELECT amount_paise, fee_gst_paise, mode FROM payments.cod_collection WHERE article_number = 'EE123456839IN'`);
    expect(collections).toEqual([{ amount_paise: 129_900, fee_gst_paise: 540, mode: 'UPI' }]);
    const payable = (await ledgerView(subgraph.prisma, 'COD_PAYABLE')).accounts;
    expect(payable).toEqual([{ name: 'COD_PAYABLE:ptn_01jd6y000000000000000000aa', kind: 'COD_PAYABLE', owner: 'ptn_01jd6y000000000000000000aa', balancePaise: -129_900 }]);

    const remit = await run(ADMIN, 'mutation ($e: String!) { createRemittance(partnerId: "ptn_01jd6y000000000000000000aa", periodEnd: $e, idempotencyKey: "remit-engine-1") { articleCount netPaise } }', {
      e: new Date(Date.now() + 1000).toISOString(),
    });
    expect(remit.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'periodEnd' });
    const made = await run(ADMIN, 'mutation ($e: String!) { createRemittance(partnerId: "ptn_01jd6y000000000000000000aa", periodEnd: $e, idempotencyKey: "remit-engine-2") { articleCount netPaise } }', {
      e: new Date().toISOString(),
    });
    expect(made.data!.createRemittance).toEqual({ articleCount: 1, netPaise: 129_900 - 3_000 - 540 });
    await expectBalanced();
  });

  it('expires what was not paid in time and tells articles, unless another payment can still pay', async () => {
    double.articles.set('EE123456842IN', awaiting('EE123456842IN'));
    const payment = (await run(CLERK, CREATE, { n: 'EE123456842IN', m: 'UPI_QR', key: 'create-expire-1' })).data!.createPayment;
    aheadMs = 16 * 60_000; // past the expiry, within the grace: a late callback could still come
    expect(await expireUnpaidPayments(subgraph.prisma, subgraph.deps)).toBe(0);
    aheadMs = 21 * 60_000;
    expect(await expireUnpaidPayments(subgraph.prisma, subgraph.deps)).toBe(1);
    expect(await expireUnpaidPayments(subgraph.prisma, subgraph.deps)).toBe(0);
    aheadMs = 0;
    const events = await db.query<{ type: string; payload: { articleNumber: string; reason: string } }>(`SELECT type, payload FROM payments.outbox_event WHERE subject = $1`, [payment.id]);
    expect(events).toEqual([{ type: 'payment.expired', payload: expect.objectContaining({ articleNumber: 'EE123456842IN', reason: 'Not paid in time' }) }]);
  });

  it('reports balances beyond a 32-bit Int exactly', async () => {
    // A national day's UPI takings pass Rs 2.1 crore (2^31 paise) within hours.
    await db.transaction(async (tx) => {
      await tx.query(`INSERT INTO payments.ledger_transaction (id, kind, source_key, description, occurred_at) VALUES ('ltx_big', 'BOOKING_PAYMENT', 'big', 'a big day', now())`);
      await tx.query(`INSERT INTO payments.ledger_entry (transaction_id, account, amount_paise) VALUES ('ltx_big', 'UPI_SETTLEMENT', 16000000000), ('ltx_big', 'REVENUE', -16000000000)`);
    });
    const answer = await run(ADMIN, '{ ledger(kind: UPI_SETTLEMENT) { totalPaise accounts { name balancePaise } } }');
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.ledger.accounts[0].balancePaise).toBeGreaterThanOrEqual(16_000_000_000);
    await expectBalanced();
  });

  it('keeps the ledger append-only and every transaction balanced', async () => {
    await expect(db.query(`UPDATE payments.ledger_entry SET account = 'BANK'`)).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM payments.ledger_transaction`)).rejects.toThrow(/append-only/);
    await expect(
      db.transaction(async (tx) => {
        await tx.query(`INSERT INTO payments.ledger_transaction (id, kind, source_key, description, occurred_at) VALUES ('ltx_lonely', 'REFUND', 'lonely', 'x', now())`);
      }),
    ).rejects.toThrow(/does not balance/);
    await expectBalanced();
  });
});
