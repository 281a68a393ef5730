/**
 * What the gateway's bundled browser pages share (GraphiQL in src/graphiql.ts, the operations dashboard in
 * src/dashboard.ts): the bundle scripts/bundle.mjs writes to dist/<name> (one hashed .js, one hashed .css and
 * the manifest.json listing them), its files served immutable, gzipped when accepted and with ETags, the page
 * document that loads them, and the 503 that says how to build when the bundle is missing. Each page keeps its
 * own routes, title, body and CSP (a BundledPageSpec).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';

const gzip = promisify(gzipCallback);

const IMMUTABLE = 'public, max-age=31536000, immutable';

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

export interface BundleManifest {
  js: string;
  css: string;
  integrity?: Record<string, string>;
}

export interface BundleAsset {
  body: Buffer;
  contentType: string;
  etag: string;
  gzipped?: Promise<Buffer>;
}

export interface LoadedBundle {
  manifest: BundleManifest;
  files: Map<string, BundleAsset>;
  /** The page, rendered once per build (and GraphQL path). */
  pages: Map<string, Buffer>;
}

/** Where `npm run build` puts the bundle `name`, relative to this module (dist/bundledAssets.js -> dist/<name>). */
function defaultBundleDir(name: string): string {
  const beside = path.join(__dirname, name);
  // Running from sources (jest, ts-node) this module sits in src/; the bundle is still in dist/<name>.
  const fromSources = path.join(__dirname, '..', 'dist', name);
  if (!existsSync(path.join(beside, 'manifest.json')) && existsSync(path.join(fromSources, 'manifest.json'))) {
    return fromSources;
  }
  return beside;
}

/** Loaded once per bundle and folder and shared by the routes and the page, so both always agree on one build. */
const cache = new Map<string, LoadedBundle>();

/**
 * The bundle `name` (its files are `<name>.<hash>.js|css`) in `assetsDir`, or undefined when it is not built or
 * cannot be read (logged; checked again on the next request).
 */
