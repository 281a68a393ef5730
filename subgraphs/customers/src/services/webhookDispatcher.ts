import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Webhook } from 'standardwebhooks';
import type { CustomersPrisma, WebhookDeliveryRow, WebhookEndpointRow } from '../db';
import { decryptSecret, parseWebhookSecretKey } from './webhookSecrets';
import { checkWebhookTarget, hostOf, resolveWithDns, type HostResolver } from './webhookTargets';

/**
 * Sends the queued webhook deliveries. Several dispatchers (processes) may run against one database:
 * each claims due deliveries in a short transaction (FOR ... SKIP LOCKED, so two never take the same
 * row), marks them with a lease, and sends them outside any transaction (PGlite has one connection, and
 * no transaction may wait on a partner's server). A dispatcher that dies leaves its leases to expire, and
 * the deliveries fall due again: nothing is lost, and a repeat carries the same `webhook-id`.
 *
 * Fairness: at most one delivery per endpoint is in flight (the claim skips endpoints holding a live
 * lease), and at most `concurrency` overall, so one slow or dead receiver holds one slot and never delays
 * another partner's deliveries.
 */

export interface WebhookDispatcherOptions {
  prisma: CustomersPrisma;
  /** WEBHOOK_SECRET_KEY as configured (32 bytes in base64): the key the subgraph encrypted the secrets with. */
  secretKey: string;
  /** Production target rules (https, public addresses), checked again before every send. */
  production: boolean;
  /** Milliseconds between attempts; after the last, a delivery is FAILED. Default DEFAULT_RETRY_SCHEDULE_MS. */
  schedule?: readonly number[];
  /** How long a receiver has to answer; default 10 s. */
  timeoutMs?: number;
  /** Deliveries in flight at once, over all endpoints; default 8. */
  concurrency?: number;
  /** How target hosts are resolved; default DNS. */
  resolveHost?: HostResolver;
  /** The clock (ms since the epoch), for due times, leases and signatures; default Date.now. */
  now?: () => number;
  /** Where refusals, disabled endpoints and failures of the dispatcher itself are told; default console.log. */
  log?: (line: string) => void;
  /** How often start()'s loop looks for due deliveries when idle; default 1 s. */
  pollIntervalMs?: number;
  /** How long a claim holds a delivery; default timeoutMs + 30 s (the send, its DNS check and its record). */
  leaseMs?: number;
}

export interface WebhookDispatcher {
  /** Sends due deliveries until stop(), looking for new ones every pollIntervalMs. */
  start(): void;
  /** Stops claiming and waits for the deliveries in flight to be sent and recorded. */
  stop(): Promise<void>;
  /** Claims the due deliveries there is room for, sends them and records the outcomes; answers how many. */
  runOnce(): Promise<number>;
}

/** About 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h: eight attempts over about 28 hours. */
export const DEFAULT_RETRY_SCHEDULE_MS: readonly number[] = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];
/** An endpoint whose deliveries have failed this long without a success is disabled. */
export const DISABLE_AFTER_FAILING_MS = 5 * 24 * 3600 * 1000;
export const WEBHOOK_USER_AGENT = 'dakgraph-webhooks/1.0';
/** How much of a receiver's answer is read (it is not used; reading lets the connection end cleanly). */
const MAX_RESPONSE_BYTES = 64 * 1024;

type ClaimedDelivery = WebhookDeliveryRow & { endpoint: WebhookEndpointRow };

interface AttemptOutcome {
  httpStatus: number | null;
  /** Null exactly when the attempt succeeded. */
  error: string | null;
}

