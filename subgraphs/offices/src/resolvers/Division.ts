import type { DivisionResolvers } from '../__generated__/resolvers-types';
import { officesOf } from '../services/directory';
import { required } from './shared';

export const Division: DivisionResolvers = {
  region: async (division, _, ctx) =>
    required(await ctx.loaders.regionById.load(division.regionId), 'region', division.regionId),
  circle: async (division, _, ctx) =>
    required(await ctx.loaders.circleById.load(division.circleId), 'circle', division.circleId),
  offices: (division, args, ctx) => officesOf(ctx, 'division', division.id, division.officeCount, args),
};
