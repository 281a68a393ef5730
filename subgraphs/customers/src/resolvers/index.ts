import type { Resolvers } from '../__generated__/resolvers-types';
import { ApiKey } from './ApiKey';
import { CreatedApiKey } from './CreatedApiKey';
import { CreatedWebhookEndpoint } from './CreatedWebhookEndpoint';
import { Customer } from './Customer';
import { CustomerConnection } from './CustomerConnection';
import { LoginResult } from './LoginResult';
import { Mutation } from './Mutation';
import { Office } from './Office';
import { Partner } from './Partner';
import { PartnerConnection } from './PartnerConnection';
import { PartnerContract } from './PartnerContract';
import { Query } from './Query';
import { RegisteredCustomer } from './RegisteredCustomer';
import { RemittanceAccount } from './RemittanceAccount';
import { StaffUser } from './StaffUser';
import { Viewer } from './Viewer';
import { WebhookAttempt } from './WebhookAttempt';
import { WebhookDelivery } from './WebhookDelivery';
import { WebhookDeliveryConnection } from './WebhookDeliveryConnection';
import { WebhookEndpoint } from './WebhookEndpoint';

export const resolvers: Resolvers = {
  Query,
  Mutation,
  Viewer,
  Customer,
  Partner,
  PartnerContract,
  RemittanceAccount,
  ApiKey,
  CreatedApiKey,
  StaffUser,
  Office,
  LoginResult,
  RegisteredCustomer,
  CustomerConnection,
  PartnerConnection,
  WebhookEndpoint,
  WebhookDelivery,
  WebhookAttempt,
  WebhookDeliveryConnection,
  CreatedWebhookEndpoint,
};
