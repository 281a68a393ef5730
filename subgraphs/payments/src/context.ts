import type { Viewer } from '@dakgraph/auth';
import { IdempotencyStore } from '@dakgraph/graphql-kit';
import type { PaymentsPrisma, PaymentsTx } from './db';
import type { UpiPayee } from './domain';
import { createLoaders, type PaymentLoaders } from './loaders';
import type { ArticleFactsClient } from './services/articleFacts';

/** What the subgraph needs besides the database: built once per process. */
export interface PaymentsDependencies {
  /** Reads an article's charge and parties from the articles subgraph. */
  articles: ArticleFactsClient;
  /** Keys the idempotency request hashes. */
  identitySecret: string;
  /** The secret provider callbacks are signed with (PSP_CALLBACK_SECRET); null refuses every callback. */
  pspCallbackSecret: string | null;
  /** Who UPI payments are made to (UPI_PAYEE_VPA, UPI_PAYEE_NAME). */
  payee: UpiPayee;
  /** How long a UPI payment request is open (PAYMENT_EXPIRY_MINUTES, 15 by default). */
  paymentExpiryMs: number;
  /** How long after its expiry a late callback still captures before the booking is cancelled (5 minutes). */
  callbackGraceMs: number;
  now: () => Date;
  /** Called after a write that recorded domain events commits (pokes the outbox relay). */
  eventsRecorded: () => void;
}

/** What every resolver of the payments subgraph receives. */
export interface PaymentsContext {
  prisma: PaymentsPrisma;
  loaders: PaymentLoaders;
  viewer: Viewer;
  deps: PaymentsDependencies;
  idempotency: IdempotencyStore<PaymentsTx>;
}

export function createContext(prisma: PaymentsPrisma, viewer: Viewer, deps: PaymentsDependencies): PaymentsContext {
  return {
    prisma,
    loaders: createLoaders(prisma),
    viewer,
    deps,
    idempotency: new IdempotencyStore<PaymentsTx>({ db: prisma, table: 'payments.idempotency_record', secret: deps.identitySecret }),
  };
}
