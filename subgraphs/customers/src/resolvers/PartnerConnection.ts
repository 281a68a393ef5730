import type { PartnerConnectionResolvers } from '../__generated__/resolvers-types';
import type { PartnerRow } from '../db';
import { connectionResolvers } from './shared';

export const PartnerConnection: PartnerConnectionResolvers = connectionResolvers<PartnerRow>();
