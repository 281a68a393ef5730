/**
 * The dashboard's routes over real HTTP: the page and its CSP, the hashed assets (immutable, gzipped, ETags),
 * what is a 404, the 503 before a build, and that createGateway mounts it. Plus the page's pure helpers (IST
 * days, rupees). The page itself, in Chromium against the whole graph, is dashboard.browser.test.ts.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { close, createGraphQLHttpServer, listen } from '@dakgraph/graphql-kit';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { addDays, daysIncluded, indianDigits, isDay, istDay, rupees, share } from '../dashboard/format';
import { composeSupergraph } from '../src/compose';
import { DASHBOARD_CSP, dashboardRoutes } from '../src/dashboard';
import { createGateway } from '../src/server';
import { bundleDir, ensureBundle } from './support/bundles';
import { TEST_SECRETS } from './support/graph';
import { sendRaw } from './support/http';

const assetsDir = bundleDir('dashboard');
const manifestPath = path.join(assetsDir, 'manifest.json');

describe('dashboard helpers', () => {
  it('shows paise as rupees with Indian digit grouping, exactly', () => {
    expect(rupees(12_345_600)).toBe('₹1,23,456.00');
    expect(rupees(0)).toBe('₹0.00');
    expect(rupees(5)).toBe('₹0.05');
    expect(rupees(99_999)).toBe('₹999.99');
    expect(rupees(100_000)).toBe('₹1,000.00');
    expect(rupees(123_456_789_01)).toBe('₹12,34,56,789.01');
    expect(rupees(-250)).toBe('-₹2.50');
    expect(rupees(Number.MAX_SAFE_INTEGER)).toBe('₹9,00,71,99,25,47,409.91');
    expect(() => rupees(1.5)).toThrow(RangeError);
    expect(indianDigits(1_00_00_000)).toBe('1,00,00,000');
    expect(indianDigits(999)).toBe('999');
  });

  it('counts IST days', () => {
    // 18:29:59 UTC is 23:59:59 IST; a second later it is the next day in India.
    expect(istDay(new Date('2026-03-31T18:29:59Z'))).toBe('2026-03-31');
    expect(istDay(new Date('2026-03-31T18:30:00Z'))).toBe('2026-04-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(daysIncluded('2026-01-01', '2026-01-30')).toBe(30);
    expect(daysIncluded('2026-01-02', '2026-01-01')).toBe(0);
    expect(isDay('2026-02-29')).toBe(false);
    expect(isDay('2026-2-1')).toBe(false);
    expect(share(0.8125)).toBe('81.3%');
    expect(share(null)).toBe('–');
  });
});

describe('the dashboard over HTTP', () => {
  let apollo: ApolloServer;
  let server: Server;
  let port: number;
  let manifest: { js: string; css: string; integrity: Record<string, string> };

  beforeAll(async () => {
    ensureBundle('dashboard');
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as typeof manifest;
    apollo = new ApolloServer({ typeDefs: 'type Query { ok: Boolean }', plugins: [ApolloServerPluginLandingPageDisabled()] });
    await apollo.start();
    // Default options find dist/dashboard from the sources too, as the gateway's do.
    server = createGraphQLHttpServer({ apollo, context: async () => ({}), routes: dashboardRoutes() });
    port = await listen(server, 0, '127.0.0.1');
  }, 120_000);

  afterAll(async () => {
    if (server) await close(server);
    if (apollo) await apollo.stop();
  });

  it('serves the page with a strict CSP: nothing inline, nothing remote, no eval', async () => {
    const res = await sendRaw(port, '/dashboard', { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-security-policy']).toBe(DASHBOARD_CSP);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(Number(res.headers['content-length'])).toBe(res.body.length);

    const directives = new Map(DASHBOARD_CSP.split(';').map((d) => d.trim().split(/\s+/) as [string, ...string[]]).map(([name, ...values]) => [name, values]));
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('style-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(DASHBOARD_CSP).not.toMatch(/unsafe-|https?:|\*|font-src/);

    const html = res.body.toString('utf8');
    expect(html).toContain('<title>dakgraph · Operations dashboard</title>');
    expect(html).toContain(`<script type="module" src="/dashboard/assets/${manifest.js}" integrity="${manifest.integrity[manifest.js]}"`);
    expect(html).toContain(`<link rel="stylesheet" href="/dashboard/assets/${manifest.css}" integrity="${manifest.integrity[manifest.css]}"`);
    expect(html).toContain('data-endpoint="/graphql"');
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/); // the favicon's SVG namespace is a name, not a request
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    expect(html).not.toMatch(/\sstyle=|<style/); // no inline style
  });

  it('answers HEAD like GET, without a body, and redirects /dashboard/ to the page', async () => {
    const head = await sendRaw(port, '/dashboard', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers['content-security-policy']).toBe(DASHBOARD_CSP);

    const slash = await sendRaw(port, '/dashboard/');
    expect(slash.status).toBe(308);
    expect(slash.headers.location).toBe('/dashboard');

    const withQuery = await sendRaw(port, '/dashboard?circle=karnataka');
    expect(withQuery.status).toBe(200);
  });

  it('serves the hashed assets immutably, gzipped when accepted, with ETags', async () => {
    const js = await sendRaw(port, `/dashboard/assets/${manifest.js}`);
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(js.headers['cross-origin-resource-policy']).toBe('same-origin');
    expect(js.headers['content-encoding']).toBeUndefined();
    expect(Number(js.headers['content-length'])).toBe(js.body.length);
    expect(js.body.equals(readFileSync(path.join(assetsDir, manifest.js)))).toBe(true);
    const script = js.body.toString('utf8');
    expect(script).not.toMatch(/\bnew Function\(|\beval\(/);
    expect(script).toContain('dakgraphDashboard');

    const css = await sendRaw(port, `/dashboard/assets/${manifest.css}`, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.headers['content-encoding']).toBe('gzip');
    expect(css.headers.vary).toBe('accept-encoding');
    const styles = gunzipSync(css.body).toString('utf8');
    expect(styles).toContain('.breadcrumb');
    expect(styles).not.toMatch(/@import|@font-face|url\(/); // system fonts; nothing loaded from anywhere

    const notModified = await sendRaw(port, `/dashboard/assets/${manifest.js}`, { headers: { 'if-none-match': String(js.headers.etag) } });
    expect(notModified.status).toBe(304);
    expect(notModified.body.length).toBe(0);
  });

  it.each([
    '/dashboard/assets/../package.json',
    '/dashboard/assets/..%2f..%2fpackage.json',
    '/dashboard/assets/%2e%2e/%2e%2e/package.json',
    '/dashboard/assets/manifest.json',
    '/dashboard/assets/dashboard.00000000.js',
    '/dashboard/assets/',
    '/dashboard/assets',
    '/dashboard/main.ts',
    '/dashboard/index.html',
  ])('answers 404 for %s', async (requestPath) => {
    const res = await sendRaw(port, requestPath);
    expect(res.status).toBe(404);
    // (%2e%2e is a dot segment to the URL parser: that path never reaches the dashboard's routes at all.)
    expect(res.body.toString('utf8')).not.toContain('"name"');
  });

  it('answers 503 with a hint when the bundle has not been built', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'dakgraph-no-dashboard-'));
    const unbuilt = createGraphQLHttpServer({ apollo, context: async () => ({}), routes: dashboardRoutes({ assetsDir: empty }) });
    try {
      const unbuiltPort = await listen(unbuilt, 0, '127.0.0.1');
      for (const requestPath of ['/dashboard', `/dashboard/assets/${manifest.js}`]) {
        const res = await sendRaw(unbuiltPort, requestPath);
        expect(res.status).toBe(503);
        expect(res.headers['retry-after']).toBe('10');
        expect(res.body.toString('utf8')).toContain('npm run build');
      }
    } finally {
      await close(unbuilt);
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('the gateway', () => {
  it('mounts the dashboard beside GraphiQL, and keeps it when GraphiQL is turned off', async () => {
    ensureBundle('dashboard');
    // One subgraph is enough: nothing here reaches a subgraph.
    const { supergraphSdl } = composeSupergraph([{ name: 'offices', schema: '../subgraphs/offices/schema.graphql', url: 'http://127.0.0.1:9/graphql' }]);
    for (const graphiql of [true, false]) {
      const gateway = await createGateway({ supergraphSdl, secrets: TEST_SECRETS, graphiql });
      const gatewayPort = await listen(gateway.http, 0, '127.0.0.1');
      try {
        const page = await sendRaw(gatewayPort, '/dashboard');
        expect(page.status).toBe(200);
        expect(page.headers['content-security-policy']).toBe(DASHBOARD_CSP);
        const asset = /src="(\/dashboard\/assets\/[^"]+)"/.exec(page.body.toString('utf8'))?.[1];
        expect((await sendRaw(gatewayPort, asset!)).status).toBe(200);
        const graphiqlPage = await sendRaw(gatewayPort, '/graphql', { headers: { accept: 'text/html' } });
        expect(String(graphiqlPage.headers['content-type']).startsWith('text/html')).toBe(graphiql);
      } finally {
        await close(gateway.http);
        await gateway.apollo.stop();
      }
    }
  }, 120_000);
});
