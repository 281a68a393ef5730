import type { MutationResolvers } from '../__generated__/resolvers-types';
import { addAddress, removeAddress } from '../services/addresses';
import { createApiKey, revokeApiKey } from '../services/apiKeys';
import { createCustomer } from '../services/customers';
import { login, registerAndLogIn } from '../services/login';
import { createPartner, setPartnerStatus } from '../services/partners';
import { changePassword, resetStaffUserPassword, setStaffUserActive, signOutEverywhere } from '../services/sessions';
import { createStaffUser } from '../services/staff';
import {
  createWebhookEndpoint, deleteWebhookEndpoint, replayWebhookDelivery, rotateWebhookSecret, sendTestWebhook, updateWebhookEndpoint,
} from '../services/webhooks';

export const Mutation: MutationResolvers = {
  login: (_, { email, password }, ctx) => login(ctx, email, password),
  registerCustomer: (_, { input, idempotencyKey }, ctx) => registerAndLogIn(ctx, input, idempotencyKey),
  createCustomer: (_, { input, idempotencyKey }, ctx) => createCustomer(ctx, input, idempotencyKey),
  addAddress: (_, { customerId, input, idempotencyKey }, ctx) => addAddress(ctx, customerId, input, idempotencyKey),
  removeAddress: (_, { id }, ctx) => removeAddress(ctx, id),
  createPartner: (_, { input, idempotencyKey }, ctx) => createPartner(ctx, input, idempotencyKey),
  setPartnerStatus: (_, { id, status }, ctx) => setPartnerStatus(ctx, id, status),
  createApiKey: (_, { partnerId, label, idempotencyKey }, ctx) => createApiKey(ctx, partnerId, label, idempotencyKey),
  revokeApiKey: (_, { id }, ctx) => revokeApiKey(ctx, id),
  createStaffUser: (_, { input, idempotencyKey }, ctx) => createStaffUser(ctx, input, idempotencyKey),
  setStaffUserActive: (_, { id, active }, ctx) => setStaffUserActive(ctx, id, active),
  resetStaffUserPassword: (_, { id, newPassword }, ctx) => resetStaffUserPassword(ctx, id, newPassword),
  changePassword: (_, { currentPassword, newPassword }, ctx) => changePassword(ctx, currentPassword, newPassword),
  signOutEverywhere: (_, __, ctx) => signOutEverywhere(ctx),
  createWebhookEndpoint: (_, { input, idempotencyKey }, ctx) => createWebhookEndpoint(ctx, input, idempotencyKey),
  updateWebhookEndpoint: (_, { id, input }, ctx) => updateWebhookEndpoint(ctx, id, input),
  deleteWebhookEndpoint: (_, { id }, ctx) => deleteWebhookEndpoint(ctx, id),
  rotateWebhookSecret: (_, { id }, ctx) => rotateWebhookSecret(ctx, id),
  replayWebhookDelivery: (_, { id }, ctx) => replayWebhookDelivery(ctx, id),
  sendTestWebhook: (_, { endpointId }, ctx) => sendTestWebhook(ctx, endpointId),
};
