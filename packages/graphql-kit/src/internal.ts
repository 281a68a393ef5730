import { INTERNAL_SIGNATURE_HEADER, signInternalCall, verifyInternalCall } from '@dakgraph/auth';
import { BodyTooLarge, readBody, sendJson, type HttpRoute } from './http';

/**
 * Service-to-service calls inside dakgraph that are not part of the public graph (the gateway checking
 * an API key, articles reading a partner's contract terms). The body is signed with the deployment's
 * identity secret, so only dakgraph's own services can call them; they are plain JSON over HTTP.
 */
export interface InternalAnswer {
  status: number;
  body: unknown;
}

export interface SignedInternalRouteOptions {
  path: string;
  identitySecret: string;
  /** Internal requests are small; anything larger is refused unread. */
  maxBodyBytes?: number;
  /** Called with the parsed JSON body of a correctly signed request. */
  handle(body: unknown): Promise<InternalAnswer>;
}

export function signedInternalRoute(options: SignedInternalRouteOptions): HttpRoute {
  const limit = options.maxBodyBytes ?? 1024;
  return {
    method: 'POST',
    path: options.path,
    async handle(req, res) {
      let raw: string;
      try {
        raw = await readBody(req, limit);
      } catch (error) {
        if (!(error instanceof BodyTooLarge)) throw error;
        res.setHeader('connection', 'close');
        sendJson(res, 413, { error: `The body is larger than ${limit} bytes` });
        return;
      }
      const signature = req.headers[INTERNAL_SIGNATURE_HEADER];
      if (!verifyInternalCall(options.identitySecret, raw, Array.isArray(signature) ? signature[0] : signature)) {
        sendJson(res, 401, { error: 'The internal call signature is missing or wrong', reason: 'BAD_SIGNATURE' });
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        sendJson(res, 400, { error: 'The body must be JSON' });
        return;
      }
      const answer = await options.handle(body);
      sendJson(res, answer.status, answer.body);
    },
  };
}

/**
 * Calls a signed internal route; network failures and timeouts reject. Internal routes only read, so a
 * call that failed at the connection (a pooled keep-alive socket the other side closed just as it was
 * reused: "fetch failed", ECONNRESET) is sent once more on a fresh connection, within the same deadline.
 * A timeout is not retried: the deadline is the caller's whole budget.
 */
export async function callInternal(url: string, identitySecret: string, payload: unknown, timeoutMs = 5_000): Promise<InternalAnswer> {
  const body = JSON.stringify(payload);
  const signal = AbortSignal.timeout(timeoutMs);
  const send = () =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [INTERNAL_SIGNATURE_HEADER]: signInternalCall(identitySecret, body) },
      body,
      signal,
    });
  let response: Response;
  try {
    response = await send();
  } catch (error) {
    if (signal.aborted || !isConnectionFailure(error)) throw error;
    response = await send();
  }
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = { error: text.slice(0, 200) };
  }
  return { status: response.status, body: parsed };
}

/**
 * Node's fetch reports every connection-level failure as a TypeError "fetch failed" (the cause says
 * which). Checked by name, not instanceof: the error comes from Node's own realm, which is not the
 * caller's under Jest's VM sandbox.
 */
function isConnectionFailure(error: unknown): boolean {
  const { name, message } = (error ?? {}) as { name?: unknown; message?: unknown };
  return name === 'TypeError' && message === 'fetch failed';
}

/** Why an internal call failed, for logs: "fetch failed" alone does not say (the cause's code does). */
export function describeCallFailure(error: unknown): string {
  const { message, cause } = (error ?? {}) as { message?: unknown; cause?: { code?: unknown; message?: unknown } };
  if (typeof message !== 'string') return String(error);
  const detail = cause?.code ?? cause?.message;
  return detail ? `${message} (${String(detail)})` : message;
}
