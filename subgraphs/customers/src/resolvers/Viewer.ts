import type { ViewerResolvers } from '../__generated__/resolvers-types';

// The records behind a viewer are its own, which the access rules always let it read.
export const Viewer: ViewerResolvers = {
  kind: (viewer) => viewer.kind,
  role: (viewer) => viewer.role,
  staff: (viewer, _, ctx) => (viewer.kind === 'STAFF' && viewer.id ? ctx.loaders.staffById.load(viewer.id) : null),
  customer: (viewer, _, ctx) =>
    viewer.kind === 'CUSTOMER' && viewer.customerId ? ctx.loaders.customerById.load(viewer.customerId) : null,
  partner: (viewer, _, ctx) =>
    viewer.kind === 'PARTNER' && viewer.partnerId ? ctx.loaders.partnerById.load(viewer.partnerId) : null,
};
