import { createHmac, timingSafeEqual } from 'node:crypto';

/** The shared secrets of a deployment: one signs the gateway's identity header, one signs login tokens. */
export interface DakgraphSecrets {
  identitySecret: string;
  jwtSecret: string;
}

/**
 * Reads IDENTITY_SECRET and JWT_SECRET. Missing secrets are a deployment fault: the message says how to
 * make them. (`npm start` makes and keeps development secrets in the data folder itself.)
 */
export function secretsFromEnv(env: NodeJS.ProcessEnv = process.env): DakgraphSecrets {
  const missing = ['IDENTITY_SECRET', 'JWT_SECRET'].filter((name) => !env[name]);
  if (missing.length) {
    throw new Error(
      `${missing.join(' and ')} must be set (at least 32 random bytes each, e.g. \`openssl rand -base64 48\`); ` +
        'the gateway and every subgraph need the same values',
    );
  }
  return { identitySecret: env.IDENTITY_SECRET!, jwtSecret: env.JWT_SECRET! };
}

/** Signs the body of an internal service-to-service call (the gateway asking customers to verify an API key). */
export function signInternalCall(secret: string, body: string): string {
  return createHmac('sha256', `internal:${secret}`).update(body).digest('base64url');
}

/** Checks an internal call's signature in constant time. */
export function verifyInternalCall(secret: string, body: string, signature: string | undefined): boolean {
  if (!signature) return false;
  const expected = Buffer.from(signInternalCall(secret, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** The header carrying an internal call's signature. */
export const INTERNAL_SIGNATURE_HEADER = 'x-dakgraph-internal-signature';
