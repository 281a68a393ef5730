import type { ArticleConnectionResolvers } from '../__generated__/resolvers-types';

export const ArticleConnection: ArticleConnectionResolvers = {
  edges: (page) => page.nodes.map((node) => ({ cursor: page.cursorOf(node), node })),
  nodes: (page) => page.nodes,
  pageInfo: (page) => ({
    hasNextPage: page.hasNextPage,
    endCursor: page.nodes.length ? page.cursorOf(page.nodes[page.nodes.length - 1]!) : null,
  }),
  totalCount: (page) => page.totalCount(),
};
