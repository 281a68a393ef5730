import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { composeServices } from '@apollo/composition';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { close, listen } from '@dakgraph/graphql-kit';
import { parse } from 'graphql';
import { composeSupergraph, CompositionError } from '../src/compose';
import { createGateway } from '../src/server';

const secrets = { identitySecret: 'i'.repeat(40), jwtSecret: 'j'.repeat(40) };

/**
 * The gateway must serve any valid Federation 2 supergraph, not only dakgraph's: here two foreign
 * subgraphs (a bookshop) with an entity split across them, composed in the test.
 */
const booksSdl = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Book @key(fields: "isbn") { isbn: ID! title: String! }
  type Query { books: [Book!]! }
`);
const reviewsSdl = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Book @key(fields: "isbn") { isbn: ID! reviews: [String!]! }
`);
const titles: Record<string, string> = { '978-0': 'Malgudi Days', '978-1': 'The Guide' };

async function startForeign(typeDefs: ReturnType<typeof parse>, resolvers: object) {
  const server = new ApolloServer({ schema: buildSubgraphSchema({ typeDefs, resolvers: resolvers as never }) });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return { server, url };
}

describe('the gateway with a supergraph that is not dakgraph', () => {
  let books: Awaited<ReturnType<typeof startForeign>>;
  let reviews: Awaited<ReturnType<typeof startForeign>>;
  let supergraphSdl: string;

  beforeAll(async () => {
    books = await startForeign(booksSdl, {
      Query: { books: () => Object.entries(titles).map(([isbn, title]) => ({ isbn, title })) },
      Book: { __resolveReference: (ref: { isbn: string }) => ({ isbn: ref.isbn, title: titles[ref.isbn] }) },
    });
    reviews = await startForeign(reviewsSdl, {
      Book: { __resolveReference: (ref: { isbn: string }) => ({ isbn: ref.isbn, reviews: [`${titles[ref.isbn]} is lovely`] }) },
    });
    const composed = composeServices([
      { name: 'books', url: books.url, typeDefs: booksSdl },
      { name: 'reviews', url: reviews.url, typeDefs: reviewsSdl },
    ]);
    expect(composed.errors).toBeUndefined();
    supergraphSdl = composed.supergraphSdl!;
  });

  afterAll(async () => {
    await books?.server.stop();
    await reviews?.server.stop();
  });

  const booksQuery = { query: '{ books { title reviews } }' };
  const expected = {
    data: {
      books: [
        { title: 'Malgudi Days', reviews: ['Malgudi Days is lovely'] },
        { title: 'The Guide', reviews: ['The Guide is lovely'] },
      ],
    },
  };

  it('plans and joins an entity across the two subgraphs', async () => {
    const gateway = await createGateway({ supergraphSdl, secrets });
    const port = await listen(gateway.http, 0, '127.0.0.1');
    try {
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(booksQuery),
      });
      expect(await response.json()).toEqual(expected);
    } finally {
      await close(gateway.http);
      await gateway.apollo.stop();
    }
  });

  it('connects to nothing beyond this machine: no telemetry, no cloud metadata probes', async () => {
    delete process.env.APOLLO_TELEMETRY_DISABLED;
    const hosts: string[] = [];
    const connect = net.Socket.prototype.connect;
    net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
      const options = args[0];
      const host = typeof options === 'object' && options !== null ? (options as { host?: string; path?: string }).host ?? (options as { path?: string }).path : args[1];
      hosts.push(String(host ?? 'localhost'));
      return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
    } as typeof connect;
    try {
      const gateway = await createGateway({ supergraphSdl, secrets });
      const port = await listen(gateway.http, 0, '127.0.0.1');
      await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(booksQuery) });
      // Resource detectors and exporters start in the background; give them time to try.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await close(gateway.http);
      await gateway.apollo.stop();
    } finally {
      net.Socket.prototype.connect = connect;
    }
    expect(hosts.filter((host) => !/^(127\.|localhost$|::1$|\/)/.test(host))).toEqual([]);
  });

  it('runs on its own from a SUPERGRAPH_PATH file (the documented command)', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'dakgraph-supergraph-')), 'supergraph.graphql');
    writeFileSync(file, supergraphSdl);
    const child: ChildProcess = spawn(process.execPath, [path.join(__dirname, '..', 'dist', 'index.js')], {
      env: { ...process.env, PORT: '0', SUPERGRAPH_PATH: file, IDENTITY_SECRET: secrets.identitySecret, JWT_SECRET: secrets.jwtSecret },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        let output = '';
        child.stdout!.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const match = /localhost:(\d+)\/graphql/.exec(output);
          if (match) resolve(Number(match[1]));
        });
        child.on('exit', (code) => reject(new Error(`gateway exited with ${code}: ${output}`)));
        setTimeout(() => reject(new Error(`gateway did not start: ${output}`)), 20_000).unref();
      });
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(booksQuery),
      });
      expect(await response.json()).toEqual(expected);
    } finally {
      child.kill();
    }
  }, 30_000);

  it('fails composition with every problem listed', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dakgraph-compose-'));
    writeFileSync(path.join(dir, 'a.graphql'), 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])\ntype Query { parcel: Parcel }\ntype Parcel { weight: Int! }');
    writeFileSync(path.join(dir, 'b.graphql'), 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])\ntype Query { letter: String }\ntype Parcel { weight: String! }');
    expect(() =>
      composeSupergraph([
        { name: 'a', schema: path.join(dir, 'a.graphql'), url: 'http://127.0.0.1:1/graphql' },
        { name: 'b', schema: path.join(dir, 'b.graphql'), url: 'http://127.0.0.1:2/graphql' },
      ]),
    ).toThrow(CompositionError);
  });
});
