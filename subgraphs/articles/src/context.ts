import type { Viewer } from '@dakgraph/auth';
import { forbidden, IdempotencyStore } from '@dakgraph/graphql-kit';
import type { ArticlesPrisma, ArticlesTx } from './db';
import { createLoaders, type ArticleLoaders } from './loaders';
import type { CustomerOwnersClient } from './services/customerOwners';
import type { PartnerTerms, PartnerTermsClient } from './services/partnerTerms';

/** What a partner's bulk booking needs from the customers subgraph. */
export interface PartnerBookingParties {
  terms: PartnerTerms;
  /** Each named customer that exists, with its partner id (null for a customer of no partner). */
  owners: Map<string, string | null>;
}

/** What the subgraph needs besides the database: built once per process. */
export interface ArticlesDependencies {
  partnerTerms: PartnerTermsClient;
  /** Checks the customers a booking names (they live in the customers subgraph). */
  customerOwners: CustomerOwnersClient;
  /** Keys the idempotency request hashes (so a stored hash reveals nothing about the request). */
  identitySecret: string;
  /** The clock: booking times, tariff versions and delivery dates follow it (tests fix it). */
  now: () => Date;
  /** Called after a write that recorded domain events commits (pokes the outbox relay). */
  eventsRecorded: () => void;
  /**
   * The secret delivery OTPs are derived with (DELIVERY_OTP_SECRET); null in a deployment without one,
   * which then refuses to give out or deliver OTP articles (SERVICE_UNAVAILABLE) rather than guess.
   */
  deliveryOtpSecret: string | null;
  /** Failed attempts after which an article goes back to its sender. */
  maxDeliveryAttempts: number;
  /** Days an article waits at its delivery office before it goes back to its sender unclaimed. */
  maxHoldDays: number;
  /** Hours after which a booking still AWAITING_PAYMENT is cancelled (UNPAID_BOOKING_HOURS). */
  unpaidBookingHours: number;
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
  /**
   * activePartnerTerms and the owners of the customers a bulk booking names, in at most one call to
   * the customers subgraph (none when the terms are kept and no customer is named).
   */
  activePartnerBooking(customerIds: readonly string[]): Promise<PartnerBookingParties>;
}

export function createContext(prisma: ArticlesPrisma, viewer: Viewer, deps: ArticlesDependencies): ArticlesContext {
  let terms: Promise<PartnerTerms> | null = null;
  const callingPartner = (): string => {
    if (viewer.kind !== 'PARTNER' || !viewer.partnerId) throw forbidden('Only partners have contract terms');
    return viewer.partnerId;
  };
  const active = (found: PartnerTerms | null, partnerId: string): PartnerTerms => {
    if (!found) throw forbidden(`Partner ${partnerId} is not known to the customers service, so it cannot book`);
    if (found.status !== 'ACTIVE') throw forbidden(`Partner ${partnerId} is ${found.status}; its bookings are refused`);
    return found;
  };
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
        const partnerId = callingPartner();
        return active(await deps.partnerTerms.termsOf(partnerId), partnerId);
      })();
      return terms;
    },
    async activePartnerBooking(customerIds) {
      // This request already has the terms (or is asking for them): only the customers are left to ask.
      if (terms) {
        const [known, owners] = await Promise.all([terms, deps.customerOwners.ownersOf(customerIds)]);
        return { terms: known, owners };
      }
      const parties = (async () => {
        const partnerId = callingPartner();
        const found = await deps.partnerTerms.bookingPartiesOf(partnerId, customerIds);
        return { terms: active(found.terms, partnerId), owners: found.owners };
      })();
      terms = parties.then((found) => found.terms);
      // The caller awaits `parties` and sees its failure; this copy must not count as unhandled.
      terms.catch(() => undefined);
      return parties;
    },
  };
}
