import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { createInProcessTransport, createJetStreamTransport, createOutboxRelay, outboxHistory, redeliveryDelayMs, type EventLogger, type EventTransport } from '@dakgraph/events';
import { fileSender, type NotificationMessage, type NotificationSender } from '@dakgraph/notifications';
import type { Database } from '@dakgraph/db';
import { close, listen } from '@dakgraph/graphql-kit';
import { deliveryOtpFor } from '../src/domain';
import { createArticlesSubgraph } from '../src/server';
import { OUTBOX_TABLE } from '../src/services/articleEvents';
import { NOTIFICATION_CONSUMER, consumeNotifications, createNotificationConsumer } from '../src/services/notifications';
import { ENGINES, NOW, TEST_IDENTITY_SECRET, TEST_OTP_SECRET, VIEWERS, codesOf, newKey, receivedAtBazargate, startArticles, type ArticlesHarness } from './support';

/**
 * The SMS notification consumer against the real transports (NATS JetStream at TEST_NATS_URL, and the
 * embedded in-process one) and a real PostgreSQL: no text is lost when the consumer dies mid-send, a
 * failing SMS provider is retried with backoff until it takes the very same message, and the OTP resend
 * limit is per IST day.
 */

const NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
const TODAY = '2026-11-25';
/** How the addressee's phone of every test article (support's RECIPIENT) reaches the sender. */
const ADDRESSEE = '+919820012345';
/** Short, so a message held by a killed JetStream consumer comes back quickly (the default is 30 s). */
const ACK_WAIT_MS = 2_000;

const ASSIGN = `mutation ($input: AssignForDeliveryInput!, $key: String!) {
  assignForDelivery(input: $input, idempotencyKey: $key) { articles { articleNumber status delivery { attempt otpRequired } } } }`;
const ATTEMPT = `mutation ($input: DeliveryAttemptInput!, $key: String!) {
  recordDeliveryAttempt(input: $input, idempotencyKey: $key) { article { status } } }`;
const RESEND = `mutation ($n: String!, $key: String!) {
  resendDeliveryOtp(articleNumber: $n, idempotencyKey: $key) { replayed resendsLeftToday article { articleNumber status } } }`;

