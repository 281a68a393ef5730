import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { createWebhookDispatcher, type WebhookDispatcher } from '@dakgraph/customers';
import { createInProcessTransport, createJetStreamTransport, type EventTransport } from '@dakgraph/events';
import { close, listen } from '@dakgraph/graphql-kit';
import { Webhook } from 'standardwebhooks';
import { adminLogin, startGateway, startSubgraphs, TEST_WEBHOOK_SECRET_KEY, type RunningGateway, type RunningSubgraphs } from './support/graph';

/**
 * Issue 10 end to end, through the gateway: a partner registers an endpoint on a local receiver that
 * verifies every signature with the standardwebhooks library; booking and moving its article delivers each
 * event; another partner's endpoint receives none; a 500 is retried with the same webhook-id; a dispatcher
 * that dies mid-flight loses nothing. Once over NATS JetStream, once in-process.
 */
const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const PASSWORD = 'a long enough passphrase for webhook tests';
/** Retries come quickly here; production waits about 5 s, 5 min, 30 min, ... */
const FAST_RETRIES = [100, 100, 100, 100, 100];

interface Received {
  id: string;
  type: string;
  body: { type: string; timestamp: string; data: { articleNumber: string; status: string; sequence: number; event: unknown } };
}

/** A partner's receiver on 127.0.0.1: verifies every request, answers as told, records what it accepted. */
async function startReceiver() {
  let secret = '';
  const accepted: Received[] = [];
  const seenIds: string[] = [];
  const refusedSignatures: string[] = [];
  /** Status to answer per webhook-id, in order, before answering 200. */
  const scripted = new Map<string, number[]>();
  /** Ids whose requests hang until released (a send in flight when its dispatcher dies). */
  const hanging = new Set<string>();
  const held: (() => void)[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      const headers = req.headers as IncomingHttpHeaders & Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string>;
      let body: Received['body'];
      try {
        body = new Webhook(secret).verify(raw, headers) as Received['body'];
      } catch (error) {
        refusedSignatures.push(String(error));
        res.writeHead(401).end();
        return;
      }
      const id = headers['webhook-id'];
      seenIds.push(id);
      const answer = () => {
        const status = scripted.get(id)?.shift() ?? 200;
        if (status === 200) accepted.push({ id, type: body.type, body });
        res.writeHead(status).end();
      };
      if (hanging.has(id)) held.push(answer);
      else answer();
    });
  });
  const port = await listen(server, 0, '127.0.0.1');
  return {
    url: `http://127.0.0.1:${port}/hooks/dakgraph`,
    accepted,
    seenIds,
    refusedSignatures,
    scripted,
    hanging,
    useSecret: (value: string) => void (secret = value),
    release: () => held.splice(0).forEach((answer) => answer()),
    close: () => close(server),
  };
}

