import { allFieldsHandled, apiError, badInput, conflict, keysetPage, notFound, refuse, type ConnectionResult } from '@dakgraph/graphql-kit';
import type { CreateWebhookEndpointInput, UpdateWebhookEndpointInput, WebhookEndpointDeliveriesArgs } from '../__generated__/resolvers-types';
import { canManageWebhooks, canReadWebhooks } from '../access';
import type { CreatedId, CustomersContext } from '../context';
import type { Prisma, WebhookDeliveryRow, WebhookEndpointRow } from '../db';
import { refusal } from './authorize';
import { newId, newUuidV7 } from './ids';
import { encryptSecret, generateSigningSecret } from './webhookSecrets';
import { MAX_ENDPOINTS_PER_PARTNER, TEST_EVENT_TYPE, WEBHOOK_EVENT_TYPES, isWebhookEventType, type WebhookBody } from './webhookEvents';
import { checkWebhookTarget, parseWebhookUrl } from './webhookTargets';
import * as check from './validation';

/** What createWebhookEndpoint and rotateWebhookSecret answer: the clear secret only to the request that made it. */
export interface CreatedWebhookEndpointOutcome {
  endpoint: WebhookEndpointRow;
  secret: string | null;
}

/** How long the secret before a rotation keeps signing beside the new one. */
export const PREVIOUS_SECRET_VALID_MS = 24 * 3600 * 1000;

const WEBHOOK_RULE = "a partner's webhook endpoints are managed by the partner itself (with its API key) and read by admins";
const CURSOR_KIND = 'webhook-delivery';

/** The calling partner, when it may manage webhooks at all; FORBIDDEN for everyone else (admins included). */
function managingPartner(ctx: CustomersContext, what: string): string {
  const partnerId = ctx.viewer.kind === 'PARTNER' ? ctx.viewer.partnerId : null;
  if (partnerId === null || !canManageWebhooks(ctx.viewer, partnerId)) refuse(refusal(ctx.viewer, what, WEBHOOK_RULE));
  return partnerId;
}

// Another partner's endpoint or delivery answers like an unknown one, so ids cannot be probed.
const unknownEndpoint = (id: string) => notFound(`You have no webhook endpoint with id "${id.slice(0, 64)}"`);
const unknownDelivery = (id: string) => notFound(`You have no webhook delivery with id "${id.slice(0, 64)}"`);

/** One of the calling partner's endpoints, or NOT_FOUND. */
async function ownEndpoint(ctx: CustomersContext, partnerId: string, id: string): Promise<WebhookEndpointRow> {
  const endpoint = await ctx.loaders.webhookEndpointById.load(id);
  if (!endpoint || endpoint.partnerId !== partnerId) throw unknownEndpoint(id);
  return endpoint;
}

/** The encryption key, or SERVICE_UNAVAILABLE when this deployment was started without WEBHOOK_SECRET_KEY. */
function secretKeyOf(ctx: CustomersContext): Buffer {
  if (ctx.webhooks.secretKey === null) {
    throw apiError('SERVICE_UNAVAILABLE', 'Webhook endpoints cannot be created on this deployment yet (it has no WEBHOOK_SECRET_KEY); retry later', { service: 'customers' });
  }
  return ctx.webhooks.secretKey;
}

/** The URL rules that need no DNS, normalised (the form the idempotency fingerprint and the row keep). */
function urlOf(ctx: CustomersContext, url: string, field: string): string {
  const parsed = parseWebhookUrl(url, ctx.webhooks.production);
  if (!parsed.ok) throw badInput(`${field} ${parsed.reason}`, field);
  return parsed.url.href;
}

/** The whole target check, DNS included (BAD_USER_INPUT on `field`). */
async function requireTarget(ctx: CustomersContext, url: string, field: string): Promise<void> {
  const checked = await checkWebhookTarget(url, { production: ctx.webhooks.production, resolve: ctx.webhooks.resolve });
  if (!checked.ok) throw badInput(`${field} ${checked.reason}`, field);
}

/** Known event types, without repeats, in the order of WEBHOOK_EVENT_TYPES; empty means all. */
function eventTypesOf(eventTypes: readonly string[], field: string): string[] {
  eventTypes.forEach((type, index) => {
    if (!isWebhookEventType(type)) {
      throw badInput(`${field}[${index}] is not an event type; use one of ${WEBHOOK_EVENT_TYPES.join(', ')} (or none, for all)`, `${field}[${index}]`);
    }
  });
  return WEBHOOK_EVENT_TYPES.filter((type) => eventTypes.includes(type));
}

/** A field that may be left out but not set to null (null would not say what to change it to). */
function present<T>(value: T | null, field: string): T {
  if (value === null) throw badInput(`${field} cannot be null; leave it out to keep it as it is`, field);
  return value;
}

