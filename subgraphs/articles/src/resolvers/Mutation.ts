import type { MutationResolvers } from '../__generated__/resolvers-types';
import { bookAtCounter, bookInBulk } from '../services/booking';
import { assignForDelivery, deliverArticle, deliverWithoutOtp, recordDeliveryAttempt, reissueDeliveryOtp } from '../services/delivery';
import { registerDeliveryDevice, syncDeliveryEvents } from '../services/deliverySync';
import { resendDeliveryOtp } from '../services/otpNotices';
import { recordEvents } from '../services/tracking';

export const Mutation: MutationResolvers = {
  bookArticle: (_, { input, idempotencyKey }, ctx) => bookAtCounter(ctx, input, idempotencyKey),
  bookArticles: (_, { items, idempotencyKey }, ctx) => bookInBulk(ctx, items, idempotencyKey),
  recordTrackingEvents: (_, { events, idempotencyKey }, ctx) => recordEvents(ctx, events, idempotencyKey),
  assignForDelivery: (_, { input, idempotencyKey }, ctx) => assignForDelivery(ctx, input, idempotencyKey),
  deliverArticle: (_, { input, idempotencyKey }, ctx) => deliverArticle(ctx, input, idempotencyKey),
  deliverWithoutOtp: (_, { input, idempotencyKey }, ctx) => deliverWithoutOtp(ctx, input, idempotencyKey),
  recordDeliveryAttempt: (_, { input, idempotencyKey }, ctx) => recordDeliveryAttempt(ctx, input, idempotencyKey),
  reissueDeliveryOtp: (_, { articleNumber, idempotencyKey }, ctx) => reissueDeliveryOtp(ctx, articleNumber, idempotencyKey),
  resendDeliveryOtp: (_, { articleNumber, idempotencyKey }, ctx) => resendDeliveryOtp(ctx, articleNumber, idempotencyKey),
  registerDeliveryDevice: (_, { label, idempotencyKey }, ctx) => registerDeliveryDevice(ctx, label, idempotencyKey),
  syncDeliveryEvents: (_, { deviceId, events }, ctx) => syncDeliveryEvents(ctx, deviceId, events),
};
