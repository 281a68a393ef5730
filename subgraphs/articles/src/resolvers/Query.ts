import type { QueryResolvers } from '../__generated__/resolvers-types';
import { findArticle, trackArticles } from '../services/articleNumbers';
import { quoteArticle } from '../services/quoting';

export const Query: QueryResolvers = {
  article: (_, { articleNumber }, ctx) => findArticle(ctx, articleNumber),
  trackArticles: (_, { articleNumbers }, ctx) => trackArticles(ctx, articleNumbers),
  quote: (_, { input }, ctx) => quoteArticle(ctx, input),
};
