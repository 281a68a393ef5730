import { createServer, type Server, type ServerResponse } from 'node:http';
import { INTERNAL_SIGNATURE_HEADER, PUBLIC_VIEWER, verifyInternalCall, type StaffRole, type Viewer } from '@dakgraph/auth';
import { createTestDatabase, openDatabase, type Database } from '@dakgraph/db';
import { close, listen } from '@dakgraph/graphql-kit';
import { bookingPartiesRoute, customerOwnersRoute, partnerTermsRoute } from '@dakgraph/internal-api';
import type { GraphQLFormattedError } from 'graphql';
import { createArticlesSubgraph, createContext, prepareArticlesDatabase, type ArticlesSubgraph, type ArticlesSubgraphOptions } from '../src/server';
import type { PartnerTerms } from '../src/services/partnerTerms';

export const TEST_IDENTITY_SECRET = 'articles-test-identity-secret-0123456789abcdef';
/** The deployment secret delivery OTPs are derived with; tests derive the OTPs themselves with it. */
export const TEST_OTP_SECRET = 'articles-test-delivery-otp-secret-0123456789abcdef';
export const ENGINES = ['PGlite', 'PostgreSQL'] as const;

/** Wednesday 25 November 2026, 11:30 IST: the fixed clock every test books at (tariff IN-DOMESTIC-2025-10-01). */
export const NOW = new Date('2026-11-25T06:00:00.000Z');

// Real offices of the directory, with their divisions as the reference import derives them.
export const OFFICES = {
  barodaHouse: { id: '110001-baroda-house', divisionId: 'delhi/new-delhi-central', pincode: '110001' },
  janpath: { id: '110001-janpath', divisionId: 'delhi/new-delhi-central', pincode: '110001' },
  mumbaiGpo: { id: '400001-mumbai', divisionId: 'mumbai/mumbai-g-p-o', pincode: '400001' },
  bazargate: { id: '400001-bazargate', divisionId: 'mumbai/mumbai-south', pincode: '400001' },
} as const;

export const staff = (role: StaffRole, office: { id: string; divisionId: string } | null, id = `stf_${role.toLowerCase()}_${office?.id ?? 'none'}`): Viewer => ({
  kind: 'STAFF',
  id,
  role,
  officeId: office?.id ?? null,
  divisionId: office?.divisionId ?? null,
  partnerId: null,
  customerId: null,
});
export const partner = (partnerId: string): Viewer => ({ ...PUBLIC_VIEWER, kind: 'PARTNER', id: partnerId, partnerId });
export const customer = (customerId: string): Viewer => ({ ...PUBLIC_VIEWER, kind: 'CUSTOMER', id: customerId, customerId });

export const VIEWERS = {
  public: PUBLIC_VIEWER as Viewer,
  clerk: staff('COUNTER_CLERK', OFFICES.barodaHouse),
  supervisor: staff('SUPERVISOR', OFFICES.janpath),
  postman: staff('POSTMAN', OFFICES.barodaHouse),
  analyst: staff('ANALYST', OFFICES.barodaHouse),
  admin: staff('ADMIN', null),
  mumbaiClerk: staff('COUNTER_CLERK', OFFICES.mumbaiGpo),
  bazargateClerk: staff('COUNTER_CLERK', OFFICES.bazargate),
  bazargatePostman: staff('POSTMAN', OFFICES.bazargate),
  // Postmen with ids in the customers subgraph's form (assignForDelivery checks it), at the delivery office.
  beatPostman: staff('POSTMAN', OFFICES.bazargate, 'stf_01jd6x000000000000000000p1'),
  otherPostman: staff('POSTMAN', OFFICES.bazargate, 'stf_01jd6x000000000000000000p2'),
  bazargateSupervisor: staff('SUPERVISOR', OFFICES.bazargate),
  // Books with a trigger armed against it (see armSaboteur): its writes fail half-way.
  saboteur: staff('COUNTER_CLERK', OFFICES.barodaHouse, 'stf_saboteur'),
};

// Customer ids in the customers subgraph's format ("cus_" + 26 Crockford base32 characters).
export const CUSTOMER_A = 'cus_01jd6x0000000000000000000a';
export const CUSTOMER_B = 'cus_01jd6x0000000000000000000b';
/** The customers the double knows, with their partner: A is a walk-in customer, B belongs to partner B. */
export const CUSTOMER_OWNERS: Record<string, string | null> = { [CUSTOMER_A]: null, [CUSTOMER_B]: 'ptn_b' };

export const PARTNERS: Record<string, PartnerTerms> = {
  ptn_a: { partnerId: 'ptn_a', status: 'ACTIVE', discountBasisPoints: 1_000, codAllowed: true },
  ptn_b: { partnerId: 'ptn_b', status: 'ACTIVE', discountBasisPoints: 0, codAllowed: false },
  ptn_suspended: { partnerId: 'ptn_suspended', status: 'SUSPENDED', discountBasisPoints: 500, codAllowed: true },
};