export function createWebhookDispatcher(options: WebhookDispatcherOptions): WebhookDispatcher {
  const { prisma, production } = options;
  const secretKey = parseWebhookSecretKey(options.secretKey);
  const schedule = options.schedule ?? DEFAULT_RETRY_SCHEDULE_MS;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const concurrency = options.concurrency ?? 8;
  const resolve = options.resolveHost ?? resolveWithDns;
  const now = options.now ?? Date.now;
  const log = options.log ?? ((line: string) => console.log(line));
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const leaseMs = options.leaseMs ?? timeoutMs + 30_000;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`concurrency must be a whole number of at least 1, not ${concurrency}`);

  const inFlight = new Set<Promise<void>>();
  let running = false;
  let timer: NodeJS.Timeout | null = null;
  let ticking: Promise<void> | null = null;

  /** Leases up to `limit` due deliveries, at most one per endpoint and none of an endpoint already in flight. */
  async function claim(limit: number): Promise<{ deliveries: ClaimedDelivery[]; lease: Date }> {
    const at = new Date(now());
    const lease = new Date(at.getTime() + leaseMs);
    const ids = await prisma.$transaction(
      async (tx) => {
        // More rows than slots are read, since several may belong to one endpoint; the endpoint rows are
        // locked too, so a second dispatcher skips an endpoint this one is claiming for.
        const rows = await tx.$queryRaw<{ id: string; endpointId: string }[]>`
          SELECT d.id, d.endpoint_id AS "endpointId"
            FROM customers.webhook_delivery d
            JOIN customers.webhook_endpoint e ON e.id = d.endpoint_id
           WHERE d.status = 'PENDING' AND d.next_attempt_at <= ${at}::timestamptz AND e.enabled
             AND NOT EXISTS (SELECT 1 FROM customers.webhook_delivery busy
                              WHERE busy.endpoint_id = d.endpoint_id AND busy.leased_until > ${at}::timestamptz)
           ORDER BY d.next_attempt_at, d.id
           LIMIT ${limit * 4}
             FOR NO KEY UPDATE OF d, e SKIP LOCKED`;
        const endpoints = new Set<string>();
        const chosen: string[] = [];
        for (const row of rows) {
          if (chosen.length === limit || endpoints.has(row.endpointId)) continue;
          endpoints.add(row.endpointId);
          chosen.push(row.id);
        }
        if (chosen.length) {
          await tx.$executeRaw`UPDATE customers.webhook_delivery SET leased_until = ${lease}::timestamptz WHERE id = ANY (${chosen}::text[])`;
        }
        return chosen;
      },
      { maxWait: 30_000, timeout: 30_000 },
    );
    if (!ids.length) return { deliveries: [], lease };
    return { deliveries: await prisma.webhookDelivery.findMany({ where: { id: { in: ids } }, include: { endpoint: true } }), lease };
  }

  /** The `webhook-signature` value: the current secret's, and the previous one's while it is still valid. */
  function signatures(endpoint: WebhookEndpointRow, eventId: string, at: Date, body: string): string {
    const secrets = [decryptSecret(secretKey, endpoint.secretCiphertext, endpoint.id)];
    if (endpoint.previousSecretCiphertext && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt.getTime() > at.getTime()) {
      // A previous secret that no longer decrypts (WEBHOOK_SECRET_KEY was replaced, then the partner
      // rotated) is left out rather than stopping deliveries that the new secret can sign.
      try {
        secrets.push(decryptSecret(secretKey, endpoint.previousSecretCiphertext, endpoint.id));
      } catch {
        log(`webhooks: the previous signing secret of endpoint ${endpoint.id} does not decrypt; signing with the current one only`);
      }
    }
    return secrets.map((secret) => new Webhook(secret).sign(eventId, at, body)).join(' ');
  }

  /** One attempt: the target checked again, then one signed POST to the address that was checked. */
  async function attempt(delivery: ClaimedDelivery, at: Date): Promise<AttemptOutcome> {
    const { endpoint } = delivery;
    const target = await checkWebhookTarget(endpoint.url, { production, resolve });
    if (!target.ok) {
      // The URL itself is not logged: partners put tokens in query strings.
      log(`webhooks: refused to send delivery ${delivery.id} to endpoint ${endpoint.id}: its URL ${target.reason}`);
      return { httpStatus: null, error: `refused, no connection made: the URL ${target.reason}` };
    }
    const body = JSON.stringify(delivery.body);
    let signature: string;
    try {
      signature = signatures(endpoint, delivery.eventId, at, body);
    } catch {
      log(`webhooks: the signing secret of endpoint ${endpoint.id} does not decrypt; is WEBHOOK_SECRET_KEY the one the subgraph uses?`);
      return { httpStatus: null, error: 'not sent: the signing secret could not be read (a dakgraph configuration fault)' };
    }
    return post(target.url, target.addresses[0]!, body, {
      'content-type': 'application/json',
      'user-agent': WEBHOOK_USER_AGENT,
      'webhook-id': delivery.eventId,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': signature,
    }, timeoutMs);
  }

  /** Records an attempt and moves the delivery on, if this dispatcher still holds its lease. */
  async function record(delivery: ClaimedDelivery, lease: Date, at: Date, durationMs: number, outcome: AttemptOutcome): Promise<void> {
    const { id, endpointId } = delivery;
    await prisma.$transaction(
      async (tx) => {
        // The delivery may be gone (its endpoint deleted meanwhile): then there is nothing to record.
        await tx.$executeRaw`
          INSERT INTO customers.webhook_attempt (delivery_id, at, http_status, duration_ms, error)
          SELECT ${id}, ${at}::timestamptz, ${outcome.httpStatus}::int, ${durationMs}::int, ${outcome.error}::text
           WHERE EXISTS (SELECT 1 FROM customers.webhook_delivery WHERE id = ${id})`;
        if (outcome.error === null) {
          // A lease that expired and was taken over belongs to the other dispatcher, which decides.
          const moved = await tx.$executeRaw`
            UPDATE customers.webhook_delivery
               SET status = 'SUCCEEDED', attempt_count = attempt_count + 1, last_attempt_at = ${at}::timestamptz,
                   next_attempt_at = NULL, leased_until = NULL
             WHERE id = ${id} AND leased_until = ${lease}::timestamptz`;
          if (moved) await tx.$executeRaw`UPDATE customers.webhook_endpoint SET failing_since = NULL WHERE id = ${endpointId} AND failing_since IS NOT NULL`;
          return;
        }
        const delay = schedule[delivery.attemptCount];
        const next = delay === undefined ? null : new Date(at.getTime() + jittered(delay));
        const status = next === null ? 'FAILED' : 'PENDING';
        const moved = await tx.$executeRaw`
          UPDATE customers.webhook_delivery
             SET status = ${status}::customers."WebhookDeliveryStatus", attempt_count = attempt_count + 1,
                 last_attempt_at = ${at}::timestamptz, next_attempt_at = ${next}::timestamptz, leased_until = NULL
           WHERE id = ${id} AND leased_until = ${lease}::timestamptz`;
        if (!moved) return;
        await tx.$executeRaw`UPDATE customers.webhook_endpoint SET failing_since = coalesce(failing_since, ${at}::timestamptz) WHERE id = ${endpointId}`;
        const reason =
          `Disabled by dakgraph at ${at.toISOString()}: every delivery failed for 5 days. Fix the receiver, then enable ` +
          'the endpoint again (updateWebhookEndpoint with enabled: true) and replay the deliveries you need.';
        const disabled = await tx.$executeRaw`
          UPDATE customers.webhook_endpoint SET enabled = false, disabled_reason = ${reason}, updated_at = ${at}::timestamptz
           WHERE id = ${endpointId} AND enabled AND failing_since <= ${new Date(at.getTime() - DISABLE_AFTER_FAILING_MS)}::timestamptz`;
        if (disabled) log(`webhooks: disabled endpoint ${endpointId}: its deliveries have failed for 5 days`);
      },
      { maxWait: 30_000, timeout: 30_000 },
    );
  }

  async function deliver(delivery: ClaimedDelivery, lease: Date): Promise<void> {
    const at = new Date(now());
    const started = performance.now();
    const outcome = await attempt(delivery, at);
    await record(delivery, lease, at, Math.round(performance.now() - started), outcome);
  }

  /** Starts sending one claimed delivery; a failure to record is logged and left to the lease to retry. */
  function launch(delivery: ClaimedDelivery, lease: Date): Promise<void> {
    const sending: Promise<void> = deliver(delivery, lease)
      .catch((error: unknown) => log(`webhooks: delivery ${delivery.id} could not be recorded (${messageOf(error)}); it is retried when its lease ends`))
      .finally(() => {
        inFlight.delete(sending);
        wake();
      });
    inFlight.add(sending);
    return sending;
  }

  async function fill(): Promise<Promise<void>[]> {
    const room = concurrency - inFlight.size;
    if (room <= 0) return [];
    const { deliveries, lease } = await claim(room);
    return deliveries.map((delivery) => launch(delivery, lease));
  }

  async function tick(): Promise<void> {
    timer = null;
    if (!running || ticking) return;
    ticking = (async () => {
      try {
        // Claiming again at once while it finds work and has room, so a backlog drains without waiting.
        while (running && (await fill()).length > 0 && inFlight.size < concurrency);
      } catch (error) {
        log(`webhooks: looking for due deliveries failed (${messageOf(error)}); trying again in ${pollIntervalMs} ms`);
      }
    })();
    await ticking;
    ticking = null;
    if (running && timer === null) timer = setTimeout(() => void tick(), pollIntervalMs);
  }

  /** A slot became free: look for work now rather than at the next poll. */
  function wake(): void {
    if (!running || ticking) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void tick(), 0);
  }

  return {
    start() {
      if (running) return;
      running = true;
      timer = setTimeout(() => void tick(), 0);
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = null;
      await ticking;
      while (inFlight.size) await Promise.allSettled([...inFlight]);
    },
    async runOnce() {
      const sent = await fill();
      await Promise.all(sent);
      return sent.length;
    },
  };
}

