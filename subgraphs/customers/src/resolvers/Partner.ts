import type { PartnerResolvers } from '../__generated__/resolvers-types';
import { canReadPartner } from '../access';
import type { CustomersContext } from '../context';
import type { PartnerRow } from '../db';
import { mayRead } from '../services/authorize';
import { partnerCustomerPage } from '../services/customers';
import { partnerWebhookEndpoints } from '../services/webhooks';

// A partner's business record is for admins and the partner itself; to anyone else (e.g. through a
// reference from another subgraph) every field but the id answers null.
const guarded = <T>(partner: PartnerRow, ctx: CustomersContext, value: () => T): T | null =>
  mayRead(ctx, (viewer) => canReadPartner(viewer, partner.id)) ? value() : null;

export const Partner: PartnerResolvers = {
  __resolveReference: (reference, ctx) => ctx.loaders.partnerById.load(reference.id),
  name: (partner, _, ctx) => guarded(partner, ctx, () => partner.name),
  contactEmail: (partner, _, ctx) => guarded(partner, ctx, () => partner.contactEmail),
  status: (partner, _, ctx) => guarded(partner, ctx, () => partner.status),
  contract: (partner, _, ctx) => guarded(partner, ctx, () => partner),
  apiKeys: (partner, _, ctx) => guarded(partner, ctx, () => ctx.loaders.apiKeysByPartner.load(partner.id)),
  customers: (partner, args, ctx) => guarded(partner, ctx, () => partnerCustomerPage(ctx, partner.id, args)),
  createdAt: (partner, _, ctx) => guarded(partner, ctx, () => partner.createdAt.toISOString()),
  // Not nullable: FORBIDDEN rather than null for anyone but admins and the partner itself.
  webhookEndpoints: (partner, _, ctx) => partnerWebhookEndpoints(ctx, partner.id),
};
