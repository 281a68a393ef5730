import type { WebhookDeliveryConnectionResolvers } from '../__generated__/resolvers-types';
import type { WebhookDeliveryRow } from '../db';
import { connectionResolvers } from '@dakgraph/graphql-kit';

export const WebhookDeliveryConnection: WebhookDeliveryConnectionResolvers = connectionResolvers<WebhookDeliveryRow>();