/**
 * A test double of the customers subgraph's internal routes for articles (partner terms, customer
 * owners, booking parties; declared in @dakgraph/internal-api): a real HTTP server that checks the
 * signature and answers like the contracts (terms: 200 or 404 for an unknown partner; owners: the known
 * ids with their partner; parties: both, the partner null when unknown). `calls` lists the partners
 * whose terms were asked, by either route; `requests` counts every call. The real routes are covered by the customers tests (against
 * the same declarations) and the gateway's end-to-end test.
 */
export async function startPartnerTermsDouble(secret: string, partners: Record<string, PartnerTerms> = PARTNERS) {
  const calls: string[] = [];
  let requests = 0;
  const ownersOf = (ids: string[]) => ids.filter((id) => id in CUSTOMER_OWNERS).map((id) => ({ id, partnerId: CUSTOMER_OWNERS[id] }));
  const json = (res: ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      requests += 1;
      const signature = req.headers[INTERNAL_SIGNATURE_HEADER];
      const route = req.method === 'POST' ? req.url : null;
      if (route !== partnerTermsRoute.path && route !== customerOwnersRoute.path && route !== bookingPartiesRoute.path) {
        res.writeHead(404).end();
        return;
      }
      if (!verifyInternalCall(secret, body, Array.isArray(signature) ? signature[0] : signature)) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"bad signature"}');
        return;
      }
      if (route === customerOwnersRoute.path) {
        const { ids } = JSON.parse(body) as { ids: string[] };
        json(res, 200, { customers: ownersOf(ids) });
        return;
      }
      if (route === bookingPartiesRoute.path) {
        const { partnerId, customerIds } = JSON.parse(body) as { partnerId?: string; customerIds: string[] };
        if (partnerId !== undefined) calls.push(partnerId);
        json(res, 200, { partner: (partnerId !== undefined && partners[partnerId]) || null, customers: ownersOf(customerIds) });
        return;
      }
      const { partnerId } = JSON.parse(body) as { partnerId: string };
      calls.push(partnerId);
      const terms = partners[partnerId];
      if (!terms) {
        json(res, 404, { error: 'unknown partner' });
        return;
      }
      json(res, 200, terms);
    });
  });
  const port = await listen(server, 0, '127.0.0.1');
  return { url: `http://127.0.0.1:${port}`, calls, requests: () => requests, close: () => close(server) };
}

type Result = { data?: any; errors?: readonly GraphQLFormattedError[] };

/** A prepared articles subgraph on one engine, with a log of the SQL statements it runs. */
export interface ArticlesHarness {
  db: Database;
  subgraph: ArticlesSubgraph;
  queries: string[];
  terms: Awaited<ReturnType<typeof startPartnerTermsDouble>>;
  run(viewer: Viewer, query: string, variables?: Record<string, unknown>): Promise<Result>;
  count(table: 'article' | 'tracking_event' | 'idempotency_record'): Promise<number>;
  /** Row counts of everything a booking or an event batch writes, to prove what a request wrote (or did not). */
  written(): Promise<{ articles: number; events: number; claims: number }>;
  close(): Promise<void>;
}

