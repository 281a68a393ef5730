import type { Viewer } from '@dakgraph/auth';
import { forbidden, IdempotencyStore } from '@dakgraph/graphql-kit';
import type { ArticlesPrisma, ArticlesTx } from './db';
import { createLoaders, type ArticleLoaders } from './loaders';
import type { CustomerOwnersClient } from './services/customerOwners';
import type { PartnerTerms, PartnerTermsClient } from './services/partnerTerms';

/** What the subgraph needs besides the database: built once per process. */
export interface ArticlesDependencies {
  partnerTerms: PartnerTermsClient;
  /** Checks the customers a booking names (they live in the customers subgraph). */
  customerOwners: CustomerOwnersClient;
  /** Keys the idempotency request hashes (so a stored hash reveals nothing about the request). */
  identitySecret: string;
  /** The clock: booking times, tariff versions and delivery dates follow it (tests fix it). */
  now: () => Date;
}

/** What every resolver of the articles subgraph receives. */
export interface ArticlesContext {
  prisma: ArticlesPrisma;
  loaders: ArticleLoaders;
  viewer: Viewer;
  deps: ArticlesDependencies;
  /** Runs the creating mutations once per idempotency key (records in articles.idempotency_record). */
  idempotency: IdempotencyStore<ArticlesTx>;
  /** The calling partner's terms, fetched at most once per request; FORBIDDEN unless the partner is ACTIVE. */
  activePartnerTerms(): Promise<PartnerTerms>;
}

export function createContext(prisma: ArticlesPrisma, viewer: Viewer, deps: ArticlesDependencies): ArticlesContext {
  let terms: Promise<PartnerTerms> | null = null;
  return {
    prisma,
    loaders: createLoaders(prisma),
    viewer,
    deps,
    idempotency: new IdempotencyStore<ArticlesTx>({
      db: prisma,
      table: 'articles.idempotency_record',
      secret: deps.identitySecret,
    }),
    activePartnerTerms() {
      terms ??= (async () => {
        const partnerId = viewer.partnerId;
        if (viewer.kind !== 'PARTNER' || !partnerId) throw forbidden('Only partners have contract terms');
        const found = await deps.partnerTerms.termsOf(partnerId);
        if (!found) throw forbidden(`Partner ${partnerId} is not known to the customers service, so it cannot book`);
        if (found.status !== 'ACTIVE') throw forbidden(`Partner ${partnerId} is ${found.status}; its bookings are refused`);
        return found;
      })();
      return terms;
    },
  };
}
