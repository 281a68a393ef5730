/**
 * The demo's only way in: GraphQL over HTTP to the gateway, as any client would, plus the payment
 * provider's callback route on the same port. It keeps within the gateway's limits rather than around
 * them: a few requests in flight, a pause for everyone when the gateway says RATE_LIMITED (its
 * `retryAfterSeconds`), and retries only where the graph's idempotency keys make a retry safe.
 */

export type Credential = { token: string } | { apiKey: string } | null;

/** One GraphQL error as the gateway sends it. */
export interface GraphErrorShape {
  message: string;
  path?: (string | number)[];
  extensions?: Record<string, unknown> & { code?: string };
}

/** The graph said no: the step, and every error with its `extensions.code` and message. */
export class GraphRefusal extends Error {
  constructor(
    readonly step: string,
    readonly errors: readonly GraphErrorShape[],
    readonly httpStatus: number,
    what?: string,
  ) {
    super(`${step}${what ? ` (${what})` : ''}: ${errors.map(describeError).join('; ')}`);
    this.name = 'GraphRefusal';
  }

  /** The first error's code (`INTERNAL_SERVER_ERROR` when the gateway gave none). */
  get code(): string {
    return this.errors[0]?.extensions?.code ?? 'INTERNAL_SERVER_ERROR';
  }
}

/** "CODE: message", with the items a batch refusal names (the graph lists every bad item; three say enough). */
export function describeError(error: GraphErrorShape): string {
  const code = error.extensions?.code ?? 'INTERNAL_SERVER_ERROR';
  const details: string[] = [];
  const field = error.extensions?.field;
  if (typeof field === 'string') details.push(`field ${field}`);
  for (const key of ['invalidItems', 'forbiddenItems'] as const) {
    const items = error.extensions?.[key];
    if (!Array.isArray(items) || !items.length) continue;
    const shown = items.slice(0, 3).map((item: { index?: number; field?: string; message?: string }) => `#${item.index}${item.field ? ` ${item.field}` : ''}: ${item.message}`);
    details.push(`${key}: ${shown.join(' | ')}${items.length > 3 ? ` (and ${items.length - 3} more)` : ''}`);
  }
  return `${code}: ${error.message}${details.length ? ` [${details.join('; ')}]` : ''}`;
}

export interface GraphClientOptions {
  /** The gateway's GraphQL endpoint, e.g. http://localhost:4000/graphql. */
  url: string;
  log: (line: string) => void;
  /** Requests in flight at once; more does not help a 2-core server and only queues there. */
  maxInFlight?: number;
  /** How long one request may take before it is abandoned (and retried, under the same idempotency key). */
  timeoutMs?: number;
}

export interface ClientStats {
  requests: number;
  rateLimitedWaits: number;
  retries: number;
}

const TRANSIENT_CODES = new Set(['SERVICE_UNAVAILABLE']);
const MAX_TRANSIENT_RETRIES = 6;
/** Enough to ride out minutes of a low per-IP limit; after that the user should raise it. */
const MAX_RATE_LIMITED_WAITS = 200;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The gateway's origin for its plain routes (the callback): the GraphQL URL without "/graphql". */
export function originOf(graphqlUrl: string): string {
  return graphqlUrl.replace(/\/+$/, '').replace(/\/graphql$/, '');
}

export class GraphClient {
  readonly stats: ClientStats = { requests: 0, rateLimitedWaits: 0, retries: 0 };
  private readonly url: string;
  private readonly log: (line: string) => void;
  private readonly timeoutMs: number;
  private readonly maxInFlight: number;
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  /** Everyone waits until then after a RATE_LIMITED: hammering a limited gateway only extends the wait. */
  private pausedUntil = 0;
  private toldAboutLimits = false;
  private answered = false;

  constructor(options: GraphClientOptions) {
    this.url = options.url;
    this.log = options.log;
    this.timeoutMs = options.timeoutMs ?? 120_000;
    this.maxInFlight = options.maxInFlight ?? 4;
  }

  get origin(): string {
    return originOf(this.url);
  }

  /** Runs an operation and answers its data; any error is a GraphRefusal naming `step`. */
  async call<T>(step: string, query: string, variables: Record<string, unknown>, credential: Credential, what?: string): Promise<T> {
    const { status, body } = await this.execute(step, query, variables, credential);
    if (body.errors?.length || !body.data) throw new GraphRefusal(step, body.errors ?? [{ message: `HTTP ${status} without data` }], status, what);
    return body.data as T;
  }

