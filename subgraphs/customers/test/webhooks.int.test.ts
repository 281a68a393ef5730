import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Viewer } from '@dakgraph/auth';
import { Webhook } from 'standardwebhooks';
import { createContext, WEBHOOKS_UNCONFIGURED, type WebhookSettings } from '../src/context';
import { newUuidV7 } from '../src/services/ids';
import { createWebhookDispatcher, type WebhookDispatcherOptions } from '../src/services/webhookDispatcher';
import { handleArticleEvent, type ArticleEventPayloadV1, type DomainEvent } from '../src/services/webhookEvents';
import { parseWebhookSecretKey } from '../src/services/webhookSecrets';
import {
  ADMIN, CREATE_CUSTOMER, ENGINES, OFFICES, TEST_IDENTITY_SECRET, TEST_JWT_SECRET, TEST_WEBHOOK_SECRET_KEY, codesOf, createPartner, fieldsOf,
  newKey, ok, partnerAs, staffAs, startCustomers, type CustomersHarness, type Result,
} from './support';

const CREATE = `mutation ($input: CreateWebhookEndpointInput!, $key: String!) {
  createWebhookEndpoint(input: $input, idempotencyKey: $key) {
    secret endpoint { id url eventTypes enabled description disabledReason createdAt } } }`;
const UPDATE = `mutation ($id: ID!, $input: UpdateWebhookEndpointInput!) {
  updateWebhookEndpoint(id: $id, input: $input) { id url eventTypes enabled description disabledReason } }`;
const DELETE = `mutation ($id: ID!) { deleteWebhookEndpoint(id: $id) }`;
const ROTATE = `mutation ($id: ID!) { rotateWebhookSecret(id: $id) { secret endpoint { id } } }`;
const REPLAY = `mutation ($id: ID!) { replayWebhookDelivery(id: $id) { id status attemptCount nextAttemptAt } }`;
const SEND_TEST = `mutation ($id: ID!) { sendTestWebhook(endpointId: $id) { id eventId eventType status attemptCount } }`;
const ENDPOINTS = `query ($id: ID!) { partner(id: $id) { webhookEndpoints { id url eventTypes enabled disabledReason
  deliveries(first: 10) { totalCount nodes { id eventId eventType status attemptCount nextAttemptAt
    attempts { at httpStatus durationMs error } } } } } }`;

const secretKey = parseWebhookSecretKey(TEST_WEBHOOK_SECRET_KEY);
/** A port nothing listens on (connections are refused at once): for endpoints no test delivers to. */
const DEAD_URL = 'http://127.0.0.1:9/hooks';

