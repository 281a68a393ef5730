import type { ApiKeyResolvers } from '../__generated__/resolvers-types';

// Reached only through Partner.apiKeys (guarded) and the key mutations (checked), so no guard here.
export const ApiKey: ApiKeyResolvers = {
  createdAt: (key) => key.createdAt.toISOString(),
  lastUsedAt: (key) => key.lastUsedAt?.toISOString() ?? null,
  revokedAt: (key) => key.revokedAt?.toISOString() ?? null,
};
