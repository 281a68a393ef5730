import path from 'node:path';
import { migrate, migrationsDir, type Database } from '@dakgraph/db';
import { eventRetentionMs, processedEventsPurgeTask, type ConsumerHandle, type EventTransport } from '@dakgraph/events';
import { createSubgraph, type BackgroundWorker, type Subgraph } from '@dakgraph/graphql-kit';
import { createContext, type AnalyticsContext } from './context';
import { createAnalyticsPrisma, type AnalyticsPrisma } from './db';
import { importReference, type ReferenceImportOptions } from './import/importReference';
import { resolvers } from './resolvers';
import { consumeOperationsEvents, PROCESSED_TABLE } from './services/events';

/** The SDL file, next to src/ and dist/ alike. */
export const ANALYTICS_SCHEMA_FILE = path.join(__dirname, '..', 'schema.graphql');
export const ANALYTICS_SCHEMA = 'analytics';

export interface AnalyticsSubgraph extends Subgraph<AnalyticsContext> {
  prisma: AnalyticsPrisma;
}

export interface AnalyticsSubgraphOptions {
  /** The secret the gateway signs identities with. */
  identitySecret: string;
  /** Domain events: the rollups are kept by consuming the articles' and payments' events. Without, they stand still. */
  events?: EventTransport;
  onQuery?: (sql: string) => void;
  eventRetentionMs?: number;
}

/** Builds the analytics subgraph on an open, prepared database. Does not listen (tests call it directly). */
export async function createAnalyticsSubgraph(db: Database, options: AnalyticsSubgraphOptions): Promise<AnalyticsSubgraph> {
  const prisma = createAnalyticsPrisma(db, options.onQuery);
  const { events } = options;
  const workers: BackgroundWorker[] = [];
  if (events) {
    let consumers: ConsumerHandle[] = [];
    workers.push({
      name: 'analytics consumers of article and payment events',
      async start() {
        consumers = await consumeOperationsEvents(events, prisma);
      },
      async stop() {
        await Promise.all(consumers.map((consumer) => consumer.stop()));
        consumers = [];
      },
    });
  }
  const subgraph = await createSubgraph<AnalyticsContext>({
    name: 'analytics',
    schemaFile: ANALYTICS_SCHEMA_FILE,
    resolvers,
    identitySecret: options.identitySecret,
    context: async (viewer) => createContext(prisma, viewer),
    ready: async () => {
      await db.query('SELECT 1');
    },
    housekeeping: [
      processedEventsPurgeTask('analytics processed-event purge', { db: prisma, table: PROCESSED_TABLE, retentionMs: options.eventRetentionMs ?? eventRetentionMs() }),
    ],
    workers,
  });
  return { ...subgraph, prisma };
}

/** Brings the database up to date for this subgraph: migrations, then the reference copy if it changed. */
export async function prepareAnalyticsDatabase(db: Database, options: ReferenceImportOptions = {}): Promise<void> {
  await migrate(db, ANALYTICS_SCHEMA, migrationsDir(ANALYTICS_SCHEMA));
  await importReference(db, options);
}

export { createContext } from './context';
export { handleArticleEvent, handlePaymentEvent } from './services/events';
export { rebuildRollups, type RebuildResult } from './services/rebuild';
