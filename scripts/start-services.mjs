#!/usr/bin/env node
// `npm run start:services`: the production topology on one machine. Each subgraph is its own process on a
// PostgreSQL server (DATABASE_URL; the embedded PGlite belongs to one process, so it cannot be shared),
// events go between them over NATS JetStream (NATS_URL), the webhook dispatcher runs beside them, and the
// gateway runs as GATEWAY_PROCESSES workers behind one port (node:cluster) sharing their abuse limits in
// Redis (REDIS_URL). A process that dies is started again after RESTART_DELAY_MS, so one crash takes down
// only that service, for about a second: the gateway answers the rest of the graph meanwhile, and marks
// the missing service's fields SERVICE_UNAVAILABLE. `npm start` remains the one-command embedded default.
// Each service migrates its own schema when it starts; the offices service loads the directory on first run.
// The same commands run one per container in deploy/compose.yaml.
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSecrets } from './devSecrets.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;

if (!env.DATABASE_URL?.startsWith('postgres')) {
  console.error('dakgraph: start:services runs each service as its own process, so it needs a PostgreSQL server: set DATABASE_URL=postgres://...');
  process.exit(2);
}
const gatewayPort = Number(env.PORT ?? 4000);
const portBase = Number(env.SUBGRAPH_PORT_BASE ?? 4001);
const gatewayProcesses = Number(env.GATEWAY_PROCESSES ?? os.availableParallelism());
const restartDelayMs = Number(env.RESTART_DELAY_MS ?? 1000);
if (!Number.isInteger(gatewayProcesses) || gatewayProcesses < 1 || gatewayProcesses > 64) {
  console.error(`dakgraph: GATEWAY_PROCESSES must be a whole number from 1 to 64, not "${env.GATEWAY_PROCESSES}"`);
  process.exit(2);
}

const secrets = loadSecrets();
const NATS_URL = env.NATS_URL ?? 'nats://127.0.0.1:4222';
const REDIS_URL = env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const url = (index) => `http://127.0.0.1:${portBase + index}/graphql`;
const urls = {
  SUBGRAPH_OFFICES_URL: url(0),
  SUBGRAPH_CUSTOMERS_URL: url(1),
  SUBGRAPH_ARTICLES_URL: url(2),
  SUBGRAPH_PAYMENTS_URL: url(3),
  SUBGRAPH_ANALYTICS_URL: url(4),
};
const shared = { ...env, ...secrets, NATS_URL, ...urls };

/**
 * What runs, in start order: a service's `start` command (the workspace's package.json script, which the
 * deploy test checks), its port, and the health URL to wait for before the next starts (articles reads
 * partners' terms from customers; payments reads charges from articles).
 */
const SERVICES = [
  { name: 'offices', workspace: 'subgraphs/offices', script: 'dist/index.js', port: portBase },
  { name: 'customers', workspace: 'subgraphs/customers', script: 'dist/index.js', port: portBase + 1 },
  { name: 'articles', workspace: 'subgraphs/articles', script: 'dist/index.js', port: portBase + 2 },
  { name: 'payments', workspace: 'subgraphs/payments', script: 'dist/index.js', port: portBase + 3 },
  { name: 'analytics', workspace: 'subgraphs/analytics', script: 'dist/index.js', port: portBase + 4 },
  // Sends partners' webhooks from the deliveries customers' consumer queues; it serves nothing.
  { name: 'webhooks', workspace: 'subgraphs/customers', script: 'dist/cli/dispatchWebhooks.js' },
  {
    name: 'gateway',
    workspace: 'gateway',
    script: 'dist/index.js',
    port: gatewayPort,
    env: { REDIS_URL, GATEWAY_PROCESSES: String(gatewayProcesses) },
    health: `http://127.0.0.1:${gatewayPort}/health`,
  },
];

const running = new Map();
let stopping = false;

function start(service) {
  const child = spawn(process.execPath, [path.join(root, service.workspace, service.script)], {
    cwd: path.join(root, service.workspace),
    env: { ...shared, ...(service.port ? { PORT: String(service.port) } : {}), ...service.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `[${service.name}] `;
  const relay = (stream, out) => {
    let rest = '';
    stream.on('data', (chunk) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop();
      for (const line of lines) out.write(prefix + line + '\n');
    });
  };
  relay(child.stdout, process.stdout);
  relay(child.stderr, process.stderr);
  running.set(service.name, child);
  console.log(`dakgraph: ${service.name} started (pid ${child.pid})`);
  child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`dakgraph: ${service.name} exited (${signal ?? `code ${code}`}); starting it again in ${restartDelayMs} ms`);
    setTimeout(() => !stopping && start(service), restartDelayMs);
  });
  return child;
}

async function healthy(service, timeoutMs = 180_000) {
  const health = service.health ?? (service.port ? `http://127.0.0.1:${service.port}/health` : null);
  if (!health) return;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(health)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${service.name} did not become healthy at ${health} within ${timeoutMs / 1000} s`);
}

async function stop(code) {
  if (stopping) return;
  stopping = true;
  // Every process finishes on SIGTERM; one that does not within 10 s is killed, so Ctrl-C always ends.
  const exits = [...running.values()].filter((child) => child.exitCode === null && child.signalCode === null).map(
    (child) =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  );
  await Promise.all(exits);
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

try {
  console.log(`dakgraph: services on ${env.DATABASE_URL.replace(/\/\/[^@/]*@/, '//')} with events over ${NATS_URL} and limits in ${REDIS_URL}`);
  for (const service of SERVICES) {
    start(service);
    await healthy(service);
  }
  console.log(`\n  dakgraph is running as ${SERVICES.length} services (the gateway in ${gatewayProcesses} processes). GraphiQL: http://localhost:${gatewayPort}/graphql\n`);
} catch (error) {
  console.error(`dakgraph failed to start: ${error.message}`);
  await stop(1);
}
