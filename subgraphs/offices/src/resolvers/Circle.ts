import { slugify } from '@dakgraph/directory';
import type { CircleResolvers } from '../__generated__/resolvers-types';
import { officesOf } from '../services/directory';

export const Circle: CircleResolvers = {
  // An entity: other subgraphs (analytics' report rows) name it by id and the gateway asks here for the rest.
  __resolveReference: (reference, ctx) => ctx.loaders.circleById.load(slugify(reference.id)),
  regions: (circle, _, ctx) => ctx.loaders.regionsByCircle.load(circle.id),
  offices: (circle, args, ctx) => officesOf(ctx, 'circle', circle.id, circle.officeCount, args),
};
