import type { OperationsDayResolvers } from '../__generated__/resolvers-types';
import { figureResolvers } from './figures';

export const OperationsDay: OperationsDayResolvers = { ...figureResolvers };