/** Up to a fifth more or less, so receivers that failed together are not retried together. */
const jittered = (delay: number): number => Math.round(delay * (0.8 + Math.random() * 0.4));

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error)).slice(0, 300);

/** Why a connection failed, in words for the partner's delivery log. */
function describeNetworkError(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
      return 'connection reset by the receiver';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    default:
      return (error.code?.startsWith('ERR_TLS') || error.code?.includes('CERT') ? `TLS error: ${error.code}` : messageOf(error)).slice(0, 300);
  }
}

/**
 * One POST, connecting to `address` (checked) whatever the host name resolves to by now, so DNS
 * rebinding between the check and the connection cannot redirect it. TLS still verifies the certificate
 * against the host name. Redirects are not followed (a 3xx is a failure), and any 2xx is success.
 */
function post(url: URL, address: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<AttemptOutcome> {
  const family = isIP(address);
  const pinned: LookupFunction = (_host, lookupOptions, callback) => {
    if (lookupOptions.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: AttemptOutcome) => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    const request = transport.request(
      {
        hostname: hostOf(url),
        port: url.port === '' ? undefined : Number(url.port),
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: pinned,
        // No pooled sockets: each attempt connects afresh, to the address checked for it.
        agent: false,
      },
      (response) => {
        const status = response.statusCode ?? 0;
        finish(
          status >= 200 && status < 300
            ? { httpStatus: status, error: null }
            : { httpStatus: status, error: status >= 300 && status < 400 ? `HTTP ${status} (redirects are not followed)` : `HTTP ${status}` },
        );
        let read = 0;
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_RESPONSE_BYTES) response.destroy();
        });
        response.on('error', () => undefined);
      },
    );
    const timer = setTimeout(() => {
      finish({ httpStatus: null, error: `no answer within ${timeoutMs} ms` });
      request.destroy();
    }, timeoutMs);
    request.on('close', () => clearTimeout(timer));
    request.on('error', (error: NodeJS.ErrnoException) => finish({ httpStatus: null, error: describeNetworkError(error) }));
    request.end(body);
  });
}
