import type { RegisteredCustomerResolvers } from '../__generated__/resolvers-types';

export const RegisteredCustomer: RegisteredCustomerResolvers = {
  customer: (result) => result.customer,
  token: (result) => result.token,
  expiresAt: (result) => result.expiresAt.toISOString(),
};
