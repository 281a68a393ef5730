import type { ArticleResolvers, CodSettlementResolvers } from '../__generated__/resolvers-types';
import { canReadPartnerCod, canSeeCodCollection, canSeePayment } from '../access';

export const Article: ArticleResolvers = {
  __resolveReference: (reference) => ({ articleNumber: reference.articleNumber }),
  payments: async (article, _, ctx) => (await ctx.loaders.paymentsOfArticle.load(article.articleNumber)).filter((p) => canSeePayment(ctx.viewer, p)),
  codSettlement: async (article, _, ctx) => {
    const collection = await ctx.loaders.codCollection.load(article.articleNumber);
    return collection && canSeeCodCollection(ctx.viewer, collection.partnerId) ? collection : null;
  },
};

export const CodSettlement: CodSettlementResolvers = {
  status: async (collection, _, ctx) => {
    if (!collection.remittanceId) return 'COLLECTED';
    const remittance = await ctx.loaders.remittance.load(collection.remittanceId);
    return remittance?.status === 'PAID' ? 'PAID_OUT' : 'REMITTED';
  },
  mode: (collection) => (collection.mode === 'CASH' ? 'CASH' : 'UPI'),
  collectedAt: (collection) => collection.collectedAt.toISOString(),
  remittance: async (collection, _, ctx) => {
    if (!collection.remittanceId || !collection.partnerId || !canReadPartnerCod(ctx.viewer, collection.partnerId).allowed) return null;
    return ctx.loaders.remittance.load(collection.remittanceId);
  },
};
