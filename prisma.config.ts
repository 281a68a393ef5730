// The Prisma CLI is used here only to generate clients and to write migrations (`migrate diff`);
// our own runner applies them (packages/db/src/migrate.ts), because `migrate deploy` needs a
// native schema engine that cannot be downloaded offline. An in-memory PGlite is all the CLI needs.
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', process.env.PRISMA_SUBGRAPH ?? 'offices', 'schema.prisma'),
  async adapter() {
    return new PrismaPGlite(new PGlite());
  },
});
