import { enforce } from '@dakgraph/graphql-kit';
import type { PartnerResolvers, RemittanceItemResolvers, RemittanceResolvers } from '../__generated__/resolvers-types';
import { canReadPartnerCod } from '../access';
import { codBalanceOf, remittanceItems, remittancesOf } from '../services/remittances';

export const Partner: PartnerResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  codBalance: (partner, _, ctx) => codBalanceOf(ctx, partner.id),
  remittances: (partner, args, ctx) => remittancesOf(ctx, partner.id, args),
};

export const Remittance: RemittanceResolvers = {
  __resolveReference: async (reference, ctx) => {
    const remittance = await ctx.loaders.remittance.load(reference.id);
    return remittance && canReadPartnerCod(ctx.viewer, remittance.partnerId).allowed ? remittance : null;
  },
  partner: (remittance) => ({ id: remittance.partnerId }),
  periodEnd: (remittance) => remittance.periodEnd.toISOString(),
  createdAt: (remittance) => remittance.createdAt.toISOString(),
  paidAt: (remittance) => (remittance.paidAt ? remittance.paidAt.toISOString() : null),
  items: (remittance, args, ctx) => {
    enforce(canReadPartnerCod(ctx.viewer, remittance.partnerId));
    return remittanceItems(ctx, remittance.id, args);
  },
};

export const RemittanceItem: RemittanceItemResolvers = {
  article: (item) => ({ articleNumber: item.articleNumber }),
};
