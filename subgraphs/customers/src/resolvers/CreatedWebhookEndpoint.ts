import type { CreatedWebhookEndpointResolvers } from '../__generated__/resolvers-types';

export const CreatedWebhookEndpoint: CreatedWebhookEndpointResolvers = {
  endpoint: (created) => created.endpoint,
  // Null on an idempotent replay: the clear secret existed only in the first answer.
  secret: (created) => created.secret,
};
