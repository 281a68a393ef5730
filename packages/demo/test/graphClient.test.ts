import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { aliasedDocument, describeError, GraphClient, GraphRefusal, MAX_ALIASES, runAliased } from '../src/graphClient';
import { BOOK_AT_COUNTER } from '../src/operations';

/**
 * The client against a stand-in gateway (a local HTTP server answering as the real one does): it waits
 * out RATE_LIMITED and says which variables lift the limit, sends fifty aliased fields to a request, and
 * shows the graph's errors with their extensions.code, naming the item an error's path points at.
 */

type Handler = (body: { query: string; variables: Record<string, unknown> }, headers: http.IncomingHttpHeaders) => { status: number; body: unknown; headers?: Record<string, string> };

async function standIn(handler: Handler): Promise<{ url: string; close(): Promise<void>; requests: { query: string; variables: Record<string, unknown> }[] }> {
  const requests: { query: string; variables: Record<string, unknown> }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      requests.push(body);
      const answer = handler(body, req.headers);
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/graphql`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('the graph client', () => {
  it('waits out RATE_LIMITED for retryAfterSeconds, once telling which variables lift the limit, then carries on', async () => {
    let calls = 0;
    const gateway = await standIn(() =>
      ++calls === 1
        ? {
            status: 429,
            headers: { 'retry-after': '1' },
            body: { errors: [{ message: 'Too many requests from this address: the limit is 600 per 60 s; retry after 1 s', extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 1 } }] },
          }
        : { status: 200, body: { data: { ok: true } } },
    );
    const lines: string[] = [];
    const client = new GraphClient({ url: gateway.url, log: (line) => lines.push(line) });
    const started = Date.now();
    await expect(client.call('try', '{ ok }', {}, { token: 't' })).resolves.toEqual({ ok: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(client.stats).toMatchObject({ requests: 2, rateLimitedWaits: 1 });
    expect(lines.join('\n')).toMatch(/RATE_LIMITED.*RATE_LIMIT_PER_IP_PER_MINUTE=1000000/);
    await gateway.close();
  });

  it('sends credentials as the gateway reads them', async () => {
    const seen: http.IncomingHttpHeaders[] = [];
    const gateway = await standIn((_, headers) => {
      seen.push(headers);
      return { status: 200, body: { data: {} } };
    });
    const client = new GraphClient({ url: gateway.url, log: () => undefined });
    await client.call('as staff', '{ a }', {}, { token: 'tok' });
    await client.call('as partner', '{ a }', {}, { apiKey: 'dgk_x_y' });
    expect(seen[0]!.authorization).toBe('Bearer tok');
    expect(seen[1]!['x-api-key']).toBe('dgk_x_y');
    await gateway.close();
  });

  it('puts at most fifty aliased fields in a request, and answers them in order', async () => {
    const gateway = await standIn(({ variables }) => {
      const count = Object.keys(variables).filter((name) => name.startsWith('key')).length;
      return { status: 200, body: { data: Object.fromEntries(Array.from({ length: count }, (_, i) => [`f${i}`, { article: { articleNumber: variables[`key${i}`] } }])) } };
    });
    const client = new GraphClient({ url: gateway.url, log: () => undefined });
    const items = Array.from({ length: 120 }, (_, i) => ({ input: { n: i }, key: `key-${i}` }));
    const answers = await runAliased<{ article: { articleNumber: string } }>(client, 'book', BOOK_AT_COUNTER, items, { token: 't' });
    expect(answers.map((answer) => answer.article.articleNumber)).toEqual(items.map((item) => item.key));
    expect(gateway.requests).toHaveLength(3);
    expect(gateway.requests.map((request) => (request.query.match(/f\d+: bookArticle/g) ?? []).length)).toEqual([MAX_ALIASES, MAX_ALIASES, 20]);
    await gateway.close();
  });

  it("shows the graph's refusal with its code, message and invalid items, naming the item the error's path points at", async () => {
    const gateway = await standIn(() => ({
      status: 200,
      body: {
        data: null,
        errors: [
          {
            message: 'Article EE000000014IN (BOOKED): BAG_DISPATCHED is not possible',
            path: ['f1'],
            extensions: { code: 'BAD_USER_INPUT', invalidItems: [{ index: 0, field: 'events[0].type', message: 'not possible' }] },
          },
        ],
      },
    }));
    const client = new GraphClient({ url: gateway.url, log: () => undefined });
    const refusal = await runAliased(client, 'counter booking', BOOK_AT_COUNTER, [{ input: {}, key: 'a' }, { input: {}, key: 'b' }], null, (i) => `article #${i}`).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(GraphRefusal);
    expect((refusal as GraphRefusal).code).toBe('BAD_USER_INPUT');
    expect((refusal as GraphRefusal).message).toBe(
      'counter booking (article #1): BAD_USER_INPUT: Article EE000000014IN (BOOKED): BAG_DISPATCHED is not possible [invalidItems: #0 events[0].type: not possible]',
    );
    await gateway.close();
  });

  it('says the gateway cannot be reached, quickly, when nothing listens', async () => {
    const client = new GraphClient({ url: 'http://127.0.0.1:9/graphql', log: () => undefined });
    const started = Date.now();
    await expect(client.call('log in', '{ a }', {}, null)).rejects.toThrow(/SERVICE_UNAVAILABLE: The gateway at http:\/\/127.0.0.1:9\/graphql cannot be reached/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('writes aliased documents with one variable set per field', () => {
    expect(aliasedDocument({ operation: 'Op', field: 'f', variables: { input: 'In!', key: 'String!' }, args: 'input: $input, idempotencyKey: $key', selection: '{ id }' }, 2)).toBe(
      'mutation Op($input0: In!, $key0: String!, $input1: In!, $key1: String!) { f0: f(input: $input0, idempotencyKey: $key0) { id } f1: f(input: $input1, idempotencyKey: $key1) { id } }',
    );
    expect(describeError({ message: 'no', extensions: { code: 'FORBIDDEN', field: 'input.officeId' } })).toBe('FORBIDDEN: no [field input.officeId]');
    expect(describeError({ message: 'oops' })).toBe('INTERNAL_SERVER_ERROR: oops');
  });
});
