#!/usr/bin/env node
// Stock @apollo/gateway as a team would run it, for bench/gateways.mjs: Apollo Server's standalone HTTP
// server with default settings on the same supergraph as dakgraph's gateway. The one addition is what every
// dakgraph subgraph requires of a caller: the signed identity header, here always the public viewer's,
// made per request exactly as dakgraph's gateway makes it.
//   PORT=4301 SUPERGRAPH_PATH=... IDENTITY_SECRET=... node bench/peers/stock-gateway.mjs
import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { IDENTITY_HEADER, PUBLIC_VIEWER, signIdentity } from '@dakgraph/auth';

const secret = process.env.IDENTITY_SECRET;
if (!secret) throw new Error('IDENTITY_SECRET must be the subgraphs\' identity secret');

class PublicViewerDataSource extends RemoteGraphQLDataSource {
  willSendRequest({ request }) {
    request.http?.headers.set(IDENTITY_HEADER, signIdentity(PUBLIC_VIEWER, secret));
  }
}

const gateway = new ApolloGateway({
  supergraphSdl: readFileSync(process.env.SUPERGRAPH_PATH, 'utf8'),
  buildService: ({ url }) => new PublicViewerDataSource({ url }),
});
const server = new ApolloServer({ gateway });
const { url } = await startStandaloneServer(server, { listen: { port: Number(process.env.PORT ?? 4301), host: '127.0.0.1' } });
console.log(`stock @apollo/gateway ready at ${url}`);
