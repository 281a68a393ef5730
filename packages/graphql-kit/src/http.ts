import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';

/** An extra HTTP route served beside GraphQL (health checks, GraphiQL assets). */
export interface HttpRoute {
  method: 'GET' | 'POST';
  /** Exact path, or a pattern tested against the path without the query string. */
  path: string | RegExp;
  handle(req: IncomingMessage, res: ServerResponse): void | Promise<void>;
}

export interface GraphQLHttpOptions<TContext extends BaseContext> {
  apollo: ApolloServer<TContext>;
  /** Builds the per-request context. Throwing a GraphQLError here answers with that error. */
  context: (req: IncomingMessage) => Promise<TContext>;
  /** Where GraphQL is served. */
  path?: string;
  /** Larger bodies are refused before they are parsed (a 5 MB query never reaches the parser). */
  maxBodyBytes?: number;
  /** Checked first, in order. */
  routes?: HttpRoute[];
  /** Serves GET `path` to browsers (Accept: text/html) instead of running a query, e.g. GraphiQL. */
  landingPage?: (req: IncomingMessage, res: ServerResponse) => void;
}

export const DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024;

/** A request body was larger than the limit given to readBody. */
export class BodyTooLarge extends Error {}

/**
 * Reads a request body, refusing (BodyTooLarge) as soon as it passes `limit` bytes. The rest of a
 * refused body is read and thrown away, up to a bound, rather than the connection dropped at once: a
 * client still sending would otherwise see a reset instead of the 413 that says why (with chunked
 * bodies there is no Content-Length to refuse on up front).
 */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const refuse = () => {
      reject(new BodyTooLarge());
      req.removeAllListeners('data');
      let discarded = 0;
      req.on('data', (chunk: Buffer) => {
        discarded += chunk.length;
        // Past this, the client is not listening for our answer; stop paying for its upload.
        if (discarded > Math.max(limit, 8 * 1024 * 1024)) req.destroy();
      });
      req.resume();
    };
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      refuse();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        refuse();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * readBody for a plain JSON route: the body, or null once a 413 has been answered (its JSON body made by
 * `refusal` from the message), the connection then closed, since the client may still be sending.
 */
export async function readBodyOrRefuse(
  req: IncomingMessage,
  res: ServerResponse,
  limit: number,
  refusal: (message: string) => unknown,
): Promise<string | null> {
  try {
    return await readBody(req, limit);
  } catch (error) {
    if (!(error instanceof BodyTooLarge)) throw error;
    res.setHeader('connection', 'close');
    sendJson(res, 413, refusal(`The body is larger than ${limit} bytes`));
    return null;
  }
}

/** A complete HTTP/1.1 response with a GraphQL-shaped JSON body, written straight to a socket. */
function rawGraphQLError(status: number, reason: string, code: string, message: string): string {
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  return (
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\n` +
    `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`
  );
}

/**
 * Answers requests Node's HTTP parser refused before any handler saw them. Node's own answer is a bare
 * status line with an empty body (431 for headers over its 16 KB limit, 400 for a malformed request);
 * clients get JSON with a code instead, like every other refusal.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    let answer: string;
    if (error.code === 'HPE_HEADER_OVERFLOW') {
      answer = rawGraphQLError(431, 'Request Header Fields Too Large', 'HEADERS_TOO_LARGE',
        'The request headers are larger than the limit of 16 KB; send less in headers (an API key or token is well under 1 KB)');
    } else if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT' || error.code === 'HPE_HEADERS_TIMEOUT') {
      answer = rawGraphQLError(408, 'Request Timeout', 'REQUEST_TIMEOUT', 'The request took too long to arrive; send it again');
    } else {
      answer = rawGraphQLError(400, 'Bad Request', 'BAD_REQUEST', 'The HTTP request is malformed; send a well-formed HTTP/1.1 request');
    }
    socket.end(answer);
  });
}

/** Writes a GraphQL-shaped error response for failures that happen before GraphQL runs. */
export function sendGraphQLError(res: ServerResponse, status: number, code: string, message: string): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function matches(route: HttpRoute, method: string, path: string): boolean {
  const m = method === 'HEAD' ? 'GET' : method;
  if (route.method !== m) return false;
  return typeof route.path === 'string' ? route.path === path : route.path.test(path);
}

/**
 * A small node:http integration for Apollo Server, shared by the gateway and every subgraph.
 * We own it (rather than `startStandaloneServer`) to enforce a body limit before parsing,
 * to serve health and GraphiQL routes on the same port, and to keep error bodies GraphQL-shaped.
 */
export function createGraphQLHttpServer<TContext extends BaseContext>(options: GraphQLHttpOptions<TContext>): Server {
  const graphqlPath = options.path ?? '/graphql';
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const routes = options.routes ?? [];

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // Never leak a stack trace; the details go to the server log only.
      console.error('[http] unhandled error', error);
      sendGraphQLError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    const route = routes.find((r) => matches(r, method, url.pathname));
    if (route) {
      await route.handle(req, res);
      return;
    }
    if (url.pathname !== graphqlPath) {
      if (url.pathname === '/' && method === 'GET' && options.landingPage) {
        res.writeHead(302, { location: graphqlPath });
        res.end();
        return;
      }
      sendGraphQLError(res, 404, 'NOT_FOUND', `Nothing is served at ${url.pathname}; GraphQL is at ${graphqlPath}`);
      return;
    }
    if (method === 'GET' && options.landingPage && !url.search && (req.headers.accept ?? '').includes('text/html')) {
      options.landingPage(req, res);
      return;
    }
    if (method !== 'GET' && method !== 'POST') {
      res.setHeader('allow', 'GET, POST');
      sendGraphQLError(res, 405, 'METHOD_NOT_ALLOWED', `${method} is not supported; use POST (or GET for queries)`);
      return;
    }

    let body: unknown;
    if (method === 'POST') {
      let text: string;
      try {
        text = await readBody(req, maxBodyBytes);
      } catch (error) {
        if (error instanceof BodyTooLarge) {
          res.setHeader('connection', 'close');
          sendGraphQLError(res, 413, 'PAYLOAD_TOO_LARGE',
            `The request body is larger than the limit of ${maxBodyBytes} bytes; split the operation or send fewer variables`);
          return;
        }
        throw error;
      }
      const contentType = req.headers['content-type'] ?? '';
      if (contentType.includes('application/json') || contentType.includes('application/graphql-response+json')) {
        try {
          body = text.length ? JSON.parse(text) : undefined;
        } catch {
          sendGraphQLError(res, 400, 'BAD_REQUEST', 'The request body is not valid JSON');
          return;
        }
      } else {
        body = text;
      }
    }

    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const response = await options.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method, headers, search: url.search, body },
      context: () => options.context(req),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }

  answerClientErrors(server);
  // Keep-alive longer than typical client/load-balancer idle timeouts so pooled connections are reused.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 60_000;
  return server;
}

/** Starts listening and resolves with the bound port (port 0 picks a free one, as tests do). */
export function listen(server: Server, port: number, host = '0.0.0.0'): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

export function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