function loadBundle(name: string, assetsDir: string): LoadedBundle | undefined {
  const key = `${name}\0${assetsDir}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const manifestPath = path.join(assetsDir, 'manifest.json');
  if (!existsSync(manifestPath)) return undefined; // not built (yet): checked again on the next request
  let manifest: BundleManifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as BundleManifest;
  } catch (error) {
    console.error(`[${name}] cannot read ${manifestPath}`, error);
    return undefined;
  }
  const safeName = new RegExp(`^${name}\\.[0-9a-f]+\\.(js|css)$`);
  const files = new Map<string, BundleAsset>();
  for (const file of [manifest.js, manifest.css]) {
    // Only names the build writes are served; the manifest cannot point outside the folder.
    if (typeof file !== 'string' || !safeName.test(file)) {
      console.error(`[${name}] ${manifestPath} lists an unexpected file name ${JSON.stringify(file)}`);
      return undefined;
    }
    let body: Buffer;
    try {
      body = readFileSync(path.join(assetsDir, file));
    } catch (error) {
      console.error(`[${name}] ${manifestPath} lists ${file}, which cannot be read`, error);
      return undefined;
    }
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    files.set(file, { body, contentType: CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream', etag });
  }
  const loaded: LoadedBundle = { manifest, files, pages: new Map() };
  cache.set(key, loaded);
  return loaded;
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

/** Answers GET/HEAD for one hashed file: immutable, a 304 for its ETag, gzipped when the client accepts it. */
async function sendFile(req: IncomingMessage, res: ServerResponse, asset: BundleAsset): Promise<void> {
  const headers: Record<string, string | number> = {
    'content-type': asset.contentType,
    'cache-control': IMMUTABLE,
    etag: asset.etag,
    vary: 'accept-encoding',
    'x-content-type-options': 'nosniff',
    // Only our own pages may load these files.
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
}

export interface NotBuiltHint {
  /** Who is not built, as the sentence starts: "GraphiQL", "The dashboard". */
  page: string;
  /** The script that builds only this bundle, in gateway/scripts. */
  script: string;
  /** Any further line for the reader. */
  note?: string;
}

/** The 503 while the bundle is missing: what to run, and a retry-after for whoever is waiting on the build. */
function sendNotBuilt(res: ServerResponse, assetsDir: string, hint: NotBuiltHint): void {
  res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', 'retry-after': '10' });
  res.end(
    `${hint.page} is not built: ${path.join(assetsDir, 'manifest.json')} is missing or lists files that cannot be read.\n` +
      `Run \`npm run build\` in gateway/ (or \`node scripts/${hint.script}\`) and reload.\n` +
      (hint.note ? `${hint.note}\n` : ''),
  );
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A favicon that needs no request: a small envelope in `color`, as an SVG data: URL (the pages' CSPs allow img-src data:). */
function envelopeFavicon(color: string): string {
  return (
    'data:image/svg+xml,' +
    encodeURIComponent(
      `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect x="2" y="7" width="28" height="18" rx="2" fill="${color}"/><path d="M3 8l13 10L29 8" fill="none" stroke="#fff" stroke-width="2"/></svg>`,
    )
  );
}

/** What is a page's own; everything else about serving it is shared. */
export interface BundledPageSpec {
  /** The bundle's folder in dist/ and its files' prefix ('graphiql', 'dashboard'). */
  name: string;
  /** URL prefix the bundle's files are served under. */
  assetPrefix: string;
  title: string;
  /** Colour of the envelope favicon. */
  faviconColor: string;
  /** The page's <body> content when it talks to GraphQL at `graphqlPath` (escaped by the page). */
  body(graphqlPath: string): string;
  /** The page's own headers beside the shared ones: its CSP first of all. */
  headers: Record<string, string>;
  /** What the 503 says while the bundle is missing. */
  notBuilt: NotBuiltHint;
}

export interface BundledPage {
  /** `assetsDir` resolved, or where `npm run build` puts the bundle. */
  assetsDir(assetsDir?: string): string;
  /** The bundle in `assetsDir`, or undefined while it is not built or cannot be read. */
  load(assetsDir: string): LoadedBundle | undefined;
  /** Answers GET/HEAD with the page, rendered once per build and GraphQL path. */
  sendPage(req: IncomingMessage, res: ServerResponse, bundle: LoadedBundle, graphqlPath: string): void;
  /** Answers GET/HEAD for the bundle's file named `file`; false, with nothing sent, when the manifest lists no such file. */
  sendAsset(req: IncomingMessage, res: ServerResponse, bundle: LoadedBundle, file: string): Promise<boolean>;
  /** The 503 that says how to build the bundle. */
  sendNotBuilt(res: ServerResponse, assetsDir: string): void;
}

/** Headers every page's HTML is sent with, beside its own. */
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-cache',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

export function bundledPage(spec: BundledPageSpec): BundledPage {
  const favicon = envelopeFavicon(spec.faviconColor);
  const renderPage = (manifest: BundleManifest, graphqlPath: string): string => {
    const integrity = (file: string): string => {
      const value = manifest.integrity?.[file];
      return value ? ` integrity="${escapeHtml(value)}" crossorigin="anonymous"` : '';
    };
    const js = `${spec.assetPrefix}${manifest.js}`;
    const css = `${spec.assetPrefix}${manifest.css}`;
    return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(spec.title)}</title>
<link rel="icon" href="${escapeHtml(favicon)}">
<link rel="stylesheet" href="${escapeHtml(css)}"${integrity(manifest.css)}>
<script type="module" src="${escapeHtml(js)}"${integrity(manifest.js)}></script>
</head>
<body>
${spec.body(graphqlPath)}
</body>
</html>
`;
  };
  return {
    assetsDir: (assetsDir) => path.resolve(assetsDir ?? defaultBundleDir(spec.name)),
    load: (assetsDir) => loadBundle(spec.name, assetsDir),
    sendPage(req, res, bundle, graphqlPath) {
      let page = bundle.pages.get(graphqlPath);
      if (!page) {
        page = Buffer.from(renderPage(bundle.manifest, graphqlPath));
        bundle.pages.set(graphqlPath, page);
      }
      res.writeHead(200, { ...PAGE_HEADERS, ...spec.headers, 'content-length': page.length });
      res.end(req.method === 'HEAD' ? undefined : page);
    },
    async sendAsset(req, res, bundle, file) {
      // Looked up by exact name in what the manifest lists: "..", "%2e%2e", slashes and the like never reach
      // the file system.
      const asset = bundle.files.get(file);
      if (!asset) return false;
      await sendFile(req, res, asset);
      return true;
    },
    sendNotBuilt: (res, assetsDir) => sendNotBuilt(res, assetsDir, spec.notBuilt),
  };
}
