#!/usr/bin/env node
// Bundles the GraphiQL page (graphiql/main.tsx) into dist/graphiql with esbuild:
//   dist/graphiql/graphiql.<hash>.js, graphiql.<hash>.css and manifest.json.
// The hash is of the content, so src/graphiql.ts serves the files with an immutable cache header.
// Fonts and images are inlined as data: URLs; nothing is fetched from a CDN at build or run time.
// Exits non-zero on any esbuild error. Run from anywhere (paths are relative to this file).
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const gatewayDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entry = path.join(gatewayDir, 'graphiql', 'main.tsx');
const outDir = path.join(gatewayDir, 'dist', 'graphiql');
const started = performance.now();

let result;
try {
  result = await esbuild.build({
    absWorkingDir: gatewayDir,
    entryPoints: { graphiql: entry },
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2020',
    platform: 'browser',
    jsx: 'automatic',
    // Without this React's development build is bundled (bigger, slower, and noisy in the console).
    define: { 'process.env.NODE_ENV': '"production"' },
    loader: {
      '.woff2': 'dataurl',
      '.woff': 'dataurl',
      '.ttf': 'dataurl',
      '.eot': 'dataurl',
      '.png': 'dataurl',
      '.jpg': 'dataurl',
      '.gif': 'dataurl',
      '.svg': 'dataurl',
    },
    outdir: outDir,
    write: false,
    logLevel: 'warning',
  });
} catch (error) {
  // esbuild has already printed the errors (logLevel 'warning' includes errors).
  console.error(`build-graphiql: esbuild failed${error?.errors ? ` with ${error.errors.length} error(s)` : `: ${error}`}`);
  process.exit(1);
}
if (result.errors.length > 0) {
  console.error(`build-graphiql: esbuild reported ${result.errors.length} error(s)`);
  process.exit(1);
}

/** @type {Record<string, {file: string, bytes: number, gzipBytes: number, integrity: string}>} */
const assets = {};
for (const output of result.outputFiles) {
  const ext = path.extname(output.path).slice(1); // 'js' | 'css'
  if (ext !== 'js' && ext !== 'css') {
    console.error(`build-graphiql: unexpected output ${path.relative(gatewayDir, output.path)} (only one .js and one .css are served)`);
    process.exit(1);
  }
  if (assets[ext]) {
    console.error(`build-graphiql: more than one .${ext} output; the page loads exactly one of each`);
    process.exit(1);
  }
  const contents = Buffer.from(output.contents);
  const hash = createHash('sha256').update(contents).digest('hex').slice(0, 8);
  assets[ext] = {
    file: `graphiql.${hash}.${ext}`,
    bytes: contents.length,
    gzipBytes: gzipSync(contents).length,
    integrity: `sha384-${createHash('sha384').update(contents).digest('base64')}`,
    contents,
  };
}
if (!assets.js || !assets.css) {
  console.error('build-graphiql: esbuild did not produce both a .js and a .css file');
  process.exit(1);
}

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
for (const name of readdirSync(outDir)) {
  if (!keep.has(name) && /^graphiql\.[0-9a-f]+\.(js|css)$/.test(name)) rmSync(path.join(outDir, name), { force: true });
}

const kb = (n) => `${(n / 1024).toFixed(1).padStart(7)} KB`;
for (const asset of [assets.js, assets.css]) {
  console.log(`  ${path.relative(gatewayDir, path.join(outDir, asset.file)).padEnd(36)} ${kb(asset.bytes)}  (gzip ${kb(asset.gzipBytes).trim()})`);
}
console.log(`build-graphiql: done in ${Math.round(performance.now() - started)} ms`);
