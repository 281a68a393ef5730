import type { PartnerContractResolvers } from '../__generated__/resolvers-types';

// The parent is the partner row; Partner.contract is guarded, so these need no guard.
export const PartnerContract: PartnerContractResolvers = {
  discountBasisPoints: (partner) => partner.discountBasisPoints,
  codAllowed: (partner) => partner.codAllowed,
  remittanceAccount: (partner) => partner,
};
