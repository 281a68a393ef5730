import { LargePaiseScalar, connectionResolvers } from '@dakgraph/graphql-kit';
import type { Resolvers } from '../__generated__/resolvers-types';
import type { OperationsRowResult } from '../services/report';
import { Office } from './Office';
import { OperationsDay } from './OperationsDay';
import { OperationsRow } from './OperationsRow';
import { Query } from './Query';

export const resolvers: Resolvers = {
  LargePaise: LargePaiseScalar,
  Query,
  Office,
  OperationsRow,
  OperationsDay,
  // No field returns the interface itself; graphql-js still wants to know how to tell its types apart.
  OperationsFigures: { __resolveType: (parent) => ('date' in parent ? 'OperationsDay' : 'OperationsRow') },
  OperationsReportConnection: connectionResolvers<OperationsRowResult>(),
};
