import type { Resolvers } from '../__generated__/resolvers-types';
import { Circle } from './Circle';
import { Division } from './Division';
import { Office } from './Office';
import { OfficeConnection } from './OfficeConnection';
import { Pincode } from './Pincode';
import { Query } from './Query';
import { Region } from './Region';

export const resolvers: Resolvers = { Query, Office, Circle, Region, Division, Pincode, OfficeConnection };
