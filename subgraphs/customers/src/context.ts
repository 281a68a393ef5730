import type { Viewer } from '@dakgraph/auth';
import { IdempotencyStore } from '@dakgraph/graphql-kit';
import type { CustomersPrisma, CustomersTx } from './db';
import { createLoaders, type CustomerLoaders } from './loaders';
import { resolveWithDns, type HostResolver } from './services/webhookTargets';

/** The secrets resolvers need: login tokens are signed with one, idempotency fingerprints keyed with the other. */
export interface CustomersSecrets {
  jwtSecret: string;
  identitySecret: string;
}

/** How webhook endpoints are registered on this deployment. */
export interface WebhookSettings {
  /** The key signing secrets are encrypted with (WEBHOOK_SECRET_KEY); null when the deployment has none. */
  secretKey: Buffer | null;
  /** Production URL rules: https only, public addresses only (see services/webhookTargets.ts). */
  production: boolean;
  resolve: HostResolver;
}

/** No key: endpoints cannot be created or rotated (SERVICE_UNAVAILABLE), everything else works. */
export const WEBHOOKS_UNCONFIGURED: WebhookSettings = { secretKey: null, production: process.env.NODE_ENV === 'production', resolve: resolveWithDns };

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
  /** Runs the creating mutations once per idempotency key (records in customers.idempotency_record). */
  idempotency: IdempotencyStore<CustomersTx>;
  webhooks: WebhookSettings;
}

/** What a creating mutation's idempotency record keeps: the id of what it created. */
export interface CreatedId {
  id: string;
}

export function createContext(
  prisma: CustomersPrisma,
  viewer: Viewer,
  secrets: CustomersSecrets,
  webhooks: WebhookSettings = WEBHOOKS_UNCONFIGURED,
): CustomersContext {
  return {
    prisma,
    loaders: createLoaders(prisma),
    viewer,
    sessionViewer: null,
    secrets,
    idempotency: new IdempotencyStore<CustomersTx>({ db: prisma, table: 'customers.idempotency_record', secret: secrets.identitySecret }),
    webhooks,
  };
}
