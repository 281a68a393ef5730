#!/usr/bin/env node
// `npm start`: the whole graph on one machine. One host process owns the database (one embedded PGlite,
// ~500 MB, shared by every subgraph, or the PostgreSQL server in DATABASE_URL), migrates it, loads the
// office directory on first run, and serves each subgraph on its own port; the gateway runs as a second
// process so query planning and subgraph work use both cores.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { databaseFromEnv, openDatabase } from '@dakgraph/db';
import { close, listen } from '@dakgraph/graphql-kit';
import { createArticlesSubgraph, prepareArticlesDatabase } from '@dakgraph/articles';
import { createCustomersSubgraph, prepareCustomersDatabase } from '@dakgraph/customers';
import { createAdmin } from '@dakgraph/customers/cli/createAdmin';
import { createOfficesSubgraph, prepareOfficesDatabase } from '@dakgraph/offices';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const gatewayPort = Number(process.env.PORT ?? 4000);
const subgraphPortBase = Number(process.env.SUBGRAPH_PORT_BASE ?? 4001);

/** Every subgraph, in the order their ports are assigned. */
const SUBGRAPHS = [
  { name: 'offices', prepare: prepareOfficesDatabase, create: createOfficesSubgraph },
  { name: 'customers', prepare: prepareCustomersDatabase, create: createCustomersSubgraph },
  // Articles reads partners' contract terms from customers' internal route, so it starts after it.
  { name: 'articles', prepare: prepareArticlesDatabase, create: createArticlesSubgraph },
];

async function waitForHealth(url, child, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the gateway exited with code ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the gateway did not become healthy at ${url} within ${timeoutMs / 1000} s`);
}

/**
 * The gateway and the subgraphs share two secrets. Deployments set IDENTITY_SECRET and JWT_SECRET; for
 * a developer's `npm start` they are made once and kept beside the embedded database, so logins
 * survive restarts. Production mode never invents them.
 */
function loadSecrets(dataDir) {
  if (process.env.IDENTITY_SECRET && process.env.JWT_SECRET) {
    return { IDENTITY_SECRET: process.env.IDENTITY_SECRET, JWT_SECRET: process.env.JWT_SECRET };
  }
  if (process.env.NODE_ENV === 'production') {
    throw new Error('IDENTITY_SECRET and JWT_SECRET must be set in production (e.g. `openssl rand -base64 48` each)');
  }
  const file = path.join(path.dirname(dataDir), 'secrets.json');
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    const made = { IDENTITY_SECRET: randomBytes(48).toString('base64url'), JWT_SECRET: randomBytes(48).toString('base64url') };
    writeFileSync(file, JSON.stringify(made, null, 2) + '\n', { mode: 0o600 });
    console.log(`dakgraph: made development secrets in ${file}`);
  }
  return JSON.parse(readFileSync(file, 'utf8'));
}

/**
 * The embedded database belongs to this process while it runs (a second process must not open it), so
 * the first admin can be made here: DAKGRAPH_ADMIN_EMAIL and DAKGRAPH_ADMIN_PASSWORD (optionally
 * DAKGRAPH_ADMIN_NAME, DAKGRAPH_ADMIN_OFFICE). Nothing changes if that admin already exists.
 */
async function seedAdmin(db) {
  const email = process.env.DAKGRAPH_ADMIN_EMAIL;
  if (!email) return;
  const args = ['--email', email, '--name', process.env.DAKGRAPH_ADMIN_NAME ?? 'Administrator',
    '--office', process.env.DAKGRAPH_ADMIN_OFFICE ?? '110001-new-delhi'];
  const status = await createAdmin(args, {
    env: process.env,
    db,
    readPassword: async () => {
      throw new Error('DAKGRAPH_ADMIN_PASSWORD must be set with DAKGRAPH_ADMIN_EMAIL');
    },
    out: (line) => console.log(`dakgraph: ${line}`),
    err: (line) => console.error(`dakgraph: ${line}`),
  });
  if (status !== 0) throw new Error('the first admin could not be created (see above)');
}

async function main() {
  const location = databaseFromEnv();
  const secrets = loadSecrets(location.dataDir);
  Object.assign(process.env, secrets);
  const db = await openDatabase(location);
  console.log(`dakgraph: database is ${db.description}`);

  const servers = [];
  const subgraphUrls = {};
  for (const [index, subgraph] of SUBGRAPHS.entries()) {
    await subgraph.prepare(db, { progress: true });
    const built = await subgraph.create(db, {
      identitySecret: secrets.IDENTITY_SECRET,
      jwtSecret: secrets.JWT_SECRET,
      customersUrl: subgraphUrls.SUBGRAPH_CUSTOMERS_URL,
    });
    const port = await listen(built.http, subgraphPortBase + index, '127.0.0.1');
    subgraphUrls[`SUBGRAPH_${subgraph.name.toUpperCase()}_URL`] = `http://127.0.0.1:${port}/graphql`;
    servers.push(built.http);
    console.log(`dakgraph: ${subgraph.name} subgraph on http://127.0.0.1:${port}/graphql`);
  }

  await seedAdmin(db);

  const gateway = spawn(process.execPath, [path.join(root, 'gateway', 'dist', 'index.js')], {
    env: { ...process.env, ...subgraphUrls, PORT: String(gatewayPort) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  let stopping = false;
  const stop = async (code) => {
    if (stopping) return;
    stopping = true;
    gateway.kill('SIGTERM');
    await Promise.all(servers.map((server) => close(server)));
    await db.close();
    process.exit(code);
  };
  gateway.on('exit', (code) => {
    if (!stopping) {
      console.error(`dakgraph: the gateway stopped (exit code ${code}); stopping everything`);
      void stop(1);
    }
  });
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  await waitForHealth(`http://127.0.0.1:${gatewayPort}/health`, gateway);
  console.log(`\n  dakgraph is running. GraphiQL: http://localhost:${gatewayPort}/graphql\n`);
}

main().catch((error) => {
  console.error('dakgraph failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
