import type { Server } from 'node:http';
import { createTestDatabase, openDatabase, preparedTemplate, repoRoot, type Database, type TestDatabase } from '@dakgraph/db';
import { close, listen } from '@dakgraph/graphql-kit';
import { createArticlesSubgraph, prepareArticlesDatabase } from '@dakgraph/articles';
import { createCustomersSubgraph, prepareCustomersDatabase } from '@dakgraph/customers';
import { createAdmin } from '@dakgraph/customers/cli/createAdmin';
import { createOfficesSubgraph, prepareOfficesDatabase } from '@dakgraph/offices';
import { createPaymentsSubgraph, preparePaymentsDatabase } from '@dakgraph/payments';
import { createAnalyticsSubgraph, prepareAnalyticsDatabase } from '@dakgraph/analytics';
import type { EventTransport } from '@dakgraph/events';
import { fileSender } from '@dakgraph/notifications';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { composeSupergraph } from '../../src/compose';
import { createGateway, type GatewayOptions } from '../../src/server';

/** Secrets for tests only: the gateway and the subgraphs must share them. */
export const TEST_SECRETS = {
  identitySecret: 'graph-test-identity-secret-0123456789abcdefgh',
  jwtSecret: 'graph-test-jwt-secret-0123456789abcdefghijklmn',
};

/** The delivery OTP secret of tests only (DELIVERY_OTP_SECRET: 32 bytes or more). */
export const TEST_DELIVERY_OTP_SECRET = 'graph-test-delivery-otp-secret-0123456789abcdefghijkl';

/** A webhook key for tests only (32 bytes, base64), as WEBHOOK_SECRET_KEY gives one. */
export const TEST_WEBHOOK_SECRET_KEY = Buffer.alloc(32, 7).toString('base64');

/** The payment provider's callback secret of tests only (Standard Webhooks form: "whsec_" and base64). */
export const TEST_PSP_CALLBACK_SECRET = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;

/** Every subgraph on one fresh database of the PostgreSQL server, listening on free ports. */
export interface RunningSubgraphs {
  db: Database;
  /** The test database's URL, for a process of its own (the webhook dispatcher's command). */
  databaseUrl: string;
  /** Where each subgraph listens, for tests that go around the gateway. */
  urls: Record<string, string>;
  /** The customers subgraph's Prisma client (a webhook dispatcher runs on it, as its own process would). */
  customersPrisma: Awaited<ReturnType<typeof createCustomersSubgraph>>['prisma'];
  /** The file sender's log (NOTIFICATION_SENDER=file:...): one JSON line per SMS the articles subgraph sent. */
  smsLogPath: string;
  /** The payments subgraph (its Prisma client and dependencies: tests run its expiry with their clock). */
  payments: Awaited<ReturnType<typeof createPaymentsSubgraph>>;
  /** Stops the articles subgraph (its consumers with it), as a crash or a deploy would. */
  stopArticles(): Promise<void>;
  /** Starts a new articles subgraph on the same database, transport and port (its durables resume). */
  startArticles(): Promise<void>;
  /** Stops the analytics subgraph (its consumers with it), and starts a new one on the same port (its durables resume). */
  stopAnalytics(): Promise<void>;
  startAnalytics(): Promise<void>;
  /** Stops the payments subgraph (its relay and consumer with it). */
  stopPayments(): Promise<void>;
  /** Starts a new payments subgraph on the same database, transport and port. */
  startPayments(): Promise<void>;
  stop(): Promise<void>;
}

export interface SubgraphsOptions {
  /** Domain events between the subgraphs (the outbox relay in articles, the webhook consumer in customers). */
  events?: EventTransport;
  /** The payments subgraph's clock (expiry of unpaid payments); the real one unless given. */
  paymentsClock?: () => Date;
}

const quiet = { progress: false, log: () => undefined };

/** Every subgraph's schema and reference copy, as npm start prepares them. */
async function prepareGraphDatabase(db: Database): Promise<void> {
  await prepareOfficesDatabase(db, quiet);
  await prepareCustomersDatabase(db, quiet);
  await prepareArticlesDatabase(db, quiet);
  await preparePaymentsDatabase(db, quiet);
  await prepareAnalyticsDatabase(db, quiet);
}

