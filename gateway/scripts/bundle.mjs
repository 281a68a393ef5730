// The build step both bundled pages share (scripts/build-graphiql.mjs, scripts/build-dashboard.mjs): esbuild
// bundles one entry into dist/<name> as <name>.<hash>.js, <name>.<hash>.css and manifest.json, which
// src/bundledAssets.ts reads. The hash is of the content, so the files are served with an immutable cache header.
// Any esbuild error, or a failed check of the caller's, exits non-zero.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

export const gatewayDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * @typedef {{file: string, bytes: number, gzipBytes: number, integrity: string, contents: Buffer}} BuiltAsset
 * @param {object} bundle
 * @param {string} bundle.name the bundle's folder in dist/ and its files' prefix ('graphiql', 'dashboard')
 * @param {string} bundle.entry the page's entry module, relative to gateway/
 * @param {import('esbuild').BuildOptions} [bundle.options] esbuild options beside the shared ones
 * @param {(assets: {js: BuiltAsset, css: BuiltAsset}) => string | undefined} [bundle.check] a reason to refuse
 *   the build, looked at before anything is written
 */
export async function buildBundle({ name, entry, options = {}, check }) {
  const script = `build-${name}`;
  const fail = (message) => {
    console.error(`${script}: ${message}`);
    process.exit(1);
  };
  const outDir = path.join(gatewayDir, 'dist', name);
  const started = performance.now();

  let result;
  try {
    result = await esbuild.build({
      absWorkingDir: gatewayDir,
      entryPoints: { [name]: path.join(gatewayDir, entry) },
      bundle: true,
      minify: true,
      format: 'esm',
      target: 'es2020',
      platform: 'browser',
      // Without this React's development build is bundled (bigger, slower, and noisy in the console), and
      // ECharts keeps its development checks and their console warnings.
      define: { 'process.env.NODE_ENV': '"production"' },
      ...options,
      outdir: outDir,
      write: false,
      logLevel: 'warning',
    });
  } catch (error) {
    // esbuild has already printed the errors (logLevel 'warning' includes errors).
    fail(`esbuild failed${error?.errors ? ` with ${error.errors.length} error(s)` : `: ${error}`}`);
  }
  if (result.errors.length > 0) fail(`esbuild reported ${result.errors.length} error(s)`);

  /** @type {Record<string, BuiltAsset>} */
  const assets = {};
  for (const output of result.outputFiles) {
    const ext = path.extname(output.path).slice(1); // 'js' | 'css'
    if (ext !== 'js' && ext !== 'css') fail(`unexpected output ${path.relative(gatewayDir, output.path)} (only one .js and one .css are served)`);
    if (assets[ext]) fail(`more than one .${ext} output; the page loads exactly one of each`);
    const contents = Buffer.from(output.contents);
    const hash = createHash('sha256').update(contents).digest('hex').slice(0, 8);
    assets[ext] = {
      file: `${name}.${hash}.${ext}`,
      bytes: contents.length,
      gzipBytes: gzipSync(contents).length,
      integrity: `sha384-${createHash('sha384').update(contents).digest('base64')}`,
      contents,
    };
  }
  if (!assets.js || !assets.css) fail('esbuild did not produce both a .js and a .css file');
  const refused = check?.({ js: assets.js, css: assets.css });
  if (refused) fail(refused);

  mkdirSync(outDir, { recursive: true });
  for (const asset of Object.values(assets)) writeFileSync(path.join(outDir, asset.file), asset.contents);

  // The manifest is what the server reads; write it last and atomically so a reader never sees a half-built set.
  const manifest = {
    js: assets.js.file,
    css: assets.css.file,
    integrity: { [assets.js.file]: assets.js.integrity, [assets.css.file]: assets.css.integrity },
  };
  const manifestTmp = path.join(outDir, `.manifest.${process.pid}.json`);
  writeFileSync(manifestTmp, `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(manifestTmp, path.join(outDir, 'manifest.json'));

  // Remove bundles of earlier builds.
  const keep = new Set([assets.js.file, assets.css.file, 'manifest.json']);
  const earlier = new RegExp(`^${name}\\.[0-9a-f]+\\.(js|css)$`);
  for (const file of readdirSync(outDir)) {
    if (!keep.has(file) && earlier.test(file)) rmSync(path.join(outDir, file), { force: true });
  }

  const kb = (n) => `${(n / 1024).toFixed(1).padStart(7)} KB`;
  for (const asset of [assets.js, assets.css]) {
    console.log(`  ${path.relative(gatewayDir, path.join(outDir, asset.file)).padEnd(36)} ${kb(asset.bytes)}  (gzip ${kb(asset.gzipBytes).trim()})`);
  }
  console.log(`${script}: done in ${Math.round(performance.now() - started)} ms`);
}
