import type { Server } from 'node:http';
import { createTestDatabase, openDatabase, type Database, type TestDatabase } from '@dakgraph/db';
import { close, listen } from '@dakgraph/graphql-kit';
import { createOfficesSubgraph, prepareOfficesDatabase } from '@dakgraph/offices';
import { composeSupergraph } from '../../src/compose';
import { createGateway, type GatewayOptions } from '../../src/server';

/**
 * The whole graph for end-to-end tests: every subgraph on a fresh database of the PostgreSQL server,
 * listening on free ports, and the gateway in front of them, composed from the subgraphs' SDL files.
 */
export interface RunningGraph {
  url: string;
  origin: string;
  /** Where each subgraph listens, for tests that go around the gateway. */
  subgraphUrls: Record<string, string>;
  db: Database;
  post(body: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

/** Secrets for tests only: the gateway and the subgraphs must share them. */
export const TEST_SECRETS = {
  identitySecret: 'graph-test-identity-secret-0123456789abcdefgh',
  jwtSecret: 'graph-test-jwt-secret-0123456789abcdefghijklmn',
};

export async function startGraph(gatewayOptions: Partial<GatewayOptions> = {}): Promise<RunningGraph> {
  const server: TestDatabase = await createTestDatabase('dakgraph_graph_test');
  const db = await openDatabase({ url: server.url });
  const servers: Server[] = [];
  const subgraphUrls: Record<string, string> = {};

  await prepareOfficesDatabase(db, { progress: false, log: () => undefined });
  const offices = await createOfficesSubgraph(db, { identitySecret: TEST_SECRETS.identitySecret });
  servers.push(offices.http);
  subgraphUrls.offices = `http://127.0.0.1:${await listen(offices.http, 0, '127.0.0.1')}/graphql`;

  const { supergraphSdl } = composeSupergraph();
  const gateway = await createGateway({ supergraphSdl, subgraphUrls, secrets: TEST_SECRETS, ...gatewayOptions });
  const port = await listen(gateway.http, 0, '127.0.0.1');
  const origin = `http://127.0.0.1:${port}`;
  const url = `${origin}/graphql`;

  return {
    url,
    origin,
    subgraphUrls,
    db,
    async post(body, headers = {}) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // leave as text; the test will say what came back
      }
      return { status: response.status, body: parsed };
    },
    async stop() {
      await close(gateway.http);
      await gateway.apollo.stop();
      await Promise.all(servers.map((s) => close(s)));
      await offices.prisma.$disconnect();
      await db.close();
      await server.drop();
    },
  };
}
