import type { QueryResolvers } from '../__generated__/resolvers-types';
import { findArticle, trackArticles } from '../services/articleNumbers';
import { deliveryBeat } from '../services/deliveryViews';
import { quoteArticle } from '../services/quoting';

export const Query: QueryResolvers = {
  article: (_, { articleNumber }, ctx) => findArticle(ctx, articleNumber),
  trackArticles: (_, { articleNumbers }, ctx) => trackArticles(ctx, articleNumbers),
  quote: (_, { input }, ctx) => quoteArticle(ctx, input),
  deliveryBeat: (_, { postmanId, date }, ctx) => deliveryBeat(ctx, postmanId, date),
};
