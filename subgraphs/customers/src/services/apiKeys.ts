import { apiKeyMatches, generateApiKey, parseApiKey, type GeneratedApiKey } from '@dakgraph/auth';
import { notFound, refuse } from '@dakgraph/graphql-kit';
import { canManageApiKeys } from '../access';
import type { CreatedId, CustomersContext } from '../context';
import type { ApiKeyRow, CustomersPrisma, CustomersTx } from '../db';
import { refusal } from './authorize';
import { newId } from './ids';
import * as check from './validation';

/** What `Mutation.createApiKey` answers: the clear key only when it was made by this very request. */
export interface CreatedApiKeyOutcome {
  apiKey: string | null;
  key: ApiKeyRow;
}

const KEY_RULE = "a partner's API keys are managed by admins and by the partner itself";

/** A key whose prefix is not yet taken (40 random bits: a clash is rare, but the prefix is unique). */
async function freshKey(tx: CustomersTx): Promise<GeneratedApiKey> {
  for (;;) {
    const generated = generateApiKey();
    if (!(await tx.apiKey.findUnique({ where: { prefix: generated.prefix }, select: { id: true } }))) return generated;
  }
}

/** `Mutation.createApiKey`: admins, or the partner itself. Stores only the prefix and the hash. */
export async function createApiKey(ctx: CustomersContext, partnerId: string, label: string, key: string): Promise<CreatedApiKeyOutcome> {
  if (!canManageApiKeys(ctx.viewer, partnerId)) refuse(refusal(ctx.viewer, "This partner's API keys", KEY_RULE));
  const data = { partnerId, label: check.text(label, 'label', 100) };
  if (!(await ctx.loaders.partnerById.load(partnerId))) throw notFound(`No partner has id "${partnerId.slice(0, 64)}"`);
  // The clear key exists only in this request's memory: a replay cannot show it again.
  let clearKey: string | null = null;
  return ctx.idempotency.run(ctx.idempotency.claim(ctx.viewer, key, 'createApiKey', data), {
    write: async (tx): Promise<CreatedId> => {
      const generated = await freshKey(tx);
      const created = await tx.apiKey.create({
        data: { id: newId('key'), ...data, prefix: generated.prefix, keyHash: generated.hash },
        select: { id: true },
      });
      clearKey = generated.key;
      return created;
    },
    answer: async ({ id }, replayed) => {
      ctx.loaders.apiKeysByPartner.clear(partnerId);
      return { apiKey: replayed ? null : clearKey, key: (await ctx.loaders.apiKeyById.load(id))! };
    },
  });
}

/** `Mutation.revokeApiKey`: idempotent; the first revocation time is kept. */
export async function revokeApiKey(ctx: CustomersContext, id: string): Promise<ApiKeyRow> {
  const apiKey = await ctx.loaders.apiKeyById.load(id);
  if (!apiKey) {
    if (ctx.viewer.kind === 'PUBLIC') refuse(refusal(ctx.viewer, 'API keys', KEY_RULE));
    throw notFound(`No API key has id "${id.slice(0, 64)}" (revoke by the key's id, not the key itself)`);
  }
  if (!canManageApiKeys(ctx.viewer, apiKey.partnerId)) refuse(refusal(ctx.viewer, 'This API key', KEY_RULE));
  await ctx.prisma.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
  ctx.loaders.apiKeyById.clear(id);
  ctx.loaders.apiKeysByPartner.clear(apiKey.partnerId);
  return (await ctx.loaders.apiKeyById.load(id))!;
}

/** Why a key was refused, for the gateway (which may tell the caller) and for metrics. */
export type ApiKeyRefusal = 'MALFORMED' | 'UNKNOWN' | 'REVOKED' | 'PARTNER_SUSPENDED';

export type ApiKeyVerification =
  | { ok: true; partnerId: string; keyId: string; prefix: string }
  | { ok: false; reason: ApiKeyRefusal };

/** `last_used_at` is a hint for people ("is this key still in use?"); writing it on every call would cost a write per request. */
export const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Checks a partner API key: well-formed, known, matching its stored hash, not revoked, and its partner
 * active. Records its use at most once a minute. The key itself is never logged or stored.
 */
export async function verifyApiKey(prisma: CustomersPrisma, key: unknown, now = Date.now()): Promise<ApiKeyVerification> {
  const parsed = typeof key === 'string' ? parseApiKey(key) : null;
  if (!parsed) return { ok: false, reason: 'MALFORMED' };
  const stored = await prisma.apiKey.findUnique({
    where: { prefix: parsed.prefix },
    include: { partner: { select: { status: true } } },
  });
  // The revocation and the partner's status are told only to someone holding the whole key.
  if (!stored || !apiKeyMatches(key as string, stored.keyHash)) return { ok: false, reason: 'UNKNOWN' };
  if (stored.revokedAt) return { ok: false, reason: 'REVOKED' };
  if (stored.partner.status !== 'ACTIVE') return { ok: false, reason: 'PARTNER_SUSPENDED' };
  if (!stored.lastUsedAt || now - stored.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    // Conditional, so concurrent verifications of one key still write once a minute at most.
    await prisma.apiKey.updateMany({
      where: {
        id: stored.id,
        OR: [{ lastUsedAt: null }, { lastUsedAt: { lte: new Date(now - LAST_USED_RESOLUTION_MS) } }],
      },
      data: { lastUsedAt: new Date(now) },
    });
  }
  return { ok: true, partnerId: stored.partnerId, keyId: stored.id, prefix: stored.prefix };
}
