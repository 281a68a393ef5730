import { newEventId, type DomainEvent } from '@dakgraph/events';
import { callInternalRoute, close, listen } from '@dakgraph/graphql-kit';
import { articlePaymentFactsRoute } from '@dakgraph/internal-api';
import { handlePaymentEvent } from '../src/server';
import { UNPAID_PRINCIPAL, cancelUnpaidBookings } from '../src/services/returns';
import { BOOK_ARTICLE, ENGINES, NOW, TEST_IDENTITY_SECRET, VIEWERS, counterBooking, newKey, startArticles, type ArticlesHarness } from './support';

/**
 * What articles does for payments: books an article when its payment is captured, cancels it when its
 * payment expired, each once however often the event comes; cancels a booking nobody paid for at all
 * after UNPAID_BOOKING_HOURS; and tells payments, on its internal route, until when a booking may be paid.
 */
const HOUR_MS = 3600 * 1000;
const ARTICLE = `query ($n: String!) { article(articleNumber: $n) { status paymentStatus events { type statusAfter office { id } } } }`;

const paymentEvent = (type: 'payment.captured' | 'payment.expired', articleNumber: string, occurredAt: Date): DomainEvent => ({
  id: newEventId(),
  type,
  source: 'payments',
  subject: 'pay_01jd6y00000000000000000001',
  sequence: 1,
  occurredAt: occurredAt.toISOString(),
  version: 1,
  payload: {
    paymentId: 'pay_01jd6y00000000000000000001', reference: 'DK20261125AAAAAAAAAAAA', purpose: 'BOOKING', method: 'UPI_QR',
    status: type === 'payment.captured' ? 'PAID' : 'EXPIRED', articleNumber, amountPaise: 5546, partnerId: null, providerTransactionId: null, reason: null,
  },
});

describe.each(ENGINES)('articles and payments on %s', (engine) => {
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

  const bookLater = async () => {
    const result = await graph.run(VIEWERS.clerk, BOOK_ARTICLE, { input: counterBooking({ payment: 'LATER' }), key: newKey('later') });
    return result.data.bookArticle.article.articleNumber as string;
  };
  const article = async (n: string) => (await graph.run(VIEWERS.clerk, ARTICLE, { n })).data.article;
  const handle = (event: DomainEvent) => graph.subgraph.prisma.$transaction((tx) => handlePaymentEvent(tx, event));

  it('books on a captured payment and cancels on an expired one, and ignores what no longer applies', async () => {
    const paid = await bookLater();
    const captured = paymentEvent('payment.captured', paid, new Date(NOW.getTime() + 60_000));
    await handle(captured);
    expect(await article(paid)).toMatchObject({ status: 'BOOKED', paymentStatus: 'PAID', events: [{ type: 'PAYMENT_RECEIVED', statusAfter: 'BOOKED', office: { id: '110001-baroda-house' } }] });
    // Paid already: an expiry of another payment of it changes nothing.
    await handle(paymentEvent('payment.expired', paid, new Date(NOW.getTime() + 30 * 60_000)));
    expect((await article(paid)).events).toHaveLength(1);

    const unpaid = await bookLater();
    await handle(paymentEvent('payment.expired', unpaid, new Date(NOW.getTime() + 20 * 60_000)));
    expect(await article(unpaid)).toMatchObject({ status: 'CANCELLED', events: [{ type: 'CANCELLED', statusAfter: 'CANCELLED' }] });
    // Money that arrives after the cancellation does not book it (payments refunds it).
    await handle(paymentEvent('payment.captured', unpaid, new Date(NOW.getTime() + 21 * 60_000)));
    expect((await article(unpaid)).status).toBe('CANCELLED');
  });

  it('cancels a booking still unpaid a day after it was booked, and only then', async () => {
    const unpaid = await bookLater();
    const deps = { ...graph.subgraph.deps, now: () => clock };
    clock = new Date(NOW.getTime() + 23 * HOUR_MS);
    expect(await cancelUnpaidBookings(graph.subgraph.prisma, deps)).toBe(0);
    clock = new Date(NOW.getTime() + 25 * HOUR_MS);
    expect(await cancelUnpaidBookings(graph.subgraph.prisma, deps)).toBeGreaterThanOrEqual(1);
    expect(await article(unpaid)).toMatchObject({ status: 'CANCELLED', events: [{ type: 'CANCELLED' }] });
    const [row] = await graph.db.query<{ recorded_by: string }>(`SELECT recorded_by FROM articles.tracking_event WHERE article_number = $1`, [unpaid]);
    expect(row!.recorded_by).toBe(UNPAID_PRINCIPAL);
    expect(await cancelUnpaidBookings(graph.subgraph.prisma, deps)).toBe(0);
  });

  it('tells payments the charge, the parties and until when the booking may be paid', async () => {
    const n = await bookLater();
    // The harness calls the subgraph without a port; the internal route needs one.
    const url = `http://127.0.0.1:${await listen(graph.subgraph.http, 0, '127.0.0.1')}`;
    try {
      const answer = await callInternalRoute(articlePaymentFactsRoute, url, TEST_IDENTITY_SECRET, { articleNumber: n });
      if (answer.status !== 200) throw new Error(`the route answered ${answer.status}`);
      expect(answer.body).toMatchObject({ articleNumber: n, status: 'AWAITING_PAYMENT', paymentMode: 'LATER', bookingOfficeId: '110001-baroda-house', bookingDivisionId: 'delhi/new-delhi-central' });
      expect(answer.body.taxablePaise + answer.body.gstPaise).toBe(answer.body.totalPaise);
      expect(Date.parse(answer.body.payableUntil) - Date.parse(answer.body.bookedAt)).toBe(24 * HOUR_MS);
      expect((await callInternalRoute(articlePaymentFactsRoute, url, TEST_IDENTITY_SECRET, { articleNumber: 'EE999999995IN' })).status).toBe(404);
    } finally {
      // Listening started the relay, consumers and housekeeping (a cancellation of unpaid bookings runs at
      // once); the database must not close under their transactions.
      await close(graph.subgraph.http);
      await graph.subgraph.workersStopped();
    }
  });
});
