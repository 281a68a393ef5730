import type { RemittanceAccountResolvers } from '../__generated__/resolvers-types';

export const RemittanceAccount: RemittanceAccountResolvers = {
  holder: (partner) => partner.remittanceAccountHolder,
  // The full number is needed only to pay remittances, never to show.
  accountNumberLast4: (partner) => partner.remittanceAccountNumber.slice(-4),
  ifsc: (partner) => partner.remittanceIfsc,
};
