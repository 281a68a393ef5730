#!/usr/bin/env node
// Bundles the operations dashboard (dashboard/main.ts, ECharts included) into dist/dashboard with esbuild
// (scripts/bundle.mjs): dist/dashboard/dashboard.<hash>.js, dashboard.<hash>.css and manifest.json, served by
// src/dashboard.ts. Nothing is fetched from a CDN at build or run time. Exits non-zero on any esbuild error, and
// when the script grows past its budget (ECharts is tree-shaken through echarts/core: only the charts and
// components dashboard/charts.ts registers are bundled, and an accidental `import 'echarts'` would triple the size).
// Run from anywhere (paths are relative to this file).
import { buildBundle } from './bundle.mjs';

/** Gzipped bytes of the script at most (ECharts' bar and line charts with their components are about 190 KB). */
const SCRIPT_BUDGET_GZIP_BYTES = 240 * 1024;

await buildBundle({
  name: 'dashboard',
  entry: 'dashboard/main.ts',
  options: { metafile: true },
  check({ js, css }) {
    // The page's CSP allows scripts and styles from 'self' only; a bundle that reached elsewhere would break offline.
    for (const asset of [js, css]) {
      if (/@import\s|url\(\s*["']?(https?:)?\/\//i.test(asset.contents.toString('utf8'))) {
        return `${asset.file} imports or loads something from another origin`;
      }
    }
    if (js.gzipBytes > SCRIPT_BUDGET_GZIP_BYTES) {
      return (
        `the script is ${(js.gzipBytes / 1024).toFixed(1)} KB gzipped, over its budget of ` +
        `${SCRIPT_BUDGET_GZIP_BYTES / 1024} KB: import from echarts/core, echarts/charts and echarts/components, never 'echarts'`
      );
    }
    return undefined;
  },
});
