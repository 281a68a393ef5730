import type { CreatedApiKeyResolvers } from '../__generated__/resolvers-types';

export const CreatedApiKey: CreatedApiKeyResolvers = {
  // Null on an idempotent replay: the clear key existed only in the first answer.
  apiKey: (created) => created.apiKey,
  key: (created) => created.key,
};
