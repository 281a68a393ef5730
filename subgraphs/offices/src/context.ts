import type { OfficesPrisma } from './db';
import { createLoaders, type OfficeLoaders } from './loaders';

/** What every resolver of the offices subgraph receives. */
export interface OfficesContext {
  prisma: OfficesPrisma;
  loaders: OfficeLoaders;
}

export function createContext(prisma: OfficesPrisma): OfficesContext {
  return { prisma, loaders: createLoaders(prisma) };
}
