import type { CustomerConnectionResolvers } from '../__generated__/resolvers-types';
import type { CustomerRow } from '../db';
import { connectionResolvers } from '@dakgraph/graphql-kit';

export const CustomerConnection: CustomerConnectionResolvers = connectionResolvers<CustomerRow>();
