import type { PartnerConnectionResolvers } from '../__generated__/resolvers-types';
import type { PartnerRow } from '../db';
import { connectionResolvers } from '@dakgraph/graphql-kit';

export const PartnerConnection: PartnerConnectionResolvers = connectionResolvers<PartnerRow>();
