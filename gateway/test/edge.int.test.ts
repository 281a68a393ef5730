import { createServer, request as httpRequest, type Server } from 'node:http';
import { apiKeyVerifyRoute } from '@dakgraph/internal-api';
import { close, listen } from '@dakgraph/graphql-kit';
import { startGateway, startSubgraphs, type RunningGateway, type RunningSubgraphs } from './support/graph';

/**
 * The gateway's edge against what attackers and careless clients send (issue 8): amplification,
 * unsized work, client mistakes, credential floods, oversized requests and a subgraph that is down.
 * The many single bad requests live in the bad-request corpus (badRequests.int.test.ts).
 */
const codes = (body: { errors?: { extensions?: { code?: string } }[] }) => (body.errors ?? []).map((e) => e.extensions?.code);

/** Passes requests through to a subgraph, counting them by path: who reached customers, and how often. */
async function countingProxy(target: string): Promise<{ url: string; count(path: string): number; stop(): Promise<void> }> {
  const counts = new Map<string, number>();
  const origin = new URL(target).origin;
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    counts.set(path, (counts.get(path) ?? 0) + 1);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !['host', 'content-length', 'connection'].includes(name))) as Record<string, string>;
      const answer = await fetch(`${origin}${path}`, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      res.end(Buffer.from(await answer.arrayBuffer()));
    });
  });
  const port = await listen(server, 0, '127.0.0.1');
  return { url: `http://127.0.0.1:${port}${new URL(target).pathname}`, count: (path) => counts.get(path) ?? 0, stop: () => close(server) };
}

/** A port nothing listens on: a subgraph that is down. */
async function deadUrl(): Promise<string> {
  const server = createServer();
  const port = await listen(server, 0, '127.0.0.1');
  await close(server);
  return `http://127.0.0.1:${port}/graphql`;
}

const fragmentBomb = (levels: number) => {
  const fragments = Array.from({ length: levels - 1 }, (_, i) => `fragment F${i + 1} on Query { ...F${i + 2} ...F${i + 2} }`);
  return `{ ...F1 } ${fragments.join(' ')} fragment F${levels} on Query { circles { id name } }`;
};

let subgraphs: RunningSubgraphs;
let graph: RunningGateway;
beforeAll(async () => {
  subgraphs = await startSubgraphs();
  graph = await startGateway(subgraphs, { rateLimits: { perIpPerMinute: 100_000, perApiKeyPerMinute: 100_000, failedAuthPerIpPerMinute: 100_000 } });
}, 180_000);
afterAll(async () => {
  await graph?.stop();
  await subgraphs?.stop();
});

