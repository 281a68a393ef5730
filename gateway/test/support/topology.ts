import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { repoRoot, type Database } from '@dakgraph/db';
import { createAdmin } from '@dakgraph/customers/cli/createAdmin';
import {
  TEST_DELIVERY_OTP_SECRET,
  TEST_PSP_CALLBACK_SECRET,
  TEST_SECRETS,
  TEST_WEBHOOK_SECRET_KEY,
  until,
} from './graph';

// The production topology (`npm run start:services`) as a test's child, and the parts a fault test needs
// around it: free ports, a NATS JetStream server of the test's own (so it can be stopped).
export const NATS_SERVER = '/usr/sbin/nats-server';
const root = repoRoot();

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Five consecutive free ports, for SUBGRAPH_PORT_BASE. */
export async function freePortRange(count: number): Promise<number> {
  for (;;) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    const free = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        new Promise<boolean>((resolve) => {
          const server = createServer();
          server.once('error', () => resolve(false));
          server.listen(base + i, '127.0.0.1', () => server.close(() => resolve(true)));
        }),
      ),
    );
    if (free.every(Boolean)) return base;
  }
}

export interface Nats {
  port: number;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function privateNats(port: number, storeDir: string): Nats {
  let child: ChildProcess | null = null;
  const up = () =>
    new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
  return {
    port,
    async start() {
      child = spawn(NATS_SERVER, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir], { stdio: 'ignore' });
      await until('NATS is listening', up, 20_000);
    },
    async stop() {
      const exiting = child;
      if (!exiting || exiting.exitCode !== null) return;
      await new Promise((resolve) => {
        exiting.once('exit', resolve);
        exiting.kill('SIGTERM');
      });
    },
  };
}

/** `npm run start:services` as a child, with what it prints kept for the pids and for failures. */
export class Services {
  output = '';
  private child: ChildProcess;
  private exited: Promise<unknown>;

  constructor(env: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, [path.join(root, 'scripts', 'start-services.mjs')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (chunk) => (this.output += chunk));
    this.child.stderr!.on('data', (chunk) => (this.output += chunk));
    this.exited = new Promise((resolve) => this.child.once('exit', resolve));
  }

  async ready(): Promise<void> {
    await until(`the services are running (${this.output.slice(-2000)})`, async () => {
      if (this.child.exitCode !== null) throw new Error(`start:services exited with ${this.child.exitCode}:\n${this.output.slice(-4000)}`);
      return this.output.includes('dakgraph is running');
    }, 200_000);
  }

  /** The pid of the newest process of `service` (it changes when the supervisor starts it again). */
  pid(service: string): number {
    const pids = [...this.output.matchAll(new RegExp(`dakgraph: ${service} started \\(pid (\\d+)\\)`, 'g'))];
    if (!pids.length) throw new Error(`${service} has not started`);
    return Number(pids.at(-1)![1]);
  }

  starts(service: string): number {
    return [...this.output.matchAll(new RegExp(`dakgraph: ${service} started`, 'g'))].length;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
    await this.exited;
  }
}

/** What start:services needs to run on `databaseUrl` with the test secrets and a private NATS, on free ports. */
export async function servicesEnv(databaseUrl: string, natsPort: number, gatewayPort: number): Promise<NodeJS.ProcessEnv> {
  return {
    ...process.env,
    DATABASE_URL: databaseUrl,
    NATS_URL: `nats://127.0.0.1:${natsPort}`,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    PORT: String(gatewayPort),
    SUBGRAPH_PORT_BASE: String(await freePortRange(5)),
    GATEWAY_PROCESSES: '2',
    RESTART_DELAY_MS: '300',
    IDENTITY_SECRET: TEST_SECRETS.identitySecret,
    JWT_SECRET: TEST_SECRETS.jwtSecret,
    WEBHOOK_SECRET_KEY: TEST_WEBHOOK_SECRET_KEY,
    DELIVERY_OTP_SECRET: TEST_DELIVERY_OTP_SECRET,
    PSP_CALLBACK_SECRET: TEST_PSP_CALLBACK_SECRET,
    NOTIFICATION_SENDER: 'none',
    // A fault test's load comes from one address; the abuse limits are not what it tests.
    RATE_LIMIT_PER_IP_PER_MINUTE: '1000000',
    RATE_LIMIT_PER_API_KEY_PER_MINUTE: '1000000',
  };
}

export interface Answer {
  status: number;
  body: { data?: Record<string, any> | null; errors?: { message: string; extensions?: { code?: string } }[] } | null;
}

/** One GraphQL POST; status 0 when nothing answered at all (a gateway that must always answer did not). */
export async function postTo(url: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<Answer> {
  try {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
    return { status: response.status, body: (await response.json().catch(() => null)) as Answer['body'] };
  } catch {
    return { status: 0, body: null };
  }
}

/** An administrator and a COD-enabled partner with an API key, made through the graph of a running topology. */
export async function partnerOnTopology(gatewayUrl: string, db: Database, tag: string): Promise<{ admin: Record<string, string>; partnerId: string; partnerKey: string }> {
  const password = `${tag} admin passphrase`;
  const email = `admin@${tag}.test`;
  const status = await createAdmin(['--email', email, '--name', 'Asha Admin', '--office', '110001-baroda-house'], {
    env: { DAKGRAPH_ADMIN_PASSWORD: password },
    readPassword: async () => password,
    out: () => undefined,
    err: () => undefined,
    db,
  });
  if (status !== 0) throw new Error(`createAdmin exited with ${status}`);
  const login = await postTo(gatewayUrl, 'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', { e: email, p: password });
  const admin = { authorization: `Bearer ${login.body!.data!.login.token}` };
  const created = await postTo(
    gatewayUrl,
    `mutation ($key: String!) { createPartner(idempotencyKey: $key, input: { name: "${tag} Partner", contactEmail: "ops@${tag}.test",
      discountBasisPoints: 0, codAllowed: true, remittanceAccount: { holder: "${tag}", accountNumber: "123456789012", ifsc: "SBIN0000691" } }) { id } }`,
    { key: `${tag}-partner-${randomUUID()}` },
    admin,
  );
  const partnerId = created.body!.data!.createPartner.id as string;
  const key = await postTo(gatewayUrl, 'mutation ($id: ID!, $key: String!) { createApiKey(partnerId: $id, label: "fault test", idempotencyKey: $key) { apiKey } }', { id: partnerId, key: `${tag}-key-${randomUUID()}` }, admin);
  return { admin, partnerId, partnerKey: key.body!.data!.createApiKey.apiKey as string };
}
