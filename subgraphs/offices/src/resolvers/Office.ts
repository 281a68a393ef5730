import type { OfficeResolvers } from '../__generated__/resolvers-types';
import type { OfficeRow } from '../db';
import { locationOf, required } from './shared';

export const Office: OfficeResolvers = {
  // The gateway resolves references in batches; the loader turns them into one query.
  __resolveReference: (reference, ctx) => ctx.loaders.officeById.load(reference.id),
  circle: async (office, _, ctx) => required(await ctx.loaders.circleById.load(office.circleId), 'circle', office.circleId),
  region: async (office, _, ctx) => required(await ctx.loaders.regionById.load(office.regionId), 'region', office.regionId),
  division: async (office, _, ctx) =>
    required(await ctx.loaders.divisionById.load(office.divisionId), 'division', office.divisionId),
  location: (office: OfficeRow) => locationOf(office),
  digipin: (office) => office.digipin?.trim() ?? null,
};
