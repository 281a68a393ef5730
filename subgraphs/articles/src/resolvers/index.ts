import type { Resolvers } from '../__generated__/resolvers-types';
import { Article } from './Article';
import { ArticleConnection } from './ArticleConnection';
import { Customer } from './Customer';
import { Delivery } from './Delivery';
import { Mutation } from './Mutation';
import { Office } from './Office';
import { Party } from './Party';
import { Query } from './Query';
import { RecordTrackingEventsResult } from './RecordTrackingEventsResult';
import { TrackingEvent } from './TrackingEvent';

export const resolvers: Resolvers = {
  Query,
  Mutation,
  Article,
  TrackingEvent,
  Party,
  Office,
  Customer,
  ArticleConnection,
  RecordTrackingEventsResult,
  Delivery,
};
