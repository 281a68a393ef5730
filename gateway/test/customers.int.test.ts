import { adminLogin, startGateway, startSubgraphs, type RunningGateway, type RunningSubgraphs } from './support/graph';

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
    graph = await startGateway(subgraphs, { credentialCacheSeconds: 0 });
    const login = await adminLogin(graph, subgraphs.db, ADMIN_PASSWORD);
    expect(login.viewer).toEqual({ kind: 'STAFF', role: 'ADMIN' });
    adminToken = login.token;

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

  describe('login sessions end when they should', () => {
    const CLERK_PASSWORD = 'counter clerk password 0001';
    const NEW_CLERK_PASSWORD = 'a new counter clerk password 02';
    const RESET_CLERK_PASSWORD = 'a password from the admin 0003';
    const LOGIN = 'mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { token } }';
    const whoAmI = (token: string) => graph.post({ query: '{ viewer { kind role } }' }, { authorization: `Bearer ${token}` });
    const logIn = async (email: string, password: string) => (await graph.post({ query: LOGIN, variables: { email, password } })).body;
    let clerkId: string;

    beforeAll(async () => {
      const created = await asAdmin(
        `mutation ($input: CreateStaffUserInput!) { createStaffUser(input: $input, idempotencyKey: "session-clerk-0001") { id active } }`,
        { input: { name: 'Kiran Clerk', email: 'kiran@dakgraph.test', role: 'COUNTER_CLERK', officeId: '110001-baroda-house', password: CLERK_PASSWORD } },
      );
      expect(created.body.data.createStaffUser.active).toBe(true);
      clerkId = created.body.data.createStaffUser.id;
    });

    const setActive = (id: string, active: boolean, token = adminToken) =>
      graph.post(
        { query: 'mutation ($id: ID!, $active: Boolean!) { setStaffUserActive(id: $id, active: $active) { id active } }', variables: { id, active } },
        { authorization: `Bearer ${token}` },
      );

    it('refuses a disabled account at once, its tokens and its login; enabling it takes a fresh login', async () => {
      const token = (await logIn('kiran@dakgraph.test', CLERK_PASSWORD)).data.login.token;
      expect((await whoAmI(token)).body.data.viewer).toEqual({ kind: 'STAFF', role: 'COUNTER_CLERK' });

      expect((await setActive(clerkId, false)).body.data.setStaffUserActive).toEqual({ id: clerkId, active: false });
      const refused = await whoAmI(token);
      expect(refused.status).toBe(401);
      expect(codes(refused.body)).toEqual(['UNAUTHENTICATED']);
      expect(refused.body.errors[0].message).toMatch(/disabled/);
      expect(codes(await logIn('kiran@dakgraph.test', CLERK_PASSWORD))).toEqual(['UNAUTHENTICATED']);

      expect((await setActive(clerkId, true)).body.data.setStaffUserActive.active).toBe(true);
      expect(codes((await whoAmI(token)).body)).toEqual(['UNAUTHENTICATED']);
      const fresh = (await logIn('kiran@dakgraph.test', CLERK_PASSWORD)).data.login.token;
      expect((await whoAmI(fresh)).body.data.viewer.kind).toBe('STAFF');
    });

    it('lets no one disable their own account, and no clerk anyone', async () => {
      const self = await setActive(await whoAmIId(adminToken), false);
      expect(codes(self.body)).toEqual(['FORBIDDEN']);
      const clerkToken = (await logIn('kiran@dakgraph.test', CLERK_PASSWORD)).data.login.token;
      expect(codes((await setActive(clerkId, false, clerkToken)).body)).toEqual(['FORBIDDEN']);
      expect(codes((await setActive('stf_nobody', false)).body)).toEqual(['NOT_FOUND']);
    });

    it('ends every other session on a password change, and hands the caller a working token', async () => {
      const phone = (await logIn('kiran@dakgraph.test', CLERK_PASSWORD)).data.login.token;
      const counter = (await logIn('kiran@dakgraph.test', CLERK_PASSWORD)).data.login.token;
      const change = (current: string, next: string) =>
        graph.post(
          { query: 'mutation ($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) { token } }', variables: { c: current, n: next } },
          { authorization: `Bearer ${counter}` },
        );
      const wrong = await change('not the current password', NEW_CLERK_PASSWORD);
      expect(codes(wrong.body)).toEqual(['BAD_USER_INPUT']);
      expect((await whoAmI(phone)).body.data.viewer.kind).toBe('STAFF');

      const changed = await change(CLERK_PASSWORD, NEW_CLERK_PASSWORD);
      const token = changed.body.data.changePassword.token;
      expect((await whoAmI(token)).body.data.viewer.kind).toBe('STAFF');
      for (const old of [phone, counter]) {
        const refused = await whoAmI(old);
        expect(codes(refused.body)).toEqual(['UNAUTHENTICATED']);
        expect(refused.body.errors[0].message).toMatch(/session has ended/);
      }
      expect(codes(await logIn('kiran@dakgraph.test', CLERK_PASSWORD))).toEqual(['UNAUTHENTICATED']);
      expect((await logIn('kiran@dakgraph.test', NEW_CLERK_PASSWORD)).data.login.token).toBeTruthy();
    });

    it('lets an admin reset a forgotten staff password, which ends its sessions; a clerk may not', async () => {
      const token = (await logIn('kiran@dakgraph.test', NEW_CLERK_PASSWORD)).data.login.token;
      const reset = (id: string, as: string) =>
        graph.post(
          { query: 'mutation ($id: ID!, $p: String!) { resetStaffUserPassword(id: $id, newPassword: $p) { id } }', variables: { id, p: RESET_CLERK_PASSWORD } },
          { authorization: `Bearer ${as}` },
        );
      expect(codes((await reset(await whoAmIId(adminToken), token)).body)).toEqual(['FORBIDDEN']);
      expect((await reset(clerkId, adminToken)).body.data.resetStaffUserPassword.id).toBe(clerkId);
      expect(codes((await whoAmI(token)).body)).toEqual(['UNAUTHENTICATED']);
      expect(codes(await logIn('kiran@dakgraph.test', NEW_CLERK_PASSWORD))).toEqual(['UNAUTHENTICATED']);
      expect((await logIn('kiran@dakgraph.test', RESET_CLERK_PASSWORD)).data.login.token).toBeTruthy();
    });

    it('signs out everywhere, and refuses the public and partners who try', async () => {
      const token = (await logIn('kiran@dakgraph.test', RESET_CLERK_PASSWORD)).data.login.token;
      const out = await graph.post({ query: 'mutation { signOutEverywhere }' }, { authorization: `Bearer ${token}` });
      expect(out.body.data.signOutEverywhere).toBe(true);
      expect(codes((await whoAmI(token)).body)).toEqual(['UNAUTHENTICATED']);
      expect(codes((await graph.post({ query: 'mutation { signOutEverywhere }' })).body)).toEqual(['UNAUTHENTICATED']);
      expect(codes((await graph.post({ query: 'mutation { signOutEverywhere }' }, { 'x-api-key': partners[0]!.apiKey })).body)).toEqual(['FORBIDDEN']);
    });

    async function whoAmIId(token: string): Promise<string> {
      return (await graph.post({ query: '{ viewer { staff { id } } }' }, { authorization: `Bearer ${token}` })).body.data.viewer.staff.id;
    }
  });

  it('keeps passwords and API keys out of the database and the logs', async () => {
    const secrets = [
      ADMIN_PASSWORD, 'counter clerk password 0001', 'a new counter clerk password 02', 'a password from the admin 0003',
      ...partners.map((p) => p.apiKey),
    ];
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
