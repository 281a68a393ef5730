/**
 * GraphiQL served by the gateway itself, from the bundle scripts/build-graphiql.mjs writes to dist/graphiql.
 * No CDN, no web fonts from anywhere: the page works on a machine with no internet, and its CSP proves it.
 *
 *   createGraphQLHttpServer({ ..., routes: [...graphiqlRoutes()], landingPage: graphiqlLandingPage() })
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import type { HttpRoute } from '@dakgraph/graphql-kit';

const gzip = promisify(gzipCallback);

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

const IMMUTABLE = 'public, max-age=31536000, immutable';

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

interface Manifest {
  js: string;
  css: string;
  integrity?: Record<string, string>;
}

interface Asset {
  body: Buffer;
  contentType: string;
  etag: string;
  gzipped?: Promise<Buffer>;
}

interface LoadedAssets {
  manifest: Manifest;
  files: Map<string, Asset>;
}

/** Where `npm run build` puts the bundle, relative to this module (dist/graphiql.js -> dist/graphiql). */
function defaultAssetsDir(): string {
  const beside = path.join(__dirname, 'graphiql');
  // Running from sources (jest, ts-node) this module sits in src/; the bundle is still in dist/graphiql.
  const fromSources = path.join(__dirname, '..', 'dist', 'graphiql');
  if (!existsSync(path.join(beside, 'manifest.json')) && existsSync(path.join(fromSources, 'manifest.json'))) {
    return fromSources;
  }
  return beside;
}

/** Loaded once per folder and shared by the routes and the page, so both always agree on one build. */
const cache = new Map<string, LoadedAssets>();

const SAFE_NAME = /^graphiql\.[0-9a-f]+\.(js|css)$/;

function load(assetsDir: string): LoadedAssets | undefined {
  const cached = cache.get(assetsDir);
  if (cached) return cached;
  const manifestPath = path.join(assetsDir, 'manifest.json');
  if (!existsSync(manifestPath)) return undefined; // not built (yet): checked again on the next request
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  } catch (error) {
    console.error(`[graphiql] cannot read ${manifestPath}`, error);
    return undefined;
  }
  const files = new Map<string, Asset>();
  for (const name of [manifest.js, manifest.css]) {
    // Only names the build writes are served; the manifest cannot point outside the folder.
    if (typeof name !== 'string' || !SAFE_NAME.test(name)) {
      console.error(`[graphiql] ${manifestPath} lists an unexpected file name ${JSON.stringify(name)}`);
      return undefined;
    }
    let body: Buffer;
    try {
      body = readFileSync(path.join(assetsDir, name));
    } catch (error) {
      console.error(`[graphiql] ${manifestPath} lists ${name}, which cannot be read`, error);
      return undefined;
    }
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    files.set(name, { body, contentType: CONTENT_TYPES[path.extname(name)] ?? 'application/octet-stream', etag });
  }
  const loaded = { manifest, files };
  cache.set(assetsDir, loaded);
  return loaded;
}

function notBuilt(res: ServerResponse, assetsDir: string): void {
  res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', 'retry-after': '10' });
  res.end(
    `GraphiQL is not built: ${path.join(assetsDir, 'manifest.json')} is missing or lists files that cannot be read.\n` +
      'Run `npm run build` in gateway/ (or `node scripts/build-graphiql.mjs`) and reload.\n' +
      'GraphQL itself is served at this URL for POST requests.\n',
  );
}

function acceptsGzip(req: IncomingMessage): boolean {
  const header = req.headers['accept-encoding'];
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  return value.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== '*') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return !q || Number(q.slice(2)) > 0;
  });
}

