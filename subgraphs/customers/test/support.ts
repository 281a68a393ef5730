import { PUBLIC_VIEWER, type StaffRole, type Viewer } from '@dakgraph/auth';
import { createTestDatabase, openDatabase, type Database } from '@dakgraph/db';
import type { GraphQLFormattedError } from 'graphql';
import { createCustomersSubgraph, prepareCustomersDatabase, type CustomersSubgraph, type CustomersSubgraphOptions } from '../src/server';

export const TEST_IDENTITY_SECRET = 'customers-test-identity-secret-0123456789abcdef';
export const TEST_JWT_SECRET = 'customers-test-jwt-secret-0123456789abcdef-0123';
/** WEBHOOK_SECRET_KEY for tests: 32 bytes in base64. */
export const TEST_WEBHOOK_SECRET_KEY = Buffer.alloc(32, 'customers-test-webhook-key').toString('base64');

export type Result = { data?: any; errors?: readonly GraphQLFormattedError[] };

/** A prepared customers subgraph on one engine, with a log of the SQL statements it runs. */
export interface CustomersHarness {
  db: Database;
  subgraph: CustomersSubgraph;
  queries: string[];
  /** Runs an operation as `viewer` (the public by default), as if the gateway had vouched for it. */
  run(query: string, variables?: Record<string, unknown>, viewer?: Viewer): Promise<Result>;
  close(): Promise<void>;
}

export const ENGINES = ['PGlite', 'PostgreSQL'] as const;

/** The subgraph's webhook options a test may change (the key is TEST_WEBHOOK_SECRET_KEY unless given). */
export type WebhookHarnessOptions = Pick<CustomersSubgraphOptions, 'webhookSecretKey' | 'webhookProduction' | 'resolveWebhookHost'>;

export async function startCustomers(engine: (typeof ENGINES)[number], webhooks: WebhookHarnessOptions = {}): Promise<CustomersHarness> {
  const server = engine === 'PostgreSQL' ? await createTestDatabase('dakgraph_customers_test') : null;
  const db = await openDatabase(server ? { url: server.url } : {});
  await prepareCustomersDatabase(db, { progress: false, log: () => undefined });
  const queries: string[] = [];
  const subgraph = await createCustomersSubgraph(db, {
    identitySecret: TEST_IDENTITY_SECRET,
    jwtSecret: TEST_JWT_SECRET,
    onQuery: (sql) => queries.push(sql),
    webhookSecretKey: TEST_WEBHOOK_SECRET_KEY,
    ...webhooks,
  });
  return {
    db,
    subgraph,
    queries,
    async run(query, variables, viewer = PUBLIC_VIEWER) {
      const response = await subgraph.apollo.executeOperation({ query, variables }, { contextValue: subgraph.contextFor(viewer) });
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      return response.body.singleResult as Result;
    },
    async close() {
      await subgraph.apollo.stop();
      await subgraph.prisma.$disconnect();
      await db.close();
      await server?.drop();
    },
  };
}

export const codesOf = (result: Result) => (result.errors ?? []).map((error) => error.extensions?.code);
export const fieldsOf = (result: Result) => (result.errors ?? []).map((error) => error.extensions?.field);

/** Fails with the errors in the message when an operation that should succeed did not. */
export function ok(result: Result): any {
  if (result.errors?.length) throw new Error(`unexpected errors: ${JSON.stringify(result.errors)}`);
  return result.data;
}

const nobody = { id: null, role: null, officeId: null, divisionId: null, partnerId: null, customerId: null };

// Real offices of the directory: two in one division, one in another.
export const OFFICES = {
  connaughtPlace: { id: '110001-connaught-place', divisionId: 'delhi/new-delhi-central' },
  barodaHouse: { id: '110001-baroda-house', divisionId: 'delhi/new-delhi-central' },
  bazargate: { id: '400001-bazargate', divisionId: 'mumbai/mumbai-south' },
} as const;

export function staffAs(role: StaffRole, office: { id: string; divisionId: string } = OFFICES.connaughtPlace, id = `stf_test_${role.toLowerCase()}`): Viewer {
  return { ...nobody, kind: 'STAFF', id, role, officeId: office.id, divisionId: office.divisionId };
}
export const partnerAs = (partnerId: string): Viewer => ({ ...nobody, kind: 'PARTNER', id: partnerId, partnerId });
export const customerAs = (customerId: string): Viewer => ({ ...nobody, kind: 'CUSTOMER', id: customerId, customerId });

let keyCounter = 0;
/** A fresh idempotency key. */
export const newKey = (label = 'test') => `${label}-${process.pid}-${Date.now()}-${++keyCounter}`;

export const PARTNER_INPUT = {
  name: 'Dakshin Marketplace Pvt Ltd',
  contactEmail: 'ops@dakshin.example.in',
  discountBasisPoints: 750,
  codAllowed: true,
  remittanceAccount: { holder: 'Dakshin Marketplace Pvt Ltd', accountNumber: '1234 5678 9012', ifsc: 'sbin0001234' },
};

export const CREATE_PARTNER = `mutation ($input: CreatePartnerInput!, $key: String!) {
  createPartner(input: $input, idempotencyKey: $key) { id name status contract { discountBasisPoints codAllowed
    remittanceAccount { holder accountNumberLast4 ifsc } } } }`;

export const CREATE_CUSTOMER = `mutation ($input: CreateCustomerInput!, $key: String!) {
  createCustomer(input: $input, idempotencyKey: $key) { id kind name email phone partner { id } } }`;

export const REGISTER = `mutation ($input: RegisterCustomerInput!, $key: String!) {
  registerCustomer(input: $input, idempotencyKey: $key) { token expiresAt customer { id kind name email phone } } }`;

export const LOGIN = `mutation ($email: String!, $password: String!) {
  login(email: $email, password: $password) { token expiresAt viewer { kind role
    staff { id name email role office { id } } customer { id name email } } } }`;

export const CREATE_STAFF = `mutation ($input: CreateStaffUserInput!, $key: String!) {
  createStaffUser(input: $input, idempotencyKey: $key) { id name email role office { id } } }`;

export const CREATE_API_KEY = `mutation ($partnerId: ID!, $label: String!, $key: String!) {
  createApiKey(partnerId: $partnerId, label: $label, idempotencyKey: $key) { apiKey key { id prefix label revokedAt } } }`;

export const ADMIN = staffAs('ADMIN');

/** Creates a partner as an admin and returns its id. */
export async function createPartner(graph: CustomersHarness, name: string): Promise<string> {
  const data = ok(await graph.run(CREATE_PARTNER, { input: { ...PARTNER_INPUT, name }, key: newKey('partner') }, ADMIN));
  return data.createPartner.id;
}

/** The number a `SELECT count(*) ...` answers. */
export async function countOf(graph: Pick<CustomersHarness, 'db'>, sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await graph.db.query<{ count: string | number }>(sql, params);
  return Number(row?.count);
}