/** `Partner.webhookEndpoints`: the partner itself and admins; FORBIDDEN for anyone else. */
export function partnerWebhookEndpoints(ctx: CustomersContext, partnerId: string): Promise<WebhookEndpointRow[]> {
  if (!canReadWebhooks(ctx.viewer, partnerId)) refuse(refusal(ctx.viewer, "This partner's webhook endpoints", WEBHOOK_RULE));
  return ctx.loaders.webhookEndpointsByPartner.load(partnerId);
}

/** `WebhookEndpoint.deliveries`: the delivery log, newest first (reached only through a readable endpoint). */
export function endpointDeliveryPage(ctx: CustomersContext, endpointId: string, args: WebhookEndpointDeliveriesArgs): Promise<ConnectionResult<WebhookDeliveryRow>> {
  return keysetPage(args, {
    cursorKind: CURSOR_KIND,
    keyOf: (delivery) => delivery.id,
    fetch: (beforeId, limit) => ctx.loaders.webhookDeliveryPagesByEndpoint.load({ endpointId, limit, beforeId }),
    prime: (delivery) => ctx.loaders.webhookDeliveryById.prime(delivery.id, delivery),
    count: () => ctx.loaders.webhookDeliveryCountByEndpoint.load(endpointId),
  });
}

/** `Mutation.createWebhookEndpoint`: the calling partner's, at most MAX_ENDPOINTS_PER_PARTNER. */
export async function createWebhookEndpoint(ctx: CustomersContext, input: CreateWebhookEndpointInput, key: string): Promise<CreatedWebhookEndpointOutcome> {
  const partnerId = managingPartner(ctx, 'Registering webhook endpoints');
  const { url, eventTypes, description, ...unhandled } = input;
  allFieldsHandled(unhandled);
  const data = {
    url: urlOf(ctx, url, 'input.url'),
    eventTypes: eventTypesOf(eventTypes ?? [], 'input.eventTypes'),
    description: check.optionalText(description, 'input.description', 200),
  };
  const claim = ctx.idempotency.claim(ctx.viewer, key, 'createWebhookEndpoint', data);
  // After every input check, so a bad request is told what is wrong with it on any deployment.
  const secretKey = secretKeyOf(ctx);
  // The clear secret exists only in this request's memory: a replay cannot show it again.
  let secret: string | null = null;
  return ctx.idempotency.run(claim, {
    // DNS, before the transaction and not at all for a replay.
    prepare: () => requireTarget(ctx, data.url, 'input.url'),
    write: async (tx): Promise<CreatedId> => {
      // The partner's row is locked so that two registrations at once cannot both be the tenth.
      await tx.$queryRaw`SELECT id FROM customers.partner WHERE id = ${partnerId} FOR UPDATE`;
      if ((await tx.webhookEndpoint.count({ where: { partnerId } })) >= MAX_ENDPOINTS_PER_PARTNER) {
        throw conflict(`A partner has at most ${MAX_ENDPOINTS_PER_PARTNER} webhook endpoints; delete one first, or subscribe one to more event types`);
      }
      const id = newId('whe');
      const generated = generateSigningSecret();
      await tx.webhookEndpoint.create({ data: { id, partnerId, ...data, secretCiphertext: encryptSecret(secretKey, generated, id) }, select: { id: true } });
      secret = generated;
      return { id };
    },
    answer: async ({ id }, replayed) => {
      ctx.loaders.webhookEndpointsByPartner.clear(partnerId);
      const endpoint = await ctx.loaders.webhookEndpointById.load(id);
      if (!endpoint) throw notFound(`The webhook endpoint this idempotency key created (${id}) has since been deleted`);
      return { endpoint, secret: replayed ? null : secret };
    },
  });
}

/** `Mutation.updateWebhookEndpoint`: fields left out stay; enabling clears what dakgraph's disabling set. */
export async function updateWebhookEndpoint(ctx: CustomersContext, id: string, input: UpdateWebhookEndpointInput): Promise<WebhookEndpointRow> {
  const partnerId = managingPartner(ctx, 'Changing webhook endpoints');
  const { url, eventTypes, description, enabled, ...unhandled } = input;
  allFieldsHandled(unhandled);
  const data: Prisma.WebhookEndpointUpdateManyMutationInput = { updatedAt: new Date() };
  if (url !== undefined) data.url = urlOf(ctx, present(url, 'input.url'), 'input.url');
  if (eventTypes !== undefined) data.eventTypes = eventTypesOf(present(eventTypes, 'input.eventTypes'), 'input.eventTypes');
  if (description !== undefined) data.description = check.optionalText(description, 'input.description', 200);
  if (enabled !== undefined) {
    data.enabled = present(enabled, 'input.enabled');
    // The reason is dakgraph's (five days of failures); whoever switches it by hand makes it moot, and an
    // endpoint enabled again gets a fresh five days.
    data.disabledReason = null;
    data.failingSince = null;
  }
  await ownEndpoint(ctx, partnerId, id);
  if (typeof data.url === 'string') await requireTarget(ctx, data.url, 'input.url');
  const updated = await ctx.prisma.webhookEndpoint.updateMany({ where: { id, partnerId }, data });
  if (updated.count === 0) throw unknownEndpoint(id);
  return reloaded(ctx, id, partnerId);
}