describe('operations that cannot be amplified', () => {
  it('refuses the 20-level fragment bomb at once, while /health stays fast', async () => {
    const query = fragmentBomb(20);
    expect(query.length).toBeLessThan(1_000);
    // CPU time of this process (gateway and subgraphs live here; a refused request reaches no subgraph),
    // not wall time: other test suites share the machine's two cores and stretch wall time at random.
    // The first refusal in a process pays for compiling the code paths it takes; that is not the bomb's
    // cost, so one is sent before measuring. (Warm, a refused bomb costs what `{ __typename }` does.)
    await graph.post({ query });
    const cpuBefore = process.cpuUsage();
    for (let i = 0; i < 5; i += 1) {
      const { status, body } = await graph.post({ query });
      expect(status).toBe(400);
      expect(codes(body)).toEqual(['QUERY_TOO_COMPLEX']);
    }
    const cpu = process.cpuUsage(cpuBefore);
    // Refusing it is linear in the document; expanding it took 6-12 s. This CPU time includes the test's
    // own HTTP client, so the gateway's share is smaller still.
    expect((cpu.user + cpu.system) / 1000 / 5).toBeLessThan(50);
    const bombs = Array.from({ length: 10 }, () => graph.post({ query }));
    const health = await fetch(`${graph.origin}/health`);
    expect(health.status).toBe(200);
    expect((await Promise.all(bombs)).every((r) => r.status === 400)).toBe(true);
  });

  it('refuses a 60-level bomb too: 2^59 spreads, which only an analysis that never expands can answer', async () => {
    const { status, body } = await graph.post({ query: fragmentBomb(60) });
    expect(status).toBe(400);
    expect(codes(body)).toContain('QUERY_TOO_COMPLEX');
  });

  it('counts lists without a first argument at their declared size', async () => {
    const { status, body } = await graph.post({ query: '{ circles { regions { divisions { offices(first: 100) { nodes { id } } } } } }' });
    expect(status).toBe(400);
    expect(codes(body)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(body.errors[0].message).toMatch(/estimated cost is \d+; the limit is 25000/);
  });

  it("counts a variable's default value as the client's size", async () => {
    const { body } = await graph.post({ query: 'query ($n: Int = 100) { circles { regions { divisions { offices(first: $n) { nodes { id } } } } } }' });
    expect(codes(body)).toEqual(['QUERY_TOO_COMPLEX']);
  });

  it('refuses a depth-15 chain through divisions and offices by its cost', async () => {
    const chain = '{ office(id: "110001-baroda-house") { division { offices(first: 100) { nodes { division { offices(first: 100) { nodes { division { offices(first: 100) { nodes { id } } } } } } } } } } }';
    const { body } = await graph.post({ query: chain });
    expect(codes(body)).toEqual(['QUERY_TOO_COMPLEX']);
  });

  it('answers what real clients ask, within the limits', async () => {
    const tracking = await graph.post({
      query: 'query ($a: [String!]!) { trackArticles(articleNumbers: $a) { status events { description office { name } } bookingOffice { name } currentOffice { name } } }',
      variables: { a: Array.from({ length: 500 }, () => 'EE000000014IN') },
    });
    expect(tracking.body.errors).toBeUndefined();
    const page = await graph.post({ query: '{ offices(filter: { circle: "Delhi" }, first: 100) { totalCount nodes { id name circle { name } division { name } region { name } } } }' });
    expect(page.body.errors).toBeUndefined();
  });
});

describe('expensive fields once per operation', () => {
  let proxy: Awaited<ReturnType<typeof countingProxy>>;
  let guarded: RunningGateway;

  beforeAll(async () => {
    proxy = await countingProxy(subgraphs.urls.customers!);
    guarded = await startGateway(subgraphs, { subgraphUrls: { ...subgraphs.urls, customers: proxy.url } });
  });
  afterAll(async () => {
    await guarded?.stop();
    await proxy?.stop();
  });

  it('refuses 50 aliased logins before any password is hashed', async () => {
    const logins = Array.from({ length: 50 }, (_, i) => `l${i}: login(email: "guess${i}@example.in", password: "password number ${i}") { token }`);
    const { status, body } = await guarded.post({ query: `mutation { ${logins.join(' ')} }` });
    expect(status).toBe(400);
    expect(codes(body)).toContain('QUERY_TOO_COMPLEX');
    expect(body.errors.map((e: { message: string }) => e.message).join(' ')).toMatch(/Mutation.login 50 times; it may be selected at most once/);
    expect(proxy.count('/graphql')).toBe(0);
  });
});

describe('credential floods', () => {
  let proxy: Awaited<ReturnType<typeof countingProxy>>;
  const gateways: RunningGateway[] = [];
  const withLimits = async (rateLimits: { perIpPerMinute: number; failedAuthPerIpPerMinute: number }) => {
    const gateway = await startGateway(subgraphs, {
      subgraphUrls: { ...subgraphs.urls, customers: proxy.url },
      rateLimits: { perApiKeyPerMinute: 100_000, ...rateLimits },
    });
    gateways.push(gateway);
    return gateway;
  };
  // Well-formed keys (prefixes are 8 base32 letters) that no partner has.
  const base32 = 'abcdefghijklmnopqrstuvwxyz234567';
  const unknownKey = (i: number) => `dgk_flood${base32[Math.floor(i / 32) % 32]}${base32[i % 32]}x_${'s'.repeat(43)}`;
  const query = { query: '{ circles { id } }' };

  beforeAll(async () => {
    proxy = await countingProxy(subgraphs.urls.customers!);
  });
  afterAll(async () => {
    await Promise.all(gateways.map((g) => g.stop()));
    await proxy?.stop();
  });

  it('asks customers about an unknown API key once, then refuses it from memory', async () => {
    const gateway = await withLimits({ perIpPerMinute: 100_000, failedAuthPerIpPerMinute: 100_000 });
    const before = proxy.count(apiKeyVerifyRoute.path);
    for (let i = 0; i < 20; i += 1) {
      const { status, body } = await gateway.post(query, { 'x-api-key': unknownKey(900) });
      expect(status).toBe(401);
      expect(codes(body)).toEqual(['UNAUTHENTICATED']);
    }
    expect(proxy.count(apiKeyVerifyRoute.path) - before).toBe(1);
  });

  it('throttles a flood of unknown keys with 429, reaching customers at most once per key', async () => {
    const gateway = await withLimits({ perIpPerMinute: 100_000, failedAuthPerIpPerMinute: 10 });
    const before = proxy.count(apiKeyVerifyRoute.path);
    const statuses: number[] = [];
    for (let i = 0; i < 60; i += 1) statuses.push((await gateway.post(query, { 'x-api-key': unknownKey(i % 30) })).status);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(10).every((s) => s === 429)).toBe(true);
    // 10 failures allowed, the 11th pushes the count over: 11 distinct keys asked about, none twice.
    expect(proxy.count(apiKeyVerifyRoute.path) - before).toBe(11);
  });

  it('throttles garbage tokens the same way', async () => {
    const gateway = await withLimits({ perIpPerMinute: 100_000, failedAuthPerIpPerMinute: 5 });
    const answers = [];
    for (let i = 0; i < 8; i += 1) answers.push(await gateway.post(query, { authorization: `Bearer garbage.token.${i}` }));
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    expect(codes(answers[7]!.body)).toEqual(['RATE_LIMITED']);
    expect(answers[7]!.body.errors[0].message).toMatch(/failed authentications/);
  });

  it('counts every request against its IP before looking at its credential', async () => {
    const gateway = await withLimits({ perIpPerMinute: 5, failedAuthPerIpPerMinute: 100_000 });
    const statuses = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await gateway.post(query, { authorization: `Bearer other.garbage.${i}` })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });
});

