import type { QueryResolvers } from '../__generated__/resolvers-types';
import { operationsReport, operationsSeries } from '../services/report';

export const Query: QueryResolvers = {
  operationsReport: (_, args, ctx) => operationsReport(ctx, args),
  operationsSeries: (_, args, ctx) => operationsSeries(ctx, args),
};
