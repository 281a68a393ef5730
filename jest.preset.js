// Shared Jest settings: SWC transpiles TypeScript (type-checking is `npm run typecheck`),
// workspace packages resolve to their sources so tests never need a build first.
const path = require('node:path');

/** @param {string} dir the workspace folder (pass __dirname) */
module.exports = function preset(dir) {
  return {
    rootDir: dir,
    testEnvironment: 'node',
    transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
    moduleNameMapper: {
      '^@dakgraph/(digipin|s10|db|graphql-kit|auth|directory|errors|internal-api|events|notifications)$': path.join(__dirname, 'packages/$1/src/index.ts'),
      '^@dakgraph/(offices|customers|articles|payments|analytics)$': path.join(__dirname, 'subgraphs/$1/src/server.ts'),
      '^@dakgraph/customers/cli/(.*)$': path.join(__dirname, 'subgraphs/customers/src/cli/$1.ts'),
      '^@dakgraph/demo$': path.join(__dirname, 'packages/demo/src/index.ts'),
      '^@dakgraph/gateway$': path.join(__dirname, 'gateway/src/server.ts'),
      // The generated Prisma client imports "./x.js"; the sources are .ts.
      '^(\\.{1,2}/.*)\\.js$': '$1',
    },
    testMatch: ['<rootDir>/test/**/*.test.ts'],
    testTimeout: 60_000,
  };
};
