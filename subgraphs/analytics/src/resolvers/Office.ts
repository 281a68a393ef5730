import { enforce } from '@dakgraph/graphql-kit';
import type { OfficeResolvers } from '../__generated__/resolvers-types';
import { canReadOfficeOperations } from '../access';
import { checkDayRange } from '../domain';

export const Office: OfficeResolvers = {
  operations: async (office, { from, to }, ctx) => {
    const range = checkDayRange(from, to);
    const row = await ctx.loaders.officeOperations.load({ range, officeId: office.id });
    enforce(canReadOfficeOperations(ctx.viewer, row.divisionId));
    return row;
  },
};
