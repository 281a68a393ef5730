import { LargePaiseScalar, connectionResolvers } from '@dakgraph/graphql-kit';
import type { Resolvers } from '../__generated__/resolvers-types';
import type { CodCollectionRow, RemittanceRow } from '../db';
import { Article, CodSettlement } from './Article';
import { Mutation } from './Mutation';
import { Partner, Remittance, RemittanceItem } from './Partner';
import { Payment, PaymentRequest, UpiPaymentRequest } from './Payment';
import { Query } from './Query';
import { ReconciliationItem } from './Reconciliation';

export const resolvers: Resolvers = {
  LargePaise: LargePaiseScalar,
  Query,
  Mutation,
  Payment,
  PaymentRequest,
  UpiPaymentRequest,
  Article,
  CodSettlement,
  Partner,
  Remittance,
  RemittanceItem,
  RemittanceConnection: connectionResolvers<RemittanceRow>(),
  RemittanceItemConnection: connectionResolvers<CodCollectionRow>(),
  ReconciliationItem,
};