async function eventually<T>(what: string, check: () => T | undefined | false, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const TRANSPORTS = ['in-process', 'JetStream'] as const;

describe.each(TRANSPORTS)('partner webhooks through the gateway, events %s', (transportKind) => {
  let events: EventTransport;
  let stream = '';
  let subgraphs: RunningSubgraphs;
  let graph: RunningGateway;
  let admin = '';
  const keys: Record<'a' | 'b', string> = { a: '', b: '' };
  const receivers: Record<'a' | 'b', Awaited<ReturnType<typeof startReceiver>>> = {} as never;
  const dispatchers: WebhookDispatcher[] = [];

  const startDispatcher = (now: () => number = Date.now) => {
    const dispatcher = createWebhookDispatcher({
      prisma: subgraphs.customersPrisma,
      secretKey: TEST_WEBHOOK_SECRET_KEY,
      production: false,
      schedule: FAST_RETRIES,
      pollIntervalMs: 25,
      timeoutMs: 60_000,
      now,
      log: () => undefined,
    });
    dispatcher.start();
    dispatchers.push(dispatcher);
    return dispatcher;
  };

  const asAdmin = () => ({ authorization: `Bearer ${admin}` });
  const asPartner = (who: 'a' | 'b') => ({ 'x-api-key': keys[who] });
  const ok = async (request: Promise<{ status: number; body: any }>) => {
    const { body } = await request;
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };

  beforeAll(async () => {
    if (transportKind === 'JetStream') {
      stream = `DAKGRAPH_WEBHOOKS_TEST_${process.pid}_${randomBytes(4).toString('hex')}`;
      events = await createJetStreamTransport({ servers: [NATS_URL], stream, subjectPrefix: `test_${randomBytes(4).toString('hex')}` });
    } else {
      events = createInProcessTransport();
    }
    subgraphs = await startSubgraphs({ events });
    graph = await startGateway(subgraphs);
    admin = (await adminLogin(graph, subgraphs.db, PASSWORD)).token;
    for (const who of ['a', 'b'] as const) {
      const partner = await ok(
        graph.post(
          {
            query: `mutation ($key: String!, $name: String!) { createPartner(idempotencyKey: $key, input: { name: $name, contactEmail: "ops@shop.test",
              discountBasisPoints: 0, codAllowed: false, remittanceAccount: { holder: "Shop", accountNumber: "123456789012", ifsc: "SBIN0000691" } }) { id } }`,
            variables: { key: `webhook-partner-${who}`, name: `Shop ${who.toUpperCase()}` },
          },
          asAdmin(),
        ),
      );
      const key = await ok(
        graph.post(
          { query: 'mutation ($id: ID!, $key: String!) { createApiKey(partnerId: $id, label: "wms", idempotencyKey: $key) { apiKey } }', variables: { id: partner.createPartner.id, key: `webhook-key-${who}` } },
          asAdmin(),
        ),
      );
      keys[who] = key.createApiKey.apiKey;
      receivers[who] = await startReceiver();
      const endpoint = await ok(
        graph.post(
          {
            query: `mutation ($input: CreateWebhookEndpointInput!, $key: String!) { createWebhookEndpoint(input: $input, idempotencyKey: $key) {
              secret endpoint { id url eventTypes enabled } } }`,
            variables: { input: { url: receivers[who].url, eventTypes: [], description: 'tracking updates' }, key: `webhook-endpoint-${who}` },
          },
          asPartner(who),
        ),
      );
      expect(endpoint.createWebhookEndpoint.secret).toMatch(/^whsec_/);
      receivers[who].useSecret(endpoint.createWebhookEndpoint.secret);
    }
  }, 240_000);

  // Each test starts its own dispatchers; none may linger into the next one and send its deliveries.
  afterEach(async () => {
    for (const receiver of Object.values(receivers)) receiver.release();
    await Promise.all(dispatchers.splice(0).map((dispatcher) => dispatcher.stop()));
  });

  afterAll(async () => {
    await graph?.stop();
    await subgraphs?.stop();
    await events?.close();
    for (const receiver of Object.values(receivers)) await receiver.close();
    if (stream) {
      const nc = await connect({ servers: NATS_URL });
      await (await jetstreamManager(nc)).streams.delete(stream);
      await nc.close();
    }
  });

  const bookForPartnerA = async (key: string) => {
    const booked = await ok(
      graph.post(
        {
          query: `mutation ($items: [BookingItemInput!]!, $key: String!) { bookArticles(items: $items, idempotencyKey: $key) { articles { articleNumber } } }`,
          variables: {
            key,
            items: [{
              pickupPincode: '110001', product: 'SPEED_POST_PARCEL', weightGrams: 500,
              sender: { name: 'Shop A warehouse', phone: '+919812345678', addressLines: ['Plot 4, Okhla'], pincode: '110001' },
              recipient: { name: 'Ravi Kumar', phone: '+919822334455', addressLines: ['12 Marine Drive'], pincode: '400001' },
            }],
          },
        },
        asPartner('a'),
      ),
    );
    return booked.bookArticles.articles[0].articleNumber as string;
  };

  /** The id of an article's booked event, from the articles outbox (the webhook-id its deliveries carry). */
  const bookedEventId = async (articleNumber: string): Promise<string> => {
    const rows = await subgraphs.db.query<{ id: string }>(`SELECT id::text AS id FROM articles.outbox_event WHERE subject = $1 AND type = 'article.booked'`, [articleNumber]);
    return rows[0]!.id;
  };

  const move = (key: string, events: Record<string, unknown>[]) =>
    ok(
      graph.post(
        { query: 'mutation ($events: [TrackingEventInput!]!, $key: String!) { recordTrackingEvents(events: $events, idempotencyKey: $key) { events { sequence } } }', variables: { events, key } },
        asAdmin(),
      ),
    );

  it("delivers each of a partner's article events, signed, to its endpoint only", async () => {
    const articleNumber = await bookForPartnerA(`book-${transportKind}`);
    const dispatcher = startDispatcher();
    const booked = await eventually('the booked event', () => receivers.a.accepted.find((r) => r.body.data.articleNumber === articleNumber));
    expect(booked.type).toBe('article.booked');
    expect(booked.body.data).toMatchObject({ articleNumber, status: 'BOOKED', sequence: 1, event: { type: 'BOOKED', upuCode: 'EMA', office: { id: expect.any(String) } } });
    // No personal data and no routing fields travel to the partner.
    expect(JSON.stringify(booked.body)).not.toMatch(/Ravi|Marine|partnerId|ptn_/);

    await move(`move-${transportKind}`, [
      { articleNumber, type: 'BAGGED', officeId: '110001-baroda-house' },
      { articleNumber, type: 'BAG_DISPATCHED', officeId: '110001-baroda-house', nextOfficeId: '400001-mumbai' },
    ]);
    const moved = await eventually('both movement events', () => {
      const mine = receivers.a.accepted.filter((r) => r.body.data.articleNumber === articleNumber);
      return mine.length >= 3 ? mine : undefined;
    });
    expect(moved.map((r) => [r.type, r.body.data.sequence])).toEqual([
      ['article.booked', 1],
      ['article.bagged', 2],
      ['article.in_transit', 3],
    ]);
    await dispatcher.stop();
    expect(receivers.a.refusedSignatures).toEqual([]);
    // Partner B has an endpoint subscribed to everything, and hears nothing of A's article.
    expect(receivers.b.seenIds).toEqual([]);
  }, 120_000);

  it('retries a delivery answered 500 with the same webhook-id, and shows every attempt in the delivery log', async () => {
    const articleNumber = await bookForPartnerA(`book-retry-${transportKind}`);
    // The booking's event id is only known once it arrives; find it in the outbox and script the receiver before dispatching.
    const id = await bookedEventId(articleNumber);
    receivers.a.scripted.set(id, [500]);
    const dispatcher = startDispatcher();
    await eventually('the retried delivery', () => receivers.a.accepted.find((r) => r.id === id));
    await dispatcher.stop();
    expect(receivers.a.seenIds.filter((seen) => seen === id)).toEqual([id, id]);
    const log = await ok(
      graph.post(
        {
          query: `{ viewer { partner { webhookEndpoints { deliveries(first: 50) { nodes { eventId status attemptCount attempts { httpStatus } } } } } } }`,
        },
        asPartner('a'),
      ),
    );
    const delivery = log.viewer.partner.webhookEndpoints[0].deliveries.nodes.find((d: { eventId: string }) => d.eventId === id);
    expect(delivery).toMatchObject({ status: 'SUCCEEDED', attemptCount: 2, attempts: expect.arrayContaining([{ httpStatus: 500 }, { httpStatus: 200 }]) });
  }, 120_000);

  it('delivers everything pending after a dispatcher dies mid-flight (a duplicate is recognisable by its id)', async () => {
    const articleNumber = await bookForPartnerA(`book-crash-${transportKind}`);
    const id = await bookedEventId(articleNumber);
    receivers.a.hanging.add(id);
    // The first dispatcher's send hangs: it is as good as dead, holding its lease.
    startDispatcher();
    await eventually('the hanging send', () => receivers.a.seenIds.includes(id));
    await move(`crash-move-${transportKind}`, [{ articleNumber, type: 'BAGGED', officeId: '110001-baroda-house' }]);
    // A new dispatcher, started once the dead one's leases have run out (its clock two minutes ahead).
    receivers.a.hanging.delete(id);
    const successor = startDispatcher(() => Date.now() + 120_000);
    const delivered = await eventually('every pending event', () => {
      const mine = receivers.a.accepted.filter((r) => r.body.data.articleNumber === articleNumber);
      return mine.length >= 2 ? mine : undefined;
    });
    expect(delivered.map((r) => r.type)).toEqual(expect.arrayContaining(['article.booked', 'article.bagged']));
    await successor.stop();
    receivers.a.release();
    // The dead one's late answer arrives too: the same webhook-id, so the receiver can tell it is a duplicate.
    expect(receivers.a.seenIds.filter((seen) => seen === id)).toHaveLength(2);
    expect(receivers.b.seenIds).toEqual([]);
  }, 120_000);

  it('loses nothing when the dispatcher process is killed (SIGKILL) mid-send and another starts', async () => {
    const articleNumber = await bookForPartnerA(`book-kill-${transportKind}`);
    const id = await bookedEventId(articleNumber);
    receivers.a.hanging.add(id);
    // The production command, as its own process on the same database (built by `npm run build`).
    const command = path.join(__dirname, '..', '..', 'subgraphs', 'customers', 'dist', 'cli', 'dispatchWebhooks.js');
    const child = spawn(process.execPath, [command], {
      env: { ...process.env, DATABASE_URL: subgraphs.databaseUrl, WEBHOOK_SECRET_KEY: TEST_WEBHOOK_SECRET_KEY, NODE_ENV: 'development' },
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      await eventually('the killed dispatcher to be sending', () => receivers.a.seenIds.includes(id), 60_000);
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    receivers.a.hanging.delete(id);
    // Its lease on the delivery outlives it; a dispatcher started after the lease (clock ahead) sends it again.
    const successor = startDispatcher(() => Date.now() + 120_000);
    const delivered = await eventually('the delivery the killed process held', () => receivers.a.accepted.find((r) => r.id === id));
    await successor.stop();
    expect(delivered.body.data).toMatchObject({ articleNumber, status: 'BOOKED' });
    expect(receivers.a.seenIds.filter((seen) => seen === id)).toHaveLength(2);
  }, 120_000);
});