export async function startArticles(
  engine: (typeof ENGINES)[number],
  options: Pick<ArticlesSubgraphOptions, 'maxDeliveryAttempts' | 'maxHoldDays' | 'now'> = {},
): Promise<ArticlesHarness> {
  const server = engine === 'PostgreSQL' ? await createTestDatabase('dakgraph_articles_test') : null;
  const db = await openDatabase(server ? { url: server.url, poolSize: 12 } : {});
  await prepareArticlesDatabase(db, { progress: false });
  const terms = await startPartnerTermsDouble(TEST_IDENTITY_SECRET);
  const queries: string[] = [];
  const subgraph = await createArticlesSubgraph(db, {
    identitySecret: TEST_IDENTITY_SECRET,
    customersUrl: `${terms.url}/graphql`,
    onQuery: (sql) => queries.push(sql),
    now: () => NOW,
    deliveryOtpSecret: TEST_OTP_SECRET,
    ...options,
  });
  const count: ArticlesHarness['count'] = async (table) => {
    const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM articles.${table}`);
    return row!.n;
  };
  return {
    db,
    subgraph,
    queries,
    terms,
    async run(viewer, query, variables) {
      const response = await subgraph.apollo.executeOperation(
        { query, variables },
        { contextValue: createContext(subgraph.prisma, viewer, subgraph.deps) },
      );
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      return response.body.singleResult as Result;
    },
    count,
    async written() {
      return { articles: await count('article'), events: await count('tracking_event'), claims: await count('idempotency_record') };
    },
    async close() {
      await subgraph.apollo.stop();
      // A test that listened started workers and housekeeping; their runs end before the database does.
      await subgraph.workersStopped();
      await subgraph.prisma.$disconnect();
      await terms.close();
      await db.close();
      await server?.drop();
    },
  };
}

/**
 * Arms a trigger that fails any tracking event recorded by the saboteur viewer: its booking or event
 * batch then fails after the articles (or the claim) were already inserted, which proves the rollback.
 * Test-only SQL, not a migration.
 */
export async function armSaboteur(db: Database): Promise<void> {
  await db.exec(`
    CREATE OR REPLACE FUNCTION articles.test_sabotage() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'sabotaged for a test';
    END $$;
    DROP TRIGGER IF EXISTS test_sabotage ON articles.tracking_event;
    CREATE TRIGGER test_sabotage BEFORE INSERT ON articles.tracking_event
      FOR EACH ROW WHEN (NEW.recorded_by = 'staff:stf_saboteur') EXECUTE FUNCTION articles.test_sabotage();`);
}

export const codesOf = (result: { errors?: readonly GraphQLFormattedError[] }) => (result.errors ?? []).map((error) => error.extensions?.code);

/** A recipient in Mumbai, a sender in Delhi. */
export const RECIPIENT = { name: 'Asha Rao', phone: '+91 98200 12345', addressLines: ['12 Marine Drive', 'Churchgate'], pincode: '400001' };
export const SENDER = { name: 'Vikram Singh', phone: '9811012345', addressLines: ['4 Janpath Lane'], pincode: '110001' };

export const ARTICLE_FIELDS = `articleNumber product status statusDescription bookedAt expectedDeliveryDate
  bookingOffice { id } currentOffice { id } originPincode destinationPincode weightGrams chargeableWeightGrams
  events { sequence type upuCode description occurredAt office { id } nextOffice { id } reason statusAfter }
  sender { name phone addressLines pincode digipin customer { id } }
  recipient { name phone addressLines pincode digipin }
  charges { tariffVersion totalPaise gstPaise basePaise discountPaise servicesPaise taxablePaise unconfirmedRates lineItems { code amountPaise description rateConfirmed } }
  services declaredValuePaise codAmountPaise paymentMode paymentStatus`;

export const BOOK_ARTICLE = `mutation ($input: BookingInput!, $key: String!) {
  bookArticle(input: $input, idempotencyKey: $key) { replayed article { ${ARTICLE_FIELDS} } } }`;

export const BOOK_ARTICLES = `mutation ($items: [BookingItemInput!]!, $key: String!) {
  bookArticles(items: $items, idempotencyKey: $key) { replayed count articles { articleNumber status paymentStatus bookingOffice { id } charges { totalPaise } } } }`;

export const RECORD_EVENTS = `mutation ($events: [TrackingEventInput!]!, $key: String!) {
  recordTrackingEvents(events: $events, idempotencyKey: $key) {
    replayed events { sequence type statusAfter office { id } nextOffice { id } reason description }
    articles { articleNumber status currentOffice { id } paymentStatus } } }`;

export const counterBooking = (overrides: Record<string, unknown> = {}) => ({
  sender: SENDER,
  recipient: RECIPIENT,
  product: 'SPEED_POST_DOCUMENT',
  weightGrams: 40,
  payment: 'CASH',
  ...overrides,
});

export const partnerItem = (i: number, overrides: Record<string, unknown> = {}) => ({
  pickupPincode: '110001',
  sender: { ...SENDER, name: `Warehouse ${i % 7}` },
  recipient: { ...RECIPIENT, name: `Customer ${i}`, addressLines: [`Flat ${i}`, 'Churchgate'] },
  product: i % 2 ? 'SPEED_POST_PARCEL' : 'SPEED_POST_DOCUMENT',
  weightGrams: 100 + (i % 400),
  ...overrides,
});

let keys = 0;
/** A fresh idempotency key. */
export const newKey = (label = 'key'): string => `${label}-${process.pid}-${++keys}-${Math.random().toString(36).slice(2, 10)}`;

/** Books `n` partner articles for Mumbai and receives them at the Bazargate delivery office; their numbers. */
export async function receivedAtBazargate(graph: ArticlesHarness, n: number, overrides: Record<string, unknown> = {}): Promise<string[]> {
  const booked = await graph.run(partner('ptn_a'), BOOK_ARTICLES, { items: Array.from({ length: n }, (_, i) => partnerItem(i, overrides)), key: newKey('book') });
  expect(booked.errors).toBeUndefined();
  const numbers: string[] = booked.data.bookArticles.articles.map((a: { articleNumber: string }) => a.articleNumber);
  const arrived = await graph.run(VIEWERS.bazargateClerk, RECORD_EVENTS, {
    events: numbers.map((articleNumber) => ({ articleNumber, type: 'ARRIVED_AT_DELIVERY_OFFICE' })),
    key: newKey('arrive'),
  });
  expect(arrived.errors).toBeUndefined();
  return numbers;
}
