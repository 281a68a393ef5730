import { INTERNAL_SIGNATURE_HEADER, sessionFromToken, signInternalCall } from '@dakgraph/auth';
import { callInternal, close, listen } from '@dakgraph/graphql-kit';
import { API_KEY_VERIFY_PATH, CUSTOMER_OWNERS_PATH, PARTNER_TERMS_PATH, SESSION_VERIFY_PATH } from '../src/server';
import {
  ADMIN, CREATE_API_KEY, CREATE_CUSTOMER, CREATE_STAFF, ENGINES, OFFICES, TEST_IDENTITY_SECRET, TEST_JWT_SECRET, codesOf, createPartner,
  newKey, ok, partnerAs, staffAs, startCustomers,
  type CustomersHarness,
} from './support';

/** The gateway's side of the contract: a signed POST of {"key": ...}. */
async function verify(baseUrl: string, body: string, signature: string | null = signInternalCall(TEST_IDENTITY_SECRET, body)) {
  const response = await fetch(`${baseUrl}${API_KEY_VERIFY_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signature === null ? {} : { [INTERNAL_SIGNATURE_HEADER]: signature }) },
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
const verifyKey = (baseUrl: string, key: unknown) => verify(baseUrl, JSON.stringify({ key }));

describe.each(ENGINES)('API key verification for the gateway over HTTP on %s', (engine) => {
  let graph: CustomersHarness;
  let baseUrl: string;
  let partner: string;

  beforeAll(async () => {
    graph = await startCustomers(engine);
    const port = await listen(graph.subgraph.http, 0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${port}`;
    partner = await createPartner(graph, 'Keyed Partner');
  }, 180_000);

  afterAll(async () => {
    if (graph) await close(graph.subgraph.http);
    await graph?.close();
  });

  const newApiKey = async (label: string) =>
    ok(await graph.run(CREATE_API_KEY, { partnerId: partner, label, key: newKey() }, partnerAs(partner))).createApiKey as {
      apiKey: string;
      key: { id: string; prefix: string };
    };

  it('accepts a new key, records its use at most once a minute, then refuses it once revoked', async () => {
    const created = await newApiKey('checkout');
    const first = await verifyKey(baseUrl, created.apiKey);
    expect(first).toEqual({ status: 200, body: { partnerId: partner, keyId: created.key.id, prefix: created.key.prefix } });

    const lastUsed = async () =>
      (await graph.db.query<{ last_used_at: Date | null }>('SELECT last_used_at FROM customers.api_key WHERE id = $1', [created.key.id]))[0]!
        .last_used_at;
    const stamped = await lastUsed();
    expect(stamped).not.toBeNull();
    expect((await verifyKey(baseUrl, created.apiKey)).status).toBe(200);
    expect(await lastUsed()).toEqual(stamped);
    // A minute later, the next use is recorded again.
    await graph.db.query(`UPDATE customers.api_key SET last_used_at = now() - interval '61 seconds' WHERE id = $1`, [created.key.id]);
    const aged = await lastUsed();
    expect((await verifyKey(baseUrl, created.apiKey)).status).toBe(200);
    expect((await lastUsed())!.getTime()).toBeGreaterThan(aged!.getTime());

    const REVOKE = `mutation ($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }`;
    const revoked = ok(await graph.run(REVOKE, { id: created.key.id }, partnerAs(partner))).revokeApiKey;
    expect(revoked.revokedAt).not.toBeNull();
    // Revoking twice is fine and keeps the first time.
    expect(ok(await graph.run(REVOKE, { id: created.key.id }, ADMIN)).revokeApiKey).toEqual(revoked);
    expect(await verifyKey(baseUrl, created.apiKey)).toEqual({ status: 401, body: { error: expect.any(String), reason: 'REVOKED' } });
  });

  it('refuses a key of a suspended partner, and accepts it again when reactivated', async () => {
    const created = await newApiKey('suspension');
    const SET = `mutation ($id: ID!, $status: PartnerStatus!) { setPartnerStatus(id: $id, status: $status) { status } }`;
    expect(codesOf(await graph.run(SET, { id: partner, status: 'SUSPENDED' }, partnerAs(partner)))).toEqual(['FORBIDDEN']);
    expect(ok(await graph.run(SET, { id: partner, status: 'SUSPENDED' }, ADMIN)).setPartnerStatus.status).toBe('SUSPENDED');
    expect((await verifyKey(baseUrl, created.apiKey)).body.reason).toBe('PARTNER_SUSPENDED');
    ok(await graph.run(SET, { id: partner, status: 'ACTIVE' }, ADMIN));
    expect((await verifyKey(baseUrl, created.apiKey)).status).toBe(200);
  });

  it('refuses unknown, altered and malformed keys with 401', async () => {
    const created = await newApiKey('tampering');
    const altered = created.apiKey.slice(0, -1) + (created.apiKey.endsWith('A') ? 'B' : 'A');
    expect(await verifyKey(baseUrl, altered)).toEqual({ status: 401, body: { error: expect.any(String), reason: 'UNKNOWN' } });
    const unknownPrefix = `dgk_aaaaaaaa_${created.apiKey.slice(13)}`;
    expect((await verifyKey(baseUrl, unknownPrefix)).body.reason).toBe('UNKNOWN');
    for (const malformed of ['', 'dgk_short', 'Bearer something', created.apiKey + 'x']) {
      expect(await verifyKey(baseUrl, malformed)).toEqual({ status: 401, body: { error: expect.any(String), reason: 'MALFORMED' } });
    }
  });

  it('refuses a call without the right signature before looking at the key', async () => {
    const created = await newApiKey('signature');
    const body = JSON.stringify({ key: created.apiKey });
    expect(await verify(baseUrl, body, null)).toEqual({ status: 401, body: { error: expect.any(String), reason: 'BAD_SIGNATURE' } });
    expect((await verify(baseUrl, body, signInternalCall('another-secret-of-at-least-32-bytes-long!', body))).status).toBe(401);
    // A signature of a different body does not carry over.
    expect((await verify(baseUrl, body, signInternalCall(TEST_IDENTITY_SECRET, JSON.stringify({ key: 'x' })))).status).toBe(401);
  });

  it('refuses bodies that are not a small {"key": string}', async () => {
    expect((await verify(baseUrl, 'not json')).status).toBe(400);
    expect((await verify(baseUrl, JSON.stringify({ key: 42 }))).status).toBe(400);
    expect((await verify(baseUrl, JSON.stringify({ key: 'x'.repeat(2000) }))).status).toBe(413);
    const get = await fetch(`${baseUrl}${API_KEY_VERIFY_PATH}`);
    expect(get.status).toBe(404);
  });

  it('answers the other internal routes: partner terms and customer owners, signed only', async () => {
    const terms = await callInternal(`${baseUrl}${PARTNER_TERMS_PATH}`, TEST_IDENTITY_SECRET, { partnerId: partner });
    expect(terms).toMatchObject({ status: 200, body: { partnerId: partner, status: 'ACTIVE', codAllowed: expect.any(Boolean) } });
    expect((await callInternal(`${baseUrl}${PARTNER_TERMS_PATH}`, TEST_IDENTITY_SECRET, { partnerId: 'ptn_nobody' })).status).toBe(404);
    const own = ok(await graph.run(CREATE_CUSTOMER, { input: { kind: 'INDIVIDUAL', name: 'Owned', phone: '98765 43210' }, key: newKey() }, partnerAs(partner)));
    const owners = await callInternal(`${baseUrl}${CUSTOMER_OWNERS_PATH}`, TEST_IDENTITY_SECRET, { ids: [own.createCustomer.id, 'cus_nobody'] });
    expect(owners).toEqual({ status: 200, body: { customers: [{ id: own.createCustomer.id, partnerId: partner }] } });
    expect((await callInternal(`${baseUrl}${CUSTOMER_OWNERS_PATH}`, 'not-the-secret-0123456789abcdefghijklmn', { ids: [] })).status).toBe(401);
    expect((await callInternal(`${baseUrl}${CUSTOMER_OWNERS_PATH}`, TEST_IDENTITY_SECRET, { ids: 'cus_x' })).status).toBe(400);
  });

  it('answers the session check: open, signed out, disabled, unknown, and a bad body', async () => {
    const email = `session-${newKey()}@dakgraph.test`.toLowerCase();
    const staff = ok(
      await graph.run(CREATE_STAFF, {
        input: { name: 'Sita Session', email, role: 'POSTMAN', officeId: OFFICES.connaughtPlace.id, password: 'postman password 000001' },
        key: newKey(),
      }, ADMIN),
    ).createStaffUser;
    const ask = (sessionVersion: unknown, id: unknown = staff.id, kind: unknown = 'STAFF') =>
      callInternal(`${baseUrl}${SESSION_VERIFY_PATH}`, TEST_IDENTITY_SECRET, { kind, id, sessionVersion });
    expect(await ask(0)).toEqual({ status: 200, body: {} });

    const postman = staffAs('POSTMAN', OFFICES.connaughtPlace, staff.id);
    expect(ok(await graph.run('mutation { signOutEverywhere }', {}, postman)).signOutEverywhere).toBe(true);
    expect(await ask(0)).toMatchObject({ status: 401, body: { reason: 'SIGNED_OUT' } });
    expect((await ask(1)).status).toBe(200);

    const changed = await graph.run(
      'mutation ($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) { token } }',
      { c: 'postman password 000001', n: 'postman password 000002' },
      postman,
    );
    expect(sessionFromToken(ok(changed).changePassword.token, TEST_JWT_SECRET).sessionVersion).toBe(2);
    expect(await ask(1)).toMatchObject({ status: 401, body: { reason: 'SIGNED_OUT' } });

    ok(await graph.run('mutation ($id: ID!) { setStaffUserActive(id: $id, active: false) { active } }', { id: staff.id }, ADMIN));
    expect(await ask(3)).toMatchObject({ status: 401, body: { reason: 'DISABLED' } });
    expect(await ask(0, 'stf_nobody')).toMatchObject({ status: 401, body: { reason: 'UNKNOWN' } });
    expect(await ask(0, 'cus_nobody', 'CUSTOMER')).toMatchObject({ status: 401, body: { reason: 'UNKNOWN' } });
    const badBodies: [unknown, unknown?, unknown?][] = [[-0.5], ['1'], [0, ''], [0, staff.id, 'PARTNER']];
    for (const bad of badBodies) expect((await ask(...bad)).status).toBe(400);
  });

  it('is not reachable through GraphQL without the gateway', async () => {
    const response = await fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ viewer { kind } }' }),
    });
    const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
