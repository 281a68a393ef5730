import { isUniqueViolation } from '@dakgraph/graphql-kit';
import {
  ADMIN,
  CREATE_API_KEY,
  CREATE_CUSTOMER,
  ENGINES,
  REGISTER,
  codesOf,
  countOf,
  createPartner,
  newKey,
  startCustomers,
  type CustomersHarness,
} from './support';

/** How many copies of one request a client's retry loop (or a flaky counter link) may send at once. */
const RETRIES = 20;

/**
 * The shared idempotency (graphql-kit's IdempotencyStore) on this subgraph's real table, on both engines.
 * The requests carry an email because that is the hard case: a retry that arrives just after the first
 * commit finds the email taken, and must still be answered as a replay, not as "already registered".
 */
describe.each(ENGINES)('idempotency on %s', (engine) => {
  let graph: CustomersHarness;

  beforeAll(async () => {
    graph = await startCustomers(engine);
  }, 180_000);

  afterAll(async () => {
    await graph?.close();
  });

  const customersWithEmail = (email: string) => countOf(graph, 'SELECT count(*) FROM customers.customer WHERE lower(email) = lower($1)', [email]);
  const recordsOf = (key: string) => countOf(graph, 'SELECT count(*) FROM customers.idempotency_record WHERE "key" = $1', [key]);

  it(`creates a customer once when ${RETRIES} concurrent retries carry the same key`, async () => {
    const key = newKey('create');
    const email = `${key}@example.in`;
    const input = { kind: 'INDIVIDUAL', name: 'Meera Iyer', email, phone: '98450 12345' };
    const results = await Promise.all(Array.from({ length: RETRIES }, () => graph.run(CREATE_CUSTOMER, { input, key }, ADMIN)));
    expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
    expect(new Set(results.map((r) => r.data.createCustomer.id)).size).toBe(1);
    expect([await customersWithEmail(email), await recordsOf(key)]).toEqual([1, 1]);
  }, 120_000);

  it(`registers once when ${RETRIES} concurrent sign-ups carry the same key`, async () => {
    const key = newKey('register');
    const email = `${key}@example.in`;
    const input = { name: 'Kiran Rao', email, phone: '98450 54321', password: 'a long passphrase here' };
    const results = await Promise.all(Array.from({ length: RETRIES }, () => graph.run(REGISTER, { input, key })));
    expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
    expect(new Set(results.map((r) => r.data.registerCustomer.customer.id)).size).toBe(1);
    expect([await customersWithEmail(email), await recordsOf(key)]).toEqual([1, 1]);
  }, 120_000);

  it(`shows a new API key's secret once when ${RETRIES} concurrent retries carry the same key`, async () => {
    const partnerId = await createPartner(graph, `Retry Partner ${newKey()}`);
    const key = newKey('api-key');
    const results = await Promise.all(Array.from({ length: RETRIES }, () => graph.run(CREATE_API_KEY, { partnerId, label: 'warehouse', key }, ADMIN)));
    expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
    expect(new Set(results.map((r) => r.data.createApiKey.key.id)).size).toBe(1);
    expect(results.filter((r) => r.data.createApiKey.apiKey !== null)).toHaveLength(1);
    expect(await countOf(graph, 'SELECT count(*) FROM customers.api_key WHERE partner_id = $1', [partnerId])).toBe(1);
  }, 120_000);

  it('lets one of many concurrent sign-ups with one email but different keys win; the rest are CONFLICT', async () => {
    const email = `${newKey('race')}@example.in`;
    const input = { name: 'Same Email', email, phone: '98450 67890', password: 'a long passphrase here' };
    const results = await Promise.all(Array.from({ length: 8 }, () => graph.run(REGISTER, { input, key: newKey('racer') })));
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    expect(new Set(results.filter((r) => r.errors).flatMap(codesOf))).toEqual(new Set(['CONFLICT']));
    expect(await customersWithEmail(email)).toBe(1);
  }, 120_000);

  it("recognises this subgraph's unique violations, in and out of interactive transactions", async () => {
    const record = (key: string) => ({ principal: 'public', key, operation: 'test', requestHash: '0'.repeat(64), response: {} });
    const key = newKey('unique');
    await graph.subgraph.prisma.idempotencyRecord.create({ data: record(key) });
    const failureOf = async (work: () => PromiseLike<unknown>) => work().then(() => null, (error: unknown) => error);
    const plain = await failureOf(() => graph.subgraph.prisma.idempotencyRecord.create({ data: record(key) }));
    const inTransaction = await failureOf(() => graph.subgraph.prisma.$transaction((tx) => tx.idempotencyRecord.create({ data: record(key) })));
    const notUnique = await failureOf(() => graph.subgraph.prisma.$transaction((tx) => tx.$executeRawUnsafe('SELECT 1/0')));
    expect([isUniqueViolation(plain), isUniqueViolation(inTransaction), isUniqueViolation(notUnique)]).toEqual([true, true, false]);
  });
});