/** What a prepared graph database depends on: every migration, and the directory's data packages. */
function graphDatabaseVersion(): string {
  const root = repoRoot();
  const migrations = path.join(root, 'prisma', 'migrations');
  const parts = readdirSync(migrations, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => `${file}\n${readFileSync(path.join(migrations, file), 'utf8')}`);
  parts.push(readFileSync(path.join(root, 'packages', 'directory', 'package.json'), 'utf8'));
  return parts.join('\n');
}

/**
 * A new database for one test graph: a copy of one prepared once per change of migrations (see
 * preparedTemplate); each test graph used to spend 15-25 s migrating and copying the office directory
 * five times over.
 */
export async function graphTestDatabase(): Promise<TestDatabase> {
  const template = await preparedTemplate('dakgraph_graph_template', graphDatabaseVersion(), async (url) => {
    const prepared = await openDatabase({ url });
    try {
      await prepareGraphDatabase(prepared);
    } finally {
      await prepared.close();
    }
  });
  return createTestDatabase('dakgraph_graph_test', { template });
}

export async function startSubgraphs(options: SubgraphsOptions = {}): Promise<RunningSubgraphs> {
  const server = await graphTestDatabase();
  const smsDir = mkdtempSync(path.join(tmpdir(), 'dakgraph-sms-'));
  const smsLogPath = path.join(smsDir, 'sms.log');
  // Six subgraphs share this pool, each with its relay, consumers and housekeeping holding a connection
  // for a transaction now and then; ten (the default) ran dry on a loaded CI machine, and a transaction
  // that waits 30 s for a connection stretches a test's teardown past its hook's deadline.
  const db = await openDatabase({ url: server.url, poolSize: 24 });
  const servers: Server[] = [];
  const urls: Record<string, string> = {};

  // Finds the copy up to date (migrations applied, reference copies unchanged) and does nothing.
  await prepareGraphDatabase(db);
  const subgraphs: { name: string; http: Server; apollo: { stop(): Promise<void> }; prisma: { $disconnect(): Promise<void> } }[] = [];
  const serve = async (subgraph: (typeof subgraphs)[number]) => {
    subgraphs.push(subgraph);
    servers.push(subgraph.http);
    urls[subgraph.name] = `http://127.0.0.1:${await listen(subgraph.http, 0, '127.0.0.1')}/graphql`;
  };
  await serve(await createOfficesSubgraph(db, { identitySecret: TEST_SECRETS.identitySecret }));
  const customers = await createCustomersSubgraph(db, {
    ...TEST_SECRETS,
    webhookSecretKey: TEST_WEBHOOK_SECRET_KEY,
    webhookProduction: false,
    events: options.events,
  });
  await serve(customers);
  /** A subgraph a test can stop (as a crash or a deploy would) and start again on the same port. */
  const restartable = async <S extends (typeof subgraphs)[number] & { name: string; workersStopped(): Promise<void> }>(create: () => Promise<S>) => {
    let current: S | null = await create();
    await serve(current);
    const port = Number(new URL(urls[current.name]!).port);
    return {
      get current() {
        return current;
      },
      async stop() {
        if (!current) return;
        await close(current.http);
        await current.workersStopped();
        await current.apollo.stop();
        await current.prisma.$disconnect();
        servers.splice(servers.indexOf(current.http), 1);
        subgraphs.splice(subgraphs.indexOf(current), 1);
        current = null;
      },
      async start() {
        if (current) return;
        current = await create();
        subgraphs.push(current);
        servers.push(current.http);
        await listen(current.http, port, '127.0.0.1');
      },
    };
  };
  const articles = await restartable(() =>
    createArticlesSubgraph(db, {
      identitySecret: TEST_SECRETS.identitySecret,
      customersUrl: urls.customers!,
      events: options.events,
      deliveryOtpSecret: TEST_DELIVERY_OTP_SECRET,
      notificationSender: fileSender(smsLogPath),
    }),
  );
  const payments = await restartable(() =>
    createPaymentsSubgraph(db, {
      identitySecret: TEST_SECRETS.identitySecret,
      articlesUrl: urls.articles!,
      events: options.events,
      pspCallbackSecret: TEST_PSP_CALLBACK_SECRET,
      now: options.paymentsClock,
      log: { info: () => undefined, error: () => undefined },
    }),
  );

  const analytics = await restartable(() => createAnalyticsSubgraph(db, { identitySecret: TEST_SECRETS.identitySecret, events: options.events }));

  return {
    db,
    databaseUrl: server.url,
    urls,
    customersPrisma: customers.prisma,
    smsLogPath,
    get payments() {
      if (!payments.current) throw new Error('the payments subgraph is stopped');
      return payments.current;
    },
    stopArticles: () => articles.stop(),
    startArticles: () => articles.start(),
    stopPayments: () => payments.stop(),
    startPayments: () => payments.start(),
    stopAnalytics: () => analytics.stop(),
    startAnalytics: () => analytics.start(),
    async stop() {
      // Producers before consumers (the reverse of the start order), as npm start stops them.
      const running = [payments.current, articles.current, analytics.current].filter((subgraph) => subgraph !== null);
      for (const subgraph of running) {
        await close(subgraph.http);
        await subgraph.workersStopped();
      }
      await Promise.all(servers.filter((s) => !running.some((subgraph) => subgraph.http === s)).map((s) => close(s)));
      await customers.workersStopped();
      for (const subgraph of subgraphs) {
        await subgraph.apollo.stop();
        await subgraph.prisma.$disconnect();
      }
      await db.close();
      await server.drop();
      rmSync(smsDir, { recursive: true, force: true });
    },
  };
}

