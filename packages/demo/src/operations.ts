import type { AliasedField } from './graphClient';

/**
 * Every operation the demo sends, in one place. Selections ask for what the next step needs and no more:
 * the gateway prices a request by what it selects (a 1,000-article booking that asked for each article's
 * events would cost 20 times as much), and the answers stay small.
 */

/** A mutation taking `input` and an idempotency key, as most of the demo's do, for runAliased. */
const inputMutation = (operation: string, field: string, inputType: string, selection: string): AliasedField => ({
  operation,
  field,
  variables: { input: inputType, key: 'String!' },
  args: 'input: $input, idempotencyKey: $key',
  selection,
});

export const LOGIN = `mutation DemoLogin($email: String!, $password: String!) {
  login(email: $email, password: $password) { token viewer { kind role staff { id } } }
}`;

export const CREATE_STAFF = inputMutation('DemoCreateStaff', 'createStaffUser', 'CreateStaffUserInput!', '{ id }');

export const CREATE_PARTNER = inputMutation('DemoCreatePartner', 'createPartner', 'CreatePartnerInput!', '{ id name }');

export const CREATE_API_KEY: AliasedField = {
  operation: 'DemoCreateApiKey',
  field: 'createApiKey',
  variables: { partnerId: 'ID!', label: 'String!', key: 'String!' },
  args: 'partnerId: $partnerId, label: $label, idempotencyKey: $key',
  selection: '{ apiKey key { id prefix } }',
};

export const REVOKE_API_KEY = `mutation DemoRevokeApiKey($id: ID!) { revokeApiKey(id: $id) { id } }`;

export const BOOK_BULK = `mutation DemoBookPartnerBatch($items: [BookingItemInput!]!, $key: String!) {
  bookArticles(items: $items, idempotencyKey: $key) { count replayed articles { articleNumber bookingOffice { id } } }
}`;

export const BOOK_AT_COUNTER = inputMutation('DemoBookAtCounter', 'bookArticle', 'BookingInput!', '{ replayed article { articleNumber status bookingOffice { id } } }');

export const CREATE_PAYMENT = inputMutation('DemoCreatePayment', 'createPayment', 'CreatePaymentInput!', '{ id reference amountPaise status method }');

export const TRACK = `query DemoTrack($numbers: [String!]!) { trackArticles(articleNumbers: $numbers) { articleNumber status } }`;

export const RECORD_EVENTS = `mutation DemoMoveMail($events: [TrackingEventInput!]!, $key: String!) {
  recordTrackingEvents(events: $events, idempotencyKey: $key) { replayed }
}`;

export const ASSIGN = `mutation DemoAssignBeat($input: AssignForDeliveryInput!, $key: String!) {
  assignForDelivery(input: $input, idempotencyKey: $key) { replayed articles { articleNumber status } }
}`;

/** The same, with each article's events: an offline handheld's events must be later than the article went out. */
export const ASSIGN_WITH_EVENTS = `mutation DemoAssignBeatForHandheld($input: AssignForDeliveryInput!, $key: String!) {
  assignForDelivery(input: $input, idempotencyKey: $key) { replayed articles { articleNumber status events { type occurredAt } } }
}`;

export const DELIVER = inputMutation('DemoDeliver', 'deliverArticle', 'DeliverArticleInput!', '{ replayed article { articleNumber status } }');

export const DELIVER_WITHOUT_OTP = inputMutation('DemoApproveDelivery', 'deliverWithoutOtp', 'DeliverWithoutOtpInput!', '{ replayed article { articleNumber status } }');

export const ATTEMPT = inputMutation('DemoAttempt', 'recordDeliveryAttempt', 'DeliveryAttemptInput!', '{ replayed returnedToSender article { articleNumber status } }');

export const REGISTER_DEVICE = `mutation DemoRegisterHandheld($label: String!, $key: String!) {
  registerDeliveryDevice(label: $label, idempotencyKey: $key) { device { id } }
}`;

export const SYNC = `mutation DemoSyncHandheld($deviceId: ID!, $events: [DeliverySyncEventInput!]!) {
  syncDeliveryEvents(deviceId: $deviceId, events: $events) {
    applied duplicates rejected results { clientEventId outcome standing code message }
  }
}`;

export const PARTNER_COD = `query DemoPartnerCod($id: ID!) {
  partner(id: $id) { codBalance { collectedPaise } remittances(first: 5) { nodes { id status grossPaise createdAt } } }
}`;

export const CREATE_REMITTANCE = `mutation DemoCreateRemittance($partnerId: ID!, $periodEnd: String!, $key: String!) {
  createRemittance(partnerId: $partnerId, periodEnd: $periodEnd, idempotencyKey: $key) { id status grossPaise }
}`;

export const MARK_REMITTANCE_PAID = `mutation DemoMarkRemittancePaid($id: ID!, $utr: String!, $key: String!) {
  markRemittancePaid(remittanceId: $id, bankReference: $utr, idempotencyKey: $key) { id status grossPaise }
}`;
