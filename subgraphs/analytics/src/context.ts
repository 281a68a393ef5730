import type { Viewer } from '@dakgraph/auth';
import type { AnalyticsPrisma } from './db';
import { createLoaders, type AnalyticsLoaders } from './loaders';

/** What every resolver of the analytics subgraph receives. */
export interface AnalyticsContext {
  prisma: AnalyticsPrisma;
  loaders: AnalyticsLoaders;
  viewer: Viewer;
}

export function createContext(prisma: AnalyticsPrisma, viewer: Viewer): AnalyticsContext {
  return { prisma, loaders: createLoaders(prisma), viewer };
}
