import { connectionResolvers } from '@dakgraph/graphql-kit';
import type { OfficeConnectionResolvers } from '../__generated__/resolvers-types';
import type { OfficeRow } from '../db';

export const OfficeConnection: OfficeConnectionResolvers = connectionResolvers<OfficeRow>();
