import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { createInProcessTransport, createJetStreamTransport, type EventTransport } from '@dakgraph/events';
import { createPaymentsSubgraph, expireUnpaidPayments, newPspCallbackSecret, processCallback, signCallback, type SignedCallback } from '@dakgraph/payments';
import { adminLogin, staffLogin, startGateway, startSubgraphs, TEST_PSP_CALLBACK_SECRET, TEST_SECRETS, until } from './support/graph';

/**
 * Issue 12 through the gateway: a counter booking paid by UPI QR (the QR decodes to exactly the deep link,
 * a signed provider callback captures it and the article is BOOKED; forged, stale, wrong-amount and
 * replayed callbacks change nothing; ten deliveries of one callback make one capture); one paid in cash
 * and cancelled (refunded); one never paid (cancelled, its number never reused); a partner's COD parcel
 * delivered, collected, remitted and paid out; reconciliation finding planted mismatches; and the ledger
 * balancing to zero after each. Then, over both transports, the articles consumer stopped while payments
 * are captured and started again: every paid article is booked.
 */
const PASSWORD = 'a long enough passphrase for payment tests';
const OFFICE = '400001-mumbai';
const OTHER_DIVISION_OFFICE = '110001-baroda-house';
const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const party = (name: string, pincode: string, phone: string) => ({ name, phone, addressLines: ['12 Dalal Street'], pincode });
const istDate = (at: Date): string => new Date(at.getTime() + 5.5 * 3600 * 1000).toISOString().slice(0, 10);

