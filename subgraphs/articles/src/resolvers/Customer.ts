import type { CustomerResolvers } from '../__generated__/resolvers-types';
import { customerArticles } from '../services/articleLists';

export const Customer: CustomerResolvers = {
  // Only the key is ours; the customers subgraph answers every other Customer field.
  __resolveReference: (reference) => ({ id: reference.id }),
  articles: (customer, args, ctx) => customerArticles(ctx, customer.id, args),
};
