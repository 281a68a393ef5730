import { randomBytes } from 'node:crypto';
import { IDENTITY_HEADER, issueViewerToken, signIdentity, signToken, type Viewer } from '@dakgraph/auth';
import { RedisRateLimiter } from '../src/rateLimit';
import { startGateway, startSubgraphs, TEST_SECRETS, type RunningGateway, type RunningSubgraphs } from './support/graph';

/** Who may call, through the gateway and around it. (API keys and logins: see customers.int.test.ts.) */
const clerk: Viewer = {
  kind: 'STAFF', id: 'stf_test', role: 'COUNTER_CLERK', officeId: '110001-baroda-house',
  divisionId: 'delhi/new-delhi-central', partnerId: null, customerId: null,
};
const codes = (body: { errors?: { extensions?: { code?: string } }[] }) => (body.errors ?? []).map((e) => e.extensions?.code);
const query = { query: '{ pincode(code: "110001") { code } }' };

// One set of subgraphs (the directory import is the slow part) and one gateway with the default
// settings; the rate-limit blocks put their own, differently configured gateways in front.
let subgraphs: RunningSubgraphs;
let graph: RunningGateway;
beforeAll(async () => {
  subgraphs = await startSubgraphs();
  graph = await startGateway(subgraphs);
}, 180_000);
afterAll(async () => {
  await graph?.stop();
  await subgraphs?.stop();
});

describe('authentication at the gateway', () => {
  it('serves the public, and refuses a well-signed token whose account does not exist', async () => {
    // (Tokens of real accounts, disabled ones and ended sessions: customers.int.test.ts.)
    expect((await graph.post(query)).body.data.pincode.code).toBe('110001');
    const { token } = issueViewerToken(clerk, TEST_SECRETS.jwtSecret);
    const { status, body } = await graph.post(query, { authorization: `Bearer ${token}` });
    expect(status).toBe(401);
    expect(codes(body)).toEqual(['UNAUTHENTICATED']);
    expect(body.errors[0].message).toMatch(/no longer exists/);
  });

  it('refuses an expired token', async () => {
    const { token } = issueViewerToken(clerk, TEST_SECRETS.jwtSecret, Date.now() - 11 * 3600 * 1000);
    const { status, body } = await graph.post(query, { authorization: `Bearer ${token}` });
    expect(status).toBe(401);
    expect(codes(body)).toEqual(['UNAUTHENTICATED']);
    expect(body.errors[0].message).toMatch(/expired/);
  });

  it('refuses a tampered token, a token signed with another secret, and a malformed header', async () => {
    const { token } = issueViewerToken(clerk, TEST_SECRETS.jwtSecret);
    const [head, payload, signature] = token.split('.');
    const promoted = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), role: 'ADMIN' })).toString('base64url');
    const forged = signToken({ sub: 'stf_x', kind: 'STAFF', role: 'ADMIN' }, 'another-secret-that-is-long-enough-0123456789', { ttlSeconds: 600 });
    for (const authorization of [`Bearer ${head}.${promoted}.${signature}`, `Bearer ${forged}`, 'Basic dXNlcjpwYXNz', 'Bearer']) {
      const { status, body } = await graph.post(query, { authorization });
      expect(status).toBe(401);
      expect(codes(body)).toEqual(['UNAUTHENTICATED']);
    }
  });

  it('refuses a malformed API key without asking anyone', async () => {
    const { body } = await graph.post(query, { 'x-api-key': 'not-a-key' });
    expect(codes(body)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('subgraphs trust only the gateway', () => {
  let officesUrl: string;

  beforeAll(() => {
    officesUrl = subgraphs.urls.offices!;
  });

  const direct = async (headers: Record<string, string>) => {
    const response = await fetch(officesUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(query) });
    return { status: response.status, body: (await response.json()) as any };
  };

  it('refuses a request sent straight to a subgraph with no identity', async () => {
    const { body } = await direct({});
    expect(codes(body)).toEqual(['UNAUTHENTICATED']);
    expect(body.data).toBeUndefined();
  });

  it('refuses a forged identity header', async () => {
    const forged = signIdentity({ ...clerk, role: 'ADMIN' }, 'a-secret-the-attacker-made-up-0123456789abcdef');
    expect(codes((await direct({ [IDENTITY_HEADER]: forged })).body)).toEqual(['UNAUTHENTICATED']);
    const genuine = signIdentity(clerk, TEST_SECRETS.identitySecret);
    const [version, payload, signature] = genuine.split('.');
    const edited = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), role: 'ADMIN' })).toString('base64url');
    expect(codes((await direct({ [IDENTITY_HEADER]: `${version}.${edited}.${signature}` })).body)).toEqual(['UNAUTHENTICATED']);
  });

  it('answers the gateway’s own signed identity', async () => {
    const { body } = await direct({ [IDENTITY_HEADER]: signIdentity(clerk, TEST_SECRETS.identitySecret) });
    expect(body.data.pincode.code).toBe('110001');
  });
});

describe.each([
  ['in memory', () => undefined],
  ['in Redis', () => new RedisRateLimiter(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { keyPrefix: `dakgraph:test:${randomBytes(4).toString('hex')}:` })],
])('rate limits %s', (_where, makeLimiter) => {
  let graph: RunningGateway;

  beforeAll(async () => {
    graph = await startGateway(subgraphs, { rateLimiter: makeLimiter(), rateLimits: { perIpPerMinute: 3, perApiKeyPerMinute: 3, windowSeconds: 2 } });
  }, 180_000);

  afterAll(async () => {
    await graph?.stop();
  });

  it('trips with RATE_LIMITED and a Retry-After, then recovers', async () => {
    for (let i = 0; i < 3; i += 1) expect((await graph.post(query)).status).toBe(200);
    const response = await fetch(graph.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(query) });
    const body = (await response.json()) as any;
    expect(response.status).toBe(429);
    expect(codes(body)).toEqual(['RATE_LIMITED']);
    expect(body.errors[0].extensions.retryAfterSeconds).toBeGreaterThan(0);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, (body.errors[0].extensions.retryAfterSeconds + 0.2) * 1000));
    expect((await graph.post(query)).status).toBe(200);
  }, 20_000);
});

describe('cost limits', () => {
  it('refuses an operation whose lists multiply past the limit, counting variables', async () => {
    const { status, body } = await graph.post({
      query: 'query ($n: Int!) { offices(first: $n) { nodes { circle { offices(first: $n) { nodes { division { offices(first: $n) { nodes { id } } } } } } } } }',
      variables: { n: 100 },
    });
    expect(status).toBe(400);
    expect(codes(body)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(body.errors[0].message).toMatch(/estimated cost is \d+; the limit is 25000/);
  });
});
