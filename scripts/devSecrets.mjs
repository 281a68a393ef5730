// The secrets every dakgraph process shares, for development: `npm start` and `npm run start:services`
// make them once and keep them in .data/secrets.json, so logins and sent OTPs survive restarts.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { databaseFromEnv } from '@dakgraph/db';
import { newPspCallbackSecret } from '@dakgraph/payments';

/** Where development secrets are kept: beside the embedded database's folder (DAKGRAPH_DATA_DIR), as `npm run demo` looks for them. */
export const secretsFile = () => path.join(path.dirname(databaseFromEnv().dataDir), 'secrets.json');

/**
 * The gateway and the subgraphs share two secrets, customers keeps partners' webhook secrets under a key
 * (WEBHOOK_SECRET_KEY), articles derives delivery OTPs with another (DELIVERY_OTP_SECRET) and payments
 * verifies the payment provider's callbacks with a third (PSP_CALLBACK_SECRET). Deployments set all five;
 * for a developer's `npm start` they are made once and kept beside the embedded database, so logins
 * survive restarts. Production mode never invents them.
 */
export const SECRET_NAMES = ['IDENTITY_SECRET', 'JWT_SECRET', 'WEBHOOK_SECRET_KEY', 'DELIVERY_OTP_SECRET', 'PSP_CALLBACK_SECRET'];
/** The key of each secret in .data/secrets.json, where it differs from its variable's name. */
const FILE_KEY = { PSP_CALLBACK_SECRET: 'pspCallbackSecret' };
const fileKey = (name) => FILE_KEY[name] ?? name;
const makeSecret = {
  // Standard Webhooks form ("whsec_" and base64), as the simulated provider (npm run psp) signs with it.
  PSP_CALLBACK_SECRET: newPspCallbackSecret,
  IDENTITY_SECRET: () => randomBytes(48).toString('base64url'),
  JWT_SECRET: () => randomBytes(48).toString('base64url'),
  // The key partners' webhook signing secrets are encrypted with: exactly 32 bytes, in base64.
  WEBHOOK_SECRET_KEY: () => randomBytes(32).toString('base64'),
  // Delivery OTPs are derived with it: kept, because a new one would invalidate the OTPs already sent.
  DELIVERY_OTP_SECRET: () => randomBytes(48).toString('base64url'),
};

export function loadSecrets(file = secretsFile()) {
  if (SECRET_NAMES.every((name) => process.env[name])) return Object.fromEntries(SECRET_NAMES.map((name) => [name, process.env[name]]));
  if (process.env.NODE_ENV === 'production') {
    throw new Error('IDENTITY_SECRET, JWT_SECRET, DELIVERY_OTP_SECRET (`openssl rand -base64 48` each), WEBHOOK_SECRET_KEY (`openssl rand -base64 32`) and PSP_CALLBACK_SECRET (the payment provider\'s) must be set in production');
  }
  const kept = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const missing = SECRET_NAMES.filter((name) => !process.env[name] && !kept[fileKey(name)]);
  if (missing.length) {
    // A secrets file from before a secret existed gains the new one; the others are kept, so logins survive.
    mkdirSync(path.dirname(file), { recursive: true });
    for (const name of missing) kept[fileKey(name)] = makeSecret[name]();
    writeFileSync(file, JSON.stringify(kept, null, 2) + '\n', { mode: 0o600 });
    console.log(`dakgraph: made development secrets (${missing.join(', ')}) in ${file}`);
  }
  return Object.fromEntries(SECRET_NAMES.map((name) => [name, process.env[name] || kept[fileKey(name)]]));
}
