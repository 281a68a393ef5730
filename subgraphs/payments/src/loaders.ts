import DataLoader from 'dataloader';
import { groupedInKeyOrder, inKeyOrder } from '@dakgraph/graphql-kit';
import type { CodCollectionRow, PaymentRow, PaymentsPrisma, RemittanceRow } from './db';

/**
 * Per-request loaders: one statement for all the keys a level of the query asks for (a page of 100
 * articles' payments is one query, not 100).
 */
export interface PaymentLoaders {
  payment: DataLoader<string, PaymentRow | null>;
  paymentByReference: DataLoader<string, PaymentRow | null>;
  /** An article's payments, oldest first. */
  paymentsOfArticle: DataLoader<string, PaymentRow[]>;
  /** The refund of a payment. */
  refundOf: DataLoader<string, PaymentRow | null>;
  codCollection: DataLoader<string, CodCollectionRow | null>;
  remittance: DataLoader<string, RemittanceRow | null>;
}

export function createLoaders(prisma: PaymentsPrisma): PaymentLoaders {
  return {
    payment: new DataLoader(async (ids) => inKeyOrder(ids, await prisma.payment.findMany({ where: { id: { in: [...ids] } } }), (p) => p.id)),
    paymentByReference: new DataLoader(async (refs) =>
      inKeyOrder(refs, await prisma.payment.findMany({ where: { reference: { in: [...refs] } } }), (p) => p.reference),
    ),
    paymentsOfArticle: new DataLoader(async (numbers) =>
      groupedInKeyOrder(
        numbers,
        await prisma.payment.findMany({ where: { articleNumber: { in: [...numbers] } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
        (p) => p.articleNumber,
      ),
    ),
    refundOf: new DataLoader(async (ids) =>
      inKeyOrder(ids, await prisma.payment.findMany({ where: { refundOf: { in: [...ids] } } }), (p) => p.refundOf!),
    ),
    codCollection: new DataLoader(async (numbers) =>
      inKeyOrder(numbers, await prisma.codCollection.findMany({ where: { articleNumber: { in: [...numbers] } } }), (c) => c.articleNumber),
    ),
    remittance: new DataLoader(async (ids) => inKeyOrder(ids, await prisma.remittance.findMany({ where: { id: { in: [...ids] } } }), (r) => r.id)),
  };
}
