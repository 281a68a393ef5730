import type { QueryResolvers } from '../__generated__/resolvers-types';
import { listCustomers, readCustomer } from '../services/customers';
import { listPartners, readPartner } from '../services/partners';
import { readStaff } from '../services/staff';

export const Query: QueryResolvers = {
  viewer: (_, __, ctx) => ctx.viewer,
  customer: (_, { id }, ctx) => readCustomer(ctx, id),
  customers: (_, args, ctx) => listCustomers(ctx, args),
  partner: (_, { id }, ctx) => readPartner(ctx, id),
  partners: (_, args, ctx) => listPartners(ctx, args),
  staffUser: (_, { id }, ctx) => readStaff(ctx, id),
};
