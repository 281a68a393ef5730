import type { CircleResolvers } from '../__generated__/resolvers-types';
import { officesOf } from '../services/directory';

export const Circle: CircleResolvers = {
  regions: (circle, _, ctx) => ctx.loaders.regionsByCircle.load(circle.id),
  offices: (circle, args, ctx) => officesOf(ctx, 'circle', circle.id, circle.officeCount, args),
};
