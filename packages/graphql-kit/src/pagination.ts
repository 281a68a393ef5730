import { badInput } from './errors';

/** What a connection resolver returns; `totalCount` is computed only when the client asks for it. */
export interface ConnectionResult<Node> {
  nodes: Node[];
  hasNextPage: boolean;
  cursorOf: (node: Node) => string;
  totalCount: () => Promise<number>;
}

export const MAX_PAGE_SIZE = 100;

/** Checks `first` against the limit; clients get told the limit rather than silently less. */
export function pageSize(first: number | null | undefined, fallback: number, max = MAX_PAGE_SIZE): number {
  const size = first ?? fallback;
  if (!Number.isInteger(size) || size < 0 || size > max) {
    throw badInput(`"first" must be a whole number from 0 to ${max}; got ${first}`, 'first');
  }
  return size;
}

// Cursors are opaque to clients (base64url) so that the ordering key can change without breaking them.
export const encodeCursor = (kind: string, key: string): string => Buffer.from(`${kind}:${key}`).toString('base64url');

export function decodeCursor(kind: string, cursor: string | null | undefined): string | null {
  if (cursor === null || cursor === undefined) return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith(`${kind}:`) || cursor.length > 200) {
    throw badInput('"after" is not a cursor from this list; pass a pageInfo.endCursor or edges.cursor value', 'after');
  }
  return text.slice(kind.length + 1);
}

/** Builds a connection from `size + 1` fetched rows (the extra row only tells whether more follow). */
export function toConnection<Node>(
  rows: Node[],
  size: number,
  cursorOf: (node: Node) => string,
  totalCount: () => Promise<number>,
): ConnectionResult<Node> {
  return { nodes: rows.slice(0, size), hasNextPage: rows.length > size, cursorOf, totalCount };
}

/** The resolvers of every `XConnection` type: edges, nodes, pageInfo and a lazily counted totalCount. */
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