/** Waits for `condition` to hold, doing `step` (e.g. a dispatcher's runOnce) between looks; no timed assertion. */
async function until(what: string, condition: () => Promise<boolean>, step: () => Promise<unknown> = async () => undefined, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await step();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface Received {
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * A partner's receiver on 127.0.0.1: records every request and answers with `answer`'s status, or holds
 * the request open ('hold') until release().
 */
async function startReceiver(answer: (request: Received, index: number) => number | 'hold') {
  const received: Received[] = [];
  const held: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = { url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(request);
      const status = answer(request, received.length - 1);
      if (status === 'hold') held.push(res);
      else res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/dakgraph?token=abc`,
    received,
    held,
    release(status = 200) {
      for (const res of held.splice(0)) res.writeHead(status).end();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The Standard Webhooks headers of a request, as the library wants them. */
const signedHeaders = (request: Received, signature = String(request.headers['webhook-signature'])) => ({
  'webhook-id': String(request.headers['webhook-id']),
  'webhook-timestamp': String(request.headers['webhook-timestamp']),
  'webhook-signature': signature,
});

const payloadFor = (partnerId: string | null, articleNumber = 'EE000000014IN'): ArticleEventPayloadV1 => ({
  articleNumber,
  status: 'DELIVERED',
  sequence: 7,
  partnerId,
  event: {
    sequence: 7, type: 'DELIVERED', upuCode: 'EMI', description: 'Item delivered (addressee)', occurredAt: '2026-01-05T10:00:00.000Z',
    office: { id: '400001-bazargate' }, nextOffice: null, reason: null, statusAfter: 'DELIVERED',
  },
});

const articleEvent = (type: string, partnerId: string | null): DomainEvent<ArticleEventPayloadV1> => ({
  id: newUuidV7(), type, source: 'articles', subject: 'EE000000014IN', sequence: 7, occurredAt: '2026-01-05T10:00:00.000Z', version: 1,
  payload: payloadFor(partnerId),
});

describe.each(ENGINES)('webhooks for partners on %s', (engine) => {
  let graph: CustomersHarness;
  const dispatchLog: string[] = [];
  const dispatcher = (overrides: Partial<WebhookDispatcherOptions> = {}) =>
    createWebhookDispatcher({
      prisma: graph.subgraph.prisma, secretKey: TEST_WEBHOOK_SECRET_KEY, production: false, schedule: [50, 50], timeoutMs: 5_000,
      log: (line) => dispatchLog.push(line), ...overrides,
    });

  /** Runs an operation with other webhook settings than the harness's (production rules, no key). */
  async function runWith(settings: WebhookSettings, query: string, variables: Record<string, unknown>, viewer: Viewer): Promise<Result> {
    const contextValue = createContext(graph.subgraph.prisma, viewer, { identitySecret: TEST_IDENTITY_SECRET, jwtSecret: TEST_JWT_SECRET }, settings);
    const response = await graph.subgraph.apollo.executeOperation({ query, variables }, { contextValue });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return response.body.singleResult as Result;
  }

  const register = async (partnerId: string, input: Record<string, unknown>) =>
    ok(await graph.run(CREATE, { input, key: newKey('endpoint') }, partnerAs(partnerId))).createWebhookEndpoint as {
      secret: string;
      endpoint: { id: string; url: string; eventTypes: string[]; enabled: boolean };
    };

  const deliveriesOf = (endpointId: string) =>
    graph.db.query<{ id: string; event_id: string; event_type: string; status: string; attempt_count: number; body: unknown }>(
      'SELECT id, event_id, event_type, status, attempt_count, body FROM customers.webhook_delivery WHERE endpoint_id = $1 ORDER BY id',
      [endpointId],
    );
  const attemptsOf = (deliveryId: string) =>
    graph.db.query<{ http_status: number | null; error: string | null }>(
      'SELECT http_status, error FROM customers.webhook_attempt WHERE delivery_id = $1 ORDER BY at, id',
      [deliveryId],
    );
  const statusOf = async (deliveryId: string) =>
    (await graph.db.query<{ status: string }>('SELECT status FROM customers.webhook_delivery WHERE id = $1', [deliveryId]))[0]?.status;

  beforeAll(async () => {
    graph = await startCustomers(engine);
  }, 180_000);

  afterAll(async () => {
    await graph?.close();
  });

  describe('endpoints and who may manage them', () => {
    let partnerA: string;
    let partnerB: string;

    beforeAll(async () => {
      partnerA = await createPartner(graph, 'Webhook Partner A');
      partnerB = await createPartner(graph, 'Webhook Partner B');
    });

    it('registers an endpoint for the calling partner, shows the secret once, and replays without it', async () => {
      const key = newKey('endpoint');
      const input = { url: DEAD_URL, eventTypes: ['article.delivered', 'article.booked', 'article.delivered'], description: ' Warehouse  system ' };
      const first = ok(await graph.run(CREATE, { input, key }, partnerAs(partnerA))).createWebhookEndpoint;
      expect(first.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      // Event types are kept once each, in the order of the list of types.
      expect(first.endpoint).toMatchObject({ id: expect.stringMatching(/^whe_[0-9a-z]{26}$/), url: DEAD_URL, eventTypes: ['article.booked', 'article.delivered'], enabled: true, description: 'Warehouse system', disabledReason: null });
      const replay = ok(await graph.run(CREATE, { input, key }, partnerAs(partnerA))).createWebhookEndpoint;
      expect(replay).toEqual({ ...first, secret: null });
      expect(codesOf(await graph.run(CREATE, { input: { ...input, url: 'http://127.0.0.1:10/other' }, key }, partnerAs(partnerA)))).toEqual(['CONFLICT']);
      // The secret is stored only encrypted.
      const [row] = await graph.db.query<{ secret_ciphertext: string }>('SELECT secret_ciphertext FROM customers.webhook_endpoint WHERE id = $1', [first.endpoint.id]);
      expect(row!.secret_ciphertext).toMatch(/^v1\./);
      expect(row!.secret_ciphertext).not.toContain(first.secret.slice(6));
    });

    it('is for partners only: admins, staff, customers and the public are FORBIDDEN', async () => {
      const input = { url: DEAD_URL };
      for (const viewer of [ADMIN, staffAs('COUNTER_CLERK'), undefined]) {
        expect(codesOf(await graph.run(CREATE, { input, key: newKey() }, viewer))).toEqual(['FORBIDDEN']);
      }
      const endpoint = (await register(partnerA, input)).endpoint;
      for (const [query, variables] of [[UPDATE, { id: endpoint.id, input: { enabled: false } }], [DELETE, { id: endpoint.id }], [ROTATE, { id: endpoint.id }], [SEND_TEST, { id: endpoint.id }]] as const) {
        expect(codesOf(await graph.run(query, variables, ADMIN))).toEqual(['FORBIDDEN']);
      }
    });

    it("answers another partner's endpoint exactly as an unknown one", async () => {
      const endpoint = (await register(partnerA, { url: DEAD_URL })).endpoint;
      const unknown = 'whe_00000000000000000000000000';
      for (const [query, variables] of [[UPDATE, (id: string) => ({ id, input: { description: 'x' } })], [DELETE, (id: string) => ({ id })], [ROTATE, (id: string) => ({ id })], [SEND_TEST, (id: string) => ({ id })]] as const) {
        const theirs = await graph.run(query, variables(endpoint.id), partnerAs(partnerB));
        const missing = await graph.run(query, variables(unknown), partnerAs(partnerB));
        expect(codesOf(theirs)).toEqual(['NOT_FOUND']);
        expect(theirs.errors![0]!.message.replace(endpoint.id, unknown)).toBe(missing.errors![0]!.message);
      }
      const delivery = ok(await graph.run(SEND_TEST, { id: endpoint.id }, partnerAs(partnerA))).sendTestWebhook;
      expect(codesOf(await graph.run(REPLAY, { id: delivery.id }, partnerAs(partnerB)))).toEqual(['NOT_FOUND']);
      expect(codesOf(await graph.run(REPLAY, { id: delivery.id }, ADMIN))).toEqual(['FORBIDDEN']);
    });

    it('lets the partner and admins read the endpoints, and nobody else', async () => {
      const own = ok(await graph.run(ENDPOINTS, { id: partnerA }, partnerAs(partnerA))).partner.webhookEndpoints;
      expect(own.length).toBeGreaterThan(0);
      expect(ok(await graph.run(ENDPOINTS, { id: partnerA }, ADMIN)).partner.webhookEndpoints).toEqual(own);
      expect(ok(await graph.run(ENDPOINTS, { id: partnerB }, partnerAs(partnerB))).partner.webhookEndpoints).toEqual([]);
      expect(codesOf(await graph.run(ENDPOINTS, { id: partnerA }, partnerAs(partnerB)))).toEqual(['FORBIDDEN']);
      // A counter clerk reaches the partner through one of its customers, but not its endpoints.
      const customer = ok(await graph.run(CREATE_CUSTOMER, { input: { kind: 'INDIVIDUAL', name: 'Ravi', phone: '9876543210' }, key: newKey() }, partnerAs(partnerA))).createCustomer;
      const viaCustomer = await graph.run(`query ($id: ID!) { customer(id: $id) { partner { id webhookEndpoints { id } } } }`, { id: customer.id }, staffAs('COUNTER_CLERK', OFFICES.connaughtPlace));
      expect(codesOf(viaCustomer)).toEqual(['FORBIDDEN']);
    });

    it('reads the endpoints of many partners in one query', async () => {
      graph.queries.length = 0;
      ok(await graph.run(`{ partners(first: 50) { nodes { id webhookEndpoints { id } } } }`, {}, ADMIN));
      expect(graph.queries.filter((sql) => sql.includes('"webhook_endpoint"')).length).toBe(1);
    });

    it('refuses bad input naming the field', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ url: 'not a url' }, 'input.url'],
        [{ url: 'ftp://files.example.in/hooks' }, 'input.url'],
        [{ url: 'http://user:secret@127.0.0.1:9/hooks' }, 'input.url'],
        [{ url: `http://127.0.0.1:9/${'a'.repeat(2100)}` }, 'input.url'],
        [{ url: DEAD_URL, eventTypes: ['article.delivered', 'article.teleported'] }, 'input.eventTypes[1]'],
        [{ url: DEAD_URL, description: 'd'.repeat(201) }, 'input.description'],
      ];
      for (const [input, field] of cases) {
        const result = await graph.run(CREATE, { input, key: newKey() }, partnerAs(partnerA));
        expect({ input, codes: codesOf(result), fields: fieldsOf(result) }).toEqual({ input, codes: ['BAD_USER_INPUT'], fields: [field] });
      }
      const endpoint = (await register(partnerA, { url: DEAD_URL })).endpoint;
      for (const [input, field] of [[{ url: null }, 'input.url'], [{ enabled: null }, 'input.enabled'], [{ eventTypes: ['nope'] }, 'input.eventTypes[0]']] as const) {
        const result = await graph.run(UPDATE, { id: endpoint.id, input }, partnerAs(partnerA));
        expect({ codes: codesOf(result), fields: fieldsOf(result) }).toEqual({ codes: ['BAD_USER_INPUT'], fields: [field] });
      }
    });

    it('updates what is given; enabling clears the reason dakgraph disabled it for', async () => {
      const endpoint = (await register(partnerA, { url: DEAD_URL, description: 'first' })).endpoint;
      const changed = ok(await graph.run(UPDATE, { id: endpoint.id, input: { eventTypes: ['article.cancelled'], description: null } }, partnerAs(partnerA))).updateWebhookEndpoint;
      expect(changed).toMatchObject({ url: DEAD_URL, eventTypes: ['article.cancelled'], description: null, enabled: true });
      await graph.db.query(`UPDATE customers.webhook_endpoint SET enabled = false, disabled_reason = 'failing', failing_since = now() WHERE id = $1`, [endpoint.id]);
      const enabled = ok(await graph.run(UPDATE, { id: endpoint.id, input: { enabled: true } }, partnerAs(partnerA))).updateWebhookEndpoint;
      expect(enabled).toMatchObject({ enabled: true, disabledReason: null });
      const [row] = await graph.db.query<{ failing_since: Date | null }>('SELECT failing_since FROM customers.webhook_endpoint WHERE id = $1', [endpoint.id]);
      expect(row!.failing_since).toBeNull();
    });

    it('deletes an endpoint with its deliveries', async () => {
      const endpoint = (await register(partnerA, { url: DEAD_URL })).endpoint;
      ok(await graph.run(SEND_TEST, { id: endpoint.id }, partnerAs(partnerA)));
      expect(ok(await graph.run(DELETE, { id: endpoint.id }, partnerAs(partnerA))).deleteWebhookEndpoint).toBe(endpoint.id);
      expect(await deliveriesOf(endpoint.id)).toEqual([]);
      expect(codesOf(await graph.run(DELETE, { id: endpoint.id }, partnerAs(partnerA)))).toEqual(['NOT_FOUND']);
    });

    it('allows at most 10 endpoints per partner', async () => {
      const partner = await createPartner(graph, 'Webhook Partner Ten');
      for (let i = 0; i < 10; i++) await register(partner, { url: `http://127.0.0.1:9/hooks/${i}` });
      expect(codesOf(await graph.run(CREATE, { input: { url: DEAD_URL }, key: newKey() }, partnerAs(partner)))).toEqual(['CONFLICT']);
    });

    it('is SERVICE_UNAVAILABLE to register on a deployment without WEBHOOK_SECRET_KEY, after the input is checked', async () => {
      const unconfigured = { ...WEBHOOKS_UNCONFIGURED, production: false };
      expect(codesOf(await runWith(unconfigured, CREATE, { input: { url: 'nope' }, key: newKey() }, partnerAs(partnerA)))).toEqual(['BAD_USER_INPUT']);
      expect(codesOf(await runWith(unconfigured, CREATE, { input: { url: DEAD_URL }, key: newKey() }, partnerAs(partnerA)))).toEqual(['SERVICE_UNAVAILABLE']);
    });
  });

  describe('handleArticleEvent', () => {
    it("queues one delivery per subscribed, enabled endpoint of the article's partner, once per event", async () => {
      const partner = await createPartner(graph, 'Events Partner');
      const other = await createPartner(graph, 'Events Other Partner');
      const all = (await register(partner, { url: DEAD_URL })).endpoint;
      const deliveredOnly = (await register(partner, { url: DEAD_URL, eventTypes: ['article.delivered'] })).endpoint;
      const disabled = (await register(partner, { url: DEAD_URL })).endpoint;
      ok(await graph.run(UPDATE, { id: disabled.id, input: { enabled: false } }, partnerAs(partner)));
      const others = (await register(other, { url: DEAD_URL })).endpoint;
      const handle = (event: DomainEvent) => graph.subgraph.prisma.$transaction((tx) => handleArticleEvent(tx, event));

      const booked = articleEvent('article.booked', partner);
      const delivered = articleEvent('article.delivered', partner);
      graph.queries.length = 0;
      await handle(booked);
      await handle(delivered);
      // One statement per event, however many endpoints.
      expect(graph.queries.filter((sql) => sql.includes('INSERT INTO customers.webhook_delivery')).length).toBe(2);
      await handle(delivered);
      await handle(articleEvent('article.delivered', null));

      const events = async (endpointId: string) => (await deliveriesOf(endpointId)).map((d) => d.event_id).sort();
      expect(await events(all.id)).toEqual([booked.id, delivered.id].sort());
      expect(await events(deliveredOnly.id)).toEqual([delivered.id]);
      expect(await events(disabled.id)).toEqual([]);
      expect(await events(others.id)).toEqual([]);
      const [queued] = await deliveriesOf(deliveredOnly.id);
      expect(queued).toMatchObject({ status: 'PENDING', attempt_count: 0, event_type: 'article.delivered' });
      expect(queued!.body).toEqual({
        type: 'article.delivered',
        timestamp: '2026-01-05T10:00:00.000Z',
        data: { articleNumber: 'EE000000014IN', status: 'DELIVERED', sequence: 7, event: delivered.payload.event },
      });
      // No dispatcher of these tests should spend attempts on them.
      for (const endpoint of [all, deliveredOnly, disabled]) ok(await graph.run(DELETE, { id: endpoint.id }, partnerAs(partner)));
      ok(await graph.run(DELETE, { id: others.id }, partnerAs(other)));
    });
  });

  describe('the dispatcher', () => {
    let partnerSeq = 0;
    /** Each scenario's endpoints belong to a partner of their own, so events reach only them. */
    const freshPartner = () => createPartner(graph, `Dispatch Partner ${++partnerSeq}`);

    it('retries a 500 with the same webhook-id, signed each time, until a 200', async () => {
      const receiver = await startReceiver((_, index) => (index === 0 ? 500 : 200));
      try {
        const partner = await freshPartner();
        const { secret, endpoint } = await register(partner, { url: receiver.url });
        const event = articleEvent('article.delivered', partner);
        await graph.subgraph.prisma.$transaction((tx) => handleArticleEvent(tx, event));
        const [delivery] = await deliveriesOf(endpoint.id);
        const sender = dispatcher();
        await until('the delivery to succeed', async () => (await statusOf(delivery!.id)) === 'SUCCEEDED', () => sender.runOnce());

        expect(receiver.received).toHaveLength(2);
        for (const request of receiver.received) {
          expect(request.headers['webhook-id']).toBe(event.id);
          expect(request.headers['content-type']).toBe('application/json');
          expect(request.headers['user-agent']).toMatch(/dakgraph/);
          expect(new Webhook(secret).verify(request.body, signedHeaders(request))).toEqual(delivery!.body);
        }
        const log = ok(await graph.run(ENDPOINTS, { id: partner }, partnerAs(partner))).partner.webhookEndpoints[0].deliveries;
        expect(log.totalCount).toBe(1);
        expect(log.nodes[0]).toMatchObject({ eventId: event.id, eventType: 'article.delivered', status: 'SUCCEEDED', attemptCount: 2, nextAttemptAt: null });
        expect(log.nodes[0].attempts.map((a: { httpStatus: number; error: string | null }) => [a.httpStatus, a.error])).toEqual([[500, 'HTTP 500'], [200, null]]);
      } finally {
        await receiver.close();
      }
    });

    it('marks a dead endpoint FAILED after the schedule, disables it after five failing days, and replays', async () => {
      let answer = 503;
      const receiver = await startReceiver(() => answer);
      try {
        const partner = await freshPartner();
        const { endpoint } = await register(partner, { url: receiver.url });
        const test = ok(await graph.run(SEND_TEST, { id: endpoint.id }, partnerAs(partner))).sendTestWebhook;
        expect(test).toMatchObject({ eventType: 'webhook.test', status: 'PENDING', attemptCount: 0 });
        const sender = dispatcher();
        await until('the delivery to fail', async () => (await statusOf(test.id)) === 'FAILED', () => sender.runOnce());
        expect((await attemptsOf(test.id)).map((a) => a.http_status)).toEqual([503, 503, 503]);
        expect(receiver.received.every((r) => r.headers['webhook-id'] === test.eventId)).toBe(true);

        // Failing for more than five days: the next failure disables the endpoint, with a reason the partner sees.
        await graph.db.query(`UPDATE customers.webhook_endpoint SET failing_since = now() - interval '6 days' WHERE id = $1`, [endpoint.id]);
        const replayed = ok(await graph.run(REPLAY, { id: test.id }, partnerAs(partner))).replayWebhookDelivery;
        expect(replayed).toMatchObject({ status: 'PENDING', attemptCount: 0, nextAttemptAt: expect.any(String) });
        await until('the fourth attempt', async () => (await attemptsOf(test.id)).length === 4, () => sender.runOnce());
        const disabled = ok(await graph.run(ENDPOINTS, { id: partner }, partnerAs(partner))).partner.webhookEndpoints[0];
        expect(disabled).toMatchObject({ enabled: false, disabledReason: expect.stringContaining('failed for 5 days') });
        expect(dispatchLog.some((line) => line.includes(`disabled endpoint ${endpoint.id}`))).toBe(true);

        // Fixed and enabled again, the replayed delivery goes through and the failing streak ends.
        answer = 200;
        ok(await graph.run(UPDATE, { id: endpoint.id, input: { enabled: true } }, partnerAs(partner)));
        await until('the replay to succeed', async () => (await statusOf(test.id)) === 'SUCCEEDED', () => sender.runOnce());
        expect((await attemptsOf(test.id)).map((a) => a.http_status)).toEqual([503, 503, 503, 503, 200]);
        const [row] = await graph.db.query<{ failing_since: Date | null }>('SELECT failing_since FROM customers.webhook_endpoint WHERE id = $1', [endpoint.id]);
        expect(row!.failing_since).toBeNull();
      } finally {
        await receiver.close();
      }
    });

    it('signs with both secrets for 24 hours after a rotation, and with the new one alone after', async () => {
      const receiver = await startReceiver(() => 200);
      try {
        const partner = await freshPartner();
        const { secret: oldSecret, endpoint } = await register(partner, { url: receiver.url });
        const rotated = ok(await graph.run(ROTATE, { id: endpoint.id }, partnerAs(partner))).rotateWebhookSecret;
        const newSecret: string = rotated.secret;
        expect(newSecret).toMatch(/^whsec_/);
        expect(newSecret).not.toBe(oldSecret);
        const sender = dispatcher();
        const first = ok(await graph.run(SEND_TEST, { id: endpoint.id }, partnerAs(partner))).sendTestWebhook;
        await until('the first test delivery', async () => (await statusOf(first.id)) === 'SUCCEEDED', () => sender.runOnce());

        const during = receiver.received[0]!;
        const signatures = String(during.headers['webhook-signature']).split(' ');
        expect(signatures).toHaveLength(2);
        expect(signatures.every((s) => s.startsWith('v1,'))).toBe(true);
        // A receiver that still has the old secret, one that has the new one, and each signature alone.
        expect(new Webhook(oldSecret).verify(during.body, signedHeaders(during))).toMatchObject({ type: 'webhook.test' });
        expect(new Webhook(newSecret).verify(during.body, signedHeaders(during))).toMatchObject({ type: 'webhook.test' });
        expect(() => new Webhook(newSecret).verify(during.body, signedHeaders(during, signatures[0]))).not.toThrow();
        expect(() => new Webhook(oldSecret).verify(during.body, signedHeaders(during, signatures[1]))).not.toThrow();

        await graph.db.query(`UPDATE customers.webhook_endpoint SET previous_secret_expires_at = now() - interval '1 second' WHERE id = $1`, [endpoint.id]);
        const second = ok(await graph.run(SEND_TEST, { id: endpoint.id }, partnerAs(partner))).sendTestWebhook;
        await until('the second test delivery', async () => (await statusOf(second.id)) === 'SUCCEEDED', () => sender.runOnce());
        const after = receiver.received[1]!;
        expect(String(after.headers['webhook-signature']).split(' ')).toHaveLength(1);
        expect(() => new Webhook(newSecret).verify(after.body, signedHeaders(after))).not.toThrow();
        expect(() => new Webhook(oldSecret).verify(after.body, signedHeaders(after))).toThrow();
      } finally {
        await receiver.close();
      }
    });

    it('connects to the address it checked, never resolving the name again (no DNS rebinding)', async () => {
      const receiver = await startReceiver(() => 200);
      try {
        const partner = await freshPartner();
        // ".invalid" never resolves (RFC 6761): the request can only arrive through the checked address.
        const url = receiver.url.replace('127.0.0.1', 'partner-receiver.invalid');
        const { endpoint } = await register(partner, { url: DEAD_URL });
        await graph.db.query('UPDATE customers.webhook_endpoint SET url = $1 WHERE id = $2', [url, endpoint.id]);
        const test = ok(await graph.run(SEND_TEST, { id: endpoint.id }, partnerAs(partner))).sendTestWebhook;
        const resolved: string[] = [];
        const sender = dispatcher({ resolveHost: async (host) => (resolved.push(host), ['127.0.0.1']) });
        await until('the delivery', async () => (await statusOf(test.id)) === 'SUCCEEDED', () => sender.runOnce());
        expect(resolved).toContain('partner-receiver.invalid');
        expect(receiver.received[0]!.headers.host).toBe(new URL(url).host);
      } finally {
        await receiver.close();
      }
    });

    it('loses nothing when a dispatcher dies mid-flight: a new one sends every delivery once the leases end', async () => {
      let hold = true;
      const receiver = await startReceiver(() => (hold ? 'hold' : 200));
      try {
        const partner = await freshPartner();
        const endpoints = [];
        for (let i = 0; i < 3; i++) endpoints.push(await register(partner, { url: `${receiver.url}&endpoint=${i}` }));
        const event = articleEvent('article.out_for_delivery', partner);
        await graph.subgraph.prisma.$transaction((tx) => handleArticleEvent(tx, event));
        const ids = (await Promise.all(endpoints.map(({ endpoint }) => deliveriesOf(endpoint.id)))).flat().map((d) => d.id);
        expect(ids).toHaveLength(3);

        // The first dispatcher claims all three and hangs on the receiver: as good as dead (its leases stay).
        const dying = dispatcher({ timeoutMs: 60_000 });
        const dyingRun = dying.runOnce();
        await until('three requests held', async () => receiver.held.length === 3);

        // A new dispatcher, two minutes later (past the first one's leases), delivers every one of them.
        hold = false;
        const successor = dispatcher({ now: () => Date.now() + 120_000 });
        await until('every delivery to succeed', async () => (await Promise.all(ids.map(statusOf))).every((s) => s === 'SUCCEEDED'), () => successor.runOnce());
        // The repeats are recognisable: each event id arrived twice, once per dispatcher.
        expect(receiver.received.map((r) => r.headers['webhook-id'])).toEqual(Array(6).fill(event.id));
        for (const request of receiver.received) {
          const { secret } = endpoints[Number(/endpoint=(\d)/.exec(request.url)![1])]!;
          expect(() => new Webhook(secret).verify(request.body, signedHeaders(request))).not.toThrow();
        }

        // The first dispatcher's sends finally end; what it records does not undo the successor's work.
        receiver.release(500);
        await dyingRun;
        for (const id of ids) {
          expect(await statusOf(id)).toBe('SUCCEEDED');
          expect((await attemptsOf(id)).map((a) => a.http_status).sort()).toEqual([200, 500]);
        }
      } finally {
        receiver.release();
        await receiver.close();
      }
    });

    it('finishes the sends in flight before stop() returns', async () => {
      const receiver = await startReceiver(() => 'hold');
      try {
        const partner = await freshPartner();
        const { endpoint } = await register(partner, { url: receiver.url });
        const test = ok(await graph.run(SEND_TEST, { id: endpoint.id }, partnerAs(partner))).sendTestWebhook;
        const sender = dispatcher({ pollIntervalMs: 20 });
        sender.start();
        await until('the request to arrive', async () => receiver.held.length === 1);
        let stopped = false;
        const stopping = sender.stop().then(() => (stopped = true));
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(stopped).toBe(false);
        receiver.release(204);
        await stopping;
        expect(await statusOf(test.id)).toBe('SUCCEEDED');
      } finally {
        await receiver.close();
      }
    });

    describe('in production', () => {
      const production = (resolve: Record<string, string[]> = {}): WebhookSettings => ({
        secretKey,
        production: true,
        resolve: async (host) => {
          if (!resolve[host]) throw new Error(`ENOTFOUND ${host}`);
          return resolve[host]!;
        },
      });

      it('refuses http, loopback and names that resolve to loopback at registration', async () => {
        const partner = await freshPartner();
        const settings = production({ 'hooks.partner.example': ['127.0.0.1'], 'public.partner.example': ['203.0.114.10'] });
        for (const url of ['http://127.0.0.1:8080/hooks', 'https://127.0.0.1/hooks', 'https://[::ffff:127.0.0.1]/hooks', 'https://hooks.partner.example/hooks', 'https://localhost/hooks', 'https://unresolvable.partner.example/']) {
          const result = await runWith(settings, CREATE, { input: { url }, key: newKey() }, partnerAs(partner));
          expect({ url, codes: codesOf(result), fields: fieldsOf(result) }).toEqual({ url, codes: ['BAD_USER_INPUT'], fields: ['input.url'] });
        }
        const accepted = await runWith(settings, CREATE, { input: { url: 'https://public.partner.example/hooks' }, key: newKey() }, partnerAs(partner));
        expect(ok(accepted).createWebhookEndpoint.endpoint.url).toBe('https://public.partner.example/hooks');
        ok(await graph.run(DELETE, { id: ok(accepted).createWebhookEndpoint.endpoint.id }, partnerAs(partner)));
        // A later change of URL is checked the same way.
        const endpoint = (await register(partner, { url: DEAD_URL })).endpoint;
        const update = await runWith(settings, UPDATE, { id: endpoint.id, input: { url: 'https://hooks.partner.example/hooks' } }, partnerAs(partner));
        expect(fieldsOf(update)).toEqual(['input.url']);
        ok(await graph.run(DELETE, { id: endpoint.id }, partnerAs(partner)));
      });

      it('refuses to send to loopback: the attempt is recorded, no connection is made, and it is retried', async () => {
        const receiver = await startReceiver(() => 200);
        try {
          const partner = await freshPartner();
          // Registered outside production (a developer's receiver), then dispatched by a production dispatcher.
          const { endpoint } = await register(partner, { url: receiver.url });
          const test = ok(await graph.run(SEND_TEST, { id: endpoint.id }, partnerAs(partner))).sendTestWebhook;
          const refusing = dispatcher({ production: true, schedule: [60_000] });
          await until('the refused attempt', async () => (await attemptsOf(test.id)).length === 1, () => refusing.runOnce());
          const [attempt] = await attemptsOf(test.id);
          expect(attempt).toEqual({ http_status: null, error: expect.stringMatching(/^refused, no connection made: the URL must use https/) });
          expect(receiver.received).toEqual([]);
          expect(dispatchLog.some((line) => line.includes(`refused to send delivery ${test.id}`) && !line.includes('token=abc'))).toBe(true);
          const [delivery] = await deliveriesOf(endpoint.id);
          expect(delivery).toMatchObject({ status: 'PENDING', attempt_count: 1 });

          // https to a name that resolves to loopback is refused the same way, at send time.
          await graph.db.query(`UPDATE customers.webhook_endpoint SET url = 'https://rebound.partner.example/hooks' WHERE id = $1`, [endpoint.id]);
          await graph.db.query(`UPDATE customers.webhook_delivery SET next_attempt_at = now() WHERE id = $1`, [test.id]);
          const rebinding = dispatcher({ production: true, schedule: [60_000], resolveHost: async () => ['127.0.0.1'] });
          await until('the second refused attempt', async () => (await attemptsOf(test.id)).length === 2, () => rebinding.runOnce());
          expect((await attemptsOf(test.id))[1]!.error).toMatch(/127\.0\.0\.1, a loopback address/);
          expect(receiver.received).toEqual([]);
        } finally {
          await receiver.close();
        }
      });
    });
  });
});
