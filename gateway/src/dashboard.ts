/**
 * The operations dashboard served by the gateway at /dashboard, from the bundle scripts/build-dashboard.mjs
 * writes to dist/dashboard (the page's code, ECharts included, and its styles). No CDN, no web fonts: the page
 * works on a machine with no internet, and its CSP proves it. It reads only the graph, at /graphql on the same
 * origin, with the bearer token of the staff member who signed in on it.
 *
 *   createGraphQLHttpServer({ ..., routes: [...dashboardRoutes()] })
 *
 * The serving is GraphiQL's (src/bundledAssets.ts: hashed, immutable, gzipped assets listed by a manifest), with
 * a stricter CSP: the dashboard needs no inline style at all.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpRoute } from '@dakgraph/graphql-kit';
import { bundledPage, escapeHtml } from './bundledAssets';

/** Where the page is. */
export const DASHBOARD_PATH = '/dashboard';

/** URL prefix of the bundled files. */
export const DASHBOARD_ASSET_PREFIX = '/dashboard/assets/';

export interface DashboardOptions {
  /** Folder holding manifest.json and the hashed bundle; defaults to dist/dashboard next to the compiled gateway. */
  assetsDir?: string;
  /** Where GraphQL is served (what the page posts to). Default `/graphql`. */
  graphqlPath?: string;
}

/**
 * Content-Security-Policy of the page: our own origin only, and nothing inline.
 * - script-src 'self': the bundle only; no inline script, no eval (ECharts needs neither).
 * - style-src 'self', without 'unsafe-inline': the page's styles are the bundled file. ECharts sizes and places
 *   its canvases through the CSSOM (element.style.x = ...), which CSP does not govern; the one part of it that
 *   writes style="" attributes as markup, its HTML tooltip, is not used: the tooltips are drawn on the canvas
 *   (renderMode 'richText', see dashboard/charts.ts). The browser test fails on any CSP report.
 * - img-src 'self' data:: the favicon is a data: URL, so the page makes no request for it.
 * - connect-src 'self': the graph at /graphql of this origin and nothing else.
 * - form-action 'none': the sign-in form is sent by script, never navigated to a URL (the password cannot end
 *   up in one).
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const page = bundledPage({
  name: 'dashboard',
  assetPrefix: DASHBOARD_ASSET_PREFIX,
  title: 'dakgraph · Operations dashboard',
  // The envelope of GraphiQL's favicon, a shade darker.
  faviconColor: '#c62828',
  body: (graphqlPath) =>
    `<div id="dashboard" data-endpoint="${escapeHtml(graphqlPath)}"><p class="dakgraph-loading">Loading the dashboard…</p></div>\n` +
    `<noscript>The dashboard needs JavaScript. Its figures come from the graph: POST operationsReport queries to ${escapeHtml(graphqlPath)}.</noscript>`,
  headers: { 'content-security-policy': DASHBOARD_CSP, 'cross-origin-opener-policy': 'same-origin' },
  notBuilt: { page: 'The dashboard', script: 'build-dashboard.mjs' },
});

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end('Not found\n');
}

/**
 * GET/HEAD /dashboard (the page), /dashboard/ (a redirect to it) and /dashboard/assets/<hashed file> (the
 * bundle); anything else under /dashboard/ is a 404. A 503 says how to build when the bundle is missing.
 */
export function dashboardRoutes(options: DashboardOptions = {}): HttpRoute[] {
  const assetsDir = page.assetsDir(options.assetsDir);
  const graphqlPath = options.graphqlPath ?? '/graphql';
  return [
    {
      method: 'GET',
      path: DASHBOARD_PATH,
      handle(req: IncomingMessage, res: ServerResponse) {
        const bundle = page.load(assetsDir);
        if (bundle) page.sendPage(req, res, bundle, graphqlPath);
        else page.sendNotBuilt(res, assetsDir);
      },
    },
    {
      method: 'GET',
      path: /^\/dashboard\//,
      async handle(req: IncomingMessage, res: ServerResponse) {
        const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
        if (pathname === `${DASHBOARD_PATH}/`) {
          res.writeHead(308, { location: DASHBOARD_PATH, 'cache-control': 'no-cache', 'content-length': 0 });
          res.end();
          return;
        }
        if (!pathname.startsWith(DASHBOARD_ASSET_PREFIX)) {
          notFound(res);
          return;
        }
        const bundle = page.load(assetsDir);
        if (!bundle) {
          page.sendNotBuilt(res, assetsDir);
          return;
        }
        if (!(await page.sendAsset(req, res, bundle, pathname.slice(DASHBOARD_ASSET_PREFIX.length)))) notFound(res);
      },
    },
  ];
}
