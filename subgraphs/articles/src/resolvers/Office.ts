import type { OfficeResolvers } from '../__generated__/resolvers-types';
import { officeArticles } from '../services/articleLists';

export const Office: OfficeResolvers = {
  // Only the key is ours; the offices subgraph answers every other Office field.
  __resolveReference: (reference) => ({ id: reference.id }),
  bookedArticles: (office, args, ctx) => officeArticles(ctx, office.id, args),
};
