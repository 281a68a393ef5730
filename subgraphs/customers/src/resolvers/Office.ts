import { refuse } from '@dakgraph/graphql-kit';
import type { OfficeResolvers } from '../__generated__/resolvers-types';
import { canSeeOfficeStaff } from '../access';
import { refusal, mayRead } from '../services/authorize';

export const Office: OfficeResolvers = {
  // The offices subgraph owns offices; the division comes from this subgraph's copy of the directory.
  __resolveReference: (reference, ctx) => ctx.loaders.officeRefById.load(reference.id),
  staff: (office, _, ctx) => {
    if (!mayRead(ctx, (viewer) => canSeeOfficeStaff(viewer, office))) {
      refuse(refusal(ctx.viewer, "An office's staff list", 'it is visible to admins, supervisors of its division and its own staff'));
    }
    return ctx.loaders.activeStaffByOffice.load(office.id);
  },
};
