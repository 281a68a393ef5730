import type { WebhookEndpointResolvers } from '../__generated__/resolvers-types';
import { endpointDeliveryPage } from '../services/webhooks';

// Reached only through Partner.webhookEndpoints (guarded) and the webhook mutations (checked), so no guard
// here. The secret columns have no field: they never leave the service.
export const WebhookEndpoint: WebhookEndpointResolvers = {
  eventTypes: (endpoint) => endpoint.eventTypes ?? [],
  createdAt: (endpoint) => endpoint.createdAt.toISOString(),
  deliveries: (endpoint, args, ctx) => endpointDeliveryPage(ctx, endpoint.id, args),
};
