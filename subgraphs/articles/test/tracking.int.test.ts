import { format } from '@dakgraph/s10';
import type { Viewer } from '@dakgraph/auth';
import {
  ARTICLE_FIELDS,
  BOOK_ARTICLE,
  BOOK_ARTICLES,
  CUSTOMER_A,
  CUSTOMER_B,
  ENGINES,
  OFFICES,
  RECORD_EVENTS,
  VIEWERS,
  armSaboteur,
  codesOf,
  counterBooking,
  customer,
  newKey,
  partner,
  partnerItem,
  startArticles,
  staff,
  type ArticlesHarness,
} from './support';

const TRACK = `query ($numbers: [String!]!) { trackArticles(articleNumbers: $numbers) {
  articleNumber status statusDescription expectedDeliveryDate bookingOffice { id } currentOffice { id }
  events { sequence type upuCode description office { id } nextOffice { id } reason statusAfter } } }`;

const ENTITIES = `query ($representations: [_Any!]!) { _entities(representations: $representations) {
  ... on Article { ${ARTICLE_FIELDS} }
  ... on Customer { id articles(first: 3) { totalCount pageInfo { hasNextPage endCursor } nodes { articleNumber sender { name } } } }
  ... on Office { id bookedArticles(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { articleNumber } } } } } }`;

