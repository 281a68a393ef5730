import { deliveryVisibility } from '../access';
import type { DeliveryResolvers } from '../__generated__/resolvers-types';
import type { ArticlesContext } from '../context';
import { needsDeliveryOtp } from '../domain';
import { servicesOf, type StoredCharges } from '../services/charges';
import { otpLocked, type DeliveryView } from '../services/deliveryViews';

const visible = (delivery: DeliveryView, ctx: ArticlesContext) => deliveryVisibility(ctx.viewer, delivery.article);

export const Delivery: DeliveryResolvers = {
  postmanId: (delivery, _, ctx) => (visible(delivery, ctx).postman ? delivery.postmanId : null),
  date: (delivery) => delivery.deliveryDate,
  attempt: (delivery) => delivery.attempt ?? 0,
  failedAttempts: (delivery) => delivery.failedAttempts,
  // From the booking, not the assignment: an article delivered at the counter has no assignment.
  otpRequired: ({ article }) => needsDeliveryOtp({ codAmountPaise: article.codAmountPaise, services: servicesOf(article.charges as unknown as StoredCharges) }),
  otpLocked: (delivery) => otpLocked(delivery),
  proofKind: (delivery) => delivery.proofKind,
  deliveredAt: (delivery) => delivery.deliveredAt?.toISOString() ?? null,
  deliveredTo: (delivery, _, ctx) => (visible(delivery, ctx).receipt ? delivery.receivedBy : null),
  codCollected: (delivery, _, ctx) =>
    visible(delivery, ctx).receipt && delivery.codCollectedPaise !== null && delivery.codMode !== null
      ? { amountPaise: delivery.codCollectedPaise, mode: delivery.codMode }
      : null,
};
