import type { PartyResolvers } from '../__generated__/resolvers-types';

export const Party: PartyResolvers = {
  customer: (party) => (party.customerId ? { id: party.customerId } : null),
};