/** A running stack with its staff, a COD partner with an API key and a webhook endpoint. */
async function paymentsStack(events: EventTransport, clock: () => Date) {
  const subgraphs = await startSubgraphs({ events, paymentsClock: clock });
  const graph = await startGateway(subgraphs);
  const tokens: Record<string, string> = { admin: (await adminLogin(graph, subgraphs.db, PASSWORD)).token };
  const call = async (who: string, query: string, variables: Record<string, unknown> = {}) =>
    (await graph.post({ query, variables }, who === 'partner' ? { 'x-api-key': tokens.partner! } : tokens[who] ? { authorization: `Bearer ${tokens[who]}` } : {})).body;
  const ok = async (who: string, query: string, variables: Record<string, unknown> = {}) => {
    const body = await call(who, query, variables);
    if (body.errors) throw new Error(`${who}: ${JSON.stringify(body.errors)}`);
    return body.data;
  };
  const staff: Record<string, string> = {};
  for (const [who, role, office] of [
    ['clerk', 'COUNTER_CLERK', OFFICE],
    ['supervisor', 'SUPERVISOR', OFFICE],
    ['farSupervisor', 'SUPERVISOR', OTHER_DIVISION_OFFICE],
    ['postman', 'POSTMAN', OFFICE],
    ['analyst', 'ANALYST', OFFICE],
  ] as const) {
    const made = await ok('admin', 'mutation ($input: CreateStaffUserInput!, $key: String!) { createStaffUser(input: $input, idempotencyKey: $key) { id } }', {
      input: { name: `Staff ${who}`, email: `${who}@gpo.test`, password: PASSWORD, role, officeId: office },
      key: `staff-${who}`,
    });
    staff[who] = made.createStaffUser.id;
    tokens[who] = (await staffLogin(graph, `${who}@gpo.test`, PASSWORD)).token;
  }
  const partner = await ok(
    'admin',
    `mutation { createPartner(idempotencyKey: "partner-cod", input: { name: "Acme Shop", contactEmail: "ops@acme.test", discountBasisPoints: 0, codAllowed: true,
      remittanceAccount: { holder: "Acme", accountNumber: "123456789012", ifsc: "SBIN0000691" } }) { id } }`,
  );
  const partnerId = partner.createPartner.id as string;
  tokens.partner = (await ok('admin', 'mutation ($id: ID!) { createApiKey(partnerId: $id, label: "wms", idempotencyKey: "apikey-cod") { apiKey } }', { id: partnerId })).createApiKey.apiKey;
  await ok('partner', 'mutation { createWebhookEndpoint(input: { url: "http://127.0.0.1:9/hooks/dakgraph", eventTypes: [] }, idempotencyKey: "hook-cod") { secret } }');
  let keyNo = 0;
  const key = (label: string) => `${label}-${++keyNo}-${randomBytes(3).toString('hex')}`;

  const bookLater = async () =>
    (
      await ok('clerk', 'mutation ($input: BookingInput!, $key: String!) { bookArticle(input: $input, idempotencyKey: $key) { article { articleNumber status charges { totalPaise } } } }', {
        input: { sender: party('Asha Rao', '400001', '+919810000001'), recipient: party('Ravi Kumar', '110001', '+919820000001'), product: 'SPEED_POST_DOCUMENT', weightGrams: 40, payment: 'LATER' },
        key: key('book'),
      })
    ).bookArticle.article as { articleNumber: string; status: string; charges: { totalPaise: number } };
  const PAYMENT = 'id reference status amountPaise taxablePaise gstPaise method purpose expiresAt paidAt payerVpa providerTransactionId';
  const createPayment = (who: string, articleNumber: string, method: 'UPI_QR' | 'CASH', idempotencyKey = key('pay')) =>
    call(who, `mutation ($input: CreatePaymentInput!, $key: String!) { createPayment(input: $input, idempotencyKey: $key) { ${PAYMENT} upi { deepLink qrSvg qrPngBase64 } } }`, {
      input: { articleNumber, method },
      key: idempotencyKey,
    });
  const articleState = async (articleNumber: string) =>
    (await ok('admin', `query ($n: String!) { article(articleNumber: $n) { status paymentStatus payments { ${PAYMENT} refundOf { id } refund { id } } } }`, { n: articleNumber })).article;
  const postCallback = async (signed: SignedCallback) => {
    const response = await fetch(`${graph.origin}/payments/callback`, { method: 'POST', headers: signed.headers, body: signed.body });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  /** The books: every transaction sums to zero, so do all entries, and the graph's ledger says the same. */
  const expectBooksBalance = async () => {
    const unbalanced = await subgraphs.db.query(`SELECT transaction_id FROM payments.ledger_entry GROUP BY transaction_id HAVING sum(amount_paise) <> 0`);
    expect(unbalanced).toEqual([]);
    const ledger = await ok('admin', '{ ledger { totalPaise transactionCount accounts { name kind owner balancePaise } } }');
    expect(ledger.ledger.totalPaise).toBe(0);
    return ledger.ledger as { totalPaise: number; transactionCount: number; accounts: { name: string; kind: string; owner: string | null; balancePaise: number }[] };
  };
  return { subgraphs, graph, tokens, staff, partnerId, call, ok, key, bookLater, createPayment, articleState, postCallback, expectBooksBalance };
}

describe('payments through the gateway', () => {
  let events: EventTransport;
  let stack: Awaited<ReturnType<typeof paymentsStack>>;
  /** How far the payments subgraph's clock runs ahead of the real one. */
  let aheadMs = 0;
  const clock = () => new Date(Date.now() + aheadMs);

  beforeAll(async () => {
    events = createInProcessTransport({ log: { info: () => undefined, error: () => undefined } });
    stack = await paymentsStack(events, clock);
  }, 240_000);

  afterAll(async () => {
    await stack?.graph.stop();
    await stack?.subgraphs.stop();
    await events?.close();
  });

  it('asks for a UPI payment whose QR decodes to the deep link, and a signed callback books the article', async () => {
    const { bookLater, createPayment, postCallback, articleState, expectBooksBalance, subgraphs } = stack;
    const article = await bookLater();
    expect(article.status).toBe('AWAITING_PAYMENT');

    const created = await createPayment('clerk', article.articleNumber, 'UPI_QR', 'upi-pay-once');
    expect(created.errors).toBeUndefined();
    const payment = created.data.createPayment;
    expect(payment).toMatchObject({ status: 'CREATED', method: 'UPI_QR', purpose: 'BOOKING', amountPaise: article.charges.totalPaise, paidAt: null });
    expect(payment.taxablePaise + payment.gstPaise).toBe(payment.amountPaise);
    expect(Date.parse(payment.expiresAt) - Date.now()).toBeGreaterThan(14 * 60_000);
    const rupees = `${Math.floor(payment.amountPaise / 100)}.${String(payment.amountPaise % 100).padStart(2, '0')}`;
    expect(payment.upi.deepLink).toBe(
      `upi://pay?pa=dakgraph.dev%40upi&pn=India%20Post%20%28dakgraph%20development%29&am=${rupees}&cu=INR&tr=${payment.reference}&tn=India%20Post%20postage%20${article.articleNumber}`,
    );
    // The QR code, read back by a QR reader, is exactly the deep link.
    const png = PNG.sync.read(Buffer.from(payment.upi.qrPngBase64, 'base64'));
    expect(jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data).toBe(payment.upi.deepLink);
    expect(payment.upi.qrSvg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);

    // A retry is the same payment; a second request for the same booking is refused while this one is open.
    expect((await createPayment('clerk', article.articleNumber, 'UPI_QR', 'upi-pay-once')).data.createPayment.id).toBe(payment.id);
    const second = await createPayment('clerk', article.articleNumber, 'UPI_QR');
    expect(second.errors[0].extensions).toMatchObject({ code: 'CONFLICT', paymentId: payment.id });
    // The public sees what the QR code shows, nothing more.
    const request = await stack.call('public', 'query ($r: String!) { paymentRequest(reference: $r) { amountPaise status upi { deepLink } } }', { r: payment.reference });
    expect(request.data.paymentRequest).toEqual({ amountPaise: payment.amountPaise, status: 'CREATED', upi: { deepLink: payment.upi.deepLink } });
    expect((await stack.call('public', 'query ($id: ID!) { payment(id: $id) { id } }', { id: payment.id })).data.payment).toBeNull();

    const body = { reference: payment.reference, status: 'SUCCESS' as const, amountPaise: payment.amountPaise, providerTransactionId: '412345678901', payerVpa: 'asha@okbank' };
    // Forged (another secret), stale (signed 10 minutes ago), without the headers, and for another amount: all refused, nothing captured.
    expect((await postCallback(signCallback(newPspCallbackSecret(), body))).status).toBe(401);
    expect(await postCallback(signCallback(TEST_PSP_CALLBACK_SECRET, body, { at: new Date(Date.now() - 10 * 60_000) }))).toMatchObject({ status: 400, body: { reason: 'STALE_TIMESTAMP' } });
    const unsigned = signCallback(TEST_PSP_CALLBACK_SECRET, body);
    const bare = await fetch(`${stack.graph.origin}/payments/callback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: unsigned.body });
    expect(bare.status).toBe(400);
    expect(await postCallback(signCallback(TEST_PSP_CALLBACK_SECRET, { ...body, amountPaise: body.amountPaise - 100 }))).toMatchObject({ status: 400, body: { reason: 'AMOUNT_MISMATCH' } });
    expect((await articleState(article.articleNumber)).payments[0].status).toBe('CREATED');

    // The same callback delivered ten times at once: one capture, one ledger transaction, one event.
    const signed = signCallback(TEST_PSP_CALLBACK_SECRET, body);
    const answers = await Promise.all(Array.from({ length: 10 }, () => postCallback(signed)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(answers.filter((a) => a.body.replayed === false)).toHaveLength(1);
    // A different message id for the same payment, later: nothing more either.
    expect((await postCallback(signCallback(TEST_PSP_CALLBACK_SECRET, body))).body).toMatchObject({ outcome: 'ALREADY_PAID' });
    const ledgerRows = await subgraphs.db.query(`SELECT id FROM payments.ledger_transaction WHERE payment_id = $1`, [payment.id]);
    expect(ledgerRows).toHaveLength(1);
    const captured = await subgraphs.db.query(`SELECT id FROM payments.outbox_event WHERE type = 'payment.captured' AND subject = $1`, [payment.id]);
    expect(captured).toHaveLength(1);

    // The captured payment books the article, through payment.captured and articles' consumer.
    const booked = await until('the article booked', async () => {
      const state = await articleState(article.articleNumber);
      return state.status === 'BOOKED' && state;
    });
    expect(booked).toMatchObject({ paymentStatus: 'PAID', payments: [{ id: payment.id, status: 'PAID', payerVpa: 'asha@okbank', providerTransactionId: '412345678901' }] });
    // The payer's app paid the same QR a second time (another provider transaction): received and paid back.
    const twice = { ...body, providerTransactionId: '412345678902' };
    expect((await postCallback(signCallback(TEST_PSP_CALLBACK_SECRET, twice))).body).toMatchObject({ outcome: 'DUPLICATE_PAYMENT' });
    expect((await postCallback(signCallback(TEST_PSP_CALLBACK_SECRET, twice))).body).toMatchObject({ outcome: 'ALREADY_PAID' });
    const after = await articleState(article.articleNumber);
    expect(after.status).toBe('BOOKED');
    expect(after.payments.map((p: { purpose: string; status: string; providerTransactionId: string | null }) => [p.purpose, p.status, p.providerTransactionId])).toEqual([
      ['BOOKING', 'PAID', '412345678901'],
      ['BOOKING', 'REFUNDED', '412345678902'],
      ['REFUND', 'PAID', null],
    ]);
    const ledger = await expectBooksBalance();
    const balance = (name: string) => ledger.accounts.find((a) => a.name === name)?.balancePaise ?? 0;
    expect(balance('UPI_SETTLEMENT')).toBeGreaterThanOrEqual(payment.amountPaise);
    expect(balance('GST_PAYABLE')).toBeLessThanOrEqual(-payment.gstPaise);
  });

  it('takes cash at the counter at once, and refunds it when the unshipped booking is cancelled', async () => {
    const { bookLater, createPayment, articleState, expectBooksBalance, ok, key } = stack;
    const article = await bookLater();
    // The sender's walk-in customer cannot pay cash through the API; an analyst takes no payments.
    expect((await createPayment('analyst', article.articleNumber, 'CASH')).errors[0].extensions.code).toBe('FORBIDDEN');
    const paid = (await createPayment('clerk', article.articleNumber, 'CASH')).data.createPayment;
    expect(paid).toMatchObject({ status: 'PAID', method: 'CASH', upi: null, expiresAt: null });
    await until('the cash booking booked', async () => (await articleState(article.articleNumber)).status === 'BOOKED');
    // Paid already: a second payment is refused.
    expect((await createPayment('clerk', article.articleNumber, 'UPI_QR')).errors[0].extensions.code).toBe('CONFLICT');

    const refundsBefore = (await expectBooksBalance()).accounts.find((a) => a.name === 'REFUNDS')?.balancePaise ?? 0;
    await ok('clerk', 'mutation ($events: [TrackingEventInput!]!, $key: String!) { recordTrackingEvents(events: $events, idempotencyKey: $key) { events { sequence } } }', {
      events: [{ articleNumber: article.articleNumber, type: 'CANCELLED' }],
      key: key('cancel'),
    });
    const refunded = await until('the refund', async () => {
      const state = await articleState(article.articleNumber);
      return state.payments.length === 2 && state;
    });
    expect(refunded.status).toBe('CANCELLED');
    expect(refunded.payments[0]).toMatchObject({ id: paid.id, status: 'REFUNDED', refund: { id: refunded.payments[1].id } });
    expect(refunded.payments[1]).toMatchObject({ purpose: 'REFUND', status: 'PAID', method: 'CASH', amountPaise: paid.amountPaise, refundOf: { id: paid.id } });
    const ledger = await expectBooksBalance();
    // The till took the cash and paid it back.
    expect(ledger.accounts.find((a) => a.name === `COUNTER_CASH:${OFFICE}`)?.balancePaise ?? 0).toBe(0);
    expect(ledger.accounts.find((a) => a.name === 'REFUNDS')!.balancePaise - refundsBefore).toBe(paid.taxablePaise);

    const report = await ok('supervisor', 'query ($d: String!, $o: ID) { reconciliation(date: $d, officeId: $o) { counterCash { office { id } bookingsPaise refundsPaise expectedPaise } } }', {
      d: istDate(new Date()),
      o: OFFICE,
    });
    expect(report.reconciliation.counterCash).toEqual([{ office: { id: OFFICE }, bookingsPaise: paid.amountPaise, refundsPaise: paid.amountPaise, expectedPaise: 0 }]);
  });

  it('cancels a booking whose payment expired, never reuses its number, and refunds a payment that arrives too late', async () => {
    const { bookLater, createPayment, articleState, postCallback, expectBooksBalance, subgraphs } = stack;
    const article = await bookLater();
    const payment = (await createPayment('clerk', article.articleNumber, 'UPI_QR')).data.createPayment;
    // Within the expiry and its grace nothing happens.
    aheadMs = 19 * 60_000;
    expect(await expireUnpaidPayments(subgraphs.payments.prisma, subgraphs.payments.deps)).toBe(0);
    aheadMs = 21 * 60_000;
    expect(await expireUnpaidPayments(subgraphs.payments.prisma, subgraphs.payments.deps)).toBe(1);
    aheadMs = 0;
    const cancelled = await until('the booking cancelled', async () => {
      const state = await articleState(article.articleNumber);
      return state.status === 'CANCELLED' && state;
    });
    expect(cancelled.payments).toMatchObject([{ id: payment.id, status: 'EXPIRED' }]);
    const next = await bookLater();
    expect(next.articleNumber).not.toBe(article.articleNumber);
    expect((await articleState(article.articleNumber)).status).toBe('CANCELLED');

    // The payer's bank took the money after all: captured (money received is a fact) and refunded at once.
    const late = await postCallback(
      signCallback(TEST_PSP_CALLBACK_SECRET, { reference: payment.reference, status: 'SUCCESS', amountPaise: payment.amountPaise, providerTransactionId: '498765432101', payerVpa: 'late@okbank' }),
    );
    expect(late).toMatchObject({ status: 200, body: { outcome: 'CAPTURED' } });
    const state = await articleState(article.articleNumber);
    expect(state.status).toBe('CANCELLED');
    expect(state.payments.map((p: { purpose: string; status: string }) => [p.purpose, p.status])).toEqual([
      ['BOOKING', 'REFUNDED'],
      ['REFUND', 'PAID'],
    ]);
    await expectBooksBalance();
  });

  it("collects a partner's COD at the door, remits it less the fees once, and pays it out", async () => {
    const { ok, call, key, subgraphs, partnerId, staff, expectBooksBalance } = stack;
    const booked = await ok('partner', 'mutation ($items: [BookingItemInput!]!, $key: String!) { bookArticles(items: $items, idempotencyKey: $key) { articles { articleNumber charges { lineItems { code amountPaise } } } } }', {
      items: [{ pickupPincode: '110001', sender: party('Acme Warehouse', '110001', '+919810000000'), recipient: party('Buyer', '400001', '+919820000077'), product: 'SPEED_POST_PARCEL', weightGrams: 500, codAmountPaise: 129_900 }],
      key: key('book-cod'),
    });
    const articleNumber = booked.bookArticles.articles[0].articleNumber as string;
    const feePaise = booked.bookArticles.articles[0].charges.lineItems.find((line: { code: string }) => line.code === 'COD_FEE').amountPaise as number;
    await ok('clerk', 'mutation ($events: [TrackingEventInput!]!, $key: String!) { recordTrackingEvents(events: $events, idempotencyKey: $key) { events { sequence } } }', {
      events: [{ articleNumber, type: 'ARRIVED_AT_DELIVERY_OFFICE' }],
      key: key('arrive'),
    });
    await ok('clerk', 'mutation ($input: AssignForDeliveryInput!, $key: String!) { assignForDelivery(input: $input, idempotencyKey: $key) { articles { status } } }', {
      input: { postmanId: staff.postman, articleNumbers: [articleNumber], date: istDate(new Date()) },
      key: key('assign'),
    });
    const otp = await until('the OTP SMS', async () => {
      const text = await readFile(subgraphs.smsLogPath, 'utf8').catch(() => '');
      const sms = text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { text: string }).find((m) => m.text.includes(articleNumber));
      return sms ? /\b(\d{6})\b/.exec(sms.text.replace(articleNumber, ''))?.[1] : null;
    });
    await ok('postman', 'mutation ($input: DeliverArticleInput!, $key: String!) { deliverArticle(input: $input, idempotencyKey: $key) { article { status } } }', {
      input: { articleNumber, otp, receivedBy: 'Buyer', codCollected: { amountPaise: 129_900, mode: 'CASH' } },
      key: key('deliver'),
    });

    const COD = 'codSettlement { status amountPaise mode feePaise feeGstPaise remittance { id status } }';
    const collected = await until('the COD collection', async () => (await ok('partner', `query ($n: String!) { article(articleNumber: $n) { ${COD} } }`, { n: articleNumber })).article.codSettlement);
    const feeGstPaise = Math.floor((feePaise * 1800 + 5000) / 10000);
    expect(collected).toEqual({ status: 'COLLECTED', amountPaise: 129_900, mode: 'CASH', feePaise, feeGstPaise, remittance: null });
    const own = await ok('admin', 'query ($id: ID!) { partner(id: $id) { codBalance { articleCount collectedPaise deductionsPaise remittablePaise awaitingPayoutPaise } } }', { id: partnerId });
    expect(own.partner.codBalance).toEqual({ articleCount: 1, collectedPaise: 129_900, deductionsPaise: feePaise + feeGstPaise, remittablePaise: 129_900 - feePaise - feeGstPaise, awaitingPayoutPaise: 0 });
    // Only admins remit; the postman's office till holds the cash, owed to the partner.
    expect((await call('analyst', 'mutation ($p: ID!, $e: String!) { createRemittance(partnerId: $p, periodEnd: $e, idempotencyKey: "remit-by-analyst") { id } }', { p: partnerId, e: new Date().toISOString() })).errors[0].extensions.code).toBe('FORBIDDEN');
    const ledgerBefore = await expectBooksBalance();
    expect(ledgerBefore.accounts.find((a) => a.name === `COD_PAYABLE:${partnerId}`)!.balancePaise).toBe(-129_900);

    const REMITTANCE = 'id status articleCount grossPaise feesPaise feeGstPaise netPaise bankReference items { nodes { article { articleNumber } amountPaise feePaise } totalCount }';
    const remitted = await ok('admin', `mutation ($p: ID!, $e: String!) { createRemittance(partnerId: $p, periodEnd: $e, idempotencyKey: "remittance-1") { ${REMITTANCE} } }`, { p: partnerId, e: new Date().toISOString() });
    const remittance = remitted.createRemittance;
    expect(remittance).toMatchObject({ status: 'CREATED', articleCount: 1, grossPaise: 129_900, feesPaise: feePaise, feeGstPaise, netPaise: 129_900 - feePaise - feeGstPaise, bankReference: null });
    expect(remittance.items).toEqual({ nodes: [{ article: { articleNumber }, amountPaise: 129_900, feePaise }], totalCount: 1 });
    // Never twice: nothing is left to remit.
    const again = await call('admin', 'mutation ($p: ID!, $e: String!) { createRemittance(partnerId: $p, periodEnd: $e, idempotencyKey: "remittance-2") { id } }', { p: partnerId, e: new Date().toISOString() });
    expect(again.errors[0].extensions.code).toBe('BAD_USER_INPUT');

    const paid = await ok('admin', `mutation ($id: ID!) { markRemittancePaid(remittanceId: $id, bankReference: "SBIN126337000123", idempotencyKey: "remit-paid-1") { ${REMITTANCE} } }`, { id: remittance.id });
    expect(paid.markRemittancePaid).toMatchObject({ status: 'PAID', bankReference: 'SBIN126337000123' });
    expect((await call('admin', 'mutation ($id: ID!) { markRemittancePaid(remittanceId: $id, bankReference: "SB 1", idempotencyKey: "remit-paid-2") { id } }', { id: remittance.id })).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect((await call('admin', 'mutation ($id: ID!) { markRemittancePaid(remittanceId: $id, bankReference: "SBIN999999", idempotencyKey: "remit-paid-3") { id } }', { id: remittance.id })).errors[0].extensions.code).toBe('CONFLICT');
    const remittances = await ok('partner', 'query ($id: ID!) { partner(id: $id) { remittances { nodes { id status netPaise } totalCount } codBalance { articleCount awaitingPayoutPaise } } }', { id: partnerId });
    expect(remittances.partner).toEqual({ remittances: { nodes: [{ id: remittance.id, status: 'PAID', netPaise: remittance.netPaise }], totalCount: 1 }, codBalance: { articleCount: 0, awaitingPayoutPaise: 0 } });

    const ledger = await expectBooksBalance();
    const account = (name: string) => ledger.accounts.find((a) => a.name === name)?.balancePaise ?? 0;
    expect(account(`COD_PAYABLE:${partnerId}`)).toBe(0);
    expect(account(`REMITTANCE_PAYABLE:${partnerId}`)).toBe(0);
    expect(account(`COUNTER_CASH:${OFFICE}`)).toBe(129_900);
    // The partner hears of both through its webhook endpoint: payments' relay publishes the remittance's
    // event after its commit and customers' consumer queues the delivery, so it arrives shortly, not at once.
    const queued = await until('both COD webhooks are queued', async () => {
      const rows = await subgraphs.db.query<{ event_type: string; body: { data: Record<string, unknown> } }>(
        `SELECT d.event_type, d.body FROM customers.webhook_delivery d JOIN customers.webhook_endpoint e ON e.id = d.endpoint_id WHERE e.partner_id = $1 AND d.event_type LIKE 'cod.%' ORDER BY d.event_type`,
        [partnerId],
      );
      return rows.length >= 2 && rows;
    });
    expect(queued.map((q) => q.event_type)).toEqual(['cod.collected', 'cod.remitted']);
    expect(queued[0]!.body.data).toMatchObject({ articleNumber, amountPaise: 129_900, mode: 'CASH' });
    expect(queued[1]!.body.data).toMatchObject({ remittanceId: remittance.id, netPaise: remittance.netPaise, bankReference: 'SBIN126337000123' });
  });

  it('reconciles a day: finds an article paid by hand and a capture with no booking, for the right people only', async () => {
    const { bookLater, ok, call, key, subgraphs, expectBooksBalance } = stack;
    const byHand = await bookLater();
    await ok('clerk', 'mutation ($events: [TrackingEventInput!]!, $key: String!) { recordTrackingEvents(events: $events, idempotencyKey: $key) { events { sequence } } }', {
      events: [{ articleNumber: byHand.articleNumber, type: 'PAYMENT_RECEIVED' }],
      key: key('paid-by-hand'),
    });
    // Planted: a capture recorded for an article payments never heard of.
    await subgraphs.db.query(
      `INSERT INTO payments.payment (id, reference, purpose, method, status, article_number, amount_paise, taxable_paise, gst_paise, office_id, created_by, paid_at)
       VALUES ('pay_plantedplantedplantedpla', 'DKPLANTED', 'BOOKING', 'UPI_QR', 'PAID', 'EE000000000IN', 5900, 5000, 900, $1, 'test', now())`,
      [OFFICE],
    );
    const QUERY = `query ($d: String!, $o: ID) { reconciliation(date: $d, officeId: $o) {
      date capturedWithoutBooking { article { articleNumber } payment { id } amountPaise problem }
      paidWithoutCapture { article { articleNumber } amountPaise office { id } problem }
      codUnremitted { amountPaise } totals { capturedWithoutBookingPaise paidWithoutCapturePaise codUnremittedPaise counterCashPaise } } }`;
    const variables = { d: istDate(new Date()), o: OFFICE };
    const report = await until('the hand-paid article in the reconciliation', async () => {
      const r = (await ok('supervisor', QUERY, variables)).reconciliation;
      return r.paidWithoutCapture.some((line: { article: { articleNumber: string } }) => line.article.articleNumber === byHand.articleNumber) && r;
    });
    expect(report.paidWithoutCapture).toContainEqual({ article: { articleNumber: byHand.articleNumber }, amountPaise: byHand.charges.totalPaise, office: { id: OFFICE }, problem: expect.stringContaining('no captured payment') });
    expect(report.capturedWithoutBooking).toEqual([{ article: { articleNumber: 'EE000000000IN' }, payment: { id: 'pay_plantedplantedplantedpla' }, amountPaise: 5900, problem: expect.any(String) }]);
    expect(report.totals.capturedWithoutBookingPaise).toBe(5900);
    expect(report.totals.paidWithoutCapturePaise).toBe(byHand.charges.totalPaise);
    // The analyst sees the nation; a supervisor of another division, and a clerk, do not.
    expect((await ok('analyst', QUERY, { d: variables.d })).reconciliation.date).toBe(variables.d);
    expect((await call('farSupervisor', QUERY, variables)).errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await call('clerk', QUERY, variables)).errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await call('analyst', QUERY, { d: '2026-02-30' })).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    await subgraphs.db.query(`DELETE FROM payments.payment WHERE id = 'pay_plantedplantedplantedpla'`);
    await expectBooksBalance();
  });

  it('refuses to change or delete ledger entries, and a transaction that does not balance', async () => {
    const { subgraphs } = stack;
    await expect(subgraphs.db.query(`UPDATE payments.ledger_entry SET amount_paise = amount_paise + 1`)).rejects.toThrow(/append-only/);
    await expect(subgraphs.db.query(`DELETE FROM payments.ledger_entry`)).rejects.toThrow(/append-only/);
    await expect(
      subgraphs.db.transaction(async (tx) => {
        await tx.query(`INSERT INTO payments.ledger_transaction (id, kind, source_key, description, occurred_at) VALUES ('ltx_unbalanced', 'REFUND', 'x', 'x', now())`);
        await tx.query(`INSERT INTO payments.ledger_entry (transaction_id, account, amount_paise) VALUES ('ltx_unbalanced', 'BANK', 100), ('ltx_unbalanced', 'REVENUE', -99)`);
      }),
    ).rejects.toThrow(/does not balance/);
  });
});

const TRANSPORTS = ['in-process', 'JetStream'] as const;

describe.each(TRANSPORTS)('payments captured while the articles consumer is stopped (%s)', (transportKind) => {
  let events: EventTransport;
  let stream = '';
  let stack: Awaited<ReturnType<typeof paymentsStack>>;

  beforeAll(async () => {
    if (transportKind === 'JetStream') {
      stream = `DAKGRAPH_PAYMENTS_TEST_${process.pid}_${randomBytes(4).toString('hex')}`;
      events = await createJetStreamTransport({ servers: [NATS_URL], stream, subjectPrefix: `test_${randomBytes(4).toString('hex')}`, log: { info: () => undefined, error: () => undefined } });
    } else {
      events = createInProcessTransport({ log: { info: () => undefined, error: () => undefined } });
    }
    stack = await paymentsStack(events, () => new Date());
  }, 240_000);

  afterAll(async () => {
    await stack?.graph.stop();
    await stack?.subgraphs.stop();
    await events?.close();
    if (stream) {
      const nc = await connect({ servers: NATS_URL });
      await (await jetstreamManager(nc)).streams.delete(stream);
      await nc.close();
    }
    // Stopping waits for each subgraph's relay and consumers to finish what they hold (up to a transaction's 30 s).
  }, 180_000);

  it('books every article paid meanwhile once articles is back', async () => {
    const { bookLater, createPayment, postCallback, subgraphs, expectBooksBalance } = stack;
    const articles = [await bookLater(), await bookLater(), await bookLater()];
    const payments: { id: string; reference: string; amountPaise: number }[] = [];
    for (const article of articles) payments.push((await createPayment('clerk', article.articleNumber, 'UPI_QR')).data.createPayment);
    await subgraphs.stopArticles();
    for (const payment of payments) {
      const answer = await postCallback(
        signCallback(TEST_PSP_CALLBACK_SECRET, { reference: payment.reference, status: 'SUCCESS', amountPaise: payment.amountPaise, providerTransactionId: `4${randomBytes(5).readUIntBE(0, 5)}`.slice(0, 12), payerVpa: 'payer@okbank' }),
      );
      expect(answer.body).toMatchObject({ outcome: 'CAPTURED' });
    }
    const statusOf = async () =>
      (await subgraphs.db.query<{ status: string }>(`SELECT status::text AS status FROM articles.article WHERE article_number = ANY($1::bpchar[])`, [articles.map((a) => a.articleNumber)])).map((r) => r.status);
    // Published and waiting: nobody books them while articles is down.
    await until('the captures published', async () => {
      const rows = await subgraphs.db.query(`SELECT id FROM payments.outbox_event WHERE type = 'payment.captured' AND published_at IS NOT NULL AND subject = ANY($1::text[])`, [payments.map((p) => p.id)]);
      return rows.length === payments.length;
    });
    expect(await statusOf()).toEqual(['AWAITING_PAYMENT', 'AWAITING_PAYMENT', 'AWAITING_PAYMENT']);
    await subgraphs.startArticles();
    await until('every paid article booked', async () => (await statusOf()).every((status) => status === 'BOOKED'));
    await expectBooksBalance();
  });

  it('books every article whose capture payments committed but died before publishing', async () => {
    const { bookLater, createPayment, subgraphs, expectBooksBalance } = stack;
    const articles = [await bookLater(), await bookLater()];
    const payments: { id: string; reference: string; amountPaise: number }[] = [];
    for (const article of articles) payments.push((await createPayment('clerk', article.articleNumber, 'UPI_QR')).data.createPayment);
    await subgraphs.stopPayments();
    // A payments process with no transport is one that dies right after its commits: the captures and their
    // events are in the database, and no relay ever published them.
    const dying = await createPaymentsSubgraph(subgraphs.db, { identitySecret: TEST_SECRETS.identitySecret, articlesUrl: subgraphs.urls.articles!, pspCallbackSecret: TEST_PSP_CALLBACK_SECRET });
    for (const [i, payment] of payments.entries()) {
      const body = { reference: payment.reference, status: 'SUCCESS' as const, amountPaise: payment.amountPaise, providerTransactionId: `49000000000${i}`, payerVpa: 'payer@okbank' };
      expect((await processCallback(dying.prisma, dying.deps, `msg_dying_${transportKind}_${i}`, body)).outcome).toBe('CAPTURED');
    }
    await dying.apollo.stop();
    await dying.prisma.$disconnect();
    const unpublished = await subgraphs.db.query(`SELECT id FROM payments.outbox_event WHERE type = 'payment.captured' AND published_at IS NULL AND subject = ANY($1::text[])`, [payments.map((p) => p.id)]);
    expect(unpublished).toHaveLength(2);
    await subgraphs.startPayments();
    await until('both articles booked', async () => {
      const rows = await subgraphs.db.query<{ status: string }>(`SELECT status::text AS status FROM articles.article WHERE article_number = ANY($1::bpchar[])`, [articles.map((a) => a.articleNumber)]);
      return rows.every((row) => row.status === 'BOOKED');
    });
    await expectBooksBalance();
  });
});
