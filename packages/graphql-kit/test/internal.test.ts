import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { callInternal, close, describeCallFailure, listen, sendJson, signedInternalRoute } from '../src';

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
