import { readFileSync } from 'node:fs';
import path from 'node:path';
import { adminLogin, staffLogin, startGateway, startSubgraphs, type RunningGateway, type RunningSubgraphs } from './support/graph';

/**
 * The bad-request corpus (test/fixtures/bad-requests.json) against the whole graph over HTTP: every
 * case must be refused with its code (and status, where the case fixes one), never with a 5xx or an
 * INTERNAL_SERVER_ERROR, and never with a stack trace, a path, a subgraph URL or SQL in the body. One
 * test per kind reports every case of that kind that misbehaves.
 */
interface BadRequest {
  /** An object is sent as JSON; a string is sent verbatim. */
  body?: unknown;
  /** application/json by default; "" sends no content type. */
  contentType?: string;
  /** POST by default. */
  method?: string;
  /** The query string of a GET, e.g. "?query=...". */
  search?: string;
  /** /graphql by default. */
  path?: string;
  headers?: Record<string, string>;
}

interface Case {
  name: string;
  request: BadRequest;
  code?: string;
  codes?: string[];
  status?: number;
}

interface Corpus {
  description: string;
  kinds: Record<string, { about: string; cases: Case[] }>;
}

const corpus: Corpus = JSON.parse(readFileSync(path.join(__dirname, 'fixtures', 'bad-requests.json'), 'utf8'));
const kinds = Object.keys(corpus.kinds);

const ADMIN_PASSWORD = 'bad requests admin passphrase 0001';
const CONCURRENCY = 8;
const REQUEST_TIMEOUT_MS = 60_000;

/** What no error body may contain: stack frames, file paths, SQL and the like. */
const INTERNAL_DETAIL = ['    at ', 'node_modules', '/work/', '.ts:', 'prisma', 'Prisma', 'SELECT '];

