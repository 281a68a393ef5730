import { createAdmin } from '@dakgraph/customers';
import { startGateway, startSubgraphs, type RunningGateway, type RunningSubgraphs } from './support/graph';

/**
 * Issue 4's promises, through the gateway over HTTP as real clients call it: an admin bootstrapped by
 * the CLI logs in, creates two partners with API keys; each partner sees only its own customers; the
 * public sees no personal data; a revoked key is refused; secrets never reach the database or the logs.
 */
const ADMIN_PASSWORD = 'correct horse battery staple dak';
const codes = (body: { errors?: { extensions?: { code?: string } }[] }) => (body.errors ?? []).map((e) => e.extensions?.code);

describe('customers, partners and access through the gateway', () => {
  let subgraphs: RunningSubgraphs;
  let graph: RunningGateway;
  const logged: string[] = [];
  const spies = (['log', 'info', 'warn', 'error'] as const).map((level) =>
    jest.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      logged.push(args.map(String).join(' '));
    }),
  );
  let adminToken: string;
  const partners: { id: string; apiKey: string; keyId: string; customerId: string }[] = [];

  const asAdmin = (query: string, variables?: object) => graph.post({ query, variables }, { authorization: `Bearer ${adminToken}` });

  beforeAll(async () => {
    subgraphs = await startSubgraphs();
    // Only the last partner is revoked in a test; a 0 s cache lets the refusal show at once.
    graph = await startGateway(subgraphs, { apiKeyCacheSeconds: 0 });
    const status = await createAdmin(['--email', 'admin@dakgraph.test', '--name', 'Asha Admin', '--office', '110001-baroda-house'], {
      env: { DAKGRAPH_ADMIN_PASSWORD: ADMIN_PASSWORD },
      readPassword: async () => ADMIN_PASSWORD,
      out: () => undefined,
      err: () => undefined,
      db: subgraphs.db,
    });
    expect(status).toBe(0);
    const login = await graph.post({
      query: 'mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { token viewer { kind role } } }',
      variables: { email: 'admin@dakgraph.test', password: ADMIN_PASSWORD },
    });
    expect(login.body.data.login.viewer).toEqual({ kind: 'STAFF', role: 'ADMIN' });
    adminToken = login.body.data.login.token;

    for (const [index, name] of ['Flipkart Logistics', 'Meesho Supply'].entries()) {
      const partner = await asAdmin(
        `mutation ($input: CreatePartnerInput!, $key: String!) { createPartner(input: $input, idempotencyKey: $key) { id } }`,
        {
          input: {
            name, contactEmail: `ops${index}@partner.test`, discountBasisPoints: 500, codAllowed: true,
            remittanceAccount: { holder: name, accountNumber: '123456789012', ifsc: 'SBIN0000691' },
          },
          key: `partner-${index}-0001`,
        },
      );
      const partnerId = partner.body.data.createPartner.id;
      const key = await asAdmin(
        'mutation ($id: ID!, $key: String!) { createApiKey(partnerId: $id, label: "warehouse", idempotencyKey: $key) { apiKey key { id prefix } } }',
        // Idempotency keys are per caller: the admin needs a fresh one for each partner's key.
        { id: partnerId, key: `api-key-${index}-0001` },
      );
      const apiKey = key.body.data.createApiKey.apiKey;
      const customer = await graph.post(
        {
          query: 'mutation ($input: CreateCustomerInput!) { createCustomer(input: $input, idempotencyKey: "customer-0001") { id name } }',
          variables: { input: { kind: 'INDIVIDUAL', name: `Ravi of ${name}`, phone: '+919812345678' } },
        },
        { 'x-api-key': apiKey },
      );
      expect(customer.body.errors).toBeUndefined();
      partners.push({ id: partnerId, apiKey, keyId: key.body.data.createApiKey.key.id, customerId: customer.body.data.createCustomer.id });
    }
  }, 240_000);

  afterAll(async () => {
    await graph?.stop();
    await subgraphs?.stop();
    spies.forEach((spy) => spy.mockRestore());
  });

  const customerQuery = 'query ($id: ID!) { customer(id: $id) { id name phone addresses { line1 } } }';

  it('lets a partner read its own customer with its API key', async () => {
    const [a] = partners;
    const { body } = await graph.post({ query: customerQuery, variables: { id: a!.customerId } }, { 'x-api-key': a!.apiKey });
    expect(body.data.customer).toMatchObject({ id: a!.customerId, name: 'Ravi of Flipkart Logistics', phone: '+919812345678' });
  });

  it("refuses partner A partner B's customer, and never shows the data", async () => {
    const [a, b] = partners;
    const { body } = await graph.post({ query: customerQuery, variables: { id: b!.customerId } }, { 'x-api-key': a!.apiKey });
    expect(codes(body)).toEqual(['FORBIDDEN']);
    expect(JSON.stringify(body)).not.toContain('Meesho');
    expect(body.data?.customer ?? null).toBeNull();
  });

  it('shows the public no personal field', async () => {
    const { body } = await graph.post({ query: customerQuery, variables: { id: partners[0]!.customerId } });
    expect(codes(body)).toEqual(['FORBIDDEN']);
    expect(JSON.stringify(body)).not.toMatch(/Ravi|9812345678/);
    const listing = await graph.post({ query: '{ customers { totalCount nodes { name } } }' });
    expect(codes(listing.body)).toEqual(['FORBIDDEN']);
  });

  it('lists for each partner only its own customers', async () => {
    for (const partner of partners) {
      const { body } = await graph.post({ query: '{ customers { totalCount nodes { id } } }' }, { 'x-api-key': partner.apiKey });
      expect(body.data.customers.nodes.map((c: { id: string }) => c.id)).toEqual([partner.customerId]);
    }
  });

  it('refuses a revoked API key with UNAUTHENTICATED', async () => {
    const b = partners[1]!;
    const revoked = await asAdmin('mutation ($id: ID!) { revokeApiKey(id: $id) { revokedAt } }', { id: b.keyId });
    expect(revoked.body.data.revokeApiKey.revokedAt).toBeTruthy();
    const { status, body } = await graph.post({ query: '{ viewer { kind } }' }, { 'x-api-key': b.apiKey });
    expect(status).toBe(401);
    expect(codes(body)).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses a wrong password without saying which part was wrong', async () => {
    const attempt = async (email: string) =>
      (await graph.post({ query: `mutation { login(email: "${email}", password: "not the password at all") { token } }` })).body;
    const wrongPassword = await attempt('admin@dakgraph.test');
    const unknownEmail = await attempt('nobody@dakgraph.test');
    expect(codes(wrongPassword)).toEqual(['UNAUTHENTICATED']);
    expect(wrongPassword.errors[0].message).toMatch(/email or password is wrong/);
    expect(wrongPassword.errors[0].message).toBe(unknownEmail.errors[0].message);
    // The subgraph's own error comes through, not the gateway's record of an internal call.
    expect(JSON.stringify(wrongPassword)).not.toMatch(/127\.0\.0\.1|"response"/);
  });

  it('keeps passwords and API keys out of the database and the logs', async () => {
    const secrets = [ADMIN_PASSWORD, ...partners.map((p) => p.apiKey)];
    const columns = await subgraphs.db.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = 'customers' AND data_type IN ('text', 'character varying', 'jsonb', 'character')`,
    );
    for (const { table_name, column_name } of columns) {
      for (const secret of secrets) {
        const found = await subgraphs.db.query(
          `SELECT 1 FROM customers."${table_name}" WHERE position($1 in "${column_name}"::text) > 0 LIMIT 1`,
          [secret],
        );
        expect({ table_name, column_name, found: found.length }).toEqual({ table_name, column_name, found: 0 });
      }
    }
    for (const line of logged) for (const secret of [...secrets, adminToken]) expect(line).not.toContain(secret);
  });
});
