import type { WebhookDeliveryResolvers } from '../__generated__/resolvers-types';

// Reached only through a readable endpoint's deliveries and the partner's own mutations.
export const WebhookDelivery: WebhookDeliveryResolvers = {
  nextAttemptAt: (delivery) => delivery.nextAttemptAt?.toISOString() ?? null,
  createdAt: (delivery) => delivery.createdAt.toISOString(),
  attempts: (delivery, _, ctx) => ctx.loaders.webhookAttemptsByDelivery.load(delivery.id),
};
