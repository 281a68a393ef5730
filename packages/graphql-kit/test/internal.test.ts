import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { z } from 'zod';
import {
  callInternal,
  callInternalRoute,
  close,
  defineInternalRoute,
  describeCallFailure,
  InternalRouteFailure,
  internalRouteUrl,
  listen,
  sendJson,
  serveInternalRoute,
  signedInternalRoute,
} from '../src';

const SECRET = 'internal-test-secret-0123456789abcdefghij';

/** A server whose handler decides per request (counted) what happens to it. */
async function serve(handler: (n: number, req: IncomingMessage, res: ServerResponse) => void) {
  let requests = 0;
  const server = createServer((req, res) => {
    requests += 1;
    handler(requests, req, res);
  });
  const port = await listen(server, 0, '127.0.0.1');
  return { url: `http://127.0.0.1:${port}/internal/x`, requests: () => requests, close: () => close(server) };
}

describe('callInternal', () => {
  it('resends once, on a fresh connection, a call whose connection was dropped', async () => {
    const server = await serve((n, req, res) => {
      if (n === 1) return req.socket.destroy();
      sendJson(res, 200, { partnerId: 'ptn_1' });
    });
    try {
      await expect(callInternal(server.url, SECRET, { key: 'x' })).resolves.toEqual({ status: 200, body: { partnerId: 'ptn_1' } });
      expect(server.requests()).toBe(2);
    } finally {
      await server.close();
    }
  });

  it('gives up after the second dropped connection', async () => {
    const server = await serve((_n, req) => req.socket.destroy());
    try {
      const failure = await callInternal(server.url, SECRET, {}).catch((error: unknown) => error);
      expect((failure as Error).name).toBe('TypeError'); // Node's realm, not Jest's: no instanceof
      expect(describeCallFailure(failure)).toMatch(/^fetch failed \(.+\)$/);
      expect(server.requests()).toBe(2);
    } finally {
      await server.close();
    }
  });

  it('does not resend a call that timed out: the deadline is the whole budget', async () => {
    // The server never answers. (On a loaded machine the deadline may pass before the request even
    // arrives, so the claim is "at most once", not "exactly once".)
    const held: ServerResponse[] = [];
    const server = await serve((_n, _req, res) => held.push(res));
    try {
      const failure = await callInternal(server.url, SECRET, {}, 300).catch((error: unknown) => error);
      expect((failure as Error).name).toBe('TimeoutError');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(server.requests()).toBeLessThanOrEqual(1);
    } finally {
      held.forEach((res) => res.destroy());
      await server.close();
    }
  });

  it('reaches a signed route, which refuses a wrong signature', async () => {
    const route = signedInternalRoute({ path: '/internal/x', identitySecret: SECRET, handle: async (body) => ({ status: 200, body }) });
    const server = await serve((_n, req, res) => void route.handle(req, res));
    try {
      await expect(callInternal(server.url, SECRET, { ids: ['cus_1'] })).resolves.toEqual({ status: 200, body: { ids: ['cus_1'] } });
      expect((await callInternal(server.url, 'another-secret-0123456789abcdefghijklmn', {})).status).toBe(401);
    } finally {
      await server.close();
    }
  });
});

/** A declared route of the shape the real ones have: a refusal status beside the good answer. */
const lookupRoute = defineInternalRoute({
  path: '/internal/lookups',
  requestForm: '{"ids": [up to 3 ids]}',
  request: z.object({ ids: z.array(z.string().max(8)).max(3) }),
  responses: {
    200: z.object({ found: z.array(z.object({ id: z.string(), size: z.int() })) }),
    401: z.object({ error: z.string(), reason: z.enum(['LOCKED']) }),
  },
});

/** Serves `route` behind a real HTTP server; the answer is the test's. */
async function serveRoute(handle: Parameters<typeof serveInternalRoute<typeof lookupRoute>>[2]) {
  const route = serveInternalRoute(lookupRoute, SECRET, handle);
  const server = await serve((_n, req, res) => void route.handle(req, res));
  return { ...server, base: server.url.replace('/internal/x', '') };
}