/** A gateway in front of running subgraphs, composed from their SDL files as the build does. */
export interface RunningGateway {
  url: string;
  origin: string;
  post(body: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

export async function startGateway(subgraphs: RunningSubgraphs, options: Partial<GatewayOptions> = {}): Promise<RunningGateway> {
  const { supergraphSdl } = composeSupergraph();
  const gateway = await createGateway({ supergraphSdl, subgraphUrls: subgraphs.urls, secrets: TEST_SECRETS, ...options });
  const port = await listen(gateway.http, 0, '127.0.0.1');
  const origin = `http://127.0.0.1:${port}`;
  const url = `${origin}/graphql`;
  return {
    url,
    origin,
    async post(body, headers = {}) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // leave as text; the test will say what came back
      }
      return { status: response.status, body: parsed };
    },
    async stop() {
      await close(gateway.http);
      await gateway.apollo.stop();
    },
  };
}

/** The whole graph: subgraphs and one gateway. */
export interface RunningGraph extends RunningGateway {
  db: Database;
  subgraphUrls: Record<string, string>;
}

export async function startGraph(options: Partial<GatewayOptions> = {}): Promise<RunningGraph> {
  const subgraphs = await startSubgraphs();
  const gateway = await startGateway(subgraphs, options);
  return {
    ...gateway,
    db: subgraphs.db,
    subgraphUrls: subgraphs.urls,
    async stop() {
      await gateway.stop();
      await subgraphs.stop();
    },
  };
}

/**
 * Makes an admin with the create-admin CLI (as a deployment does) and logs in through the gateway;
 * resolves with the login's answer (token and viewer).
 */
export async function adminLogin(
  gateway: RunningGateway,
  db: Database,
  password: string,
): Promise<{ token: string; viewer: { kind: string; role: string } }> {
  const email = 'admin@dakgraph.test';
  const status = await createAdmin(['--email', email, '--name', 'Asha Admin', '--office', '110001-baroda-house'], {
    env: { DAKGRAPH_ADMIN_PASSWORD: password },
    readPassword: async () => password,
    out: () => undefined,
    err: () => undefined,
    db,
  });
  if (status !== 0) throw new Error(`create-admin exited with ${status}`);
  return staffLogin(gateway, email, password);
}

/** Logs a staff account in through the gateway; resolves with the login's answer (token and viewer). */
export async function staffLogin(gateway: RunningGateway, email: string, password: string): Promise<{ token: string; viewer: { kind: string; role: string } }> {
  const login = await gateway.post({
    query: 'mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { token viewer { kind role } } }',
    variables: { email, password },
  });
  if (!login.body?.data?.login) throw new Error(`login of ${email} failed: ${JSON.stringify(login.body)}`);
  return login.body.data.login;
}

/** Resolves with `check`'s first truthy answer, asking every 50 ms; rejects naming `what` after `timeoutMs`. */
export async function until<T>(what: string, check: () => Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
