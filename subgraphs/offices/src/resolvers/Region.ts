import { slugify } from '@dakgraph/directory';
import type { RegionResolvers } from '../__generated__/resolvers-types';
import { officesOf } from '../services/directory';
import { required } from './shared';

export const Region: RegionResolvers = {
  // An entity: other subgraphs (analytics' report rows) name it by id and the gateway asks here for the rest.
  __resolveReference: (reference, ctx) => ctx.loaders.regionById.load(slugify(reference.id)),
  circle: async (region, _, ctx) => required(await ctx.loaders.circleById.load(region.circleId), 'circle', region.circleId),
  divisions: (region, _, ctx) => ctx.loaders.divisionsByRegion.load(region.id),
  offices: (region, args, ctx) => officesOf(ctx, 'region', region.id, region.officeCount, args),
};
