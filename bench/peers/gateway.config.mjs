// Hive Gateway's configuration for bench/gateways.mjs (the CLI reads gateway.config.* from its working
// directory): its defaults, plus the signed identity header every dakgraph subgraph requires, here the
// public viewer's, made per subgraph request as dakgraph's gateway makes it.
import { defineConfig } from '@graphql-hive/gateway';
import { IDENTITY_HEADER, PUBLIC_VIEWER, signIdentity } from '@dakgraph/auth';

const secret = process.env.IDENTITY_SECRET;
if (!secret) throw new Error("IDENTITY_SECRET must be the subgraphs' identity secret");

export const gatewayConfig = defineConfig({
  propagateHeaders: {
    fromClientToSubgraphs: () => ({ [IDENTITY_HEADER]: signIdentity(PUBLIC_VIEWER, secret) }),
  },
});
