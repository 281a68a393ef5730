import { signedInternalRoute, type HttpRoute } from '@dakgraph/graphql-kit';
import type { CustomersPrisma } from '../db';
import { verifyApiKey, type ApiKeyRefusal } from '../services/apiKeys';

/** Where the gateway asks whether a partner API key is good (it has no database of its own). */
export const API_KEY_VERIFY_PATH = '/internal/api-keys/verify';

const REFUSALS: Record<ApiKeyRefusal, string> = {
  MALFORMED: 'This is not a dakgraph API key (dgk_<prefix>_<secret>)',
  UNKNOWN: 'The API key is not valid',
  REVOKED: 'The API key has been revoked; ask for a new one',
  PARTNER_SUSPENDED: "The partner's access is suspended; contact India Post",
};

/**
 * `POST /internal/api-keys/verify` with `{"key": "dgk_..."}`, signed by the gateway.
 * 200 `{"partnerId","keyId","prefix"}` for an active key of an active partner; 401 `{"error","reason"}`
 * for a bad signature or a refused key; 400 for a body that is not `{"key": string}`; 413 over 1 KB.
 */
export function apiKeyVerifyRoute(prisma: CustomersPrisma, identitySecret: string): HttpRoute {
  return signedInternalRoute({
    path: API_KEY_VERIFY_PATH,
    identitySecret,
    async handle(body) {
      const key = (body as { key?: unknown } | null)?.key;
      if (typeof key !== 'string') return { status: 400, body: { error: 'The body must be JSON {"key": "<the API key>"}' } };
      const verdict = await verifyApiKey(prisma, key);
      if (!verdict.ok) return { status: 401, body: { error: REFUSALS[verdict.reason], reason: verdict.reason } };
      return { status: 200, body: { partnerId: verdict.partnerId, keyId: verdict.keyId, prefix: verdict.prefix } };
    },
  });
}
