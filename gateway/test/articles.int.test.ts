import { isValid as isValidS10 } from '@dakgraph/s10';
import { createAdmin } from '@dakgraph/customers/cli/createAdmin';
import { staffLogin, startGateway, startSubgraphs, type RunningGateway, type RunningSubgraphs } from './support/graph';

/**
 * Issue 5 through the gateway over HTTP: a counter clerk books, a partner books in bulk with its API key
 * (its contract read live from the customers subgraph), retries change nothing, staff record movement
 * and anyone tracks, without seeing personal data.
 */
const PASSWORD = 'a long enough passphrase for tests';
const codes = (body: { errors?: { extensions?: { code?: string } }[] }) => (body.errors ?? []).map((e) => e.extensions?.code);
const party = (name: string, pincode: string) => ({ name, phone: '+919812345678', addressLines: ['12 Janpath'], pincode });

describe('booking, movement and tracking through the gateway', () => {
  let subgraphs: RunningSubgraphs;
  let graph: RunningGateway;
  const tokens: Record<'admin' | 'clerk' | 'postman', string> = { admin: '', clerk: '', postman: '' };
  let apiKey = '';

  const as = (who: keyof typeof tokens) => ({ authorization: `Bearer ${tokens[who]}` });
  const login = async (email: string) => (await staffLogin(graph, email, PASSWORD)).token;

  beforeAll(async () => {
    subgraphs = await startSubgraphs();
    graph = await startGateway(subgraphs);
    await createAdmin(['--email', 'admin@dakgraph.test', '--name', 'Asha Admin', '--office', '110001-baroda-house'], {
      env: { DAKGRAPH_ADMIN_PASSWORD: PASSWORD }, readPassword: async () => PASSWORD, out: () => undefined, err: () => undefined, db: subgraphs.db,
    });
    tokens.admin = await login('admin@dakgraph.test');
    for (const [role, office, email] of [
      ['COUNTER_CLERK', '110001-baroda-house', 'clerk@dakgraph.test'],
      ['POSTMAN', '400001-mumbai', 'postman@dakgraph.test'],
    ] as const) {
      const made = await graph.post(
        {
          query: 'mutation ($input: CreateStaffUserInput!, $key: String!) { createStaffUser(input: $input, idempotencyKey: $key) { id } }',
          variables: { input: { name: role, email, password: PASSWORD, role, officeId: office }, key: `staff-${role}` },
        },
        as('admin'),
      );
      expect(made.body.errors).toBeUndefined();
    }
    tokens.clerk = await login('clerk@dakgraph.test');
    tokens.postman = await login('postman@dakgraph.test');
    const partner = await graph.post(
      {
        query: `mutation { createPartner(idempotencyKey: "partner-0001", input: { name: "Acme Shop", contactEmail: "ops@acme.test",
          discountBasisPoints: 1000, codAllowed: true,
          remittanceAccount: { holder: "Acme", accountNumber: "123456789012", ifsc: "SBIN0000691" } }) { id } }`,
      },
      as('admin'),
    );
    const key = await graph.post(
      { query: 'mutation ($id: ID!) { createApiKey(partnerId: $id, label: "wms", idempotencyKey: "apikey-0001") { apiKey } }', variables: { id: partner.body.data.createPartner.id } },
      as('admin'),
    );
    apiKey = key.body.data.createApiKey.apiKey;
  }, 240_000);

  afterAll(async () => {
    await graph?.stop();
    await subgraphs?.stop();
  });

  const bookAtCounter = (key: string, weightGrams = 200) =>
    graph.post(
      {
        query: `mutation ($input: BookingInput!, $key: String!) { bookArticle(input: $input, idempotencyKey: $key) {
          replayed article { articleNumber status bookingOffice { id name } charges { totalPaise } expectedDeliveryDate } } }`,
        variables: {
          key,
          input: { sender: party('Meera', '110001'), recipient: party('Arjun', '400001'), product: 'SPEED_POST_DOCUMENT', weightGrams, payment: 'CASH' },
        },
      },
      as('clerk'),
    );

  const bulkItems = (count: number, weightGrams = 300) =>
    Array.from({ length: count }, (_, i) => ({
      pickupPincode: '110001', sender: party('Acme Warehouse', '110001'), recipient: party(`Buyer ${i}`, '560001'),
      product: 'SPEED_POST_PARCEL', weightGrams,
    }));
  const bookBulk = (items: unknown[], key: string) =>
    graph.post(
      {
        query: 'mutation ($items: [BookingItemInput!]!, $key: String!) { bookArticles(items: $items, idempotencyKey: $key) { count replayed articles { articleNumber status } } }',
        variables: { items, key },
      },
      { 'x-api-key': apiKey },
    );

  it('books at the counter, and a retry with the same key books nothing new', async () => {
    const first = await bookAtCounter('counter-0001');
    expect(first.body.errors).toBeUndefined();
    const article = first.body.data.bookArticle.article;
    expect(isValidS10(article.articleNumber)).toBe(true);
    expect(article).toMatchObject({ status: 'BOOKED', bookingOffice: { id: '110001-baroda-house', name: 'Baroda House' } });
    expect(article.charges.totalPaise).toBeGreaterThan(0);
    const retry = await bookAtCounter('counter-0001');
    expect(retry.body.data.bookArticle).toMatchObject({ replayed: true, article: { articleNumber: article.articleNumber } });
    const conflict = await bookAtCounter('counter-0001', 400);
    expect(codes(conflict.body)).toEqual(['CONFLICT']);
  });

  it('books in bulk for a partner, idempotently', async () => {
    const items = bulkItems(50);
    const first = await bookBulk(items, 'bulk-0001');
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data.bookArticles.count).toBe(50);
    const numbers = first.body.data.bookArticles.articles.map((a: { articleNumber: string }) => a.articleNumber);
    expect(numbers.every(isValidS10)).toBe(true);
    const retry = await bookBulk(items, 'bulk-0001');
    expect(retry.body.data.bookArticles.replayed).toBe(true);
    expect(retry.body.data.bookArticles.articles.map((a: { articleNumber: string }) => a.articleNumber)).toEqual(numbers);
  });

  it('gives 20 concurrent bulk bookings distinct, valid numbers', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => bookBulk(bulkItems(25), `concurrent-${i}-key`)));
    const numbers = results.flatMap((r) => r.body.data.bookArticles.articles.map((a: { articleNumber: string }) => a.articleNumber));
    expect(numbers).toHaveLength(500);
    expect(new Set(numbers).size).toBe(500);
    expect(numbers.every(isValidS10)).toBe(true);
  });

  it('records movement in batches and anyone can track, without personal data', async () => {
    const { articleNumber } = (await bookAtCounter('counter-track-1')).body.data.bookArticle.article;
    const record = (events: object[], who: keyof typeof tokens, key: string) =>
      graph.post(
        {
          query: 'mutation ($events: [TrackingEventInput!]!, $key: String!) { recordTrackingEvents(events: $events, idempotencyKey: $key) { articles { status } } }',
          variables: { events, key },
        },
        as(who),
      );
    const outward = await record(
      [{ articleNumber, type: 'BAGGED' }, { articleNumber, type: 'BAG_DISPATCHED', nextOfficeId: '400001-mumbai' }],
      'clerk', 'move-0001',
    );
    expect(outward.body.errors).toBeUndefined();
    expect((await record([{ articleNumber, type: 'ARRIVED_AT_DELIVERY_OFFICE', officeId: '400001-mumbai' }], 'admin', 'move-0002')).body.errors).toBeUndefined();
    const delivery = await record([{ articleNumber, type: 'OUT_FOR_DELIVERY' }, { articleNumber, type: 'DELIVERED' }], 'postman', 'move-0003');
    expect(delivery.body.errors).toBeUndefined();

    const tracked = await graph.post({
      query: `query ($n: String!) { article(articleNumber: $n) { status expectedDeliveryDate sender { name phone } recipient { name }
        events { type upuCode description office { name } nextOffice { id } } } }`,
      variables: { n: ` ${articleNumber.toLowerCase()} ` },
    });
    expect(tracked.body.errors).toBeUndefined();
    const article = tracked.body.data.article;
    expect(article.status).toBe('DELIVERED');
    expect(article.sender).toBeNull();
    expect(article.recipient).toBeNull();
    expect(article.events.map((e: { upuCode: string | null }) => e.upuCode)).toEqual(expect.arrayContaining(['EMA', 'EMG', 'EDG', 'EMI']));
    expect(article.events.find((e: { type: string }) => e.type === 'BAG_DISPATCHED').nextOffice).toEqual({ id: '400001-mumbai' });
    expect(article.events.find((e: { type: string }) => e.type === 'DELIVERED').office.name).toBe('Mumbai');
  });

  it.each([
    ['a wrong check digit', { query: '{ article(articleNumber: "EE123456780IN") { status } }' }, 'BAD_USER_INPUT'],
    ['an unknown pincode', null, 'BAD_USER_INPUT'],
    ['a negative weight', null, 'BAD_USER_INPUT'],
  ])('refuses %s with a code and writes nothing', async (what, request, code) => {
    const before = await subgraphs.db.query<{ n: number }>('SELECT count(*)::int AS n FROM articles.article');
    const response = request
      ? await graph.post(request)
      : what === 'an unknown pincode'
        ? await bookBulk([{ ...bulkItems(1)[0], recipient: party('X', '999999') }], `bad-pin-${Date.now()}`)
        : await bookBulk(bulkItems(1, -5), `bad-weight-${Date.now()}`);
    expect(codes(response.body)).toEqual([code]);
    expect(response.body.errors[0].message.length).toBeGreaterThan(10);
    const after = await subgraphs.db.query<{ n: number }>('SELECT count(*)::int AS n FROM articles.article');
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it('refuses 1,001 items before booking any', async () => {
    const { body } = await bookBulk(bulkItems(1001), 'too-many-0001');
    expect(codes(body)).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses an impossible transition and leaves the article as it was', async () => {
    const { articleNumber } = (await bookAtCounter('counter-impossible')).body.data.bookArticle.article;
    const { body } = await graph.post(
      { query: 'mutation ($e: [TrackingEventInput!]!) { recordTrackingEvents(events: $e, idempotencyKey: "impossible-1") { replayed } }', variables: { e: [{ articleNumber, type: 'DELIVERED' }] } },
      as('clerk'),
    );
    expect(codes(body)).toEqual(['BAD_USER_INPUT']);
    const tracked = await graph.post({ query: `{ article(articleNumber: "${articleNumber}") { status } }` });
    expect(tracked.body.data.article.status).toBe('BOOKED');
  });
});
