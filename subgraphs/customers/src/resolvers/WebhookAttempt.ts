import type { WebhookAttemptResolvers } from '../__generated__/resolvers-types';

export const WebhookAttempt: WebhookAttemptResolvers = {
  at: (attempt) => attempt.at.toISOString(),
};
