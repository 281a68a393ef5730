import { INTERNAL_SIGNATURE_HEADER, signInternalCall, verifyInternalCall } from '@dakgraph/auth';
import type { z } from 'zod';
import { readBodyOrRefuse, sendJson, type HttpRoute } from './http';

/**
 * Service-to-service calls inside dakgraph that are not part of the public graph (the gateway checking
 * an API key, articles reading a partner's contract terms). The body is signed with the deployment's
 * identity secret, so only dakgraph's own services can call them; they are plain JSON over HTTP.
 * A route is declared once (InternalRoute, with zod schemas) and served and called through that
 * declaration, so the two sides cannot disagree unnoticed.
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
      const raw = await readBodyOrRefuse(req, res, limit, (message) => ({ error: message }));
      if (raw === null) return;
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

/**
 * One internal route as both sides see it: where it is, what it accepts, and what it answers for each
 * status. Declared once (packages/internal-api) and imported by the server and its clients alike, so a
 * change to either side that the other does not follow fails the type check or, at run time, the
 * schema, instead of passing silently.
 */
export interface InternalRoute<Request extends z.ZodType = z.ZodType, Responses extends InternalResponses = InternalResponses> {
  readonly path: `/internal/${string}`;
  readonly request: Request;
  /** The body of every status the handler answers. 400, 401 BAD_SIGNATURE and 413 are the machinery's. */
  readonly responses: Responses;
  /** The request's form for people, quoted by a 400 ('{"key": "<the API key>"}'). */
  readonly requestForm: string;
  /** Internal requests are small; anything larger is refused unread (1 KB unless said). */
  readonly maxBodyBytes?: number;
}

export type InternalResponses = { readonly [status: number]: z.ZodType };

type StatusOf<Responses> = Extract<keyof Responses, number>;

/** What a handler may answer: a declared status with a body its schema accepts. */
export type InternalReply<Route extends InternalRoute> = {
  [Status in StatusOf<Route['responses']>]: { status: Status; body: z.input<Route['responses'][Status]> };
}[StatusOf<Route['responses']>];

/** What a client receives: a declared status with its body as the schema parsed it. */
export type InternalReceived<Route extends InternalRoute> = {
  [Status in StatusOf<Route['responses']>]: { status: Status; body: z.output<Route['responses'][Status]> };
}[StatusOf<Route['responses']>];

export type InternalRequest<Route extends InternalRoute> = z.input<Route['request']>;

/** Keeps a declaration's literal statuses and schemas (a plain annotation would widen them). */
export function defineInternalRoute<const Request extends z.ZodType, const Responses extends InternalResponses>(
  route: InternalRoute<Request, Responses>,
): InternalRoute<Request, Responses> {
  return route;
}

/** Zod's issues in one line, each with where it is: "ids.3: Too big: expected string to have <=64 characters". */
function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.length ? issue.path.map(String).join('.') : 'the body'}: ${issue.message}`).join('; ');
}

/**
 * Serves a declared route: signature, size limit and JSON as signedInternalRoute, then the request
 * schema (400 naming what is wrong), so the handler receives a parsed request and may only answer
 * what the declaration lists.
 */
export function serveInternalRoute<Route extends InternalRoute>(
  route: Route,
  identitySecret: string,
  handle: (request: z.output<Route['request']>) => Promise<InternalReply<Route>>,
): HttpRoute {
  return signedInternalRoute({
    path: route.path,
    identitySecret,
    maxBodyBytes: route.maxBodyBytes,
    async handle(body) {
      const parsed = route.request.safeParse(body);
      if (!parsed.success) return { status: 400, body: { error: `The body must be JSON ${route.requestForm} (${describeIssues(parsed.error)})` } };
      // The schema is the route's own, so its output is the handler's request type.
      return handle(parsed.data as z.output<Route['request']>);
    },
  });
}

/**
 * An internal call that reached the other side but did not get a declared answer: a refused signature,
 * a refused request, a status or body outside the declaration. The caller logs the message and reports
 * its service as unavailable: the other side is misdeployed or drifted, and the end user cannot fix it.
 */
export class InternalRouteFailure extends Error {
  override readonly name = 'InternalRouteFailure';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** A route's URL on a service, from its base URL or its GraphQL endpoint (deployments usually give that). */
export function internalRouteUrl(route: InternalRoute, serviceUrl: string): string {
  const base = serviceUrl.trim().replace(/\/+$/, '').replace(/\/graphql$/, '');
  return `${base}${route.path}`;
}

/**
 * Calls a declared route with callInternal (signed, one retry on a stale connection, the deadline) and
 * parses the answer with the declaration. Network failures and timeouts reject as callInternal's do; an
 * answer outside the declaration rejects with an InternalRouteFailure. Either way describeCallFailure
 * says why, for the log.
 */
export async function callInternalRoute<Route extends InternalRoute>(
  route: Route,
  serviceUrl: string,
  identitySecret: string,
  request: InternalRequest<Route>,
  timeoutMs?: number,
): Promise<InternalReceived<Route>> {
  const url = internalRouteUrl(route, serviceUrl);
  const answer = await callInternal(url, identitySecret, request, timeoutMs);
  const { error, reason } = (answer.body ?? {}) as { error?: unknown; reason?: unknown };
  // Checked before the declared 401s: a route's own refusals share the status.
  if (answer.status === 401 && reason === 'BAD_SIGNATURE') {
    throw new InternalRouteFailure(`${url} answered 401 (bad signature: is IDENTITY_SECRET the same everywhere?)`, 401);
  }
  const schema = Object.hasOwn(route.responses, answer.status) ? route.responses[answer.status] : undefined;
  if (!schema) {
    const said = typeof error === 'string' ? `: ${error.slice(0, 300)}` : '';
    throw new InternalRouteFailure(`${url} answered ${answer.status}, which the route does not declare${said}`, answer.status);
  }
  const parsed = schema.safeParse(answer.body);
  if (!parsed.success) {
    throw new InternalRouteFailure(`${url} answered ${answer.status} with a body outside its declaration (${describeIssues(parsed.error)})`, answer.status);
  }
  return { status: answer.status, body: parsed.data } as InternalReceived<Route>;
}
