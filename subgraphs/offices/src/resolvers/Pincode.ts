import type { PincodeResolvers } from '../__generated__/resolvers-types';
import { officesOf } from '../services/directory';
import { locationOf, required } from './shared';

export const Pincode: PincodeResolvers = {
  circle: async (pincode, _, ctx) => required(await ctx.loaders.circleById.load(pincode.circleId), 'circle', pincode.circleId),
  location: (pincode) => locationOf(pincode),
  digipin: (pincode) => pincode.digipin?.trim() ?? null,
  offices: (pincode, args, ctx) => officesOf(ctx, 'pincode', pincode.code, pincode.officeCount, args, 50),
};
