import type { RecordTrackingEventsResultResolvers } from '../__generated__/resolvers-types';
import type { ArticleRow } from '../db';

export const RecordTrackingEventsResult: RecordTrackingEventsResultResolvers = {
  articles: async (result, _, ctx) =>
    (await ctx.loaders.articleByNumber.loadMany(result.articleNumbers)).map((row) => {
      if (row instanceof Error) throw row;
      return row as ArticleRow;
    }),
};
