/**
 * GraphiQL served by the gateway itself, from the bundle scripts/build-graphiql.mjs writes to dist/graphiql.
 * No CDN, no web fonts from anywhere: the page works on a machine with no internet, and its CSP proves it.
 * The bundle's loading and serving are src/bundledAssets.ts, shared with the dashboard.
 *
 *   createGraphQLHttpServer({ ..., routes: [...graphiqlRoutes()], landingPage: graphiqlLandingPage() })
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpRoute } from '@dakgraph/graphql-kit';
import { bundledPage, escapeHtml } from './bundledAssets';

/** URL prefix of the bundled files. */
export const GRAPHIQL_ASSET_PREFIX = '/graphiql/';

export interface GraphiQLAssetOptions {
  /** Folder holding manifest.json and the hashed bundle; defaults to dist/graphiql next to the compiled gateway. */
  assetsDir?: string;
}

export interface GraphiQLLandingPageOptions extends GraphiQLAssetOptions {
  /** Where GraphQL is served (what the page's fetcher posts to). Default `/graphql`. */
  graphqlPath?: string;
}

/**
 * Content-Security-Policy of the page. Only our own origin, plus:
 * - style-src 'unsafe-inline': GraphiQL's dialogs (Radix, react-remove-scroll) insert <style> elements at run time;
 * - data: fonts and images: the bundled CSS inlines GraphiQL's fonts and icons as data: URLs.
 * Scripts are 'self' only: no inline script, no eval.
 */
export const GRAPHIQL_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const page = bundledPage({
  name: 'graphiql',
  assetPrefix: GRAPHIQL_ASSET_PREFIX,
  title: 'dakgraph · GraphiQL',
  faviconColor: '#d32f2f',
  body: (graphqlPath) =>
    `<div id="graphiql" data-endpoint="${escapeHtml(graphqlPath)}"><p class="dakgraph-loading">Loading GraphiQL…</p></div>\n` +
    `<noscript>GraphiQL needs JavaScript. Without it, POST your queries to ${escapeHtml(graphqlPath)}.</noscript>`,
  headers: { 'content-security-policy': GRAPHIQL_CSP },
  notBuilt: { page: 'GraphiQL', script: 'build-graphiql.mjs', note: 'GraphQL itself is served at this URL for POST requests.' },
});

/** Serves GET/HEAD /graphiql/<hashed file> from the bundle; anything else under /graphiql/ is a 404. */
export function graphiqlRoutes(options: GraphiQLAssetOptions = {}): HttpRoute[] {
  const assetsDir = page.assetsDir(options.assetsDir);
  return [
    {
      method: 'GET',
      path: /^\/graphiql\//,
      async handle(req: IncomingMessage, res: ServerResponse) {
        const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
        const bundle = page.load(assetsDir);
        if (bundle && (await page.sendAsset(req, res, bundle, pathname.slice(GRAPHIQL_ASSET_PREFIX.length)))) return;
        res.writeHead(bundle ? 404 : 503, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
        res.end(bundle ? 'Not found\n' : 'GraphiQL is not built; run `npm run build` in gateway/\n');
      },
    },
  ];
}

/**
 * The GraphiQL page for `createGraphQLHttpServer({ landingPage })`: browsers that GET the GraphQL path see it.
 * Answers 503 with a plain message when the bundle has not been built.
 */
export function graphiqlLandingPage(options: GraphiQLLandingPageOptions = {}): (req: IncomingMessage, res: ServerResponse) => void {
  const assetsDir = page.assetsDir(options.assetsDir);
  const graphqlPath = options.graphqlPath ?? '/graphql';
  return (req: IncomingMessage, res: ServerResponse): void => {
    const bundle = page.load(assetsDir);
    if (bundle) page.sendPage(req, res, bundle, graphqlPath);
    else page.sendNotBuilt(res, assetsDir);
  };
}
