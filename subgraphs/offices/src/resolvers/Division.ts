import type { DivisionResolvers } from '../__generated__/resolvers-types';
import { officesOf } from '../services/directory';
import { required } from './shared';

export const Division: DivisionResolvers = {
  // An entity: other subgraphs (analytics' report rows) name it by id and the gateway asks here for the rest.
  __resolveReference: (reference, ctx) => ctx.loaders.divisionById.load(reference.id.trim().toLowerCase()),
  region: async (division, _, ctx) =>
    required(await ctx.loaders.regionById.load(division.regionId), 'region', division.regionId),
  circle: async (division, _, ctx) =>
    required(await ctx.loaders.circleById.load(division.circleId), 'circle', division.circleId),
  offices: (division, args, ctx) => officesOf(ctx, 'division', division.id, division.officeCount, args),
};
