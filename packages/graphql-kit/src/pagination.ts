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
  if (!text.startsWith(`${kind}:`) || cursor.length > 200) throw badCursor();
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

/** The arguments of every connection field (`first`, `after`), as codegen types them for each one. */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

/** How one list pages by a key: its cursor kind, the key of a node, and how to fetch rows after a key. */
export interface KeysetPage<Node, Key> {
  /** Names the list in its cursors, so a cursor of another list is refused. */
  cursorKind: string;
  /** The keyset position of a node (an id, or "bookedAt|articleNumber"), as a string. */
  keyOf: (node: Node) => string;
  /** Reads a position back from a cursor's key; throws BAD_USER_INPUT (see badCursor) when it is not one. */
  parseKey?: (key: string) => Key;
  /** Fetches up to `limit` nodes strictly after `after` (null: from the start), in the list's order. */
  fetch: (after: Key | null, limit: number) => Promise<Node[]>;
  /** Answers totalCount, only when the client selects it. */
  count: () => Promise<number>;
  /** Called for each fetched node, to prime the per-request loader that resolves it by id. */
  prime?: (node: Node) => void;
  /** Page size when `first` is not given. */
  defaultSize?: number;
}

export const badCursor = () => badInput('"after" is not a cursor from this list; pass a pageInfo.endCursor or edges.cursor value', 'after');

/**
 * One page of a keyset-paginated list, the way every connection of dakgraph pages: `first` checked
 * against the limit, `after` decoded, one row more than asked fetched (it only tells whether more
 * follow), the loader primed so the nodes' fields need no second query.
 */
export async function keysetPage<Node, Key = string>(args: PageArgs, page: KeysetPage<Node, Key>): Promise<ConnectionResult<Node>> {
  const size = pageSize(args.first, page.defaultSize ?? 20);
  const afterKey = decodeCursor(page.cursorKind, args.after);
  const after = afterKey === null ? null : page.parseKey ? page.parseKey(afterKey) : (afterKey as Key);
  const rows = await page.fetch(after, size + 1);
  if (page.prime) rows.forEach(page.prime);
  return toConnection(rows, size, (node) => encodeCursor(page.cursorKind, page.keyOf(node)), page.count);
}