describe.each(ENGINES)('tracking and reading articles on %s', (engine) => {
  let graph: ArticlesHarness;

  beforeAll(async () => {
    graph = await startArticles(engine);
  }, 180_000);

  afterAll(async () => {
    await graph?.close();
  });

  /** Books `n` articles for a partner (picked up in 110001, for Mumbai 400001); their numbers in order. */
  async function bookForPartner(n: number, partnerId = 'ptn_a', overrides: Record<string, unknown> = {}): Promise<string[]> {
    const result = await graph.run(partner(partnerId), BOOK_ARTICLES, {
      items: Array.from({ length: n }, (_, i) => partnerItem(i, overrides)),
      key: newKey('book'),
    });
    expect(result.errors).toBeUndefined();
    return result.data.bookArticles.articles.map((a: { articleNumber: string }) => a.articleNumber);
  }

  async function bookAtCounter(viewer: Viewer = VIEWERS.clerk, overrides: Record<string, unknown> = {}): Promise<string> {
    const result = await graph.run(viewer, BOOK_ARTICLE, { input: counterBooking(overrides), key: newKey('counter') });
    expect(result.errors).toBeUndefined();
    return result.data.bookArticle.article.articleNumber;
  }

  const record = (viewer: Viewer, events: Record<string, unknown>[], key = newKey('events')) => graph.run(viewer, RECORD_EVENTS, { events, key });

  describe('recording movement', () => {
    it('moves a batch from booking to delivery, several events per article in one batch, and tracks it', async () => {
      const numbers = await bookForPartner(40);
      const each = (events: Record<string, unknown>[]) => numbers.flatMap((articleNumber) => events.map((event) => ({ articleNumber, ...event })));

      // Bagged and the bag dispatched in one batch: 80 events, two per article, in order.
      const dispatched = await record(VIEWERS.clerk, each([{ type: 'BAGGED' }, { type: 'BAG_DISPATCHED', nextOfficeId: OFFICES.mumbaiGpo.id }]));
      expect(dispatched.errors).toBeUndefined();
      expect(dispatched.data.recordTrackingEvents.events).toHaveLength(80);
      expect(dispatched.data.recordTrackingEvents.events.slice(0, 2)).toEqual([
        expect.objectContaining({ sequence: 2, type: 'BAGGED', statusAfter: 'BAGGED', office: { id: OFFICES.barodaHouse.id } }),
        expect.objectContaining({ sequence: 3, type: 'BAG_DISPATCHED', statusAfter: 'IN_TRANSIT', nextOffice: { id: OFFICES.mumbaiGpo.id } }),
      ]);
      expect(dispatched.data.recordTrackingEvents.articles).toHaveLength(40);

      const atHub = await record(VIEWERS.mumbaiClerk, each([
        { type: 'RECEIVED_AT_SORTING' },
        { type: 'DISPATCHED_FROM_SORTING', nextOfficeId: OFFICES.bazargate.id },
      ]));
      expect(atHub.errors).toBeUndefined();
      expect((await record(VIEWERS.bazargateClerk, each([{ type: 'ARRIVED_AT_DELIVERY_OFFICE' }]))).errors).toBeUndefined();
      const beat = await record(VIEWERS.bazargatePostman, each([
        { type: 'OUT_FOR_DELIVERY' },
        { type: 'DELIVERY_ATTEMPTED', reason: 'PREMISES_LOCKED' },
        { type: 'OUT_FOR_DELIVERY' },
        { type: 'DELIVERED' },
      ]));
      expect(beat.errors).toBeUndefined();
      expect(beat.data.recordTrackingEvents.articles[0]).toMatchObject({ status: 'DELIVERED', currentOffice: { id: OFFICES.bazargate.id } });

      const tracked = await graph.run(VIEWERS.public, TRACK, { numbers });
      expect(tracked.errors).toBeUndefined();
      for (const article of tracked.data.trackArticles) {
        expect(article.status).toBe('DELIVERED');
        expect(article.statusDescription).toBe('Item Delivered');
        expect(article.events.map((e: { type: string }) => e.type)).toEqual([
          'BOOKED', 'BAGGED', 'BAG_DISPATCHED', 'RECEIVED_AT_SORTING', 'DISPATCHED_FROM_SORTING',
          'ARRIVED_AT_DELIVERY_OFFICE', 'OUT_FOR_DELIVERY', 'DELIVERY_ATTEMPTED', 'OUT_FOR_DELIVERY', 'DELIVERED',
        ]);
      }
      const events = tracked.data.trackArticles[0].events;
      expect(events.map((e: { upuCode: string | null }) => e.upuCode)).toEqual(['EMA', null, null, 'EDD', 'EDE', 'EMG', 'EDG', 'EMH', 'EDG', 'EMI']);
      expect(events[7]).toMatchObject({ description: 'Delivery Attempted - Door Locked', reason: 'PREMISES_LOCKED', office: { id: OFFICES.bazargate.id } });
      expect(events[4]).toMatchObject({ office: { id: OFFICES.mumbaiGpo.id }, nextOffice: { id: OFFICES.bazargate.id } });
      expect(events.map((e: { sequence: number }) => e.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    });

    it('writes a batch with a constant number of statements, whatever its size', async () => {
      const statementsFor = async (n: number) => {
        const numbers = await bookForPartner(n);
        graph.queries.length = 0;
        const result = await record(VIEWERS.clerk, numbers.map((articleNumber) => ({ articleNumber, type: 'BAGGED' })));
        expect(result.errors).toBeUndefined();
        return graph.queries.length;
      };
      const small = await statementsFor(5);
      const large = await statementsFor(500);
      expect(large).toBe(small);
      expect(graph.queries.filter((sql) => /FOR UPDATE/.test(sql))).toHaveLength(1);
      expect(graph.queries.filter((sql) => /^\s*UPDATE articles\.article/.test(sql))).toHaveLength(1);
      expect(graph.queries.filter((sql) => /INSERT INTO articles\.tracking_event /.test(sql))).toHaveLength(1);
      // The 500 events' domain events ride in the tracking insert's statement.
      expect(graph.queries.filter((sql) => /INSERT INTO articles\.outbox_event /.test(sql))).toHaveLength(1);
    }, 60_000);

    it('refuses an impossible transition, naming the article, its status and the allowed events, and records nothing', async () => {
      const [first, second] = await bookForPartner(2);
      const before = { events: await graph.count('tracking_event'), claims: await graph.count('idempotency_record') };
      const result = await record(VIEWERS.clerk, [
        { articleNumber: first, type: 'BAGGED' },
        { articleNumber: second, type: 'DELIVERED' },
      ]);
      expect(codesOf(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0]!.message).toBe('1 of 2 events is invalid; nothing was recorded');
      const [problem] = result.errors![0]!.extensions!.invalidItems as Record<string, unknown>[];
      expect(problem).toMatchObject({
        index: 1,
        field: 'events[1].type',
        articleNumber: second,
        status: 'BOOKED',
        allowedEvents: ['BAGGED', 'ARRIVED_AT_DELIVERY_OFFICE', 'CANCELLED'],
      });
      expect(problem!.message).toMatch(new RegExp(`${second} \\(BOOKED\\).*cannot be DELIVERED`));
      // The valid event before it was rolled back with the rest.
      const tracked = await graph.run(VIEWERS.public, TRACK, { numbers: [first] });
      expect(tracked.data.trackArticles[0].status).toBe('BOOKED');
      expect({ events: await graph.count('tracking_event'), claims: await graph.count('idempotency_record') }).toEqual(before);
    });

    it.each([
      ['a malformed article number', [{ articleNumber: 'EE12345678IN', type: 'BAGGED' }], 'events[0].articleNumber'],
      ['a wrong check digit', [{ articleNumber: 'EE123456789IN', type: 'BAGGED' }], 'events[0].articleNumber'],
      ['an unknown article', [{ articleNumber: format('EE', 99_999_990), type: 'BAGGED' }], 'events[0].articleNumber'],
      ['an unknown office', [{ type: 'BAGGED', officeId: '999999-nowhere' }], 'events[0].officeId'],
      ['a dispatch without a next office', [{ type: 'BAGGED' }, { type: 'BAG_DISPATCHED' }], 'events[1].nextOfficeId'],
      ['an attempt without a reason', [{ type: 'ARRIVED_AT_DELIVERY_OFFICE' }, { type: 'OUT_FOR_DELIVERY' }, { type: 'DELIVERY_ATTEMPTED' }], 'events[2].reason'],
      ['a time in the future', [{ type: 'BAGGED', occurredAt: '2030-01-01T00:00:00Z' }], 'events[0].occurredAt'],
      ['a time before the booking', [{ type: 'BAGGED', occurredAt: '2026-11-24T00:00:00Z' }], 'events[0].occurredAt'],
      ['a payment at an office', [{ type: 'PAYMENT_RECEIVED', officeId: OFFICES.barodaHouse.id }], 'events[0].officeId'],
    ])('refuses %s with BAD_USER_INPUT naming the field', async (_case, events, field) => {
      const [articleNumber] = await bookForPartner(1);
      const result = await record(VIEWERS.admin, events.map((event) => ({ articleNumber, officeId: OFFICES.barodaHouse.id, ...event })));
      expect(codesOf(result)).toEqual(['BAD_USER_INPUT']);
      expect((result.errors![0]!.extensions!.invalidItems as { field: string }[]).map((item) => item.field)).toEqual([field]);
    });

    it('refuses more than 1,000 events', async () => {
      const result = await record(VIEWERS.clerk, Array.from({ length: 1_001 }, () => ({ articleNumber: 'EE000000014IN', type: 'BAGGED' })));
      expect(codesOf(result)).toEqual(['BAD_USER_INPUT']);
    });

    it.each([
      ['a clerk at another office', VIEWERS.clerk, { type: 'RECEIVED_AT_SORTING', officeId: OFFICES.mumbaiGpo.id }, 'FORBIDDEN'],
      ['a postman bagging', VIEWERS.postman, { type: 'BAGGED' }, 'FORBIDDEN'],
      ['an analyst', VIEWERS.analyst, { type: 'BAGGED' }, 'FORBIDDEN'],
      ['a partner', partner('ptn_a'), { type: 'BAGGED', officeId: OFFICES.barodaHouse.id }, 'FORBIDDEN'],
      ['the public', VIEWERS.public, { type: 'BAGGED', officeId: OFFICES.barodaHouse.id }, 'UNAUTHENTICATED'],
      ['a supervisor at an office of another division', VIEWERS.supervisor, { type: 'BAGGED', officeId: OFFICES.bazargate.id }, 'FORBIDDEN'],
      ['a Mumbai clerk cancelling a Delhi booking', VIEWERS.mumbaiClerk, { type: 'CANCELLED' }, 'FORBIDDEN'],
    ])('refuses %s', async (_case, viewer, event, code) => {
      const [articleNumber] = await bookForPartner(1);
      const result = await record(viewer, [{ articleNumber, ...event }]);
      expect(codesOf(result)).toEqual([code]);
    });

    it('lets a supervisor record at any office of the division, and an admin anywhere', async () => {
      const [a, b] = await bookForPartner(2);
      const bySupervisor = await record(VIEWERS.supervisor, [{ articleNumber: a, type: 'BAGGED', officeId: OFFICES.barodaHouse.id }]);
      expect(bySupervisor.errors).toBeUndefined();
      const byAdmin = await record(VIEWERS.admin, [{ articleNumber: b, type: 'ARRIVED_AT_DELIVERY_OFFICE', officeId: OFFICES.bazargate.id }]);
      expect(byAdmin.errors).toBeUndefined();
      expect(byAdmin.data.recordTrackingEvents.articles[0]).toMatchObject({ status: 'AT_DELIVERY_OFFICE', currentOffice: { id: OFFICES.bazargate.id } });
    });

    it('takes payment for a pay-later article: BOOKED and PAID', async () => {
      const articleNumber = await bookAtCounter(VIEWERS.clerk, { payment: 'LATER' });
      const result = await record(VIEWERS.clerk, [{ articleNumber, type: 'PAYMENT_RECEIVED' }]);
      expect(result.errors).toBeUndefined();
      expect(result.data.recordTrackingEvents).toMatchObject({
        events: [{ sequence: 1, type: 'PAYMENT_RECEIVED', statusAfter: 'BOOKED', office: null }],
        articles: [{ status: 'BOOKED', paymentStatus: 'PAID' }],
      });
    });

    it('answers a retried batch from the first time, and records once under concurrent retries', async () => {
      const numbers = await bookForPartner(10);
      const events = numbers.map((articleNumber) => ({ articleNumber, type: 'BAGGED' }));
      const key = newKey('retry');
      const before = await graph.count('tracking_event');
      const results = await Promise.all(Array.from({ length: 4 }, () => record(VIEWERS.clerk, events, key)));
      expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
      expect(results.filter((r) => !r.data.recordTrackingEvents.replayed)).toHaveLength(1);
      expect(await graph.count('tracking_event')).toBe(before + 10);
      const later = await record(VIEWERS.clerk, events, key);
      expect(later.data.recordTrackingEvents).toMatchObject({ replayed: true, events: expect.arrayContaining([expect.objectContaining({ type: 'BAGGED', sequence: 2 })]) });
      expect(later.data.recordTrackingEvents.events).toHaveLength(10);
      const changed = await record(VIEWERS.clerk, events.slice(1), key);
      expect(codesOf(changed)).toEqual(['CONFLICT']);
    });

    it('rolls the whole batch back when the transaction fails half-way', async () => {
      await armSaboteur(graph.db);
      const [articleNumber] = await bookForPartner(1);
      const before = { events: await graph.count('tracking_event'), claims: await graph.count('idempotency_record') };
      const silenced = jest.spyOn(console, 'error').mockImplementation(() => undefined);
      const result = await record(VIEWERS.saboteur, [{ articleNumber, type: 'BAGGED' }]);
      silenced.mockRestore();
      expect(codesOf(result)).toEqual(['INTERNAL_SERVER_ERROR']);
      expect({ events: await graph.count('tracking_event'), claims: await graph.count('idempotency_record') }).toEqual(before);
      const tracked = await graph.run(VIEWERS.public, TRACK, { numbers: [articleNumber] });
      expect(tracked.data.trackArticles[0].status).toBe('BOOKED');
    });
  });

  describe('reading', () => {
    it('tracks 500 articles in input order with a constant number of queries', async () => {
      const numbers = await bookForPartner(500);
      const unknown = format('EE', 99_999_991);
      graph.queries.length = 0;
      const few = await graph.run(VIEWERS.public, TRACK, { numbers: numbers.slice(0, 5) });
      const fewQueries = graph.queries.length;
      graph.queries.length = 0;
      const asked = [...numbers.slice(0, 250), unknown, ...numbers.slice(250, 499)];
      const many = await graph.run(VIEWERS.public, TRACK, { numbers: asked });
      expect(few.errors).toBeUndefined();
      expect(many.errors).toBeUndefined();
      expect(many.data.trackArticles).toHaveLength(500);
      expect(many.data.trackArticles.map((a: { articleNumber: string } | null) => a?.articleNumber ?? null)).toEqual(asked.map((n) => (n === unknown ? null : n)));
      // One query for the articles, one for all their events.
      expect(graph.queries.length).toBe(2);
      expect(fewQueries).toBe(2);
    }, 60_000);

    it('finds an article by a number written with spaces and in lower case, and null for an unknown one', async () => {
      const articleNumber = await bookAtCounter();
      const spaced = `${articleNumber.slice(0, 2).toLowerCase()} ${articleNumber.slice(2, 5)} ${articleNumber.slice(5, 8)} ${articleNumber.slice(8, 11)} ${articleNumber.slice(11).toLowerCase()}`;
      const found = await graph.run(VIEWERS.public, `query ($n: String!) { article(articleNumber: $n) { articleNumber } }`, { n: spaced });
      expect(found.data.article).toEqual({ articleNumber });
      // Any service indicator and country are well-formed: a foreign number is simply not ours.
      const foreign = await graph.run(VIEWERS.public, `{ article(articleNumber: "${format('RR', 12_345_678, 'US')}") { articleNumber } }`);
      expect(foreign.errors).toBeUndefined();
      expect(foreign.data.article).toBeNull();
    });

    it.each([
      ['a wrong check digit', 'EE123456789IN'],
      ['too few digits', 'EE12345678IN'],
      ['digits for letters', '12123456785IN'],
    ])('refuses %s with BAD_USER_INPUT', async (_case, articleNumber) => {
      const result = await graph.run(VIEWERS.public, `query ($n: String!) { article(articleNumber: $n) { articleNumber } }`, { n: articleNumber });
      expect(codesOf(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0]!.extensions!.field).toBe('articleNumber');
    });

    it('refuses malformed numbers in trackArticles, listing their indexes, and more than 500', async () => {
      const good = format('EE', 1);
      const result = await graph.run(VIEWERS.public, TRACK, { numbers: [good, 'EE123456789IN', good, 'nonsense'] });
      expect(codesOf(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0]!.extensions!.invalidIndexes).toEqual([1, 3]);
      const tooMany = await graph.run(VIEWERS.public, TRACK, { numbers: Array.from({ length: 501 }, () => good) });
      expect(codesOf(tooMany)).toEqual(['BAD_USER_INPUT']);
    });

    it('shows the public where an article is, but no personal data or charges', async () => {
      const articleNumber = await bookAtCounter(VIEWERS.clerk, { senderCustomerId: CUSTOMER_A });
      const result = await graph.run(VIEWERS.public, `query ($n: String!) { article(articleNumber: $n) { ${ARTICLE_FIELDS} } }`, { n: articleNumber });
      expect(result.errors).toBeUndefined();
      expect(result.data.article).toMatchObject({
        status: 'BOOKED',
        expectedDeliveryDate: '2026-12-02',
        bookingOffice: { id: OFFICES.barodaHouse.id },
        events: [expect.objectContaining({ type: 'BOOKED', office: { id: OFFICES.barodaHouse.id } })],
        sender: null,
        recipient: null,
        charges: null,
        services: null,
        declaredValuePaise: null,
        codAmountPaise: null,
        paymentMode: null,
        paymentStatus: null,
      });
      // The sender customer sees it all; another customer does not.
      const own = await graph.run(customer(CUSTOMER_A), `query ($n: String!) { article(articleNumber: $n) { sender { name customer { id } } charges { totalPaise } } }`, { n: articleNumber });
      expect(own.data.article).toEqual({ sender: { name: 'Vikram Singh', customer: { id: CUSTOMER_A } }, charges: { totalPaise: 5546 } });
      const other = await graph.run(customer(CUSTOMER_B), `query ($n: String!) { article(articleNumber: $n) { sender { name } charges { totalPaise } } }`, { n: articleNumber });
      expect(other.data.article).toEqual({ sender: null, charges: null });
    });

    it("keeps partner B out of partner A's articles' personal fields", async () => {
      const [articleNumber] = await bookForPartner(1, 'ptn_a');
      const query = `query ($n: String!) { article(articleNumber: $n) { status sender { name } recipient { name phone } charges { totalPaise } paymentStatus } }`;
      const mine = await graph.run(partner('ptn_a'), query, { n: articleNumber });
      expect(mine.data.article).toMatchObject({ status: 'BOOKED', sender: { name: 'Warehouse 0' }, recipient: { name: 'Customer 0' }, paymentStatus: 'ON_ACCOUNT' });
      const theirs = await graph.run(partner('ptn_b'), query, { n: articleNumber });
      expect(theirs.data.article).toEqual({ status: 'BOOKED', sender: null, recipient: null, charges: null, paymentStatus: null });
    });

    it('shows a postman the recipient only while the article is at the postman\'s office', async () => {
      const articleNumber = await bookAtCounter();
      const query = `query ($n: String!) { article(articleNumber: $n) { sender { name } recipient { name } } }`;
      expect((await graph.run(VIEWERS.postman, query, { n: articleNumber })).data.article).toEqual({ sender: null, recipient: { name: 'Asha Rao' } });
      expect((await graph.run(VIEWERS.bazargatePostman, query, { n: articleNumber })).data.article).toEqual({ sender: null, recipient: null });
    });

    it('resolves Article references for the gateway in one batch', async () => {
      const numbers = await bookForPartner(3);
      graph.queries.length = 0;
      const result = await graph.run(VIEWERS.public, `query ($representations: [_Any!]!) { _entities(representations: $representations) {
        ... on Article { articleNumber status } } }`, {
        representations: [...numbers, format('EE', 99_999_992)].map((articleNumber) => ({ __typename: 'Article', articleNumber })),
      });
      expect(result.errors).toBeUndefined();
      expect(result.data._entities.map((a: { articleNumber: string } | null) => a?.articleNumber ?? null)).toEqual([...numbers, null]);
      expect(graph.queries.length).toBe(1);
    });

    it("lists a customer's articles newest first: for the customer, counter staff, and a partner only its own", async () => {
      const byClerk = await bookAtCounter(VIEWERS.clerk, { senderCustomerId: CUSTOMER_B });
      const byPartner = await bookForPartner(4, 'ptn_b', { senderCustomerId: CUSTOMER_B });
      const list = (viewer: Viewer, after?: string) =>
        graph.run(viewer, `query ($representations: [_Any!]!, $after: String) { _entities(representations: $representations) {
          ... on Customer { articles(first: 3, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { articleNumber } } } } }`, {
          representations: [{ __typename: 'Customer', id: CUSTOMER_B }],
          after,
        });
      const all = [byClerk, ...byPartner];
      const first = await list(customer(CUSTOMER_B));
      expect(first.errors).toBeUndefined();
      const page1 = first.data._entities[0].articles;
      expect(page1.totalCount).toBe(5);
      expect(page1.pageInfo.hasNextPage).toBe(true);
      const second = (await list(customer(CUSTOMER_B), page1.pageInfo.endCursor)).data._entities[0].articles;
      const listed = [...page1.nodes, ...second.nodes].map((a: { articleNumber: string }) => a.articleNumber);
      expect(listed).toHaveLength(5);
      expect([...listed].sort()).toEqual([...all].sort());
      expect(second.pageInfo.hasNextPage).toBe(false);

      expect((await list(VIEWERS.supervisor)).data._entities[0].articles.totalCount).toBe(5);
      const partnerView = (await list(partner('ptn_b'))).data._entities[0].articles;
      expect(partnerView.totalCount).toBe(4);
      expect(codesOf(await list(partner('ptn_a')))).toEqual([]);
      expect((await list(partner('ptn_a'))).data._entities[0].articles.totalCount).toBe(0);
      expect(codesOf(await list(customer(CUSTOMER_A)))).toEqual(['FORBIDDEN']);
      expect(codesOf(await list(VIEWERS.public))).toEqual(['UNAUTHENTICATED']);
      expect(codesOf(await list(VIEWERS.analyst))).toEqual(['FORBIDDEN']);
    });

    it("lists an office's booked articles for its staff, its division's supervisor and admins", async () => {
      const office = staff('COUNTER_CLERK', { id: '110002-darya-ganj', divisionId: 'delhi/new-delhi-central' });
      const booked = [await bookAtCounter(office), await bookAtCounter(office), await bookAtCounter(office)];
      const list = (viewer: Viewer) =>
        graph.run(viewer, ENTITIES, { representations: [{ __typename: 'Office', id: '110002-darya-ganj' }] });
      const mine = await list(office);
      expect(mine.errors).toBeUndefined();
      const page = mine.data._entities[0].bookedArticles;
      expect(page.totalCount).toBe(3);
      expect(page.pageInfo.hasNextPage).toBe(true);
      expect(page.edges.map((e: { node: { articleNumber: string } }) => e.node.articleNumber)).toEqual([...booked].sort().reverse().slice(0, 2));
      expect((await list(VIEWERS.supervisor)).errors).toBeUndefined();
      expect((await list(VIEWERS.admin)).errors).toBeUndefined();
      expect(codesOf(await list(VIEWERS.clerk))).toEqual(['FORBIDDEN']);
      expect(codesOf(await list(partner('ptn_a')))).toEqual(['FORBIDDEN']);
      expect(codesOf(await list(VIEWERS.public))).toEqual(['UNAUTHENTICATED']);
    });
  });
});
