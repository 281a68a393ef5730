import type { ConnectionResult } from '@dakgraph/graphql-kit';

/** The field resolvers every connection type shares. */
export function connectionResolvers<Node>() {
  return {
    edges: (page: ConnectionResult<Node>) => page.nodes.map((node) => ({ cursor: page.cursorOf(node), node })),
    nodes: (page: ConnectionResult<Node>) => page.nodes,
    pageInfo: (page: ConnectionResult<Node>) => ({
      hasNextPage: page.hasNextPage,
      endCursor: page.nodes.length ? page.cursorOf(page.nodes[page.nodes.length - 1]!) : null,
    }),
    totalCount: (page: ConnectionResult<Node>) => page.totalCount(),
  };
}
