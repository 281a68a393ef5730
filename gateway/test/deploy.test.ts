import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

// No Docker engine runs here, so the deployment is checked where it can go wrong without one: every
// command the containers and `npm run start:services` run is a real script of its workspace, built from a
// source file that exists, and the ports, URLs and secrets agree with the composed graph.
const root = path.resolve(__dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

interface ComposeService {
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: unknown;
}
const compose = parse(read('deploy/compose.yaml'), { merge: true }) as { services: Record<string, ComposeService> };
const dakgraphServices = Object.entries(compose.services).filter(([, service]) => service.command?.[0] === 'node');
const subgraphs = (JSON.parse(read('gateway/subgraphs.json')) as { subgraphs: { name: string; url: string }[] }).subgraphs;
const SECRETS = ['IDENTITY_SECRET', 'JWT_SECRET', 'WEBHOOK_SECRET_KEY', 'DELIVERY_OTP_SECRET', 'PSP_CALLBACK_SECRET'];

/** The workspace folder and its package.json script that a `node <workspace>/dist/...js` command runs. */
function scriptOf(command: string): { workspace: string; script: string } {
  const match = /^((?:subgraphs|packages)\/[a-z-]+|gateway)\/(dist\/.+\.js)$/.exec(command);
  if (!match) throw new Error(`${command} is not a workspace's built script`);
  return { workspace: match[1]!, script: match[2]! };
}

function expectRealScript(command: string): void {
  const { workspace, script } = scriptOf(command);
  const scripts = (JSON.parse(read(`${workspace}/package.json`)) as { scripts: Record<string, string> }).scripts;
  expect(Object.values(scripts)).toContain(`node ${script}`);
  // dist/x.js is built from src/x.ts.
  expect(existsSync(path.join(root, workspace, script.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts')))).toBe(true);
}

describe('the deployment in deploy/', () => {
  it('runs, in containers, only commands that are scripts of their workspaces', () => {
    expect(dakgraphServices.length).toBeGreaterThanOrEqual(7);
    for (const [, service] of dakgraphServices) expectRealScript(service.command![1]!);
  });

  it('runs every subgraph and the gateway on the ports the supergraph names, and points the gateway at them', () => {
    const gateway = compose.services.gateway!;
    for (const subgraph of subgraphs) {
      const service = compose.services[subgraph.name];
      expect(service?.command?.[1]).toBe(`subgraphs/${subgraph.name}/dist/index.js`);
      const port = new URL(subgraph.url).port;
      expect(service?.environment?.PORT).toBe(port);
      expect(gateway.environment?.[`SUBGRAPH_${subgraph.name.toUpperCase()}_URL`]).toBe(`http://${subgraph.name}:${port}/graphql`);
    }
    expect(gateway.command).toEqual(['node', 'gateway/dist/index.js']);
    expect(gateway.ports).toEqual([`${gateway.environment?.PORT}:${gateway.environment?.PORT}`]);
    expect(gateway.environment?.REDIS_URL).toMatch(/^redis:\/\/redis:/);
  });

  it('gives each service its secrets from outside, never a value in the file, and production mode', () => {
    for (const [, service] of dakgraphServices) {
      expect(service.environment?.NODE_ENV).toBe('production');
      expect(service.environment?.NATS_URL).toBe('nats://nats:4222');
      for (const [name, value] of Object.entries(service.environment ?? {})) {
        if (SECRETS.includes(name)) expect(value).toMatch(new RegExp(`^\\$\\{${name}:\\?`));
      }
    }
    const needs: Record<string, string[]> = {
      articles: ['DELIVERY_OTP_SECRET'],
      customers: ['WEBHOOK_SECRET_KEY'],
      webhooks: ['WEBHOOK_SECRET_KEY'],
      payments: ['PSP_CALLBACK_SECRET'],
    };
    for (const [name, secrets] of Object.entries(needs)) {
      for (const secret of secrets) expect(compose.services[name]?.environment?.[secret]).toBeDefined();
    }
  });

  it('builds one image whose default command is the gateway', () => {
    const dockerfile = read('deploy/Dockerfile');
    expect(dockerfile).toMatch(/RUN npm ci /);
    expect(dockerfile).toMatch(/turbo run build/);
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile)?.[1];
    const [node, script] = JSON.parse(cmd!) as string[];
    expect(node).toBe('node');
    expectRealScript(script!);
  });

  it('runs the same commands under npm run start:services as in the containers', () => {
    const rootScripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    expect(rootScripts['start:services']).toMatch(/node scripts\/start-services\.mjs$/);
    const local = [...read('scripts/start-services.mjs').matchAll(/workspace: '([^']+)',\s+script: '([^']+)'/g)].map((m) => `${m[1]}/${m[2]}`);
    expect(local.sort()).toEqual(dakgraphServices.map(([, service]) => service.command![1]!).sort());
  });
});
