import type { MutationResolvers } from '../__generated__/resolvers-types';
import { bookAtCounter, bookInBulk } from '../services/booking';
import { recordEvents } from '../services/tracking';

export const Mutation: MutationResolvers = {
  bookArticle: (_, { input, idempotencyKey }, ctx) => bookAtCounter(ctx, input, idempotencyKey),
  bookArticles: (_, { items, idempotencyKey }, ctx) => bookInBulk(ctx, items, idempotencyKey),
  recordTrackingEvents: (_, { events, idempotencyKey }, ctx) => recordEvents(ctx, events, idempotencyKey),
};