  /**
   * Sends one operation, waiting out rate limits and retrying what failed on the way (a dropped
   * connection, a service briefly down): every mutation the demo sends carries an idempotency key, so
   * a retry answers the first result instead of doing it twice.
   */
  async execute(
    step: string,
    query: string,
    variables: Record<string, unknown>,
    credential: Credential,
  ): Promise<{ status: number; body: { data?: unknown; errors?: GraphErrorShape[] } }> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (credential && 'token' in credential) headers.authorization = `Bearer ${credential.token}`;
    if (credential && 'apiKey' in credential) headers['x-api-key'] = credential.apiKey;
    const payload = JSON.stringify({ query, variables });
    let transient = 0;
    let limited = 0;
    for (;;) {
      let status: number;
      let body: { data?: unknown; errors?: GraphErrorShape[] };
      let retryAfterHeader: string | null = null;
      try {
        ({ status, body, retryAfterHeader } = await this.send(this.url, { method: 'POST', headers, body: payload }));
      } catch (error) {
        // A gateway that never answered is most likely not running: say so after a couple of tries, not a minute.
        if (++transient > (this.answered ? MAX_TRANSIENT_RETRIES : 2)) {
          throw new GraphRefusal(step, [{ message: `The gateway at ${this.url} cannot be reached: ${(error as Error).message}. Is it running (npm start)?`, extensions: { code: 'SERVICE_UNAVAILABLE' } }], 0);
        }
        this.stats.retries += 1;
        await sleep(Math.min(8_000, 250 * 2 ** transient));
        continue;
      }
      const code = body.errors?.[0]?.extensions?.code;
      if (status === 429 || code === 'RATE_LIMITED') {
        if (++limited > MAX_RATE_LIMITED_WAITS) return { status, body };
        const fromBody = Number(body.errors?.[0]?.extensions?.retryAfterSeconds);
        const seconds = Number.isFinite(fromBody) && fromBody > 0 ? fromBody : Number(retryAfterHeader) || 5;
        this.waitForLimit(seconds, body.errors?.[0]?.message ?? `HTTP ${status}`);
        continue;
      }
      if (status >= 502 || (code && TRANSIENT_CODES.has(code))) {
        if (++transient <= MAX_TRANSIENT_RETRIES) {
          this.stats.retries += 1;
          await sleep(Math.min(8_000, 250 * 2 ** transient));
          continue;
        }
      }
      return { status, body };
    }
  }

  /** POSTs a signed provider callback to the gateway's /payments/callback (retried like a provider would). */
  async postCallback(signed: { body: string; headers: Record<string, string> }): Promise<{ status: number; body: Record<string, unknown> }> {
    let transient = 0;
    for (;;) {
      try {
        const { status, body } = await this.send(`${this.origin}/payments/callback`, { method: 'POST', headers: signed.headers, body: signed.body });
        // 502: the gateway could not reach payments; a provider sends the same message again later.
        if (status >= 502 && ++transient <= MAX_TRANSIENT_RETRIES) {
          this.stats.retries += 1;
          await sleep(Math.min(8_000, 250 * 2 ** transient));
          continue;
        }
        return { status, body: body as Record<string, unknown> };
      } catch (error) {
        if (++transient > MAX_TRANSIENT_RETRIES) throw error;
        this.stats.retries += 1;
        await sleep(Math.min(8_000, 250 * 2 ** transient));
      }
    }
  }

  private waitForLimit(seconds: number, message: string): void {
    this.stats.rateLimitedWaits += 1;
    const until = Date.now() + seconds * 1_000 + 100;
    if (until <= this.pausedUntil) return;
    this.pausedUntil = until;
    if (!this.toldAboutLimits) {
      this.toldAboutLimits = true;
      this.log(
        `The gateway refused with RATE_LIMITED (${message}); the demo waits and carries on. To run at full speed, ` +
          'start the gateway with RATE_LIMIT_PER_IP_PER_MINUTE=1000000 (and RATE_LIMIT_PER_API_KEY_PER_MINUTE=1000000 for the partners\' keys).',
      );
    } else {
      this.log(`RATE_LIMITED again; waiting ${seconds} s`);
    }
  }

  private async send(url: string, init: { method: string; headers: Record<string, string>; body: string }) {
    await this.acquire();
    try {
      const pause = this.pausedUntil - Date.now();
      if (pause > 0) await sleep(pause);
      this.stats.requests += 1;
      const response = await fetch(url, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
      this.answered = true;
      const text = await response.text();
      let body: { data?: unknown; errors?: GraphErrorShape[] };
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        body = { errors: [{ message: `HTTP ${response.status}: ${text.slice(0, 200) || 'an empty answer'}`, extensions: { code: response.status >= 500 ? 'SERVICE_UNAVAILABLE' : 'BAD_REQUEST' } }] };
      }
      return { status: response.status, body, retryAfterHeader: response.headers.get('retry-after') };
    } finally {
      this.release();
    }
  }

  private async acquire(): Promise<void> {
    if (this.inFlight < this.maxInFlight) {
      this.inFlight += 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.inFlight -= 1;
  }
}

