import type { QueryResolvers } from '../__generated__/resolvers-types';
import { checkPincode, findOffices, listCircles, searchOffices } from '../services/directory';
import { decodeDigipin, digipinAreaOf, pointOf } from '../services/location';
import { nearestOffices } from '../services/nearest';
import { slugify } from '@dakgraph/directory';

export const Query: QueryResolvers = {
  office: (_, { id }, ctx) => ctx.loaders.officeById.load(id),
  offices: (_, args, ctx) => findOffices(ctx, args),
  pincode: (_, { code }, ctx) => ctx.loaders.pincodeByCode.load(checkPincode(code)),
  circles: (_, __, ctx) => listCircles(ctx),
  circle: (_, { id }, ctx) => ctx.loaders.circleById.load(slugify(id)),
  region: (_, { id }, ctx) => ctx.loaders.regionById.load(slugify(id)),
  division: (_, { id }, ctx) => ctx.loaders.divisionById.load(id.trim().toLowerCase()),
  searchOffices: (_, { text, first }, ctx) => searchOffices(ctx, text, first),
  nearestOffices: (_, { near, first }, ctx) => nearestOffices(ctx, pointOf(near), first),
  encodeDigipin: (_, { latitude, longitude }) => digipinAreaOf(latitude, longitude),
  digipin: (_, { code }) => decodeDigipin(code),
};
