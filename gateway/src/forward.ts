import { readBodyOrRefuse, sendJson, type HttpRoute } from '@dakgraph/graphql-kit';

/**
 * Plain HTTP routes the gateway passes through to one subgraph, for callers that do not speak GraphQL:
 * the payment provider's callbacks (`POST /payments/callback`, to payments). The body goes on byte for
 * byte (its signature covers the exact bytes) with the headers the subgraph needs to verify it; the
 * subgraph's status and JSON answer come back unchanged, so the provider sees the real verdict (a 401
 * for a bad signature, 200 for a replay). The gateway adds nothing and trusts nothing: verification is
 * the subgraph's.
 */
export interface ForwardedRoute {
  path: string;
  /** The subgraph's base URL (its GraphQL endpoint is accepted: "/graphql" is dropped). */
  target: string;
  /** The request headers passed on. */
  headers: readonly string[];
  maxBodyBytes: number;
  timeoutMs?: number;
}

export function forwardedRoute(route: ForwardedRoute): HttpRoute {
  const url = `${route.target.trim().replace(/\/+$/, '').replace(/\/graphql$/, '')}${route.path}`;
  return {
    method: 'POST',
    path: route.path,
    async handle(req, res) {
      const body = await readBodyOrRefuse(req, res, route.maxBodyBytes, (message) => ({
        error: message,
        reason: 'TOO_LARGE',
        errors: [{ message, extensions: { code: 'PAYLOAD_TOO_LARGE' } }],
      }));
      if (body === null) return;
      const headers: Record<string, string> = {};
      for (const name of route.headers) {
        const value = req.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      let answer: Response;
      try {
        answer = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(route.timeoutMs ?? 10_000) });
      } catch (error) {
        console.error(`[gateway] ${route.path}: ${url} unreachable: ${(error as Error).message}`);
        // 502 tells the provider to send it again later; nothing was recorded.
        const message = 'The payments service cannot be reached right now; send the callback again later';
        sendJson(res, 502, { error: message, reason: 'UPSTREAM_UNAVAILABLE', errors: [{ message, extensions: { code: 'SERVICE_UNAVAILABLE' } }] });
        return;
      }
      const text = await answer.text();
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end(text);
    },
  };
}
