import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { composeServices } from '@apollo/composition';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { close, listen } from '@dakgraph/graphql-kit';
import { parse } from 'graphql';
import { createGateway } from '../src/server';

// The entity cache through a real gateway and real subgraphs: what a subgraph declares public and cacheable
// is fetched once; what it does not, or declares private, is fetched every time; answers stay the same.
const secrets = { identitySecret: 'i'.repeat(40), jwtSecret: 'j'.repeat(40) };
const CACHE_CONTROL = `
  enum CacheControlScope { PUBLIC PRIVATE }
  directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION`;
const booksSdl = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Book @key(fields: "isbn") { isbn: ID! title: String! author: Author! }
  type Author @key(fields: "id") { id: ID! }
  type Query { books(isbns: [ID!]!): [Book!]! }
`);
// Office-like public data (Author names), per-reader data (Book.readerNote, private) and unhinted data (Book.stock).
const catalogueSdl = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  ${CACHE_CONTROL}
  type Author @key(fields: "id") @cacheControl(maxAge: 60) { id: ID! name: String! }
  type Book @key(fields: "isbn") { isbn: ID! stock: Int! readerNote: String @cacheControl(maxAge: 60, scope: PRIVATE) }
`);
const titles: Record<string, { title: string; author: string }> = {
  '978-0': { title: 'Malgudi Days', author: 'rkn' },
  '978-1': { title: 'The Guide', author: 'rkn' },
  '978-2': { title: 'Godan', author: 'pc' },
  // Its stock is slow to count: concurrent reads of it overlap.
  '978-9': { title: 'Nirmala', author: 'pc' },
};
const authors: Record<string, string> = { rkn: 'R. K. Narayan', pc: 'Premchand' };

describe('the entity cache', () => {
  const resolved = { author: [] as string[], book: [] as string[] };
  let servers: ApolloServer[] = [];
  let gateway: Awaited<ReturnType<typeof createGateway>>;
  let url: string;
  let supergraphSdl: string;

  beforeAll(async () => {
    const start = async (typeDefs: ReturnType<typeof parse>, resolvers: object) => {
      const server = new ApolloServer({ schema: buildSubgraphSchema({ typeDefs, resolvers: resolvers as never }) });
      servers.push(server);
      return (await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } })).url;
    };
    const booksUrl = await start(booksSdl, {
      Query: { books: (_: unknown, { isbns }: { isbns: string[] }) => isbns.map((isbn) => ({ isbn, title: titles[isbn]!.title, author: { id: titles[isbn]!.author } })) },
    });
    const catalogueUrl = await start(catalogueSdl, {
      Author: { __resolveReference: (ref: { id: string }) => (resolved.author.push(ref.id), { id: ref.id, name: authors[ref.id] }) },
      Book: {
        __resolveReference: async (ref: { isbn: string }) => {
          resolved.book.push(ref.isbn);
          if (ref.isbn === '978-9') await new Promise((resolve) => setTimeout(resolve, 500));
          return { isbn: ref.isbn, stock: 3, readerNote: 'yours' };
        },
      },
    });
    const composed = composeServices([
      { name: 'books', url: booksUrl, typeDefs: booksSdl },
      { name: 'catalogue', url: catalogueUrl, typeDefs: catalogueSdl },
    ]);
    expect(composed.errors).toBeUndefined();
    supergraphSdl = composed.supergraphSdl!;
    gateway = await createGateway({ supergraphSdl, secrets });
    url = `http://127.0.0.1:${await listen(gateway.http, 0, '127.0.0.1')}/graphql`;
  });

  afterAll(async () => {
    await close(gateway.http);
    await gateway.apollo.stop();
    await Promise.all(servers.map((server) => server.stop()));
    servers = [];
  });

  beforeEach(() => {
    resolved.author.length = 0;
    resolved.book.length = 0;
  });

  const ask = async (query: string, isbns: string[]) => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables: { isbns } }) });
    return (await response.json()) as { data: { books: Record<string, any>[] } };
  };
  const AUTHORS = 'query ($isbns: [ID!]!) { books(isbns: $isbns) { title author { name } } }';

  it('fetches public entities once and answers the same from the cache', async () => {
    const first = await ask(AUTHORS, ['978-0', '978-2']);
    expect(first).toEqual({ data: { books: [{ title: 'Malgudi Days', author: { name: 'R. K. Narayan' } }, { title: 'Godan', author: { name: 'Premchand' } }] } });
    expect(resolved.author.sort()).toEqual(['pc', 'rkn']);
    resolved.author.length = 0;
    expect(await ask(AUTHORS, ['978-0', '978-2'])).toEqual(first);
    expect(resolved.author).toEqual([]);
  });

  it('asks the subgraph only for the entities it has not seen, in the right places', async () => {
    await ask(AUTHORS, ['978-0']);
    resolved.author.length = 0;
    // rkn is cached by now; a new author in between must come back in its own place.
    const names = await ask(AUTHORS, ['978-2', '978-1', '978-0']);
    expect(names.data.books.map((book) => book.author.name)).toEqual(['Premchand', 'R. K. Narayan', 'R. K. Narayan']);
  });

  it('never keeps what the subgraph did not declare public and cacheable', async () => {
    const STOCK = 'query ($isbns: [ID!]!) { books(isbns: $isbns) { stock } }';
    const NOTE = 'query ($isbns: [ID!]!) { books(isbns: $isbns) { readerNote } }';
    await ask(STOCK, ['978-0']);
    await ask(STOCK, ['978-0']);
    await ask(NOTE, ['978-0']);
    await ask(NOTE, ['978-0']);
    expect(resolved.book).toEqual(['978-0', '978-0', '978-0', '978-0']);
  });

  it('merges identical reads in flight into one subgraph fetch, each answered in full', async () => {
    const STOCK = 'query ($isbns: [ID!]!) { books(isbns: $isbns) { title stock } }';
    const answers = await Promise.all([...Array(10)].map(() => ask(STOCK, ['978-9'])));
    for (const answer of answers) expect(answer).toEqual({ data: { books: [{ title: 'Nirmala', stock: 3 }] } });
    // Ten readers, far fewer fetches (how many depends on how the requests' planning interleaves).
    expect(resolved.book.length).toBeGreaterThan(0);
    expect(resolved.book.length).toBeLessThan(10);
    // Once answered, the next read fetches again: merging is not caching.
    resolved.book.length = 0;
    await ask(STOCK, ['978-9']);
    expect(resolved.book).toEqual(['978-9']);
  });

  it('is off with zero entries', async () => {
    const uncached = await createGateway({ supergraphSdl, secrets, entityCacheEntries: 0 });
    const port = await listen(uncached.http, 0, '127.0.0.1');
    try {
      for (let i = 0; i < 2; i += 1) {
        await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: AUTHORS, variables: { isbns: ['978-2'] } }) });
      }
      expect(resolved.author).toEqual(['pc', 'pc']);
    } finally {
      await close(uncached.http);
      await uncached.apollo.stop();
    }
  });
});
