import type { OperationsRowResolvers } from '../__generated__/resolvers-types';
import { reference } from '../services/references';
import { figureResolvers } from './figures';

export const OperationsRow: OperationsRowResolvers = {
  ...figureResolvers,
  office: (row) => (row.level === 'OFFICE' && row.groupId ? { id: row.groupId } : null),
  division: (row) => reference(row.divisionId),
  region: (row) => reference(row.regionId),
  circle: (row) => reference(row.circleId),
};
