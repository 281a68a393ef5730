import type { Viewer } from '@dakgraph/auth';
import type { CustomersPrisma } from './db';
import { createLoaders, type CustomerLoaders } from './loaders';

/** The secrets resolvers need: login tokens are signed with one, idempotency fingerprints keyed with the other. */
export interface CustomersSecrets {
  jwtSecret: string;
  identitySecret: string;
}

/** What every resolver of the customers subgraph receives. */
export interface CustomersContext {
  prisma: CustomersPrisma;
  loaders: CustomerLoaders;
  /** Who is calling, as the gateway vouched for it. Every permission is decided on this viewer. */
  viewer: Viewer;
  /**
   * The viewer a login or sign-up in this operation has just established, so that its answer can show
   * the new viewer's own records (`login { viewer { customer { name } } }`). It widens what the rest of
   * the answer may read, never what a later mutation may do: writes are checked against `viewer` only.
   */
  sessionViewer: Viewer | null;
  secrets: CustomersSecrets;
}

export function createContext(prisma: CustomersPrisma, viewer: Viewer, secrets: CustomersSecrets): CustomersContext {
  return { prisma, loaders: createLoaders(prisma), viewer, sessionViewer: null, secrets };
}