/**
 * The gateway refuses an operation with more than 50 aliases (its `maxAliases`), so that is how many of
 * one mutation the demo puts in one request: a clerk's fifty bookings cost one request against the
 * per-IP limit instead of fifty, and each still runs (and is idempotent) on its own.
 */
export const MAX_ALIASES = 50;

/** One mutation field repeated under aliases: its variables (name to GraphQL type), arguments and selection. */
export interface AliasedField {
  operation: string;
  field: string;
  variables: Record<string, string>;
  /** The field's arguments written with the variables, e.g. "input: $input, idempotencyKey: $key". */
  args: string;
  selection: string;
}

/** `mutation Op($input0: T!, $key0: String!, ...) { f0: field(input: $input0, ...) { ... } f1: ... }` for `count` items. */
export function aliasedDocument(spec: AliasedField, count: number): string {
  const declarations: string[] = [];
  const fields: string[] = [];
  for (let i = 0; i < count; i++) {
    for (const [name, type] of Object.entries(spec.variables)) declarations.push(`$${name}${i}: ${type}`);
    fields.push(`f${i}: ${spec.field}(${spec.args.replace(/\$(\w+)/g, (_, name: string) => `$${name}${i}`)}) ${spec.selection}`);
  }
  return `mutation ${spec.operation}(${declarations.join(', ')}) { ${fields.join(' ')} }`;
}

/**
 * Runs `spec` once per item, fifty to a request, chunks one after another (the order matters for a
 * postman's attempts); answers the fields' results in the items' order. `describe` names an item in an
 * error (an article number), found from the error's path.
 */
export async function runAliased<T>(
  client: GraphClient,
  step: string,
  spec: AliasedField,
  items: readonly Record<string, unknown>[],
  credential: Credential,
  describe: (index: number) => string = (index) => `item ${index}`,
): Promise<T[]> {
  const results: T[] = [];
  for (let start = 0; start < items.length; start += MAX_ALIASES) {
    const chunk = items.slice(start, start + MAX_ALIASES);
    const variables: Record<string, unknown> = {};
    chunk.forEach((item, i) => {
      for (const name of Object.keys(spec.variables)) variables[`${name}${i}`] = item[name];
    });
    const { status, body } = await client.execute(step, aliasedDocument(spec, chunk.length), variables, credential);
    if (body.errors?.length || !body.data) {
      const errors = body.errors ?? [{ message: `HTTP ${status} without data` }];
      const alias = errors[0]?.path?.[0];
      const index = typeof alias === 'string' && /^f\d+$/.test(alias) ? start + Number(alias.slice(1)) : null;
      throw new GraphRefusal(step, errors, status, index === null ? undefined : describe(index));
    }
    const data = body.data as Record<string, T>;
    chunk.forEach((_, i) => results.push(data[`f${i}`]!));
  }
  return results;
}

/** Runs `work` over `items` with at most `limit` at once (the client caps requests in flight anyway). */
export async function inParallel<I, R>(items: readonly I[], limit: number, work: (item: I, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  // After a failure no worker starts another item: the error is what the caller reports.
  let failed = false;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length && !failed) {
      const index = next++;
      try {
        results[index] = await work(items[index]!, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  });
  await Promise.all(workers);
  return results;
}
