import { close, listen } from '@dakgraph/graphql-kit';
import { format, isValid } from '@dakgraph/s10';
import { PRODUCTS } from '../src/domain';
import { importReference } from '../src/server';
import { serviceIndicatorOf } from '../src/services/articleNumbers';
import {
  BOOK_ARTICLE,
  BOOK_ARTICLES,
  CUSTOMER_A,
  CUSTOMER_B,
  ENGINES,
  RECIPIENT,
  VIEWERS,
  armSaboteur,
  codesOf,
  counterBooking,
  newKey,
  partner,
  partnerItem,
  startArticles,
  type ArticlesHarness,
} from './support';

const QUOTE = `query ($input: QuoteInput!) { quote(input: $input) {
  product tariffVersion band distanceKm chargeableWeightGrams basePaise discountPaise servicesPaise taxablePaise gstPaise
  totalPaise unconfirmedRates expectedDeliveryDate lineItems { code amountPaise rateConfirmed description } } }`;

const S10_IN = /^[A-Z]{2}\d{9}IN$/;

describe.each(ENGINES)('booking articles on %s', (engine) => {
  let graph: ArticlesHarness;

  beforeAll(async () => {
    graph = await startArticles(engine);
  }, 180_000);

  afterAll(async () => {
    await graph?.close();
  });

  const written = () => graph.written();

  describe('quotes', () => {
    const quote = (viewer = VIEWERS.public, input: Record<string, unknown>) =>
      graph.run(viewer, QUOTE, { input: { product: 'SPEED_POST_DOCUMENT', originPincode: '110001', weightGrams: 40, ...input } });

    it('prices 40 g from New Delhi to Mumbai (1,166 km) at Rs 47 + 18% GST', async () => {
      const result = await quote(VIEWERS.public, { destinationPincode: '400001' });
      expect(result.errors).toBeUndefined();
      expect(result.data.quote).toMatchObject({
        tariffVersion: 'IN-DOMESTIC-2025-10-01',
        band: 'KM_1001_2000',
        chargeableWeightGrams: 40,
        basePaise: 4700,
        gstPaise: 846,
        totalPaise: 5546,
        unconfirmedRates: false,
        // Booked Wednesday 11:30 IST: six working days, Sunday skipped.
        expectedDeliveryDate: '2026-12-02',
      });
      expect(result.data.quote.distanceKm).toBeCloseTo(1166.2, 1);
      expect(result.data.quote.lineItems.map((l: { code: string }) => l.code)).toEqual(['POSTAGE', 'GST']);
    });

    it('charges the local rate within one district (Central Delhi), Rs 19 + GST, due in two days', async () => {
      const result = await quote(VIEWERS.public, { destinationPincode: '110002' });
      expect(result.data.quote).toMatchObject({ band: 'LOCAL', basePaise: 1900, gstPaise: 342, totalPaise: 2242, expectedDeliveryDate: '2026-11-27' });
    });

    it('adds registration to 200 g for Bengaluru: (Rs 72 + Rs 5) + 18% = Rs 90.86', async () => {
      const result = await quote(VIEWERS.public, { destinationPincode: '560001', weightGrams: 200, services: ['REGISTRATION'] });
      expect(result.data.quote).toMatchObject({ band: 'KM_1001_2000', basePaise: 7200, servicesPaise: 500, taxablePaise: 7700, gstPaise: 1386, totalPaise: 9086 });
    });

    it("applies a partner's 10% contract discount to postage: Rs 72 - 7.20, + GST = Rs 76.46", async () => {
      const result = await quote(partner('ptn_a'), { destinationPincode: '781001', weightGrams: 200 });
      expect(result.errors).toBeUndefined();
      expect(result.data.quote).toMatchObject({ basePaise: 7200, discountPaise: 720, taxablePaise: 6480, gstPaise: 1166, totalPaise: 7646 });
      expect(result.data.quote.lineItems.find((l: { code: string }) => l.code === 'DISCOUNT_CONTRACT')).toMatchObject({ amountPaise: -720 });
    });

    it('refuses cash on delivery for a partner whose contract does not allow it', async () => {
      const result = await quote(partner('ptn_b'), { product: 'SPEED_POST_PARCEL', destinationPincode: '400001', codAmountPaise: 50_000 });
      expect(codesOf(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0]!.extensions!.field).toBe('input.codAmountPaise');
    });

    it.each([
      ['an unknown pincode', { destinationPincode: '999999' }, 'input.destinationPincode', /not in the post office directory/],
      ['a pincode without a centroid in another district', { destinationPincode: '122105' }, 'input.destinationPincode', /can't be computed/],
      ['a five-digit pincode', { destinationPincode: '40001' }, 'input.destinationPincode', /six-digit/],
      ['a negative weight', { destinationPincode: '400001', weightGrams: -5 }, 'input.weightGrams', /weightGrams/],
      ['a withdrawn product', { destinationPincode: '400001', product: 'REGISTERED' }, 'input.product', /merged into Speed Post/],
    ])('refuses %s with BAD_USER_INPUT naming the field', async (_case, input, field, message) => {
      const result = await quote(VIEWERS.public, input);
      expect(codesOf(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0]!.extensions!.field).toBe(field);
      expect(result.errors![0]!.message).toMatch(message);
    });
  });

  describe('at the counter', () => {
    it('books a cash article: BOOKED and paid, an S10 number, its first event at the office', async () => {
      const result = await graph.run(VIEWERS.clerk, BOOK_ARTICLE, {
        input: counterBooking({ recipient: { ...RECIPIENT, digipin: ' 4fk5958823 ' } }),
        key: newKey(),
      });
      expect(result.errors).toBeUndefined();
      const { article, replayed } = result.data.bookArticle;
      expect(replayed).toBe(false);
      expect(article.articleNumber).toMatch(/^EE\d{9}IN$/);
      expect(isValid(article.articleNumber)).toBe(true);
      expect(article).toMatchObject({
        product: 'SPEED_POST_DOCUMENT',
        status: 'BOOKED',
        statusDescription: 'Item Booked',
        bookedAt: '2026-11-25T06:00:00.000Z',
        expectedDeliveryDate: '2026-12-02',
        bookingOffice: { id: '110001-baroda-house' },
        currentOffice: { id: '110001-baroda-house' },
        originPincode: '110001',
        destinationPincode: '400001',
        paymentMode: 'CASH',
        paymentStatus: 'PAID',
        sender: { name: 'Vikram Singh', phone: '+919811012345', addressLines: ['4 Janpath Lane'], pincode: '110001', customer: null },
        recipient: { name: 'Asha Rao', phone: '+919820012345', pincode: '400001', digipin: '4FK-595-8823' },
        charges: { totalPaise: 5546, gstPaise: 846, tariffVersion: 'IN-DOMESTIC-2025-10-01' },
        services: [],
      });
      expect(article.events).toEqual([
        expect.objectContaining({ sequence: 1, type: 'BOOKED', upuCode: 'EMA', description: 'Item Booked', office: { id: '110001-baroda-house' }, statusAfter: 'BOOKED' }),
      ]);
    });

    it('leaves a pay-later article AWAITING_PAYMENT, with no event yet', async () => {
      const result = await graph.run(VIEWERS.supervisor, BOOK_ARTICLE, { input: counterBooking({ payment: 'LATER' }), key: newKey() });
      expect(result.errors).toBeUndefined();
      expect(result.data.bookArticle.article).toMatchObject({
        status: 'AWAITING_PAYMENT',
        paymentStatus: 'PENDING',
        bookingOffice: { id: '110001-janpath' },
        events: [],
      });
    });

    it('bills an account to the registered customer named as sender, whose details stay in the customer record', async () => {
      const result = await graph.run(VIEWERS.clerk, BOOK_ARTICLE, {
        input: counterBooking({ sender: null, senderCustomerId: CUSTOMER_A, payment: 'ACCOUNT', product: 'SPEED_POST_PARCEL', weightGrams: 900, codAmountPaise: 150_000 }),
        key: newKey(),
      });
      expect(result.errors).toBeUndefined();
      expect(result.data.bookArticle.article).toMatchObject({
        articleNumber: expect.stringMatching(/^EP\d{9}IN$/),
        status: 'BOOKED',
        paymentStatus: 'ON_ACCOUNT',
        codAmountPaise: 150_000,
        sender: { name: null, customer: { id: CUSTOMER_A } },
      });
      expect(result.data.bookArticle.article.charges.lineItems.map((l: { code: string }) => l.code)).toContain('COD_FEE');
    });

    it.each([
      ['ACCOUNT payment without a customer', { payment: 'ACCOUNT' }, 'input.payment'],
      ['an unknown recipient pincode', { recipient: { ...RECIPIENT, pincode: '999999' } }, 'input.recipient.pincode'],
      ['a negative weight', { weightGrams: -40 }, 'input.weightGrams'],
      ['a bad phone number', { recipient: { ...RECIPIENT, phone: '12345' } }, 'input.recipient.phone'],
      ['a bad DIGIPIN', { recipient: { ...RECIPIENT, digipin: '39A-49L-L8T4' } }, 'input.recipient.digipin'],
      ['no sender at all', { sender: null }, 'input.sender'],
      ['a malformed customer id', { senderCustomerId: 'customer-7' }, 'input.senderCustomerId'],
      ['a customer who does not exist', { senderCustomerId: 'cus_01jd6x0000000000000000000z' }, 'input.senderCustomerId'],
      ['insurance without a declared value', { services: ['INSURANCE'] }, 'input.declaredValuePaise'],
    ])('refuses %s with BAD_USER_INPUT and writes nothing', async (_case, overrides, field) => {
      const before = await written();
      const result = await graph.run(VIEWERS.clerk, BOOK_ARTICLE, { input: counterBooking(overrides), key: newKey() });
      expect(codesOf(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0]!.extensions!.field).toBe(field);
      expect(await written()).toEqual(before);
    });

    it.each([
      ['the public', VIEWERS.public, 'UNAUTHENTICATED'],
      ['a postman', VIEWERS.postman, 'FORBIDDEN'],
      ['an analyst', VIEWERS.analyst, 'FORBIDDEN'],
      ['an admin without an office', VIEWERS.admin, 'FORBIDDEN'],
      ['a partner', partner('ptn_a'), 'FORBIDDEN'],
    ])('refuses %s', async (_case, viewer, code) => {
      const result = await graph.run(viewer, BOOK_ARTICLE, { input: counterBooking(), key: newKey() });
      expect(codesOf(result)).toEqual([code]);
    });

    it('rolls everything back when the transaction fails half-way', async () => {
      await armSaboteur(graph.db);
      const silenced = jest.spyOn(console, 'error').mockImplementation(() => undefined);
      const before = await written();
      const key = newKey();
      const result = await graph.run(VIEWERS.saboteur, BOOK_ARTICLE, { input: counterBooking(), key });
      silenced.mockRestore();
      expect(codesOf(result)).toEqual(['INTERNAL_SERVER_ERROR']);
      // The article row was inserted before the event insert failed: the rollback removed it, and the claim.
      expect(await written()).toEqual(before);
    });
  });

  describe('idempotency', () => {
    it('answers a retry with the same articles and books nothing new', async () => {
      const key = newKey();
      const first = await graph.run(VIEWERS.clerk, BOOK_ARTICLE, { input: counterBooking(), key });
      const before = await written();
      const again = await graph.run(VIEWERS.clerk, BOOK_ARTICLE, { input: counterBooking(), key });
      expect(again.errors).toBeUndefined();
      expect(again.data.bookArticle.replayed).toBe(true);
      expect(again.data.bookArticle.article.articleNumber).toBe(first.data.bookArticle.article.articleNumber);
      expect(await written()).toEqual(before);
    });

    it('refuses the same key with a different body as CONFLICT', async () => {
      const key = newKey();
      await graph.run(VIEWERS.clerk, BOOK_ARTICLE, { input: counterBooking(), key });
      const changed = await graph.run(VIEWERS.clerk, BOOK_ARTICLE, { input: counterBooking({ weightGrams: 41 }), key });
      expect(codesOf(changed)).toEqual(['CONFLICT']);
    });

    it('keeps keys per caller: another clerk may use the same key', async () => {
      const key = newKey();
      const mine = await graph.run(VIEWERS.clerk, BOOK_ARTICLE, { input: counterBooking(), key });
      const theirs = await graph.run(VIEWERS.supervisor, BOOK_ARTICLE, { input: counterBooking(), key });
      expect(theirs.data.bookArticle.replayed).toBe(false);
      expect(theirs.data.bookArticle.article.articleNumber).not.toBe(mine.data.bookArticle.article.articleNumber);
    });

    it('books once when concurrent retries carry the same key', async () => {
      const key = newKey();
      const before = await written();
      const results = await Promise.all(Array.from({ length: 6 }, () => graph.run(VIEWERS.clerk, BOOK_ARTICLE, { input: counterBooking(), key })));
      expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
      const numbers = new Set(results.map((r) => r.data.bookArticle.article.articleNumber));
      expect(numbers.size).toBe(1);
      expect(results.filter((r) => !r.data.bookArticle.replayed)).toHaveLength(1);
      const after = await written();
      expect(after).toEqual({ articles: before.articles + 1, events: before.events + 1, claims: before.claims + 1 });
    });

    it('forgets a key once it is older than the retention: the subgraph purges while it serves', async () => {
      const key = newKey();
      const first = await graph.run(VIEWERS.clerk, BOOK_ARTICLE, { input: counterBooking(), key });
      const claims = () => graph.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM articles.idempotency_record WHERE "key" = $1`, [key]);
      await graph.db.query(`UPDATE articles.idempotency_record SET created_at = now() - interval '8 days' WHERE "key" = $1`, [key]);
      // The purge runs when the server starts listening (then hourly); a served subgraph always listens.
      await listen(graph.subgraph.http, 0, '127.0.0.1');
      try {
        for (let waited = 0; (await claims())[0]!.n > 0; waited += 20) {
          if (waited > 30_000) throw new Error('the expired idempotency record was not purged');
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      } finally {
        await close(graph.subgraph.http);
      }
      const again = await graph.run(VIEWERS.clerk, BOOK_ARTICLE, { input: counterBooking(), key });
      expect(again.data.bookArticle.replayed).toBe(false);
      expect(again.data.bookArticle.article.articleNumber).not.toBe(first.data.bookArticle.article.articleNumber);
    });

    it('books a bulk request once when concurrent retries carry the same key', async () => {
      const key = newKey();
      const items = Array.from({ length: 25 }, (_, i) => partnerItem(i));
      const before = await written();
      const results = await Promise.all(Array.from({ length: 4 }, () => graph.run(partner('ptn_a'), BOOK_ARTICLES, { items, key })));
      expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
      const sets = new Set(results.map((r) => r.data.bookArticles.articles.map((a: { articleNumber: string }) => a.articleNumber).join()));
      expect(sets.size).toBe(1);
      expect((await written()).articles).toBe(before.articles + 25);
    });
  });

  describe('in bulk, for partners', () => {
    it('books 1,000 items in a handful of statements, all BOOKED on account with valid S10 numbers', async () => {
      const items = Array.from({ length: 1_000 }, (_, i) => partnerItem(i));
      graph.queries.length = 0;
      const result = await graph.run(partner('ptn_a'), BOOK_ARTICLES, { items, key: newKey() });
      expect(result.errors).toBeUndefined();
      const { articles, count, replayed } = result.data.bookArticles;
      expect({ count, replayed }).toEqual({ count: 1_000, replayed: false });
      const numbers = articles.map((a: { articleNumber: string }) => a.articleNumber);
      expect(new Set(numbers).size).toBe(1_000);
      expect(numbers.every((n: string) => S10_IN.test(n) && isValid(n))).toBe(true);
      // Item order is kept: even items are documents (EE), odd ones parcels (EP).
      expect(numbers.slice(0, 4).map((n: string) => n.slice(0, 2))).toEqual(['EE', 'EP', 'EE', 'EP']);
      expect(articles.every((a: { status: string; paymentStatus: string }) => a.status === 'BOOKED' && a.paymentStatus === 'ON_ACCOUNT')).toBe(true);
      expect(articles[0].bookingOffice).toEqual({ id: '110001-baroda-house' });
      // One nextval statement per service indicator, one multi-row insert for the articles and one for their events.
      const statements = (pattern: RegExp) => graph.queries.filter((sql) => pattern.test(sql)).length;
      expect(statements(/nextval/)).toBe(2);
      expect(statements(/INSERT INTO articles\.article /)).toBe(1);
      expect(statements(/INSERT INTO articles\.tracking_event /)).toBe(1);
      expect(graph.queries.length).toBeLessThan(20);
      // Their 1,000 article.booked events went to the outbox in that same statement, none on their own.
      expect(statements(/INSERT INTO articles\.outbox_event /)).toBe(1);
      expect(graph.queries.filter((sql) => /INSERT INTO articles\.outbox_event /.test(sql) && !/INSERT INTO articles\.article /.test(sql))).toEqual([]);
      const [announced] = await graph.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM articles.outbox_event WHERE type = 'article.booked' AND subject = ANY($1::text[])`,
        [numbers],
      );
      expect(announced!.n).toBe(1_000);
    }, 120_000);

    it('gives 20 concurrent bulk bookings distinct numbers that all pass the S10 check', async () => {
      const batches = await Promise.all(
        Array.from({ length: 20 }, (_, b) =>
          graph.run(partner(b % 2 ? 'ptn_a' : 'ptn_b'), BOOK_ARTICLES, { items: Array.from({ length: 50 }, (_, i) => partnerItem(b * 50 + i)), key: newKey() }),
        ),
      );
      expect(batches.flatMap((r) => r.errors ?? [])).toEqual([]);
      const numbers: string[] = batches.flatMap((r) => r.data.bookArticles.articles.map((a: { articleNumber: string }) => a.articleNumber));
      expect(numbers).toHaveLength(1_000);
      expect(new Set(numbers).size).toBe(1_000);
      expect(numbers.every((n) => isValid(n) && n.endsWith('IN'))).toBe(true);
    }, 120_000);

    it("refuses a partner naming another partner's customer, or one that does not exist", async () => {
      const items = [
        partnerItem(0, { senderCustomerId: CUSTOMER_B }),
        partnerItem(1, { senderCustomerId: 'cus_01jd6x0000000000000000000z' }),
        partnerItem(2),
      ];
      const before = await written();
      const result = await graph.run(partner('ptn_a'), BOOK_ARTICLES, { items, key: newKey() });
      expect(codesOf(result)).toEqual(['BAD_USER_INPUT']);
      const invalid = result.errors![0]!.extensions!.invalidItems as { index: number; field: string; message: string }[];
      expect(invalid.map(({ index, field, message }) => ({ index, field, message }))).toEqual([
        { index: 0, field: 'items[0].senderCustomerId', message: `Customer ${CUSTOMER_B} is not one of your customers` },
        { index: 1, field: 'items[1].senderCustomerId', message: 'No customer has id cus_01jd6x0000000000000000000z' },
      ]);
      expect(await written()).toEqual(before);
      // Partner B may name its own customer.
      expect((await graph.run(partner('ptn_b'), BOOK_ARTICLES, { items: [partnerItem(3, { senderCustomerId: CUSTOMER_B })], key: newKey() })).errors).toBeUndefined();
    });

    it('books nothing when 3 of 1,000 items are invalid, and lists every bad item', async () => {
      const items = Array.from({ length: 1_000 }, (_, i) => partnerItem(i));
      items[7] = partnerItem(7, { weightGrams: -1 });
      items[500] = partnerItem(500, { recipient: { ...RECIPIENT, pincode: '999999' } });
      items[999] = partnerItem(999, { pickupPincode: '122105', recipient: { ...RECIPIENT, pincode: '400001' } });
      const before = await written();
      const result = await graph.run(partner('ptn_a'), BOOK_ARTICLES, { items, key: newKey() });
      expect(codesOf(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0]!.message).toBe('3 of 1000 items are invalid; nothing was booked');
      const invalid = result.errors![0]!.extensions!.invalidItems as { index: number; field: string; message: string }[];
      expect(invalid.map(({ index, field }) => ({ index, field }))).toEqual([
        { index: 7, field: 'items[7].weightGrams' },
        { index: 500, field: 'items[500].recipient.pincode' },
        { index: 999, field: 'items[999].pickupPincode' },
      ]);
      expect(invalid[2]!.message).toMatch(/can't be computed/);
      expect(await written()).toEqual(before);
    }, 60_000);

    it('refuses 1,001 items before doing any work', async () => {
      const items = Array.from({ length: 1_001 }, (_, i) => partnerItem(i));
      graph.queries.length = 0;
      const calls = graph.terms.calls.length;
      const result = await graph.run(partner('ptn_a'), BOOK_ARTICLES, { items, key: newKey() });
      expect(codesOf(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0]!.message).toMatch(/at most 1000/);
      expect(graph.queries).toEqual([]);
      expect(graph.terms.calls.length).toBe(calls);
    });

    it('books cash on delivery only under a contract that allows it', async () => {
      const cod = [partnerItem(1, { codAmountPaise: 99_900 })];
      const allowed = await graph.run(partner('ptn_a'), BOOK_ARTICLES, { items: cod, key: newKey() });
      expect(allowed.errors).toBeUndefined();
      const refused = await graph.run(partner('ptn_b'), BOOK_ARTICLES, { items: cod, key: newKey() });
      expect(codesOf(refused)).toEqual(['BAD_USER_INPUT']);
      expect(refused.errors![0]!.extensions!.invalidItems).toEqual([
        { index: 0, field: 'items[0].codAmountPaise', message: 'Your contract does not allow cash on delivery' },
      ]);
    });

    it.each([
      ['a suspended partner', partner('ptn_suspended'), 'FORBIDDEN'],
      ['a partner the customers service does not know', partner('ptn_nobody'), 'FORBIDDEN'],
      ['a counter clerk', VIEWERS.clerk, 'FORBIDDEN'],
      ['the public', VIEWERS.public, 'UNAUTHENTICATED'],
    ])('refuses %s', async (_case, viewer, code) => {
      const before = await written();
      const result = await graph.run(viewer, BOOK_ARTICLES, { items: [partnerItem(1)], key: newKey() });
      expect(codesOf(result)).toEqual([code]);
      expect(await written()).toEqual(before);
    });

    it('applies the contract discount to each article', async () => {
      const item = partnerItem(0, { product: 'SPEED_POST_DOCUMENT', weightGrams: 200, recipient: { ...RECIPIENT, pincode: '781001' } });
      const result = await graph.run(partner('ptn_a'), BOOK_ARTICLES, { items: [item], key: newKey() });
      expect(result.data.bookArticles.articles[0].charges.totalPaise).toBe(7646);
    });
  });

  it('skips an unchanged reference copy, and a forced one reloads the same data', async () => {
    const again = await importReference(graph.db, { progress: false });
    expect(again).toMatchObject({ skipped: true, offices: 154_874, pincodes: 19_159 });
    const forced = await importReference(graph.db, { force: true, progress: false });
    expect(forced).toMatchObject({ skipped: false, checksum: again.checksum });
    const [counts] = await graph.db.query<{ offices: number; pincodes: number; located: number }>(
      `SELECT (SELECT count(*)::int FROM articles.office_ref) AS offices, (SELECT count(*)::int FROM articles.pincode_ref) AS pincodes,
              (SELECT count(*)::int FROM articles.pincode_ref WHERE latitude IS NOT NULL) AS located`,
    );
    expect(counts).toMatchObject({ offices: 154_874, pincodes: 19_159 });
    expect(counts!.located).toBeGreaterThan(18_000);
  }, 60_000);

  it('has a serial sequence for the service indicator of every product', async () => {
    for (const product of PRODUCTS) {
      const indicator = serviceIndicatorOf(product);
      const [row] = await graph.db.query<{ name: string | null }>('SELECT to_regclass($1)::text AS name', [`articles.s10_serial_${indicator.toLowerCase()}`]);
      expect(row!.name).toBe(`articles.s10_serial_${indicator.toLowerCase()}`);
    }
    expect(format('EE', 1)).toBe('EE000000014IN');
  });
});
