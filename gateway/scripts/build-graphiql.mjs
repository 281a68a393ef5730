#!/usr/bin/env node
// Bundles the GraphiQL page (graphiql/main.tsx) into dist/graphiql with esbuild (scripts/bundle.mjs):
//   dist/graphiql/graphiql.<hash>.js, graphiql.<hash>.css and manifest.json, served by src/graphiql.ts.
// Fonts and images are inlined as data: URLs; nothing is fetched from a CDN at build or run time.
// Exits non-zero on any esbuild error. Run from anywhere (paths are relative to this file).
import { buildBundle } from './bundle.mjs';

await buildBundle({
  name: 'graphiql',
  entry: 'graphiql/main.tsx',
  options: {
    jsx: 'automatic',
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
  },
});