async function reloaded(ctx: CustomersContext, id: string, partnerId: string): Promise<WebhookEndpointRow> {
  ctx.loaders.webhookEndpointById.clear(id);
  ctx.loaders.webhookEndpointsByPartner.clear(partnerId);
  const endpoint = await ctx.loaders.webhookEndpointById.load(id);
  if (!endpoint) throw unknownEndpoint(id);
  return endpoint;
}

/** `Mutation.deleteWebhookEndpoint`: its deliveries and attempts go with it (ON DELETE CASCADE). */
export async function deleteWebhookEndpoint(ctx: CustomersContext, id: string): Promise<string> {
  const partnerId = managingPartner(ctx, 'Deleting webhook endpoints');
  await ownEndpoint(ctx, partnerId, id);
  const deleted = await ctx.prisma.webhookEndpoint.deleteMany({ where: { id, partnerId } });
  if (deleted.count === 0) throw unknownEndpoint(id);
  ctx.loaders.webhookEndpointById.clear(id);
  ctx.loaders.webhookEndpointsByPartner.clear(partnerId);
  return id;
}

/** `Mutation.rotateWebhookSecret`: a new secret; the current one signs beside it for 24 hours. */
export async function rotateWebhookSecret(ctx: CustomersContext, id: string): Promise<CreatedWebhookEndpointOutcome> {
  const partnerId = managingPartner(ctx, 'Rotating webhook secrets');
  const endpoint = await ownEndpoint(ctx, partnerId, id);
  const secretKey = secretKeyOf(ctx);
  const secret = generateSigningSecret();
  const now = new Date();
  // The current ciphertext moves over as it is (same key, same endpoint id); conditional on it, so two
  // rotations at once cannot both demote the same secret and lose the other's new one.
  const rotated = await ctx.prisma.webhookEndpoint.updateMany({
    where: { id, partnerId, secretCiphertext: endpoint.secretCiphertext },
    data: {
      secretCiphertext: encryptSecret(secretKey, secret, id),
      previousSecretCiphertext: endpoint.secretCiphertext,
      previousSecretExpiresAt: new Date(now.getTime() + PREVIOUS_SECRET_VALID_MS),
      updatedAt: now,
    },
  });
  if (rotated.count === 0) throw conflict('The secret was rotated by another request at the same moment; rotate again if you need a new one');
  return { endpoint: await reloaded(ctx, id, partnerId), secret };
}

/** One of the calling partner's deliveries, or NOT_FOUND. */
async function ownDelivery(ctx: CustomersContext, partnerId: string, id: string): Promise<WebhookDeliveryRow> {
  const delivery = await ctx.loaders.webhookDeliveryById.load(id);
  const endpoint = delivery && (await ctx.loaders.webhookEndpointById.load(delivery.endpointId));
  if (!delivery || !endpoint || endpoint.partnerId !== partnerId) throw unknownDelivery(id);
  return delivery;
}

/**
 * `Mutation.replayWebhookDelivery`: a finished delivery is queued again with a fresh schedule; a pending
 * one is brought forward to now, unless a dispatcher holds it at this moment.
 */
export async function replayWebhookDelivery(ctx: CustomersContext, id: string): Promise<WebhookDeliveryRow> {
  const partnerId = managingPartner(ctx, 'Replaying webhook deliveries');
  await ownDelivery(ctx, partnerId, id);
  const now = new Date();
  await ctx.prisma.$executeRaw`
    UPDATE customers.webhook_delivery
       SET attempt_count = CASE WHEN status = 'PENDING' THEN attempt_count ELSE 0 END,
           status = 'PENDING', next_attempt_at = ${now}::timestamptz
     WHERE id = ${id} AND (leased_until IS NULL OR leased_until <= ${now}::timestamptz)`;
  ctx.loaders.webhookDeliveryById.clear(id);
  const delivery = await ctx.loaders.webhookDeliveryById.load(id);
  if (!delivery) throw unknownDelivery(id);
  return delivery;
}

/** `Mutation.sendTestWebhook`: a "webhook.test" delivery due now, under an event id of its own. */
export async function sendTestWebhook(ctx: CustomersContext, endpointId: string): Promise<WebhookDeliveryRow> {
  const partnerId = managingPartner(ctx, 'Sending test webhooks');
  const endpoint = await ownEndpoint(ctx, partnerId, endpointId);
  const now = new Date();
  const body = {
    type: TEST_EVENT_TYPE,
    timestamp: now.toISOString(),
    data: { message: 'A test delivery from dakgraph: verify its signature and answer with any 2xx status', endpointId: endpoint.id },
  } satisfies WebhookBody;
  return ctx.prisma.webhookDelivery.create({
    data: { id: newId('whd'), endpointId: endpoint.id, eventId: newUuidV7(now.getTime()), eventType: TEST_EVENT_TYPE, body, nextAttemptAt: now },
  });
}