/** Runs `work` over `items`, at most `limit` at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

const excerpt = (text: string) => (text.length > 300 ? `${text.slice(0, 300)}…` : text);

describe('bad requests through the gateway', () => {
  let subgraphs: RunningSubgraphs;
  let graph: RunningGateway;
  let placeholders: Record<string, string>;
  let leaks: string[];
  // The server logs refused and unexpected requests; keep the test output to the report.
  const spies = (['log', 'info', 'warn', 'error'] as const).map((level) => jest.spyOn(console, level).mockImplementation(() => undefined));

  const fill = (text: string) => text.replace(/\{\{(adminToken|partnerKey|postmanToken|deviceId)\}\}/g, (_, name: string) => placeholders[name]!);

  beforeAll(async () => {
    subgraphs = await startSubgraphs();
    graph = await startGateway(subgraphs, {
      rateLimits: { perIpPerMinute: 1_000_000, perApiKeyPerMinute: 1_000_000, failedAuthPerIpPerMinute: 1_000_000 },
      credentialCacheSeconds: 0,
    });
    const adminToken = (await adminLogin(graph, subgraphs.db, ADMIN_PASSWORD)).token;
    const asAdmin = (query: string, variables?: object) => graph.post({ query, variables }, { authorization: `Bearer ${adminToken}` });
    const partner = await asAdmin(
      'mutation ($input: CreatePartnerInput!) { createPartner(input: $input, idempotencyKey: "bad-requests-partner") { id } }',
      {
        input: {
          name: 'Bad Requests Logistics', contactEmail: 'ops@bad-requests.test', discountBasisPoints: 500, codAllowed: true,
          remittanceAccount: { holder: 'Bad Requests Logistics', accountNumber: '123456789012', ifsc: 'SBIN0000691' },
        },
      },
    );
    const key = await asAdmin(
      'mutation ($id: ID!) { createApiKey(partnerId: $id, label: "bad requests", idempotencyKey: "bad-requests-key") { apiKey } }',
      { id: partner.body.data.createPartner.id },
    );
    // A postman with a registered handheld, for the offline delivery sync (only postmen get past its access rule).
    await asAdmin('mutation ($input: CreateStaffUserInput!) { createStaffUser(input: $input, idempotencyKey: "bad-requests-postman") { id } }', {
      input: { name: 'Bad Requests Postman', email: 'postman@bad-requests.test', password: ADMIN_PASSWORD, role: 'POSTMAN', officeId: '400001-mumbai' },
    });
    const postmanToken = (await staffLogin(graph, 'postman@bad-requests.test', ADMIN_PASSWORD)).token;
    const device = await graph.post(
      { query: 'mutation { registerDeliveryDevice(label: "bad requests handheld", idempotencyKey: "bad-requests-device") { device { id } } }' },
      { authorization: `Bearer ${postmanToken}` },
    );
    placeholders = { adminToken, partnerKey: key.body.data.createApiKey.apiKey, postmanToken, deviceId: device.body.data.registerDeliveryDevice.device.id };
    expect(placeholders.deviceId).toMatch(/^dev_/);
    expect(placeholders.partnerKey).toMatch(/^dgk_/);
    // Subgraph URLs and addresses must never reach a client.
    leaks = [...INTERNAL_DETAIL];
    for (const url of Object.values(subgraphs.urls)) leaks.push(url, new URL(url).host, `localhost:${new URL(url).port}`);
  }, 240_000);

  afterAll(async () => {
    await graph?.stop();
    await subgraphs?.stop();
    spies.forEach((spy) => spy.mockRestore());
  });

  async function send(request: BadRequest): Promise<{ status: number; text: string }> {
    const method = request.method ?? 'POST';
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = fill(value);
    let body: Buffer | undefined;
    if (request.body !== undefined && method !== 'GET' && method !== 'HEAD') {
      body = Buffer.from(fill(typeof request.body === 'string' ? request.body : JSON.stringify(request.body)), 'utf8');
      const contentType = request.contentType ?? 'application/json';
      // A Buffer body gets no content type from fetch, so "" really sends none.
      if (contentType !== '' && !('content-type' in headers)) headers['content-type'] = contentType;
    }
    const url = `${graph.origin}${request.path ?? '/graphql'}${fill(request.search ?? '')}`;
    const response = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    return { status: response.status, text: await response.text() };
  }

  /** What is wrong with the answer to `c`; empty when it is as expected. */
  function problemsOf(c: Case, status: number, text: string): string[] {
    const problems: string[] = [];
    if (status >= 500) problems.push(`status ${status}`);
    if (c.status !== undefined && status !== c.status) problems.push(`status ${status}, not ${c.status}`);
    let body: { errors?: { extensions?: { code?: unknown } }[] } | null = null;
    try {
      body = JSON.parse(text);
    } catch {
      problems.push('body is not JSON');
    }
    if (body) {
      const errors = Array.isArray(body.errors) ? body.errors : [];
      if (errors.length === 0) problems.push('no errors');
      const expected = c.codes ?? [c.code];
      const first = errors[0]?.extensions?.code;
      if (errors.length && !expected.includes(first as string)) problems.push(`code ${String(first)}, not ${expected.join(' or ')}`);
      if (errors.some((e) => e?.extensions?.code === 'INTERNAL_SERVER_ERROR')) problems.push('an INTERNAL_SERVER_ERROR');
    }
    for (const leak of leaks) if (text.includes(leak)) problems.push(`body contains ${JSON.stringify(leak)}`);
    return problems;
  }

  it('has a corpus of at least 500 cases, each named once in its kind and with a code', () => {
    const all = Object.values(corpus.kinds).flatMap((k) => k.cases);
    expect(all.length).toBeGreaterThanOrEqual(500);
    expect(corpus.description.length).toBeGreaterThan(0);
    for (const [kind, { about, cases }] of Object.entries(corpus.kinds)) {
      expect({ kind, about: typeof about, empty: cases.length === 0 }).toEqual({ kind, about: 'string', empty: false });
      const names = cases.map((c) => c.name);
      expect({ kind, duplicates: names.filter((n, i) => names.indexOf(n) !== i) }).toEqual({ kind, duplicates: [] });
      for (const c of cases) {
        const hasCode = typeof c.code === 'string' || (Array.isArray(c.codes) && c.codes.length > 0 && c.codes.every((x) => typeof x === 'string'));
        expect({ kind, name: c.name, hasCode, hasRequest: typeof c.request === 'object' }).toEqual({ kind, name: c.name, hasCode: true, hasRequest: true });
      }
    }
  });

  it.each(kinds)('refuses every %s case with its code', async (kind) => {
    const failures: string[] = [];
    await eachLimited(corpus.kinds[kind]!.cases, CONCURRENCY, async (c) => {
      let answer: { status: number; text: string };
      try {
        answer = await send(c.request);
      } catch (error) {
        failures.push(`${c.name}: the request failed: ${(error as Error).message}`);
        return;
      }
      const problems = problemsOf(c, answer.status, answer.text);
      if (problems.length) failures.push(`${c.name}: ${problems.join('; ')} — got ${answer.status} ${excerpt(answer.text)}`);
    });
    expect(failures).toEqual([]);
  }, 120_000);

  it('is healthy afterwards', async () => {
    const health = await fetch(`${graph.origin}/health`);
    expect(health.status).toBe(200);
    const { status, body } = await graph.post({ query: '{ circles { id } }' });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.circles.length).toBeGreaterThan(0);
  });
});