describe('client mistakes are client errors', () => {
  it.each([
    ['a subscription', { query: 'subscription { circles { id } }' }, 'GRAPHQL_VALIDATION_FAILED', /offers no subscriptions/],
    ['an unknown operationName', { query: 'query A { circles { id } }', operationName: 'B' }, 'BAD_REQUEST', /no operation named "B"/],
    ['two operations without an operationName', { query: 'query A { circles { id } } query B { circles { name } }' }, 'BAD_REQUEST', /say which to run with operationName/],
    ['a Float literal that overflows', { query: '{ encodeDigipin(latitude: 1e999, longitude: 77) { code } }' }, 'BAD_USER_INPUT', /latitude.*1e999/],
    ['an overflowing nearestOffices point', { query: '{ nearestOffices(near: { latitude: 28.6, longitude: 1e999 }) { distanceMeters } }' }, 'BAD_USER_INPUT', /near.longitude/],
    ['a persisted query whose hash does not match', { query: '{ circles { id } }', extensions: { persistedQuery: { version: 1, sha256Hash: 'abc' } } }, 'BAD_REQUEST', /sha does not match/],
    ['a NUL character in an argument', { query: '{ searchOffices(text: "a\\u0000b") { id } }' }, 'BAD_USER_INPUT', /Argument "text" of searchOffices contains a NUL/],
    ['a NUL character in a variable', { query: 'query ($t: String!) { searchOffices(text: $t) { id } }', variables: { t: 'a\u0000b' } }, 'BAD_USER_INPUT', /\$t \(argument "text" of searchOffices\)/],
  ])('%s is HTTP 400 with a code', async (_what, body, code, message) => {
    const response = await graph.post(body);
    expect(response.status).toBe(400);
    expect(codes(response.body)).toEqual([code]);
    expect(response.body.errors[0].message).toMatch(message);
  });

  it('a variable that overflows to Infinity is BAD_USER_INPUT', async () => {
    const response = await graph.post('{"query":"query($x: Float!) { encodeDigipin(latitude: $x, longitude: 77) { code } }","variables":{"x":1e999}}');
    expect(response.status).toBe(400);
    expect(codes(response.body)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('every answer is GraphQL-shaped', () => {
  /** A raw HTTP exchange, so a reset connection shows as an error rather than being retried. */
  const raw = (options: { headers?: Record<string, string>; body?: (write: (chunk: Buffer) => boolean, end: () => void) => void }) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const url = new URL(graph.url);
      const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', ...options.headers } }, (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      if (options.body) options.body((chunk) => req.write(chunk), () => req.end());
      else req.end('{"query":"{ circles { id } }"}');
    });

  it('answers headers over 16 KB with a JSON 431', async () => {
    const { status, body } = await raw({ headers: { 'x-padding': 'a'.repeat(20_000) } });
    expect(status).toBe(431);
    expect(JSON.parse(body).errors[0].extensions.code).toBe('HEADERS_TOO_LARGE');
  });

  it('answers a 3 MB chunked body with a JSON 413 instead of dropping the connection', async () => {
    const { status, body } = await raw({
      headers: { 'transfer-encoding': 'chunked' },
      body: (write, end) => {
        const chunk = Buffer.alloc(64 * 1024, 'a');
        let sent = 0;
        const pump = () => {
          while (sent < 3 * 1024 * 1024) {
            sent += chunk.length;
            if (!write(chunk)) return void setImmediate(pump);
          }
          end();
        };
        write(Buffer.from('{"query":"'));
        pump();
      },
    });
    expect(status).toBe(413);
    expect(JSON.parse(body).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('a subgraph that is down', () => {
  let degraded: RunningGateway;
  beforeAll(async () => {
    degraded = await startGateway(subgraphs, { subgraphUrls: { ...subgraphs.urls, articles: await deadUrl() } });
  });
  afterAll(async () => {
    await degraded?.stop();
  });

  it('answers queries that need only healthy subgraphs', async () => {
    const { status, body } = await degraded.post({ query: '{ circles { id } }' });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.circles.length).toBeGreaterThan(20);
  });

  it("gives partial data and names the missing service, without its address", async () => {
    const silenced = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const { status, body } = await degraded.post({ query: '{ circles { id } article(articleNumber: "EE000000014IN") { status } }' });
      expect(status).toBe(200);
      expect(body.data.circles.length).toBeGreaterThan(20);
      expect(body.data.article).toBeNull();
      expect(codes(body)).toEqual(['SERVICE_UNAVAILABLE']);
      expect(body.errors[0].extensions.service).toBe('articles');
      expect(body.errors[0].message).toMatch(/articles service is unavailable/);
      expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
    } finally {
      silenced.mockRestore();
    }
  });
});
