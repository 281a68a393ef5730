// Security primitives shared by the gateway and subgraphs. Pure: no I/O beyond node:crypto.
export { AuthError } from './errors.js';
export type { AuthErrorReason } from './errors.js';
export { MIN_SECRET_BYTES } from './encoding.js';
export {
  CURRENT_SCRYPT_PARAMS,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  checkPasswordPolicy,
  hashPassword,
  needsRehash,
  verifyPassword,
} from './password.js';
export type { ScryptParams } from './password.js';
export { TOKEN_ISSUER, signToken, verifyToken } from './jwt.js';
export type { SignTokenOptions, TokenClaims, TokenInput, VerifyTokenOptions } from './jwt.js';
export { apiKeyMatches, generateApiKey, hashApiKey, parseApiKey } from './apiKey.js';
export type { GeneratedApiKey } from './apiKey.js';
export { IDENTITY_HEADER, PUBLIC_VIEWER, STAFF_ROLES, VIEWER_KINDS, signIdentity, verifyIdentity } from './identity.js';
export type { StaffRole, VerifyIdentityOptions, Viewer, ViewerKind } from './identity.js';
export { INTERNAL_SIGNATURE_HEADER, secretsFromEnv, signInternalCall, verifyInternalCall } from './secrets.js';
export type { DakgraphSecrets } from './secrets.js';
export { TOKEN_TTL_SECONDS, issueViewerToken, sessionFromToken, viewerFromToken, type ViewerSession } from './viewerToken.js';
