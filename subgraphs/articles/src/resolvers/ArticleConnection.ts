import { connectionResolvers } from '@dakgraph/graphql-kit';
import type { ArticleConnectionResolvers } from '../__generated__/resolvers-types';
import type { ArticleRow } from '../db';

export const ArticleConnection: ArticleConnectionResolvers = connectionResolvers<ArticleRow>();
