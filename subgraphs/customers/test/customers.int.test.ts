import { scrypt } from 'node:crypto';
import { PUBLIC_VIEWER, verifyPassword, viewerFromToken } from '@dakgraph/auth';
import {
  ADMIN, CREATE_API_KEY, CREATE_CUSTOMER, CREATE_PARTNER, CREATE_STAFF, ENGINES, LOGIN, OFFICES, PARTNER_INPUT, REGISTER,
  TEST_JWT_SECRET, codesOf, countOf, createPartner, customerAs, fieldsOf, newKey, ok, partnerAs, staffAs, startCustomers,
  type CustomersHarness,
} from './support';

const PASSWORD = 'correct horse battery staple';

/** Every text and JSON value of every table of the customers schema, to prove secrets are not stored. */
async function storedText(graph: CustomersHarness): Promise<string> {
  const columns = await graph.db.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = 'customers' AND table_name NOT IN ('office_ref', 'pincode_ref')
        AND data_type IN ('text', 'character', 'character varying', 'jsonb', 'json')`,
  );
  let all = '';
  for (const { table_name, column_name } of columns) {
    const rows = await graph.db.query<{ value: string | null }>(`SELECT "${column_name}"::text AS value FROM customers."${table_name}"`);
    all += rows.map((row) => row.value ?? '').join('\n');
  }
  return all;
}

/** An scrypt hash with weaker parameters than hashPassword now uses, in the stored format. */
function weakHash(password: string): Promise<string> {
  const salt = Buffer.from('0123456789abcdef');
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, 32, { N: 1024, r: 8, p: 1 }, (error, key) =>
      error ? reject(error) : resolve(`scrypt$1024$8$1$${salt.toString('base64url')}$${key.toString('base64url')}`),
    ),
  );
}

describe.each(ENGINES)('customers subgraph on %s', (engine) => {
  let graph: CustomersHarness;
  let partnerA: string;
  let partnerB: string;
  let customerOfA: string;
  let customerOfB: string;
  let walkIn: string;
  const logged: string[] = [];
  const secrets: string[] = [PASSWORD];
  const spies: jest.SpyInstance[] = [];

  beforeAll(async () => {
    // Everything any code prints during these tests is kept and checked for secrets at the end.
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      spies.push(jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        logged.push(args.map((arg) => (arg instanceof Error ? `${arg.message}\n${arg.stack}` : typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' '));
      }));
    }
    graph = await startCustomers(engine);
    partnerA = await createPartner(graph, 'Partner A Logistics');
    partnerB = await createPartner(graph, 'Partner B Retail');
    const create = async (viewer: Parameters<CustomersHarness['run']>[2], name: string, email: string) =>
      ok(await graph.run(CREATE_CUSTOMER, { input: { kind: 'INDIVIDUAL', name, email, phone: '98765 43210' }, key: newKey() }, viewer))
        .createCustomer.id as string;
    customerOfA = await create(partnerAs(partnerA), 'Asha Verma', 'asha@example.in');
    customerOfB = await create(partnerAs(partnerB), 'Bala Krishnan', 'bala@example.in');
    walkIn = await create(staffAs('COUNTER_CLERK'), 'Chitra Rao', 'chitra@example.in');
  }, 180_000);

  afterAll(async () => {
    await graph?.close();
    spies.forEach((spy) => spy.mockRestore());
  });

  describe('inputs no resolver can use', () => {
    // PostgreSQL refuses a NUL byte in text; the subgraph refuses it first, naming the argument.
    it.each([
      ['login', 'mutation ($v: String!) { login(email: $v, password: "whatever it is") { token } }', PUBLIC_VIEWER],
      ['customer', 'query ($v: ID!) { customer(id: $v) { id } }', staffAs('COUNTER_CLERK')],
      ['customer search', 'query ($v: String!) { customers(filter: { search: $v }) { totalCount } }', staffAs('COUNTER_CLERK')],
      ['createCustomer', `mutation ($v: String!) { createCustomer(input: { kind: INDIVIDUAL, name: $v, phone: "98765 43210" }, idempotencyKey: "nul-create-0001") { id } }`, staffAs('COUNTER_CLERK')],
      ['registerCustomer', `mutation ($v: String!) { registerCustomer(input: { name: "Nul Tester", email: $v, phone: "98765 43210", password: "a long enough passphrase" }, idempotencyKey: "nul-register-0001") { token } }`, PUBLIC_VIEWER],
      ['createPartner', `mutation ($v: String!) { createPartner(input: { name: $v, contactEmail: "ops@nul.example", discountBasisPoints: 0, codAllowed: false, remittanceAccount: { holder: "Nul", accountNumber: "123456789012", ifsc: "SBIN0000691" } }, idempotencyKey: "nul-partner-0001") { id } }`, staffAs('ADMIN')],
    ])('refuses a NUL character in %s before it reaches the database', async (_name, operation, viewer) => {
      const before = graph.queries.length;
      const result = await graph.run(operation, { v: 'nul\u0000byte' }, viewer);
      expect(codesOf(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0]!.message).toMatch(/NUL character \(U\+0000\)/);
      expect(graph.queries.length).toBe(before);
    });
  });

  describe('partners and their customers', () => {
    it('gives a partner its own customers, owned by it', async () => {
      const result = await graph.run(`query ($id: ID!) { customer(id: $id) { id name email phone partner { id name } } }`,
        { id: customerOfA }, partnerAs(partnerA));
      expect(ok(result).customer).toEqual({
        id: customerOfA, name: 'Asha Verma', email: 'asha@example.in', phone: '+919876543210',
        partner: { id: partnerA, name: 'Partner A Logistics' },
      });
    });

    it('answers a partner the same for an unknown id as for another partner\'s customer, so ids cannot be probed', async () => {
      const query = `query ($id: ID!) { customer(id: $id) { id } }`;
      const unknown = await graph.run(query, { id: 'cus_00000000000000000000000000' }, partnerAs(partnerA));
      const othersCustomer = await graph.run(query, { id: customerOfB }, partnerAs(partnerA));
      expect(codesOf(unknown)).toEqual(['FORBIDDEN']);
      expect(unknown.errors![0]!.message).toBe(othersCustomer.errors![0]!.message);
      expect(ok(await graph.run(query, { id: 'cus_00000000000000000000000000' }, staffAs('COUNTER_CLERK'))).customer).toBeNull();
    });

    it("refuses partner A partner B's customer: FORBIDDEN and no data", async () => {
      const result = await graph.run(`query ($id: ID!) { customer(id: $id) { id name email phone addresses { id } } }`,
        { id: customerOfB }, partnerAs(partnerA));
      expect(codesOf(result)).toEqual(['FORBIDDEN']);
      expect(result.data?.customer ?? null).toBeNull();
      expect(JSON.stringify(result)).not.toMatch(/Bala|bala@/);
    });

    it("lists only a partner's own customers, and refuses it other partners' records", async () => {
      const list = ok(await graph.run('{ customers(first: 100) { totalCount nodes { id } } }', {}, partnerAs(partnerA)));
      expect(list.customers).toEqual({ totalCount: 1, nodes: [{ id: customerOfA }] });
      const other = await graph.run(`query ($id: ID!) { partner(id: $id) { id name } }`, { id: partnerB }, partnerAs(partnerA));
      expect(codesOf(other)).toEqual(['FORBIDDEN']);
      const own = ok(await graph.run(`query ($id: ID!) { partner(id: $id) { name customers { nodes { id } } } }`, { id: partnerA }, partnerAs(partnerA)));
      expect(own.partner).toEqual({ name: 'Partner A Logistics', customers: { nodes: [{ id: customerOfA }] } });
      const partners = ok(await graph.run('{ partners { totalCount nodes { id } } }', {}, partnerAs(partnerA)));
      expect(partners.partners).toEqual({ totalCount: 1, nodes: [{ id: partnerA }] });
    });

    it('refuses partner A adding an address to, or creating keys for, partner B', async () => {
      const address = await graph.run(`mutation ($id: ID!, $key: String!) { addAddress(customerId: $id, idempotencyKey: $key,
        input: { label: "Home", name: "X", phone: "9876543210", line1: "1 Road", city: "Delhi", pincode: "110001" }) { id } }`,
      { id: customerOfB, key: newKey() }, partnerAs(partnerA));
      expect(codesOf(address)).toEqual(['FORBIDDEN']);
      const key = await graph.run(CREATE_API_KEY, { partnerId: partnerB, label: 'x', key: newKey() }, partnerAs(partnerA));
      expect(codesOf(key)).toEqual(['FORBIDDEN']);
    });

    it('shows the contract with only the last four digits of the account number', async () => {
      const result = ok(await graph.run(CREATE_PARTNER, { input: PARTNER_INPUT, key: newKey() }, ADMIN));
      expect(result.createPartner.contract).toEqual({
        discountBasisPoints: 750, codAllowed: true,
        remittanceAccount: { holder: 'Dakshin Marketplace Pvt Ltd', accountNumberLast4: '9012', ifsc: 'SBIN0001234' },
      });
      expect(JSON.stringify(result)).not.toContain('123456789012');
    });

    it('refuses a partner contract outside the rules, naming the field', async () => {
      const bad = async (input: object) => fieldsOf(await graph.run(CREATE_PARTNER, { input: { ...PARTNER_INPUT, ...input }, key: newKey() }, ADMIN));
      expect(await bad({ discountBasisPoints: 5001 })).toEqual(['input.discountBasisPoints']);
      expect(await bad({ remittanceAccount: { ...PARTNER_INPUT.remittanceAccount, ifsc: 'SBIN1234567' } })).toEqual(['input.remittanceAccount.ifsc']);
      expect(await bad({ remittanceAccount: { ...PARTNER_INPUT.remittanceAccount, accountNumber: '12345' } })).toEqual(['input.remittanceAccount.accountNumber']);
      expect(codesOf(await graph.run(CREATE_PARTNER, { input: PARTNER_INPUT, key: newKey() }, staffAs('SUPERVISOR')))).toEqual(['FORBIDDEN']);
    });
  });

  describe('the public', () => {
    it.each([
      ['customer', `query ($id: ID!) { customer(id: $id) { id } }`],
      ['customers', `{ customers { totalCount } }`],
      ['partner', `query ($id: ID!) { partner(id: $id) { id } }`],
      ['partners', `{ partners { totalCount } }`],
      ['staffUser', `query ($id: ID!) { staffUser(id: $id) { id } }`],
    ])('is refused Query.%s with a hint to log in or use an API key', async (_name, query) => {
      const result = await graph.run(query, { id: customerOfA });
      expect(codesOf(result)).toEqual(['FORBIDDEN']);
      expect(result.errors![0]!.message).toMatch(/log in.*API key/);
    });

    it('gets null personal fields through an entity reference, without an error', async () => {
      const result = await graph.run(`query ($r: [_Any!]!) { _entities(representations: $r) {
        ... on Customer { id kind name businessName gstin email phone addresses { id } partner { id } createdAt }
        ... on Partner { id name contactEmail contract { codAllowed } apiKeys { id } customers { totalCount } } } }`,
      { r: [{ __typename: 'Customer', id: customerOfA }, { __typename: 'Partner', id: partnerA }] });
      expect(result.errors).toBeUndefined();
      const [customer, partner] = result.data._entities;
      expect(customer).toMatchObject({ id: customerOfA, kind: 'INDIVIDUAL', name: null, businessName: null, gstin: null,
        email: null, phone: null, addresses: null, partner: null });
      expect(customer.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(partner).toEqual({ id: partnerA, name: null, contactEmail: null, contract: null, apiKeys: null, customers: null });
    });

    it("shows partner B's customer to partner A through a reference only as nulls", async () => {
      const result = await graph.run(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { id name phone } } }`,
        { r: [{ __typename: 'Customer', id: customerOfB }] }, partnerAs(partnerA));
      expect(result.errors).toBeUndefined();
      expect(result.data._entities).toEqual([{ id: customerOfB, name: null, phone: null }]);
    });

    it('answers viewer as PUBLIC', async () => {
      expect(ok(await graph.run('{ viewer { kind role staff { id } customer { id } partner { id } } }')).viewer)
        .toEqual({ kind: 'PUBLIC', role: null, staff: null, customer: null, partner: null });
    });
  });

  describe('staff reading customers', () => {
    it.each(['COUNTER_CLERK', 'SUPERVISOR', 'ADMIN'] as const)('lets a %s read any customer', async (role) => {
      const result = await graph.run(`query ($a: ID!, $b: ID!) { a: customer(id: $a) { name } b: customer(id: $b) { name } }`,
        { a: customerOfA, b: customerOfB }, staffAs(role));
      expect(ok(result)).toEqual({ a: { name: 'Asha Verma' }, b: { name: 'Bala Krishnan' } });
    });

    it.each(['POSTMAN', 'ANALYST'] as const)('refuses a %s customer records', async (role) => {
      const result = await graph.run(`query ($id: ID!) { customer(id: $id) { name } }`, { id: walkIn }, staffAs(role));
      expect(codesOf(result)).toEqual(['FORBIDDEN']);
      const list = await graph.run('{ customers { totalCount } }', {}, staffAs(role));
      expect(codesOf(list)).toEqual(['FORBIDDEN']);
    });

    it('finds customers by part of a name or a phone number, and pages without overlap', async () => {
      const byName = ok(await graph.run('{ customers(filter: { search: "krish" }) { totalCount nodes { id } } }', {}, staffAs('COUNTER_CLERK')));
      expect(byName.customers).toEqual({ totalCount: 1, nodes: [{ id: customerOfB }] });
      const byPhone = ok(await graph.run('{ customers(filter: { search: "98765 432" }) { totalCount } }', {}, staffAs('COUNTER_CLERK')));
      expect(byPhone.customers.totalCount).toBeGreaterThanOrEqual(3);
      const query = `query ($after: String) { customers(first: 2, after: $after) { pageInfo { hasNextPage endCursor } nodes { id } } }`;
      const first = ok(await graph.run(query, {}, ADMIN)).customers;
      const second = ok(await graph.run(query, { after: first.pageInfo.endCursor }, ADMIN)).customers;
      expect(first.pageInfo.hasNextPage).toBe(true);
      const ids = [...first.nodes, ...second.nodes].map((n: { id: string }) => n.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort().reverse()).toEqual(ids);
    });

    it('can answer a search from the trigram indexes instead of reading every customer', async () => {
      // With seq scans priced out, the plan shows whether the indexes can serve the search's ILIKEs at all
      // (on a table this small the planner would rightly scan it anyway).
      const plan = await graph.db.transaction(async (tx) => {
        await tx.exec('SET LOCAL enable_seqscan = off');
        return tx.query<{ 'QUERY PLAN': string }>(
          `EXPLAIN SELECT id FROM customers.customer
            WHERE name ILIKE '%krish%' OR business_name ILIKE '%krish%' OR email ILIKE '%krish%' OR phone LIKE '%98765432%'`,
        );
      });
      const text = plan.map((row) => row['QUERY PLAN']).join('\n');
      for (const index of ['customer_name_trgm_idx', 'customer_business_name_trgm_idx', 'customer_email_trgm_idx', 'customer_phone_trgm_idx']) {
        expect(text).toContain(index);
      }
    });

    it("lists partners with their customers in a constant number of queries, each partner's own", async () => {
      graph.queries.length = 0;
      const result = ok(await graph.run('{ partners(first: 50) { nodes { id customers(first: 5) { totalCount nodes { id } } } } }', {}, ADMIN));
      const byPartner = new Map(result.partners.nodes.map((p: { id: string; customers: unknown }) => [p.id, p.customers]));
      expect(byPartner.get(partnerA)).toEqual({ totalCount: 1, nodes: [{ id: customerOfA }] });
      expect(byPartner.get(partnerB)).toEqual({ totalCount: 1, nodes: [{ id: customerOfB }] });
      // partners; the pages of all partners' customers; those customers; their counts.
      expect(result.partners.nodes.length).toBeGreaterThan(2);
      expect(graph.queries.length).toBeLessThanOrEqual(5);
    });

    it('answers null for a customer that does not exist', async () => {
      expect(ok(await graph.run('{ customer(id: "cus_nobody") { id } }', {}, ADMIN)).customer).toBeNull();
    });

    it('loads many referenced customers with one query per level', async () => {
      graph.queries.length = 0;
      const result = await graph.run(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { name addresses { id } } } }`,
        { r: [customerOfA, customerOfB, walkIn].map((id) => ({ __typename: 'Customer', id })) }, ADMIN);
      expect(result.errors).toBeUndefined();
      expect(graph.queries.filter((sql) => /FROM "customers"\."customer"/.test(sql))).toHaveLength(1);
      expect(graph.queries.filter((sql) => /FROM "customers"\."address"/.test(sql))).toHaveLength(1);
    });
  });

  describe('sign-up, login and customers who see themselves', () => {
    const input = { name: 'Deepa Nair', email: 'Deepa.Nair@Example.in', phone: '+91 91234 56789', password: PASSWORD };
    const key = newKey('signup');
    let deepa: string;

    beforeAll(async () => {
      const data = ok(await graph.run(REGISTER, { input, key }));
      deepa = data.registerCustomer.customer.id;
      secrets.push(data.registerCustomer.token);
    });

    it('registers an individual and logs them in at once', async () => {
      const again = ok(await graph.run(REGISTER, { input, key })).registerCustomer;
      expect(again.customer).toEqual({ id: deepa, kind: 'INDIVIDUAL', name: 'Deepa Nair', email: 'Deepa.Nair@Example.in', phone: '+919123456789' });
      expect(viewerFromToken(again.token, TEST_JWT_SECRET)).toMatchObject({ kind: 'CUSTOMER', customerId: deepa });
      secrets.push(again.token);
    });

    it('replays the same request without creating anything, and refuses the key with another body', async () => {
      expect(await countOf(graph, `SELECT count(*) FROM customers.customer WHERE lower(email) = 'deepa.nair@example.in'`)).toBe(1);
      const changed = await graph.run(REGISTER, { input: { ...input, name: 'Deepa N' }, key });
      expect(codesOf(changed)).toEqual(['CONFLICT']);
      const otherPassword = await graph.run(REGISTER, { input: { ...input, password: 'another long passphrase' }, key });
      expect(codesOf(otherPassword)).toEqual(['CONFLICT']);
    });

    it('refuses a second account for the same email in any case', async () => {
      const result = await graph.run(REGISTER, { input: { ...input, email: 'DEEPA.NAIR@example.IN' }, key: newKey() });
      expect(codesOf(result)).toEqual(['CONFLICT']);
    });

    it('refuses weak passwords and bad phone numbers before writing', async () => {
      const weak = await graph.run(REGISTER, { input: { ...input, email: 'new1@example.in', password: 'short' }, key: newKey() });
      expect(fieldsOf(weak)).toEqual(['input.password']);
      const phone = await graph.run(REGISTER, { input: { ...input, email: 'new2@example.in', phone: '12345' }, key: newKey() });
      expect(fieldsOf(phone)).toEqual(['input.phone']);
      expect(await countOf(graph, `SELECT count(*) FROM customers.customer WHERE email LIKE 'new%'`)).toBe(0);
    });

    it('lets the customer read themselves and nobody else', async () => {
      const self = ok(await graph.run(`query ($id: ID!) { customer(id: $id) { name } viewer { kind customer { id email } } }`,
        { id: deepa }, customerAs(deepa)));
      expect(self).toEqual({ customer: { name: 'Deepa Nair' }, viewer: { kind: 'CUSTOMER', customer: { id: deepa, email: 'Deepa.Nair@Example.in' } } });
      const other = await graph.run(`query ($id: ID!) { customer(id: $id) { name } }`, { id: customerOfA }, customerAs(deepa));
      expect(codesOf(other)).toEqual(['FORBIDDEN']);
      const list = ok(await graph.run('{ customers { totalCount nodes { id } } }', {}, customerAs(deepa)));
      expect(list.customers).toEqual({ totalCount: 1, nodes: [{ id: deepa }] });
    });

    it('logs the customer in with any case of email; the token carries the viewer', async () => {
      const result = ok(await graph.run(LOGIN, { email: 'deepa.nair@example.in', password: PASSWORD })).login;
      secrets.push(result.token);
      expect(result.viewer).toEqual({ kind: 'CUSTOMER', role: null, staff: null, customer: { id: deepa, name: 'Deepa Nair', email: 'Deepa.Nair@Example.in' } });
      expect(viewerFromToken(result.token, TEST_JWT_SECRET)).toEqual({
        kind: 'CUSTOMER', id: deepa, role: null, officeId: null, divisionId: null, partnerId: null, customerId: deepa,
      });
      expect(Date.parse(result.expiresAt) - Date.now()).toBeGreaterThan(23 * 3600 * 1000);
    });

    it('gives the same answer for a wrong password and an unknown email', async () => {
      const wrongPassword = await graph.run(LOGIN, { email: 'deepa.nair@example.in', password: 'not the password at all' });
      const unknownEmail = await graph.run(LOGIN, { email: 'nobody@example.in', password: PASSWORD });
      const noPasswordCustomer = await graph.run(LOGIN, { email: 'asha@example.in', password: PASSWORD });
      for (const result of [wrongPassword, unknownEmail, noPasswordCustomer]) {
        expect(codesOf(result)).toEqual(['UNAUTHENTICATED']);
        expect(result.data ?? null).toBeNull();
      }
      expect(unknownEmail.errors![0]!.message).toBe(wrongPassword.errors![0]!.message);
      expect(noPasswordCustomer.errors![0]!.message).toBe(wrongPassword.errors![0]!.message);
    });
  });

  describe('guessing passwords', () => {
    const email = 'guessed.account@example.in';
    const otherEmail = 'bystander@example.in';
    // The throttle's key for an email, in SQL.
    const HASH_OF = `encode(sha256(convert_to(lower($1), 'UTF8')), 'hex')`;
    // Each test below verifies a dozen or two passwords with scrypt, slow by design: room for a busy machine.
    const SCRYPT_HEAVY_MS = 180_000;
    const guess = (password: string, address = email) => graph.run(LOGIN, { email: address, password });

    let guessedId: string;

    beforeAll(async () => {
      guessedId = ok(await graph.run(REGISTER, { input: { name: 'Guessed Account', email, phone: '98100 11223', password: PASSWORD }, key: newKey() }))
        .registerCustomer.customer.id;
      ok(await graph.run(REGISTER, { input: { name: 'Bystander', email: otherEmail, phone: '98100 11224', password: PASSWORD }, key: newKey() }));
    });

    it('refuses every login of an email after 10 failures in 15 minutes, the right password too, until the window ends', async () => {
      for (let i = 0; i < 9; i++) expect(codesOf(await guess(`wrong guess number ${i}`))).toEqual(['UNAUTHENTICATED']);
      // A success before the limit forgets the failures.
      ok(await guess(PASSWORD));
      for (let i = 0; i < 10; i++) expect(codesOf(await guess(`wrong guess number ${i}`))).toEqual(['UNAUTHENTICATED']);
      const refused = await guess(PASSWORD);
      expect(codesOf(refused)).toEqual(['RATE_LIMITED']);
      expect(refused.errors![0]!.message).toMatch(/Too many failed logins for this email; try again in 15 minutes/);
      expect(refused.errors![0]!.extensions!.retryAfterSeconds).toBeGreaterThan(14 * 60);
      expect(refused.errors![0]!.extensions!.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
      // The email, any case, not the password: another account is not affected.
      expect(codesOf(await guess(PASSWORD, email.toUpperCase()))).toEqual(['RATE_LIMITED']);
      ok(await guess(PASSWORD, otherEmail));

      // Once the window is over, the right password works again and the count starts afresh.
      await graph.db.query(`UPDATE customers.login_throttle SET window_started_at = now() - interval '16 minutes' WHERE email_hash = ${HASH_OF}`, [email]);
      ok(await guess(PASSWORD));
      expect(await countOf(graph, `SELECT count(*) FROM customers.login_throttle WHERE email_hash = ${HASH_OF}`, [email])).toBe(0);
    }, SCRYPT_HEAVY_MS);

    it('counts guesses at unknown emails the same way, and stores no email', async () => {
      for (let i = 0; i < 10; i++) await guess(PASSWORD, 'nobody.at.all@example.in');
      expect(codesOf(await guess(PASSWORD, 'nobody.at.all@example.in'))).toEqual(['RATE_LIMITED']);
      expect(await countOf(graph, `SELECT count(*) FROM customers.login_throttle WHERE email_hash = ${HASH_OF}`, ['nobody.at.all@example.in'])).toBe(1);
      const rows = await graph.db.query<{ email_hash: string }>('SELECT email_hash FROM customers.login_throttle');
      for (const row of rows) expect(row.email_hash).toMatch(/^[0-9a-f]{64}$/);
      await graph.db.query('DELETE FROM customers.login_throttle');
    }, SCRYPT_HEAVY_MS);

    it('counts wrong current passwords in changePassword too: a stolen token is no way to guess', async () => {
      const change = (current: string) =>
        graph.run(
          'mutation ($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) { token } }',
          { c: current, n: 'a brand new passphrase 0042' },
          customerAs(guessedId),
        );
      for (let i = 0; i < 10; i++) expect(codesOf(await change(`wrong current ${i}`))).toEqual(['BAD_USER_INPUT']);
      expect(codesOf(await change(PASSWORD))).toEqual(['RATE_LIMITED']);
      expect(codesOf(await guess(PASSWORD))).toEqual(['RATE_LIMITED']);
      await graph.db.query('DELETE FROM customers.login_throttle');
      ok(await change(PASSWORD));
      ok(await guess('a brand new passphrase 0042'));
    }, SCRYPT_HEAVY_MS);
  });

  describe('staff accounts and staff login', () => {
    let clerk: string;
    const clerkEmail = 'clerk.cp@indiapost.example.in';

    beforeAll(async () => {
      const data = ok(await graph.run(CREATE_STAFF, {
        input: { name: 'Ravi Kumar', email: clerkEmail, password: PASSWORD, role: 'COUNTER_CLERK', officeId: OFFICES.connaughtPlace.id },
        key: newKey(),
      }, ADMIN));
      clerk = data.createStaffUser.id;
      expect(data.createStaffUser).toMatchObject({ role: 'COUNTER_CLERK', office: { id: OFFICES.connaughtPlace.id } });
    });

    it('logs staff in with their role, office and division in the token', async () => {
      const result = ok(await graph.run(LOGIN, { email: clerkEmail.toUpperCase(), password: PASSWORD })).login;
      secrets.push(result.token);
      expect(result.viewer).toEqual({ kind: 'STAFF', role: 'COUNTER_CLERK', customer: null,
        staff: { id: clerk, name: 'Ravi Kumar', email: clerkEmail, role: 'COUNTER_CLERK', office: { id: OFFICES.connaughtPlace.id } } });
      expect(viewerFromToken(result.token, TEST_JWT_SECRET)).toEqual({ kind: 'STAFF', id: clerk, role: 'COUNTER_CLERK',
        officeId: OFFICES.connaughtPlace.id, divisionId: OFFICES.connaughtPlace.divisionId, partnerId: null, customerId: null });
    });

    it('upgrades a weaker stored hash at the next login', async () => {
      await graph.db.query('UPDATE customers.staff_user SET password_hash = $1 WHERE id = $2', [await weakHash(PASSWORD), clerk]);
      ok(await graph.run(LOGIN, { email: clerkEmail, password: PASSWORD }));
      const [row] = await graph.db.query<{ password_hash: string }>('SELECT password_hash FROM customers.staff_user WHERE id = $1', [clerk]);
      expect(row!.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
      expect(await verifyPassword(PASSWORD, row!.password_hash)).toBe(true);
    });

    it('refuses a disabled account', async () => {
      await graph.db.query('UPDATE customers.staff_user SET disabled_at = now() WHERE id = $1', [clerk]);
      try {
        const result = await graph.run(LOGIN, { email: clerkEmail, password: PASSWORD });
        expect(codesOf(result)).toEqual(['UNAUTHENTICATED']);
        expect(result.errors![0]!.message).toMatch(/disabled/);
      } finally {
        await graph.db.query('UPDATE customers.staff_user SET disabled_at = NULL WHERE id = $1', [clerk]);
      }
    });

    it('lets a supervisor create clerks and postmen in their own division only', async () => {
      const supervisor = staffAs('SUPERVISOR', OFFICES.barodaHouse, 'stf_supervisor_test');
      const attempt = (role: string, officeId: string, email: string) => graph.run(CREATE_STAFF, {
        input: { name: 'New Person', email, password: PASSWORD, role, officeId }, key: newKey(),
      }, supervisor);
      expect(ok(await attempt('POSTMAN', OFFICES.connaughtPlace.id, 'postman.cp@indiapost.example.in')).createStaffUser.role).toBe('POSTMAN');
      expect(codesOf(await attempt('SUPERVISOR', OFFICES.connaughtPlace.id, 'sup2@indiapost.example.in'))).toEqual(['FORBIDDEN']);
      expect(codesOf(await attempt('POSTMAN', OFFICES.bazargate.id, 'postman.bg@indiapost.example.in'))).toEqual(['FORBIDDEN']);
      const unknown = await attempt('POSTMAN', '999999-nowhere', 'postman.x@indiapost.example.in');
      expect(codesOf(unknown)).toEqual(['BAD_USER_INPUT']);
      expect(fieldsOf(unknown)).toEqual(['input.officeId']);
      expect(codesOf(await attempt('POSTMAN', OFFICES.connaughtPlace.id, clerkEmail))).toEqual(['CONFLICT']);
      expect(codesOf(await graph.run(CREATE_STAFF, { input: { name: 'X', email: 'x@indiapost.example.in', password: PASSWORD,
        role: 'POSTMAN', officeId: OFFICES.connaughtPlace.id }, key: newKey() }, staffAs('COUNTER_CLERK')))).toEqual(['FORBIDDEN']);
    });

    it('shows staff records by division and office', async () => {
      const query = `query ($id: ID!) { staffUser(id: $id) { name email } }`;
      expect(ok(await graph.run(query, { id: clerk }, staffAs('SUPERVISOR', OFFICES.barodaHouse))).staffUser.email).toBe(clerkEmail);
      expect(ok(await graph.run(query, { id: clerk }, staffAs('COUNTER_CLERK', OFFICES.connaughtPlace, clerk))).staffUser.name).toBe('Ravi Kumar');
      expect(codesOf(await graph.run(query, { id: clerk }, staffAs('SUPERVISOR', OFFICES.bazargate)))).toEqual(['FORBIDDEN']);
      expect(codesOf(await graph.run(query, { id: clerk }, staffAs('POSTMAN', OFFICES.connaughtPlace)))).toEqual(['FORBIDDEN']);
      expect(codesOf(await graph.run(query, { id: clerk }, partnerAs(partnerA)))).toEqual(['FORBIDDEN']);
    });

    it("lists an office's staff for admins, the division's supervisors and the office's own staff only", async () => {
      const query = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Office { id staff { id name role email } } } }`;
      const asViewer = (viewer: Parameters<CustomersHarness['run']>[2]) =>
        graph.run(query, { r: [{ __typename: 'Office', id: OFFICES.connaughtPlace.id }] }, viewer);
      const byAdmin = ok(await asViewer(ADMIN))._entities[0];
      expect(byAdmin.staff.map((s: { name: string }) => s.name)).toEqual(expect.arrayContaining(['Ravi Kumar', 'New Person']));
      const byColleague = ok(await asViewer(staffAs('POSTMAN', OFFICES.connaughtPlace, 'stf_someone_else')))._entities[0];
      const ravi = byColleague.staff.find((s: { id: string }) => s.id === clerk);
      expect(ravi).toEqual({ id: clerk, name: 'Ravi Kumar', role: 'COUNTER_CLERK', email: null });
      expect(ok(await asViewer(staffAs('SUPERVISOR', OFFICES.barodaHouse)))._entities[0].staff.length).toBeGreaterThanOrEqual(2);
      for (const viewer of [PUBLIC_VIEWER, partnerAs(partnerA), staffAs('SUPERVISOR', OFFICES.bazargate), staffAs('COUNTER_CLERK', OFFICES.barodaHouse)]) {
        const result = await asViewer(viewer);
        expect(codesOf(result)).toEqual(['FORBIDDEN']);
        expect(result.data._entities[0]).toEqual({ id: OFFICES.connaughtPlace.id, staff: null });
      }
    });
  });

  describe('addresses', () => {
    const address = {
      label: 'Home', name: 'Asha Verma', phone: '9876543210', line1: '12 Janpath', line2: 'Near the GPO',
      city: 'New Delhi', pincode: '110001', digipin: '39j49ll8t4',
    };
    const ADD = `mutation ($id: ID!, $input: AddressInput!, $key: String!) {
      addAddress(customerId: $id, input: $input, idempotencyKey: $key) { id label phone pincode digipin isDefault } }`;
    const addressCount = () => countOf(graph, 'SELECT count(*) FROM customers.address');

    it.each([
      ['an unknown pincode', { pincode: '999999' }, 'input.pincode'],
      ['a five-digit pincode', { pincode: '11000' }, 'input.pincode'],
      ['a bad DIGIPIN', { digipin: '39J-49L-L8TA' }, 'input.digipin'],
      ['a bad phone number', { phone: '12345 67890' }, 'input.phone'],
      ['an empty label', { label: '  ' }, 'input.label'],
    ])('refuses %s with BAD_USER_INPUT and writes nothing', async (_what, change, field) => {
      const before = await addressCount();
      const result = await graph.run(ADD, { id: customerOfA, input: { ...address, ...change }, key: newKey() }, partnerAs(partnerA));
      expect(codesOf(result)).toEqual(['BAD_USER_INPUT']);
      expect(fieldsOf(result)).toEqual([field]);
      expect(await addressCount()).toBe(before);
      expect(await countOf(graph, `SELECT count(*) FROM customers.idempotency_record WHERE operation = 'addAddress'`)).toBe(await addressCount());
    });

    it('stores a canonical DIGIPIN and phone; the first address is the default, a new default replaces it', async () => {
      const first = ok(await graph.run(ADD, { id: customerOfA, input: address, key: newKey() }, partnerAs(partnerA))).addAddress;
      expect(first).toMatchObject({ phone: '+919876543210', pincode: '110001', digipin: '39J-49L-L8T4', isDefault: true });
      const second = ok(await graph.run(ADD, { id: customerOfA, input: { ...address, label: 'Office', isDefault: true, digipin: null }, key: newKey() },
        staffAs('COUNTER_CLERK'))).addAddress;
      expect(second.isDefault).toBe(true);
      const third = ok(await graph.run(ADD, { id: customerOfA, input: { ...address, label: 'Shop' }, key: newKey() }, partnerAs(partnerA))).addAddress;
      expect(third.isDefault).toBe(false);
      const listed = ok(await graph.run(`query ($id: ID!) { customer(id: $id) { addresses { label isDefault } } }`, { id: customerOfA }, partnerAs(partnerA)));
      expect(listed.customer.addresses).toEqual([
        { label: 'Office', isDefault: true }, { label: 'Shop', isDefault: false }, { label: 'Home', isDefault: false },
      ]);
      const removed = ok(await graph.run(`mutation ($id: ID!) { removeAddress(id: $id) { addresses { label isDefault } } }`,
        { id: second.id }, partnerAs(partnerA)));
      expect(removed.removeAddress.addresses).toEqual([{ label: 'Shop', isDefault: true }, { label: 'Home', isDefault: false }]);
      expect(codesOf(await graph.run(`mutation ($id: ID!) { removeAddress(id: $id) { id } }`, { id: first.id }, partnerAs(partnerB)))).toEqual(['FORBIDDEN']);
      expect(codesOf(await graph.run(`mutation ($id: ID!) { removeAddress(id: $id) { id } }`, { id: second.id }, partnerAs(partnerA)))).toEqual(['NOT_FOUND']);
    });

    it('keeps at most 20 addresses per customer', async () => {
      for (let i = 0; i < 20; i++) {
        ok(await graph.run(ADD, { id: walkIn, input: { ...address, label: `A${i}` }, key: newKey() }, ADMIN));
      }
      const over = await graph.run(ADD, { id: walkIn, input: { ...address, label: 'One too many' }, key: newKey() }, ADMIN);
      expect(codesOf(over)).toEqual(['CONFLICT']);
      expect(await countOf(graph, 'SELECT count(*) FROM customers.address WHERE customer_id = $1', [walkIn])).toBe(20);
    });
  });

  describe('creating customers', () => {
    it('creates a business with a GSTIN once per idempotency key', async () => {
      const input = { kind: 'BUSINESS', name: 'Meera Iyer', businessName: 'Iyer Textiles', gstin: '27AAPFU0939F1ZV', phone: '7012345678' };
      const key = newKey();
      const first = ok(await graph.run(CREATE_CUSTOMER, { input, key }, staffAs('SUPERVISOR'))).createCustomer;
      const again = ok(await graph.run(CREATE_CUSTOMER, { input, key }, staffAs('SUPERVISOR'))).createCustomer;
      expect(again.id).toBe(first.id);
      expect(first.partner).toBeNull();
      expect(codesOf(await graph.run(CREATE_CUSTOMER, { input: { ...input, phone: '7012345679' }, key }, staffAs('SUPERVISOR')))).toEqual(['CONFLICT']);
      // Keys are per caller: another caller's identical key is a new request.
      const other = ok(await graph.run(CREATE_CUSTOMER, { input, key }, staffAs('COUNTER_CLERK'))).createCustomer;
      expect(other.id).not.toBe(first.id);
    });

    it('creates one customer for concurrent retries, and one account for racing sign-ups of one email', async () => {
      const input = { kind: 'INDIVIDUAL', name: 'Esha Racing', email: 'esha.race@example.in', phone: '8012345678' };
      const key = newKey('race');
      const retries = await Promise.all([1, 2, 3].map(() => graph.run(CREATE_CUSTOMER, { input, key }, partnerAs(partnerB))));
      expect(new Set(retries.map((result) => ok(result).createCustomer.id)).size).toBe(1);
      expect(await countOf(graph, `SELECT count(*) FROM customers.customer WHERE email = 'esha.race@example.in'`)).toBe(1);

      const signUp = { name: 'Farah Race', email: 'farah.race@example.in', phone: '8012345670', password: PASSWORD };
      const racing = await Promise.all([1, 2, 3].map(() => graph.run(REGISTER, { input: signUp, key: newKey('race') })));
      expect(racing.filter((result) => !result.errors).length).toBe(1);
      expect(racing.flatMap(codesOf).sort()).toEqual(['CONFLICT', 'CONFLICT']);
      expect(await countOf(graph, `SELECT count(*) FROM customers.customer WHERE email = 'farah.race@example.in'`)).toBe(1);
    });

    it('refuses business fields on an individual, and callers who may not create customers', async () => {
      const individual = await graph.run(CREATE_CUSTOMER, { input: { kind: 'INDIVIDUAL', name: 'X', gstin: '27AAPFU0939F1ZV', phone: '9876543210' }, key: newKey() }, ADMIN);
      expect(fieldsOf(individual)).toEqual(['input.gstin']);
      for (const viewer of [PUBLIC_VIEWER, staffAs('POSTMAN'), staffAs('ANALYST'), customerAs(customerOfA)]) {
        const result = await graph.run(CREATE_CUSTOMER, { input: { kind: 'INDIVIDUAL', name: 'X', phone: '9876543210' }, key: newKey() }, viewer);
        expect(codesOf(result)).toEqual(['FORBIDDEN']);
      }
      expect(fieldsOf(await graph.run(CREATE_CUSTOMER, { input: { kind: 'INDIVIDUAL', name: 'X', phone: '9876543210' }, key: 'short' }, ADMIN)))
        .toEqual(['idempotencyKey']);
    });
  });

  describe('API keys through GraphQL', () => {
    it('shows a new key once, and null on an idempotent replay', async () => {
      const key = newKey();
      const created = ok(await graph.run(CREATE_API_KEY, { partnerId: partnerA, label: 'warehouse', key }, partnerAs(partnerA))).createApiKey;
      secrets.push(created.apiKey);
      expect(created.apiKey).toMatch(/^dgk_[a-z2-7]{8}_/);
      expect(created.apiKey.slice(4, 12)).toBe(created.key.prefix);
      const replay = ok(await graph.run(CREATE_API_KEY, { partnerId: partnerA, label: 'warehouse', key }, partnerAs(partnerA))).createApiKey;
      expect(replay).toEqual({ apiKey: null, key: created.key });
      const listed = ok(await graph.run(`query ($id: ID!) { partner(id: $id) { apiKeys { id prefix label } } }`, { id: partnerA }, ADMIN));
      expect(listed.partner.apiKeys).toContainEqual({ id: created.key.id, prefix: created.key.prefix, label: 'warehouse' });
    });
  });

  describe('secrets', () => {
    it('never stores a password, token or API key in clear', async () => {
      expect(secrets.length).toBeGreaterThanOrEqual(5);
      const stored = await storedText(graph);
      expect(stored.length).toBeGreaterThan(1000);
      for (const secret of secrets) expect(stored).not.toContain(secret);
      // The stored forms are there instead.
      expect(stored).toMatch(/scrypt\$32768\$8\$1\$/);
    });

    it('never logs a password, token or API key, and hit no unexpected error', () => {
      const output = logged.join('\n');
      for (const secret of secrets) expect(output).not.toContain(secret);
      expect(output).not.toMatch(/unexpected error/);
    });
  });
});