/** Serves GET/HEAD /graphiql/<hashed file> from the bundle; anything else under /graphiql/ is a 404. */
export function graphiqlRoutes(options: GraphiQLAssetOptions = {}): HttpRoute[] {
  const assetsDir = path.resolve(options.assetsDir ?? defaultAssetsDir());
  return [
    {
      method: 'GET',
      path: /^\/graphiql\//,
      async handle(req: IncomingMessage, res: ServerResponse) {
        const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
        const name = pathname.slice(GRAPHIQL_ASSET_PREFIX.length);
        const assets = load(assetsDir);
        // Looked up by exact name in what the manifest lists: "..", "%2e%2e", slashes and the like never
        // reach the file system.
        const asset = assets?.files.get(name);
        if (!asset) {
          res.writeHead(assets ? 404 : 503, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
          res.end(assets ? 'Not found\n' : 'GraphiQL is not built; run `npm run build` in gateway/\n');
          return;
        }
        const headers: Record<string, string | number> = {
          'content-type': asset.contentType,
          'cache-control': IMMUTABLE,
          etag: asset.etag,
          vary: 'accept-encoding',
          'x-content-type-options': 'nosniff',
          // Only our own pages may embed these files.
          'cross-origin-resource-policy': 'same-origin',
        };
        if (req.headers['if-none-match'] === asset.etag) {
          res.writeHead(304, headers);
          res.end();
          return;
        }
        let body = asset.body;
        if (acceptsGzip(req)) {
          // Compressed once, at first use, then kept in memory with the file.
          asset.gzipped ??= gzip(asset.body, { level: 9 });
          body = await asset.gzipped;
          headers['content-encoding'] = 'gzip';
        }
        headers['content-length'] = body.length;
        res.writeHead(200, headers);
        res.end(req.method === 'HEAD' ? undefined : body);
      },
    },
  ];
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A favicon that needs no request: a small envelope, as an inline SVG data: URL (allowed by img-src data:). */
const FAVICON =
  'data:image/svg+xml,' +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect x="2" y="7" width="28" height="18" rx="2" fill="#d32f2f"/><path d="M3 8l13 10L29 8" fill="none" stroke="#fff" stroke-width="2"/></svg>',
  );

function renderPage(manifest: Manifest, graphqlPath: string): string {
  const integrity = (file: string): string => {
    const value = manifest.integrity?.[file];
    return value ? ` integrity="${escapeHtml(value)}" crossorigin="anonymous"` : '';
  };
  const js = `${GRAPHIQL_ASSET_PREFIX}${manifest.js}`;
  const css = `${GRAPHIQL_ASSET_PREFIX}${manifest.css}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>dakgraph · GraphiQL</title>
<link rel="icon" href="${escapeHtml(FAVICON)}">
<link rel="stylesheet" href="${escapeHtml(css)}"${integrity(manifest.css)}>
<script type="module" src="${escapeHtml(js)}"${integrity(manifest.js)}></script>
</head>
<body>
<div id="graphiql" data-endpoint="${escapeHtml(graphqlPath)}"><p class="dakgraph-loading">Loading GraphiQL…</p></div>
<noscript>GraphiQL needs JavaScript. Without it, POST your queries to ${escapeHtml(graphqlPath)}.</noscript>
</body>
</html>
`;
}

/**
 * The GraphiQL page for `createGraphQLHttpServer({ landingPage })`: browsers that GET the GraphQL path see it.
 * Answers 503 with a plain message when the bundle has not been built.
 */
export function graphiqlLandingPage(options: GraphiQLLandingPageOptions = {}): (req: IncomingMessage, res: ServerResponse) => void {
  const assetsDir = path.resolve(options.assetsDir ?? defaultAssetsDir());
  const graphqlPath = options.graphqlPath ?? '/graphql';
  let html: { manifest: Manifest; body: Buffer } | undefined;
  return (req: IncomingMessage, res: ServerResponse): void => {
    const assets = load(assetsDir);
    if (!assets) {
      notBuilt(res, assetsDir);
      return;
    }
    if (html?.manifest !== assets.manifest) html = { manifest: assets.manifest, body: Buffer.from(renderPage(assets.manifest, graphqlPath)) };
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-length': html.body.length,
      'cache-control': 'no-cache',
      'content-security-policy': GRAPHIQL_CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
    });
    res.end(req.method === 'HEAD' ? undefined : html.body);
  };
}