/** Waits until `check` holds, polling; fails with `what` after a generous deadline (no timing asserted). */
async function eventually(what: string, check: () => boolean | Promise<boolean>, deadlineMs = 30_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function deferred<T = void>(): { promise: Promise<T>; resolve(value: T): void; reject(error: Error): void } {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

/** A logger that keeps what it was told: the tests stay quiet and can read the failures. */
function memoryLog(): EventLogger & { errors: string[]; infos: string[] } {
  const errors: string[] = [];
  const infos: string[] = [];
  return { errors, infos, info: (message) => infos.push(message), error: (message) => errors.push(message) };
}

const TRANSPORTS = ['JetStream', 'in-process'] as const;

/**
 * A transport for one test, and `reconnect` for "a fresh process": JetStream gets a new connection to the
 * same stream (its own per test, deleted by `dispose`). In process, a fresh process is a fresh transport,
 * its memory empty: what it knows of earlier events is the outbox's history, as `npm start` gives it.
 */
async function openTransport(kind: (typeof TRANSPORTS)[number], log: EventLogger, db: Database) {
  if (kind === 'in-process') {
    const history = outboxHistory(db, [OUTBOX_TABLE]);
    const opened = [createInProcessTransport({ log, history })];
    return {
      transport: opened[0]!,
      async reconnect() {
        opened.push(createInProcessTransport({ log, history }));
        return opened.at(-1)!;
      },
      async dispose() {
        for (const transport of opened) await transport.close();
      },
    };
  }
  const suffix = `${process.pid}_${randomBytes(4).toString('hex')}`;
  const stream = `DAKGRAPH_NOTIFY_TEST_${suffix}`;
  const open = () => createJetStreamTransport({ servers: NATS_URL, stream, subjectPrefix: `test_notify_${suffix}.events`, ackWaitMs: ACK_WAIT_MS, log });
  const opened: EventTransport[] = [await open()];
  return {
    transport: opened[0]!,
    async reconnect() {
      const transport = await open();
      opened.push(transport);
      return transport;
    },
    async dispose() {
      for (const transport of opened) await transport.close();
      const nc = await connect({ servers: NATS_URL });
      try {
        await (await jetstreamManager(nc)).streams.delete(stream);
      } finally {
        await nc.close();
      }
    },
  };
}

describe.each(TRANSPORTS)('SMS notifications over the %s transport, on PostgreSQL', (kind) => {
  let graph: ArticlesHarness;
  let dir: string;
  let file: string;

  beforeAll(async () => {
    graph = await startArticles('PostgreSQL');
    dir = await mkdtemp(path.join(tmpdir(), 'dakgraph-notify-'));
  }, 180_000);

  afterAll(async () => {
    await graph?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    file = path.join(dir, `sms-${newKey('log')}.log`);
  });

  /** The lines the file sender wrote, in order. */
  async function smsLog(): Promise<NotificationMessage[]> {
    const text = await readFile(file, 'utf8').catch(() => '');
    return text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as NotificationMessage);
  }

  /** `n` OTP articles given out to the beat postman today; they sit in the outbox until a relay runs. */
  async function outForDeliveryWithOtp(n: number): Promise<string[]> {
    const numbers = await receivedAtBazargate(graph, n, { services: ['OTP_DELIVERY'] });
    const assigned = await graph.run(VIEWERS.bazargateClerk, ASSIGN, { input: { postmanId: VIEWERS.beatPostman.id, articleNumbers: numbers, date: TODAY }, key: newKey('assign') });
    expect(assigned.errors).toBeUndefined();
    expect(assigned.data.assignForDelivery.articles.map((a: { delivery: { otpRequired: boolean } }) => a.delivery.otpRequired)).toEqual(numbers.map(() => true));
    return numbers;
  }

  /**
   * The text each article's addressee must get, derived independently of the consumer: the id from the
   * out_for_delivery event in the outbox, the OTP from the assignment's nonce and the deployment secret.
   */
  async function expectedTexts(numbers: string[]): Promise<{ expected: Map<string, NotificationMessage>; otps: Map<string, string> }> {
    const rows = await graph.db.query<{ id: string; articleNumber: string; nonce: string }>(
      `SELECT e.id::text AS id, e.subject AS "articleNumber", a.otp_nonce AS nonce
         FROM articles.outbox_event e JOIN articles.delivery_assignment a ON a.article_number = e.subject::bpchar
        WHERE e.type = 'article.out_for_delivery' AND e.subject = ANY($1::text[])`,
      [numbers],
    );
    expect(rows.map((row) => row.articleNumber).sort()).toEqual([...numbers].sort());
    const expected = new Map<string, NotificationMessage>();
    const otps = new Map<string, string>();
    for (const { id, articleNumber, nonce } of rows) {
      const otp = deliveryOtpFor(articleNumber, TODAY, nonce, TEST_OTP_SECRET);
      expect(otp).toMatch(/^\d{6}$/);
      otps.set(`${id}:OUT_FOR_DELIVERY_OTP`, otp);
      expected.set(`${id}:OUT_FOR_DELIVERY_OTP`, {
        id: `${id}:OUT_FOR_DELIVERY_OTP`,
        to: ADDRESSEE,
        template: 'OUT_FOR_DELIVERY_OTP',
        text: expect.stringContaining(`Your article ${articleNumber} is out for delivery today. OTP for delivery: ${otp}, valid till 23:59 today.`) as unknown as string,
      });
    }
    return { expected, otps };
  }

  async function processed(eventIds: string[]): Promise<string[]> {
    const rows = await graph.db.query<{ id: string }>(
      `SELECT event_id::text AS id FROM articles.processed_event WHERE consumer = $1 AND event_id = ANY($2::uuid[]) ORDER BY event_id`,
      [NOTIFICATION_CONSUMER, eventIds],
    );
    return rows.map((row) => row.id);
  }

  const eventIdOf = (messageId: string) => messageId.split(':')[0]!;

  const relayOn = (transport: EventTransport, log: EventLogger) => createOutboxRelay({ db: graph.subgraph.prisma, table: OUTBOX_TABLE, transport, log });

  it('loses no text when the consumer is killed mid-send: a fresh consumer of the durable sends the rest, a resent one with the same id', async () => {
    const log = memoryLog();
    const { transport, reconnect, dispose } = await openTransport(kind, log, graph.db);
    try {
      const numbers = await outForDeliveryWithOtp(6);
      const { expected } = await expectedTexts(numbers);
      const provider = fileSender(file);

      // The dying process: its sender hands the first two to the provider, then the third is accepted by
      // the provider but the answer never comes back, because the process goes down with the send in flight.
      const DIES_AT = 3;
      let calls = 0;
      const inFlight = deferred<NotificationMessage>();
      const processGoesDown = deferred();
      const dying: NotificationSender = {
        description: 'an SMS provider reached from a process about to die',
        async send(message) {
          calls += 1;
          if (calls < DIES_AT) return provider.send(message);
          if (calls === DIES_AT) {
            await provider.send(message);
            inFlight.resolve(message);
            await processGoesDown.promise;
          }
          throw new Error('the connection to the SMS provider went down with the process');
        },
      };
      const first = createNotificationConsumer({ prisma: graph.subgraph.prisma, sender: dying, otpSecret: TEST_OTP_SECRET, now: () => NOW, log });
      const firstHandle = await consumeNotifications(transport, first);
      // In process the publish returns only once the running consumers handled the events (or stopped).
      const drained = relayOn(transport, log).drain();
      const caught = await inFlight.promise;
      expect(expected.has(caught.id)).toBe(true);

      let firstStopped: Promise<void>;
      if (kind === 'JetStream') {
        // Killed: it pulls nothing more and never acknowledges the message in hand (nor what it had
        // buffered); JetStream gives them to the durable's next consumer after ack_wait. The dead
        // process's send is only settled at the end, to let the test close its connection.
        firstStopped = firstHandle.stop();
      } else {
        // In memory the stop waits for the send in hand, which fails as the connection goes down; the relay
        // then marks every event published, though the dying process's memory is their only other copy.
        // The next process starts empty and replays the outbox's recent events (its history).
        firstStopped = firstHandle.stop();
        processGoesDown.reject(new Error('the process is going down'));
        await firstStopped;
      }
      expect(await drained).toBeGreaterThanOrEqual(numbers.length);
      expect(first.stats.sent).toEqual({ OUT_FOR_DELIVERY_OTP: DIES_AT - 1 });
      expect((await smsLog()).map((message) => message.id)).toHaveLength(DIES_AT);

      // The fresh consumer: a new connection (a new process) on the same durable, the real file sender.
      const second = createNotificationConsumer({ prisma: graph.subgraph.prisma, sender: provider, otpSecret: TEST_OTP_SECRET, now: () => NOW, log });
      const secondHandle = await consumeNotifications(await reconnect(), second);
      const eventIds = [...expected.keys()].map(eventIdOf).sort();
      await eventually('every out-for-delivery event is texted and marked processed', async () => (await processed(eventIds)).length === eventIds.length);
      await secondHandle.stop();
      processGoesDown.reject(new Error('the process is going down'));
      await firstStopped;

      const sent = await smsLog();
      // Each text at least once and exactly as expected; the one in flight at the kill twice, with the same
      // id and the same words (OTP included), so the provider can drop the second; no other duplicate.
      for (const message of sent) expect(message).toEqual(expected.get(message.id));
      const timesSent = new Map<string, number>();
      for (const message of sent) timesSent.set(message.id, (timesSent.get(message.id) ?? 0) + 1);
      expect(Object.fromEntries(timesSent)).toEqual(Object.fromEntries([...expected.keys()].map((id) => [id, id === caught.id ? 2 : 1])));
      const resent = sent.filter((message) => message.id === caught.id);
      expect(resent[1]).toEqual(resent[0]);
      expect(second.stats.sent).toEqual({ OUT_FOR_DELIVERY_OTP: numbers.length - (DIES_AT - 1) });
      expect(await processed(eventIds)).toEqual(eventIds);
    } finally {
      await dispose();
    }
  });

  /** A whole articles server on the harness's database, texting through `sender`; its workers run while it listens. */
  async function startServer(transport: EventTransport, sender: NotificationSender, log: EventLogger) {
    const subgraph = await createArticlesSubgraph(graph.db, {
      identitySecret: TEST_IDENTITY_SECRET,
      customersUrl: graph.terms.url,
      events: transport,
      notificationSender: sender,
      deliveryOtpSecret: TEST_OTP_SECRET,
      now: () => NOW,
      log,
    });
    await listen(subgraph.http, 0, '127.0.0.1');
    return {
      stats: subgraph.notifications!.stats,
      /** Stops listening, then waits for the relay and the notification consumer to stop. */
      async stop() {
        await close(subgraph.http);
        await subgraph.workersStopped();
        await subgraph.apollo.stop();
        await subgraph.prisma.$disconnect();
      },
    };
  }

  it('loses no text when the whole articles server stops mid-send: the next server on the same durable sends every text once', async () => {
    const log = memoryLog();
    const { transport, reconnect, dispose } = await openTransport(kind, log, graph.db);
    try {
      const provider = fileSender(file);
      // The provider hangs on the third text, and fails every text once the server is shutting down (its
      // connections are cut): the third is never accepted, so it must come from the next server.
      const HANGS_AT = 3;
      let calls = 0;
      let down = false;
      const inFlight = deferred<NotificationMessage>();
      const cut = deferred();
      const hanging: NotificationSender = {
        description: 'an SMS provider that hangs',
        async send(message) {
          calls += 1;
          if (calls === HANGS_AT) {
            inFlight.resolve(message);
            await cut.promise;
          }
          if (down) throw new Error('the connection to the SMS provider was cut at shutdown');
          await provider.send(message);
        },
      };
      const first = await startServer(transport, hanging, log);
      const numbers = await outForDeliveryWithOtp(6);
      const { expected } = await expectedTexts(numbers);
      const caught = await inFlight.promise;
      expect(expected.has(caught.id)).toBe(true);

      const stopping = first.stop();
      down = true;
      cut.reject(new Error('the connection to the SMS provider was cut at shutdown'));
      await stopping;
      expect(first.stats.sent).toEqual({ OUT_FOR_DELIVERY_OTP: HANGS_AT - 1 });
      expect(await smsLog()).toHaveLength(HANGS_AT - 1);
      // The relay marked every one published: from here on only the transport holds the untexted ones.
      const [unpublished] = await graph.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM articles.outbox_event WHERE type = 'article.out_for_delivery' AND subject = ANY($1::text[]) AND published_at IS NULL`,
        [numbers],
      );
      expect(unpublished!.n).toBe(0);

      // The next server: with JetStream, a new connection. In process, a new process: a fresh transport
      // whose memory holds nothing of the untexted events the relay marked published; it finds them in the
      // outbox's history and texts them (and skips, by id, the ones already texted).
      const second = await startServer(await reconnect(), provider, log);
      const eventIds = [...expected.keys()].map(eventIdOf).sort();
      try {
        await eventually('every out-for-delivery event is texted and marked processed', async () => (await processed(eventIds)).length === eventIds.length);
      } finally {
        await second.stop();
      }
      const sent = await smsLog();
      expect(sent.map((message) => message.id).sort()).toEqual([...expected.keys()].sort());
      for (const message of sent) expect(message).toEqual(expected.get(message.id));
      expect(second.stats.sent).toEqual({ OUT_FOR_DELIVERY_OTP: numbers.length - (HANGS_AT - 1) });
      expect(log.errors.some((line) => line.includes(caught.id) && line.includes('cut at shutdown'))).toBe(true);
    } finally {
      await dispose();
    }
  });

  it('retries a failing sender with a growing pause until it accepts the same message, and marks the event only then', async () => {
    const log = memoryLog();
    const { transport, dispose } = await openTransport(kind, log, graph.db);
    try {
      const [articleNumber] = await outForDeliveryWithOtp(1);
      const texts = await expectedTexts([articleNumber!]);
      const [messageId] = [...texts.expected.keys()] as [string];
      const expected = texts.expected.get(messageId)!;
      const otp = texts.otps.get(messageId)!;
      const eventId = eventIdOf(messageId);

      const FAILURES = 3;
      const provider = fileSender(file);
      const attempts: { message: NotificationMessage; at: number; markedBefore: number }[] = [];
      const flaky: NotificationSender = {
        description: 'a flaky SMS provider',
        async send(message) {
          // Whether the event counted as processed while its text was still unaccepted (it must not).
          const markedBefore = (await processed([eventId])).length;
          attempts.push({ message: { ...message }, at: Date.now(), markedBefore });
          // A provider that echoes the request in its error, OTP included: the consumer must mask it.
          if (attempts.length <= FAILURES) throw new Error(`HTTP 503 for ${JSON.stringify(message)}`);
          await provider.send(message);
        },
      };
      const consumer = createNotificationConsumer({ prisma: graph.subgraph.prisma, sender: flaky, otpSecret: TEST_OTP_SECRET, now: () => NOW, log });
      const handle = await consumeNotifications(transport, consumer);
      await relayOn(transport, log).drain();
      await eventually('the text is accepted and the event marked', async () => (await processed([eventId])).length === 1);
      await handle.stop();

      // Tried FAILURES + 1 times, each time the very same message (id, phone, template, text), never marked
      // before the provider took it; the provider has it once, as it would have had without the failures.
      expect(attempts).toHaveLength(FAILURES + 1);
      for (const { message } of attempts) expect(message).toEqual(expected);
      for (const { message } of attempts) expect(message).toEqual(attempts[0]!.message);
      expect(attempts.map((attempt) => attempt.markedBefore)).toEqual(attempts.map(() => 0));
      expect(await smsLog()).toEqual([expected]);
      expect(consumer.stats.sent).toEqual({ OUT_FOR_DELIVERY_OTP: 1 });

      // The pause grows (100, 200, 400 ms): the log says so, and the attempts were at least that far apart.
      const failuresLogged = log.errors.filter((line) => line.includes(eventId));
      expect(failuresLogged).toHaveLength(FAILURES);
      failuresLogged.forEach((line, i) => {
        expect(line).toContain(`[events] ${NOTIFICATION_CONSUMER} failed on article.out_for_delivery ${eventId} (attempt ${i + 1}, again in ${redeliveryDelayMs(i + 1)} ms)`);
        expect(line).toContain(`SMS ${messageId} not accepted by a flaky SMS provider: HTTP 503`);
        expect(line).toContain('******');
        expect(line).not.toContain(otp);
      });
      for (let i = 1; i <= FAILURES; i++) {
        expect(attempts[i]!.at - attempts[i - 1]!.at).toBeGreaterThanOrEqual(redeliveryDelayMs(i) * 0.9);
      }
    } finally {
      await dispose();
    }
  });
});

describe.each(ENGINES)('resending a delivery OTP on %s', (engine) => {
  let graph: ArticlesHarness;
  let clock = NOW;

  let file: string;

  beforeAll(async () => {
    graph = await startArticles(engine, { now: () => clock });
    file = path.join(await mkdtemp(path.join(tmpdir(), 'dakgraph-resend-')), 'sms.log');
  }, 180_000);

  afterAll(async () => {
    await graph?.close();
    if (file) await rm(path.dirname(file), { recursive: true, force: true });
  });

  afterEach(() => {
    clock = NOW;
  });

  const assign = (articleNumber: string, date: string) =>
    graph.run(VIEWERS.bazargateClerk, ASSIGN, { input: { postmanId: VIEWERS.beatPostman.id, articleNumbers: [articleNumber], date }, key: newKey('assign') });
  const attempt = (articleNumber: string) =>
    graph.run(VIEWERS.beatPostman, ATTEMPT, { input: { articleNumber, reason: 'ADDRESSEE_ABSENT' }, key: newKey('attempt') });
  const resend = (articleNumber: string) => graph.run(VIEWERS.beatPostman, RESEND, { n: articleNumber, key: newKey('resend') });
  /**
   * What the outbox texts from what the last call left: the relay publishes it through an in-process
   * transport, whose publish returns once the notification consumer (the subgraph's clock, the real file
   * sender) has handled it, so no waiting is needed.
   */
  async function textsFromOutbox(): Promise<NotificationMessage[]> {
    const log = memoryLog();
    const transport = createInProcessTransport({ log });
    try {
      const consumer = createNotificationConsumer({ prisma: graph.subgraph.prisma, sender: fileSender(file), otpSecret: TEST_OTP_SECRET, now: () => clock, log });
      const handle = await consumeNotifications(transport, consumer);
      await createOutboxRelay({ db: graph.subgraph.prisma, table: OUTBOX_TABLE, transport, log }).drain();
      await handle.stop();
      expect(log.errors).toEqual([]);
    } finally {
      await transport.close();
    }
    const text = await readFile(file, 'utf8').catch(() => '');
    return text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as NotificationMessage);
  }
  const otpOf = async (articleNumber: string, attempt: number) => {
    const [row] = await graph.db.query<{ nonce: string; date: string }>(
      `SELECT otp_nonce AS nonce, to_char(delivery_date, 'YYYY-MM-DD') AS date FROM articles.delivery_assignment WHERE article_number = $1 AND attempt = $2`,
      [articleNumber, attempt],
    );
    return deliveryOtpFor(articleNumber, row!.date, row!.nonce, TEST_OTP_SECRET);
  };
  /** Templates of the texts, each with the OTP it carries. */
  const otpTexts = (texts: NotificationMessage[]) => texts.map((text) => [text.template, /\b(\d{6})\b/.exec(text.text)?.[1] ?? null]);

  const resendsRecorded = async (articleNumber: string) => {
    const [row] = await graph.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM articles.outbox_event WHERE subject = $1 AND type = 'article.delivery_otp_sent'`, [articleNumber]);
    return row!.n;
  };

  it('allows 3 resends an IST day (each texted), refuses the 4th as RATE_LIMITED until 00:00 IST, even after a reassignment, and allows them again the next day', async () => {
    const [article] = await receivedAtBazargate(graph, 1, { services: ['OTP_DELIVERY'] });
    expect((await assign(article!, TODAY)).errors).toBeUndefined();

    for (const left of [2, 1, 0]) {
      const result = await resend(article!);
      expect(result.errors).toBeUndefined();
      expect(result.data.resendDeliveryOtp).toEqual({ replayed: false, resendsLeftToday: left, article: { articleNumber: article, status: 'OUT_FOR_DELIVERY' } });
    }
    expect(await resendsRecorded(article!)).toBe(3);

    // The 4th (11:30 IST): refused, saying when the count resets (00:00 IST, 12 h 30 min away); nothing is texted.
    const refused = await resend(article!);
    expect(codesOf(refused)).toEqual(['RATE_LIMITED']);
    expect(refused.errors![0]!.message).toBe(
      `The OTP of article ${article} was already resent 3 times today, the most a day; it can be resent again from 00:00 IST (2026-11-25T18:30:00.000Z), or a supervisor can issue a new one (reissueDeliveryOtp)`,
    );
    expect(refused.errors![0]!.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 3, resetsAt: '2026-11-25T18:30:00.000Z', retryAfterSeconds: 45_000 });
    expect(await resendsRecorded(article!)).toBe(3);
    // Texted: the out-for-delivery OTP and the 3 resends, all the same OTP (a resend keeps the nonce), ids distinct.
    const firstDayOtp = await otpOf(article!, 1);
    const dayOne = await textsFromOutbox();
    expect(otpTexts(dayOne)).toEqual([['OUT_FOR_DELIVERY_OTP', firstDayOtp], ...Array.from({ length: 3 }, () => ['OTP_RESENT', firstDayOtp])]);
    expect(new Set(dayOne.map((text) => text.id)).size).toBe(4);

    // A second assignment the same day does not start the count again: it is per article per IST day.
    expect((await attempt(article!)).errors).toBeUndefined();
    const again = await assign(article!, TODAY);
    expect(again.errors).toBeUndefined();
    expect(again.data.assignForDelivery.articles[0].delivery).toEqual({ attempt: 2, otpRequired: true });
    expect(codesOf(await resend(article!))).toEqual(['RATE_LIMITED']);

    // Still the 25th at 23:59:59 IST: refused, one second before the reset. The postman comes back without delivering.
    clock = new Date('2026-11-25T18:29:59.000Z');
    const lastSecond = await resend(article!);
    expect(codesOf(lastSecond)).toEqual(['RATE_LIMITED']);
    expect(lastSecond.errors![0]!.extensions).toMatchObject({ resetsAt: '2026-11-25T18:30:00.000Z', retryAfterSeconds: 1 });
    expect((await attempt(article!)).errors).toBeUndefined();
    expect(await resendsRecorded(article!)).toBe(3);

    // The next IST day the article goes out again, and its OTP may be resent 3 times again (then not).
    clock = new Date('2026-11-26T04:00:00.000Z');
    const nextDay = await assign(article!, '2026-11-26');
    expect(nextDay.errors).toBeUndefined();
    expect(nextDay.data.assignForDelivery.articles[0].delivery).toEqual({ attempt: 3, otpRequired: true });
    for (const left of [2, 1, 0]) {
      const result = await resend(article!);
      expect(result.errors).toBeUndefined();
      expect(result.data.resendDeliveryOtp).toMatchObject({ replayed: false, resendsLeftToday: left });
    }
    const nextDayRefused = await resend(article!);
    expect(codesOf(nextDayRefused)).toEqual(['RATE_LIMITED']);
    expect(nextDayRefused.errors![0]!.extensions).toMatchObject({ resetsAt: '2026-11-26T18:30:00.000Z' });
    expect(await resendsRecorded(article!)).toBe(6);
    // Texted today: the new out-for-delivery OTP and 3 resends of it; yesterday's second out-for-delivery is stale.
    const nextDayOtp = await otpOf(article!, 3);
    const dayTwo = (await textsFromOutbox()).slice(dayOne.length);
    expect(otpTexts(dayTwo)).toEqual([['OUT_FOR_DELIVERY_OTP', nextDayOtp], ...Array.from({ length: 3 }, () => ['OTP_RESENT', nextDayOtp])]);
  });
});