describe('declared internal routes', () => {
  it("builds the route's URL from a base URL or a GraphQL endpoint", () => {
    expect(internalRouteUrl(lookupRoute, 'http://127.0.0.1:4002/graphql')).toBe('http://127.0.0.1:4002/internal/lookups');
    expect(internalRouteUrl(lookupRoute, ' http://customers.internal// ')).toBe('http://customers.internal/internal/lookups');
    expect(internalRouteUrl(lookupRoute, 'http://10.0.0.5/customers/graphql/')).toBe('http://10.0.0.5/customers/internal/lookups');
  });

  it('hands the handler a parsed request and the client a parsed answer, refusals included', async () => {
    const server = await serveRoute(async ({ ids }) =>
      ids.includes('locked') ? { status: 401, body: { error: 'Locked', reason: 'LOCKED' } } : { status: 200, body: { found: ids.map((id) => ({ id, size: id.length })) } },
    );
    try {
      await expect(callInternalRoute(lookupRoute, server.base, SECRET, { ids: ['a', 'bcd'] })).resolves.toEqual({
        status: 200,
        body: { found: [{ id: 'a', size: 1 }, { id: 'bcd', size: 3 }] },
      });
      await expect(callInternalRoute(lookupRoute, `${server.base}/graphql`, SECRET, { ids: ['locked'] })).resolves.toEqual({
        status: 401,
        body: { error: 'Locked', reason: 'LOCKED' },
      });
    } finally {
      await server.close();
    }
  });

  it('refuses a request outside its schema with 400 naming what is wrong, before the handler runs', async () => {
    const handled = jest.fn(async () => ({ status: 200 as const, body: { found: [] } }));
    const server = await serveRoute(handled);
    try {
      const tooLong = await callInternal(`${server.base}${lookupRoute.path}`, SECRET, { ids: ['a', 'much too long'] });
      expect(tooLong.status).toBe(400);
      expect((tooLong.body as { error: string }).error).toMatch(/^The body must be JSON \{"ids": \[up to 3 ids\]\} \(ids\.1: .+\)$/);
      const missing = await callInternal(`${server.base}${lookupRoute.path}`, SECRET, {});
      expect((missing.body as { error: string }).error).toMatch(/\(ids: .+\)$/);
      expect(handled).not.toHaveBeenCalled();
      // A client that sends what the schema refuses (types are only compile time) learns it as a failure.
      const sent = { ids: ['a', 'b', 'c', 'd'] };
      const failure = await callInternalRoute(lookupRoute, server.base, SECRET, sent).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(InternalRouteFailure);
      expect(describeCallFailure(failure)).toMatch(/answered 400, which the route does not declare: The body must be JSON .*\(ids: .+\)/);
    } finally {
      await server.close();
    }
  });

  it('keeps the signature check and the size limit of every signed route', async () => {
    const server = await serveRoute(async () => ({ status: 200, body: { found: [] } }));
    try {
      const url = `${server.base}${lookupRoute.path}`;
      expect(await callInternal(url, 'another-secret-0123456789abcdefghijklmn', { ids: [] })).toMatchObject({ status: 401, body: { reason: 'BAD_SIGNATURE' } });
      expect((await callInternal(url, SECRET, { ids: ['x'.repeat(2000)] })).status).toBe(413);
      const failure = await callInternalRoute(lookupRoute, server.base, 'another-secret-0123456789abcdefghijklmn', { ids: [] }).catch((error: unknown) => error);
      // A bad signature shares 401 with the route's refusals, but is the deployment's fault: a failure.
      expect(failure).toMatchObject({ name: 'InternalRouteFailure', status: 401 });
      expect(describeCallFailure(failure)).toMatch(/answered 401 \(bad signature: is IDENTITY_SECRET the same everywhere\?\)/);
    } finally {
      await server.close();
    }
  });

  it('fails a call whose answer drifted from the declaration: a wrong body or an undeclared status', async () => {
    const answers = [
      { status: 200, body: { found: [{ id: 'a', size: '1' }] } },
      { status: 200, body: { items: [] } },
      { status: 401, body: { error: 'Locked', reason: 'FROZEN' } },
      { status: 404, body: { error: 'No such thing' } },
    ];
    const server = await serve((n, req, res) => {
      req.resume();
      req.on('end', () => sendJson(res, answers[n - 1]!.status, answers[n - 1]!.body));
    });
    const base = server.url.replace('/internal/x', '');
    try {
      const messages: string[] = [];
      for (let i = 0; i < answers.length; i += 1) {
        const failure = await callInternalRoute(lookupRoute, base, SECRET, { ids: ['a'] }).catch((error: unknown) => error);
        expect(failure).toBeInstanceOf(InternalRouteFailure);
        messages.push(describeCallFailure(failure));
      }
      expect(messages[0]).toMatch(/answered 200 with a body outside its declaration \(found\.0\.size: .+\)/);
      expect(messages[1]).toMatch(/answered 200 with a body outside its declaration \(found: .+\)/);
      expect(messages[2]).toMatch(/answered 401 with a body outside its declaration \(reason: .+\)/);
      expect(messages[3]).toMatch(/answered 404, which the route does not declare: No such thing$/);
    } finally {
      await server.close();
    }
  });

  it('rejects network failures as callInternal does, after its one retry', async () => {
    const server = await serve((_n, req) => req.socket.destroy());
    try {
      const failure = await callInternalRoute(lookupRoute, server.url.replace('/internal/x', ''), SECRET, { ids: [] }).catch((error: unknown) => error);
      expect((failure as Error).name).toBe('TypeError');
      expect(server.requests()).toBe(2);
    } finally {
      await server.close();
    }
  });
});

/**
 * Compile-time half of the contract: a handler answering a body its declaration does not allow, or a
 * status it does not list, does not type-check. Never run; `npm run typecheck` checks it.
 */
export function handlersThatDoNotTypeCheck() {
  // @ts-expect-error size must be an integer (a number), not a string
  serveInternalRoute(lookupRoute, SECRET, async () => ({ status: 200, body: { found: [{ id: 'a', size: '1' }] } }));
  // @ts-expect-error 404 is not a declared status
  serveInternalRoute(lookupRoute, SECRET, async () => ({ status: 404, body: { error: 'missing' } }));
  // @ts-expect-error the request needs ids
  void callInternalRoute(lookupRoute, 'http://x', SECRET, { id: 'a' });
}
