import type { Viewer } from '@dakgraph/auth';
import type { OfficesPrisma } from './db';
import { createLoaders, type OfficeLoaders } from './loaders';

/**
 * What every resolver of the offices subgraph receives. The directory is public reference data, so
 * no resolver here restricts by viewer; the viewer is still verified (and available) on every request.
 */
export interface OfficesContext {
  prisma: OfficesPrisma;
  loaders: OfficeLoaders;
  viewer: Viewer;
}

export function createContext(prisma: OfficesPrisma, viewer: Viewer): OfficesContext {
  return { prisma, loaders: createLoaders(prisma), viewer };
}
